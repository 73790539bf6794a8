"""e-Signet, MOSIP's OpenID Connect provider, as the portal's relying party uses it
(docs/mosip/esignet.md; what the portal does with it: docs/identity-verification.md).

The calls: discovery, the JWKS, the token endpoint with private_key_jwt (and PKCE),
userinfo. The checks (`apps.mosip.esignet_proofs`): the id token and the userinfo
JWS, which e-Signet signs and the portal verifies against the JWKS before believing
anything in them.

Every call has a timeout. e-Signet down or answering 5xx without its error object is
`MosipUnavailable`; an OAuth error object (`{"error"}`, HTTP 400, or 500 for the
refusals e-Signet files as server errors, §5) is `MosipRejected` with the error as
its code; an answer of the wrong shape is `MosipBadResponse`."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import requests

from apps.mosip import transport
from apps.mosip.config import DEFAULT_TIMEOUT
from apps.mosip.errors import MosipBadResponse, MosipRejected, MosipUnavailable

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# e-Signet's ACR for a one-time code sent to the person's phone or e-mail
# (mosip-config amr-acr-mapping.json, docs/mosip/esignet.md §4).
ACR_OTP = "mosip:idp:acr:generated-code"
# How long a client assertion lives: e-Signet allows no clock skew (§5).
ASSERTION_LIFETIME = 60


@dataclass(frozen=True)
class Discovery:
    """What the discovery document says. `issuer` is e-Signet's domain; the tokens it
    signs carry another issuer (§2), which the portal keeps with its client."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    claims_supported: tuple[str, ...] = ()
    acr_values_supported: tuple[str, ...] = ()
    claims_locales_supported: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlowSecrets:
    """What one login needs kept on the portal's side until the callback: the state
    that ties the callback to it, the nonce the id token must carry, and the PKCE
    verifier whose S256 challenge goes to e-Signet."""

    state: str
    nonce: str
    code_verifier: str = field(repr=False)

    @property
    def code_challenge(self) -> str:
        return pkce_challenge(self.code_verifier)


@dataclass(frozen=True)
class Tokens:
    id_token: str = field(repr=False)
    access_token: str = field(repr=False)


def new_flow() -> FlowSecrets:
    # RFC 7636 §4.1: 43-128 characters of the unreserved set; 32 random bytes give 43.
    return FlowSecrets(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(32),
    )


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _get(url: str, timeout: transport.Timeout, **kwargs: Any) -> requests.Response:
    with requests.Session() as session:
        response = transport.send(session, "GET", url, timeout=timeout, **kwargs)
    if response.status_code >= 500 or response.status_code == 429:
        raise MosipUnavailable(
            f"e-Signet answered HTTP {response.status_code}",
            http_status=response.status_code,
        )
    return response


def _json_object(response: requests.Response, what: str) -> dict:
    body = transport.json_body(response)
    if response.status_code != 200 or not isinstance(body, dict):
        raise MosipBadResponse(
            f"e-Signet's {what} answered HTTP {response.status_code} with something "
            "that is not one: is the URL right?",
            http_status=response.status_code,
        )
    return body


