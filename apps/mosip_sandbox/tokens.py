"""RS256 access tokens shaped like Keycloak's for realm `mosip` (onboarding-websub.md §1.1)."""

import threading
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.mosip_sandbox import config
from apps.mosip_sandbox.store import get_store

ISSUER_PATH = "/auth/realms/mosip"
_lock = threading.Lock()
_cached: dict[str, Any] = {}


def _signing_key() -> rsa.RSAPrivateKey:
    """The realm key, created once and kept in the store so tokens survive restarts."""
    with _lock:
        stored = get_store().get("settings", "realm_key")
        if stored and _cached.get("pem") == stored["pem"]:
            return _cached["key"]
        if stored is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
            get_store().put(
                "settings", "realm_key", {"pem": pem, "kid": uuid.uuid4().hex}
            )
            stored = {"pem": pem}
        key = serialization.load_pem_private_key(stored["pem"].encode(), password=None)
        _cached.update(pem=stored["pem"], key=key)
        return key


def public_key_pem() -> str:
    return (
        _signing_key()
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


def issue(
    *,
    issuer_base: str,
    azp: str,
    preferred_username: str,
    roles: list[str],
    lifespan: int | None = None,
    **claims: Any,
) -> str:
    now = int(time.time())
    payload = {
        "exp": now + (lifespan or config.ACCESS_TOKEN_LIFESPAN_SECONDS),
        "iat": now,
        "jti": str(uuid.uuid4()),
        "iss": issuer_base.rstrip("/") + ISSUER_PATH,
        "aud": "account",
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, preferred_username)),
        "typ": "Bearer",
        "azp": azp,
        "realm_access": {"roles": sorted(set(roles))},
        "scope": "profile email",
        "preferred_username": preferred_username,
        "clientId": azp,
        **claims,
    }
    return jwt.encode(payload, _signing_key(), algorithm="RS256")


class InvalidToken(Exception):
    pass


def verify(token: str) -> dict[str, Any]:
    """The token's claims, or InvalidToken when forged, malformed or expired."""
    try:
        return jwt.decode(
            token,
            _signing_key().public_key(),
            algorithms=["RS256"],
            options={"verify_aud": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
