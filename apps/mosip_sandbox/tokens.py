"""RS256 access tokens shaped like Keycloak's for realm `mosip` (docs/mosip/onboarding-websub.md §1.1).

The `master` realm (Keycloak's own administration) signs with the same key but its
tokens carry their own issuer, so one realm's token is never accepted by the other."""

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
REALM_PATH = "/auth/realms/"
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
            stored = get_store().get("settings", "realm_key")
        key = serialization.load_pem_private_key(stored["pem"].encode(), password=None)
        _cached.update(pem=stored["pem"], key=key, kid=stored.get("kid"))
        return key


def key_id() -> str | None:
    _signing_key()
    return _cached.get("kid")


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
    realm: str = "mosip",
    **claims: Any,
) -> str:
    now = int(time.time())
    payload = {
        "exp": now + (lifespan or config.ACCESS_TOKEN_LIFESPAN_SECONDS),
        "iat": now,
        "jti": str(uuid.uuid4()),
        "iss": issuer_base.rstrip("/") + REALM_PATH + realm,
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
    # A claim passed as None is left out, as Keycloak omits claims it has no value for.
    payload = {name: value for name, value in payload.items() if value is not None}
    key = _signing_key()
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": key_id()})


class InvalidToken(Exception):
    pass


def verify(token: str, realm: str = "mosip") -> dict[str, Any]:
    """The token's claims, or InvalidToken when forged, malformed, expired or
    issued by another realm."""
    try:
        claims = jwt.decode(
            token,
            _signing_key().public_key(),
            algorithms=["RS256"],
            options={"verify_aud": False},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if not str(claims.get("iss", "")).endswith(REALM_PATH + realm):
        raise InvalidToken("token issued by another realm")
    return claims