def discover(
    base_url: str, *, timeout: transport.Timeout = DEFAULT_TIMEOUT
) -> Discovery:
    """GET {base_url}/.well-known/openid-configuration (e-Signet's UI serves it at
    the root of its domain, §2)."""
    url = base_url.rstrip("/") + DISCOVERY_PATH
    body = _json_object(_get(url, timeout), "discovery document")
    try:
        return Discovery(
            issuer=str(body["issuer"]),
            authorization_endpoint=str(body["authorization_endpoint"]),
            token_endpoint=str(body["token_endpoint"]),
            userinfo_endpoint=str(body["userinfo_endpoint"]),
            jwks_uri=str(body["jwks_uri"]),
            claims_supported=tuple(body.get("claims_supported") or ()),
            acr_values_supported=tuple(body.get("acr_values_supported") or ()),
            claims_locales_supported=tuple(body.get("claims_locales_supported") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise MosipBadResponse(
            f"e-Signet's discovery document lacks {exc}: is the URL right?"
        ) from exc


def key_set(
    discovery: Discovery, *, timeout: transport.Timeout = DEFAULT_TIMEOUT
) -> jwt.PyJWKSet:
    """The JWKS: e-Signet's key (id and access tokens) and the identity system's
    (userinfo), each without `alg` (§5)."""
    body = _json_object(_get(discovery.jwks_uri, timeout), "key set")
    try:
        return jwt.PyJWKSet.from_dict(body)
    except jwt.PyJWTError as exc:
        raise MosipBadResponse(f"e-Signet's key set cannot be read: {exc}") from exc


def authorize_url(
    discovery: Discovery,
    *,
    client_id: str,
    redirect_uri: str,
    flow: FlowSecrets,
    userinfo_claims: dict[str, bool],
    acr_values: tuple[str, ...] = (ACR_OTP,),
    claims_locales: tuple[str, ...] = (),
    scope: str = "openid profile",
) -> str:
    """Where the person's browser goes to log in. `userinfo_claims` maps each claim
    asked for to whether it is essential; they go in the `claims` parameter, the
    only way to ask for `individual_id` (§4)."""
    claims = {
        "userinfo": {name: {"essential": essential}
                     for name, essential in userinfo_claims.items()},
        "id_token": {"acr": {"essential": True, "values": list(acr_values)}},
    }  # fmt: skip
    params = {
        "client_id": client_id,
        "response_type": "code",
        "scope": scope,
        "redirect_uri": redirect_uri,
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": flow.code_challenge,
        "code_challenge_method": "S256",
        "acr_values": " ".join(acr_values),
        "claims": json.dumps(claims, separators=(",", ":")),
    }
    if claims_locales:
        params["claims_locales"] = " ".join(claims_locales)
    return f"{discovery.authorization_endpoint}?{urlencode(params)}"


def client_assertion(
    *, client_id: str, private_key_pem: str, audience: str, now: float | None = None
) -> str:
    """private_key_jwt (RFC 7523): RS256, iss = sub = the client id, aud = the
    token endpoint the request goes to (§5), a fresh jti."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": issued,
        "exp": issued + ASSERTION_LIFETIME,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private_key_pem, algorithm="RS256")


def exchange_code(
    discovery: Discovery,
    *,
    code: str,
    redirect_uri: str,
    client_id: str,
    private_key_pem: str,
    code_verifier: str,
    timeout: transport.Timeout = DEFAULT_TIMEOUT,
) -> Tokens:
    """POST the code to the discovery's token endpoint (`/oauth/v2/token`, which
    checks the PKCE verifier) with the client assertion made for that endpoint."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_assertion_type": JWT_BEARER,
        "client_assertion": client_assertion(
            client_id=client_id,
            private_key_pem=private_key_pem,
            audience=discovery.token_endpoint,
        ),
        "code_verifier": code_verifier,
    }
    with requests.Session() as session:
        response = transport.send(
            session, "POST", discovery.token_endpoint, timeout=timeout, data=form
        )
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("error"):
        raise MosipRejected(
            f"e-Signet refused the code: {body['error']}",
            code=str(body["error"]),
            http_status=response.status_code,
        )
    if response.status_code >= 500 or response.status_code == 429:
        raise MosipUnavailable(
            f"e-Signet's token endpoint answered HTTP {response.status_code}",
            http_status=response.status_code,
        )
    if (
        response.status_code != 200
        or not isinstance(body, dict)
        or not isinstance(body.get("id_token"), str)
        or not isinstance(body.get("access_token"), str)
    ):
        raise MosipBadResponse(
            f"e-Signet's token endpoint answered HTTP {response.status_code} without "
            "tokens",
            http_status=response.status_code,
        )
    return Tokens(id_token=body["id_token"], access_token=body["access_token"])


def userinfo(
    discovery: Discovery,
    access_token: str,
    *,
    timeout: transport.Timeout = DEFAULT_TIMEOUT,
) -> str:
    """The userinfo JWS (`application/jwt`), not yet verified; MosipRejected
    `invalid_token` when e-Signet no longer honours the access token (§7)."""
    response = _get(
        discovery.userinfo_endpoint,
        timeout,
        headers={"Authorization": f"Bearer {access_token}"},
    )
    if response.status_code == 401:
        raise MosipRejected(
            "e-Signet refused the access token for userinfo",
            code="invalid_token",
            http_status=401,
        )
    text = response.text.strip()
    if response.status_code != 200 or text.count(".") != 2:
        raise MosipBadResponse(
            f"e-Signet's userinfo answered HTTP {response.status_code} without a JWS",
            http_status=response.status_code,
        )
    return text
