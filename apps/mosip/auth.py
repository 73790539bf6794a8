"""Tokens: MOSIP authmanager and Keycloak (docs/mosip/onboarding-websub.md §1, docs/mosip/packet-api.md §2).

Each function asks for a fresh token; `MosipClient` caches them. A token is a
Keycloak RS256 JWT; its claims are read without verifying the signature, only to
learn its expiry, roles and audience (MOSIP verifies it on every call).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any

import jwt
import requests

from apps.mosip import transport
from apps.mosip.errors import MosipAuthError, MosipBadResponse, MosipUnavailable

# Used when a token carries no `exp` and the answer no `expires_in`.
DEFAULT_LIFETIME = 3600


@dataclass(frozen=True)
class Token:
    """An access token and what it says about its holder. `value` is never shown
    in reprs or logs."""

    value: str = field(repr=False)
    expires_at: float
    claims: dict[str, Any] = field(default_factory=dict, repr=False)
    issued_at: float = field(default_factory=time.time)

    @property
    def roles(self) -> list[str]:
        return list(self.claims.get("realm_access", {}).get("roles", []))

    @property
    def username(self) -> str | None:
        return self.claims.get("preferred_username")

    @property
    def azp(self) -> str | None:
        return self.claims.get("azp")

    @property
    def audience(self) -> list[str]:
        aud = self.claims.get("aud") or []
        return [aud] if isinstance(aud, str) else list(aud)

    @property
    def lifetime(self) -> float:
        return max(self.expires_at - self.issued_at, 0.0)

    def expires_within(self, seconds: float) -> bool:
        return time.time() + seconds >= self.expires_at


def token_from_jwt(value: str, expires_in: Any = None) -> Token:
    """A Token for a JWT. Its lifetime is `exp - iat` counted from now, so a clock
    difference between MOSIP and this machine does not shorten or stretch it;
    without `iat`, `exp` itself (else `expires_in`)."""
    try:
        claims = jwt.decode(value, options={"verify_signature": False})
    except jwt.PyJWTError:
        claims = {}
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat")
    if isinstance(exp, int | float) and isinstance(iat, int | float) and exp > iat:
        expires_at = now + float(exp - iat)
    elif isinstance(exp, int | float):
        expires_at = float(exp)
    elif isinstance(expires_in, int | float) and expires_in > 0:
        expires_at = now + float(expires_in)
    else:
        expires_at = now + DEFAULT_LIFETIME
    return Token(value=value, expires_at=expires_at, claims=claims, issued_at=now)


# Authmanager --------------------------------------------------------------------------


def _cookie_token(response: requests.Response) -> str | None:
    # The token travels only in `Set-Cookie: Authorization=<jwt>; ...; Secure`; read
    # the header ourselves since a Secure cookie is not replayed over plain http.
    found = response.cookies.get("Authorization")
    if found:
        return found
    header = response.headers.get("Set-Cookie", "")
    try:
        parsed = SimpleCookie(header)
    except CookieError:
        return None
    morsel = parsed.get("Authorization")
    return morsel.value if morsel and morsel.value else None


def _authmanager(
    session: requests.Session,
    url: str,
    request: dict,
    timeout: transport.Timeout,
) -> Token:
    response = transport.send(
        session,
        "POST",
        url,
        json=transport.envelope(request, id="string", version="string"),
        timeout=timeout,
    )
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = transport.error_items(body)
    # Authmanager lets Keycloak's 401 escape as HTTP 500 "401 Unauthorized".
    if errors and any(
        "401" in str(e.get("errorCode")) + transport.error_text(e) for e in errors
    ):
        raise MosipAuthError(
            "MOSIP refused the client id or secret key",
            code=str(errors[0].get("errorCode")),
            http_status=response.status_code,
        )
    if response.status_code == 401:
        raise MosipAuthError(
            "MOSIP refused the credentials", code="KER-ATH-401", http_status=401
        )
    transport.check_status(response)
    if errors:
        code = str(errors[0].get("errorCode"))
        if code in ("KER-ATH-007", "KER-ATH-008"):
            raise MosipAuthError(
                "MOSIP refused the user name or password",
                code=code,
                http_status=response.status_code,
            )
        raise transport.rejected(errors, response.status_code)
    if not isinstance(body, dict):
        raise MosipBadResponse(
            "authmanager answered something that is not a MOSIP envelope: is the "
            "API URL right?",
            http_status=response.status_code,
        )
    value = _cookie_token(response)
    if not value:
        raise MosipBadResponse(
            "authmanager accepted the credentials but sent no Authorization cookie",
            http_status=response.status_code,
        )
    return token_from_jwt(value)


def authmanager_token(
    session: requests.Session,
    *,
    api_url: str,
    client_id: str,
    secret_key: str,
    app_id: str,
    timeout: transport.Timeout,
) -> Token:
    """POST /v1/authmanager/authenticate/clientidsecretkey; the token comes only in
    the `Authorization` cookie. MosipAuthError on a wrong id or secret."""
    return _authmanager(
        session,
        f"{api_url}/v1/authmanager/authenticate/clientidsecretkey",
        {"clientId": client_id, "secretKey": secret_key, "appId": app_id},
        timeout,
    )


def authmanager_user_token(
    session: requests.Session,
    *,
    api_url: str,
    username: str,
    password: str,
    app_id: str,
    timeout: transport.Timeout,
) -> Token:
    """POST /v1/authmanager/authenticate/useridPwd: a user's token through
    authmanager (e.g. a zone-mapped admin for masterdata)."""
    return _authmanager(
        session,
        f"{api_url}/v1/authmanager/authenticate/useridPwd",
        {"userName": username, "password": password, "appId": app_id},
        timeout,
    )


# Keycloak -----------------------------------------------------------------------------


def _keycloak(
    session: requests.Session,
    keycloak_url: str,
    realm: str,
    form: dict[str, str],
    timeout: transport.Timeout,
) -> Token:
    url = f"{keycloak_url}/realms/{realm}/protocol/openid-connect/token"
    response = transport.send(session, "POST", url, data=form, timeout=timeout)
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 429 or response.status_code >= 500:
        raise MosipUnavailable(
            f"Keycloak answered HTTP {response.status_code}",
            http_status=response.status_code,
        )
    if response.status_code in (400, 401) and isinstance(body, dict):
        error = str(body.get("error") or "invalid_request")
        description = str(body.get("error_description") or error)
        raise MosipAuthError(
            f"Keycloak refused the credentials: {description}",
            code=error,
            http_status=response.status_code,
        )
    if response.status_code == 404:
        raise MosipBadResponse(
            f"Keycloak has no realm '{realm}' at this URL (HTTP 404): is the "
            "Keycloak URL right (MOSIP 1.2 keeps the /auth prefix)?",
            http_status=404,
        )
    if (
        response.status_code != 200
        or not isinstance(body, dict)
        or not body.get("access_token")
    ):
        raise MosipBadResponse(
            f"Keycloak answered HTTP {response.status_code} without a token: is the "
            "Keycloak URL right?",
            http_status=response.status_code,
        )
    return token_from_jwt(str(body["access_token"]), body.get("expires_in"))


def keycloak_client_token(
    session: requests.Session,
    *,
    keycloak_url: str,
    realm: str,
    client_id: str,
    client_secret: str,
    timeout: transport.Timeout,
) -> Token:
    """client_credentials grant on `{keycloak_url}/realms/{realm}/…/token`: the
    client's service-account token."""
    return _keycloak(
        session,
        keycloak_url,
        realm,
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
        timeout,
    )


def keycloak_password_token(
    session: requests.Session,
    *,
    keycloak_url: str,
    realm: str,
    client_id: str,
    username: str,
    password: str,
    timeout: transport.Timeout,
    client_secret: str = "",
) -> Token:
    """password grant: a user's token through `client_id` (a public client such as
    `admin-cli` needs no secret)."""
    form = {
        "grant_type": "password",
        "client_id": client_id,
        "username": username,
        "password": password,
    }
    if client_secret:
        form["client_secret"] = client_secret
    return _keycloak(session, keycloak_url, realm, form, timeout)
