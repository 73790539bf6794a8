"""e-Signet's token and userinfo endpoints (docs/mosip/esignet.md §5, §7):
private_key_jwt client authentication, the single-use code, the id and access tokens
it signs, and the userinfo JWS it hands back.

Collection `esignet_userinfo`, key = at_hash of an access token: {transactionId,
clientId, psut, userinfo, expiresAt}."""

import base64
import hashlib
import time
from typing import Any

import jwt

from apps.mosip_sandbox.esignet import (
    authorization,
    clients,
    fault_switches,
    identity_provider,
    keys,
    properties,
)
from apps.mosip_sandbox.esignet.responses import EsignetError, invalid_request
from apps.mosip_sandbox.store import get_store

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_REQUIRED_ASSERTION_CLAIMS = ["sub", "aud", "exp", "iss", "iat"]


def at_hash(access_token: str) -> str:
    """Left-most 128 bits of the SHA-256 of the token, base64url."""
    digest = hashlib.sha256(access_token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _validate_form(form: dict[str, Any]) -> None:
    """TokenRequest's bean validation; the first violation answers."""
    if form.get("grant_type") not in (
        properties.inline("mosip.esignet.supported.grant.types") or []
    ):
        raise invalid_request("invalid_grant_type")
    if not (form.get("code") or "").strip():
        raise invalid_request("invalid_auth_code")
    if not clients.is_url(form.get("redirect_uri")):
        raise invalid_request("invalid_redirect_uri")
    if form.get("client_assertion_type") not in (
        properties.inline("mosip.esignet.supported.client.assertion.types") or []
    ):
        raise invalid_request("invalid_assertion_type")
    if not (form.get("client_assertion") or "").strip():
        raise invalid_request("invalid_assertion")


def _check_pkce(transaction: dict, verifier: str | None) -> None:
    if not transaction.get("codeChallenge"):
        return
    if not verifier:
        raise EsignetError("invalid_pkce_code_verifier")
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    if computed != transaction["codeChallenge"]:
        raise EsignetError("pkce_failed")


def verify_client_assertion(client: dict, assertion: str, audience: str) -> None:
    """RS256 with the client's registered key; iss and sub the client id, aud the
    token endpoint, exp/iat present, no clock skew allowed. No jti bookkeeping."""
    try:
        jwk = jwt.PyJWK(client["publicKey"], algorithm="RS256")
        claims = jwt.decode(
            assertion,
            jwk.key,
            algorithms=["RS256"],
            audience=audience,
            issuer=client["clientId"],
            leeway=0,
            options={"require": _REQUIRED_ASSERTION_CLAIMS},
        )
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise invalid_request("invalid_assertion") from exc
    if claims.get("sub") != client["clientId"]:
        raise invalid_request("invalid_assertion")


def _id_token(
    transaction: dict, access_hash: str, issuer: str, tamper: str | None
) -> str:
    now = int(time.time())
    lifetime = properties.integer("mosip.esignet.id-token-expire-seconds", 60)
    lifetime = lifetime if lifetime > 0 else 3600
    if tamper == fault_switches.ID_TOKEN_EXPIRED:
        now -= lifetime + 120
    payload = {
        "iss": issuer,
        "sub": transaction["psut"],
        "aud": transaction["clientId"],
        "iat": now,
        "exp": now + lifetime,
        "auth_time": transaction["authTime"],
        "nonce": transaction.get("nonce"),
        "acr": " ".join(authorization.acrs_for(transaction["providedAuthFactors"])),
        "at_hash": access_hash,
    }
    if tamper == fault_switches.ID_TOKEN_REPLAYED:
        replayed = get_store().get("esignet_last_id_token", transaction["clientId"])
        if replayed:
            return replayed["idToken"]
    signer = (
        keys.IMPOSTOR
        if tamper == fault_switches.ID_TOKEN_WRONG_KEY
        else keys.OIDC_SERVICE
    )
    token = keys.sign(signer, payload, kid_of=keys.OIDC_SERVICE)
    get_store().put(
        "esignet_last_id_token", transaction["clientId"], {"idToken": token}
    )
    return token


def _access_token(transaction: dict, issuer: str) -> str:
    now = int(time.time())
    lifetime = properties.integer("mosip.esignet.access-token-expire-seconds", 60)
    return keys.sign(
        keys.OIDC_SERVICE,
        {
            "iss": issuer,
            "sub": transaction["psut"],
            "aud": transaction["clientId"],
            "iat": now,
            "exp": now + (lifetime if lifetime > 0 else 3600),
            "client_id": transaction["clientId"],
        },
    )


def issue_tokens(form: dict[str, Any], base_url: str, *, v2: bool) -> dict[str, Any]:
    """The token endpoint; EsignetError with e-Signet's code when refused."""
    _validate_form(form)
    transaction = authorization.redeem_code(form["code"])
    if form.get("client_id") and form["client_id"] != transaction["clientId"]:
        raise invalid_request("invalid_client_id")
    if form["redirect_uri"] != transaction["redirectUri"]:
        raise invalid_request("invalid_redirect_uri")
    _check_pkce(transaction, form.get("code_verifier") if v2 else None)
    client = clients.active(transaction["clientId"])
    clients.check_redirect_uri(client, form["redirect_uri"])
    issuer = properties.raw("mosip.esignet.discovery.issuer-id", base_url)
    if v2:
        audience = properties.inline("mosip.esignet.oauth.key-values", base_url)[
            "token_endpoint"
        ]
    else:
        audience = f"{issuer}/oauth/token"
    verify_client_assertion(client, form["client_assertion"], audience)

    try:
        claims = identity_provider.kyc_exchange(
            transaction["kycToken"],
            transaction["individualId"],
            transaction["clientId"],
            transaction["acceptedClaims"],
            transaction["claimsLocales"],
        )
    except identity_provider.IdaError as exc:
        raise EsignetError(exc.code) from exc
    tamper = fault_switches.tamper()
    userinfo = identity_provider.sign_claims(
        claims,
        keys.IMPOSTOR
        if tamper == fault_switches.USERINFO_WRONG_KEY
        else keys.IDA_KYC_EXCHANGE,
    )
    if tamper == fault_switches.USERINFO_ALTERED:
        userinfo = fault_switches.alter_payload(userinfo)

    access_token = _access_token(transaction, issuer)
    access_hash = at_hash(access_token)
    id_token = _id_token(transaction, access_hash, issuer, tamper)
    transaction.update(stage="used")
    authorization.finish(transaction)
    get_store().put(
        "esignet_userinfo",
        access_hash,
        {
            "clientId": transaction["clientId"],
            "psut": transaction["psut"],
            "userinfo": userinfo,
            "expiresAt": time.time() + properties.expiry_seconds("userinfo"),
        },
    )
    return {
        "id_token": id_token,
        "token_type": "Bearer",
        "access_token": access_token,
        "expires_in": properties.integer(
            "mosip.esignet.access-token-expire-seconds", 60
        ),
    }


class NotAuthenticated(Exception):
    pass


def userinfo(authorization_header: str, base_url: str) -> str:
    """The userinfo JWS for a live access token; NotAuthenticated otherwise."""
    parts = authorization_header.strip().split(" ")
    if len(parts) <= 1 or parts[0] != "Bearer":
        raise NotAuthenticated()
    token = parts[1].strip()
    entry = get_store().get("esignet_userinfo", at_hash(token))
    if entry is None or time.time() > entry["expiresAt"]:
        raise NotAuthenticated()
    issuer = properties.raw("mosip.esignet.discovery.issuer-id", base_url)
    try:
        claims = keys.verify(keys.OIDC_SERVICE, token)
    except jwt.PyJWTError as exc:
        raise NotAuthenticated() from exc
    if (
        claims.get("aud") != entry["clientId"]
        or claims.get("iss") != issuer
        or claims.get("sub") != entry["psut"]
        or any(name not in claims for name in _REQUIRED_ASSERTION_CLAIMS)
        or claims["exp"] < time.time()
    ):
        raise NotAuthenticated()
    return entry["userinfo"]
