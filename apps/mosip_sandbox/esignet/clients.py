"""OIDC clients as e-Signet's client management registers them (docs/mosip/esignet.md §3).

Collection `esignet_clients`, key = clientId: {clientId, name (map: language code or
`@none` to name), rpId, logoUri, redirectUris, publicKey (the JWK), claims, acrValues,
grantTypes, clientAuthMethods, status (ACTIVE | INACTIVE), createdAt, updatedAt}.
Collection `esignet_client_keys`, key = the canonical JWK: the clientId using it
(e-Signet's unique index on the public key)."""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from apps.mosip_sandbox import envelope
from apps.mosip_sandbox.esignet import properties
from apps.mosip_sandbox.esignet.responses import EsignetError, invalid_request
from apps.mosip_sandbox.store import get_store

ACTIVE = "ACTIVE"
NONE_LANG_KEY = "@none"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
# Languages Java knows an ISO 639-2 code for, as `Locale.getISO3Language()` gives them;
# the ones a MOSIP deployment names its languages by.
_ISO3_LANGUAGES = {
    "eng", "fra", "ara", "spa", "por", "hin", "kan", "tam", "tel", "mal", "ben",
    "deu", "ita", "rus", "zho", "jpn", "kor", "swa", "amh", "hau", "yor", "ibo",
    "fil", "khm", "lao", "mya", "tha", "vie", "ind", "msa", "urd", "fas", "tur",
    "nld", "pol", "ukr", "ron", "ell", "heb", "som", "mlg", "kin", "lin", "wol",
}  # fmt: skip


class ValidationErrors(Exception):
    """Bean validation failures: one (code, field) per violated constraint."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def is_url(value: Any, *, any_scheme: bool = True) -> bool:
    """Roughly commons-validator's UrlValidator with ALLOW_ALL_SCHEMES and
    ALLOW_LOCAL_URLS (redirect URIs), or java.net.URL's protocols (logo URIs)."""
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    if not parts.scheme or not _SCHEME.match(parts.scheme) or not parts.netloc:
        return False
    return any_scheme or parts.scheme.lower() in ("http", "https", "ftp", "file")


def _supported_acrs() -> list[str]:
    return list(properties.amr_acr_mapping().get("acr_amr", {}))


def _supported_claims() -> list[str]:
    discovery = properties.inline("mosip.esignet.discovery.key-values") or {}
    return list(discovery.get("claims_supported") or [])


def _id_format(value: Any) -> bool:
    regex = properties.raw("mosip.esignet.supported-id-regex", "") or r"\S*"
    return (
        isinstance(value, str)
        and bool(value.strip())
        and bool(re.fullmatch(regex, value))
    )


def _list_check(errors, field, value, code, *, low, high, item_ok) -> None:
    if not isinstance(value, list) or not low <= len(value) <= high:
        errors.append((code, field))
        return
    if not all(item is None or item_ok(item) for item in value):
        errors.append((code, field))


def _check_common(req: dict, errors: list, *, update: bool) -> None:
    name = req.get("clientName")
    if not isinstance(name, str) or not name.strip() or len(name) > 256:
        errors.append(("invalid_client_name", "clientName"))
    logo = req.get("logoUri")
    if not is_url(logo, any_scheme=False):
        errors.append(("invalid_uri", "logoUri"))
    _list_check(
        errors, "redirectUris", req.get("redirectUris"), "invalid_redirect_uri",
        low=1, high=5, item_ok=is_url,
    )  # fmt: skip
    claims = _supported_claims()
    _list_check(
        errors, "userClaims", req.get("userClaims"), "invalid_claim",
        low=1 if update else 0, high=30, item_ok=lambda c: c in claims,
    )  # fmt: skip
    acrs = _supported_acrs()
    _list_check(
        errors, "authContextRefs", req.get("authContextRefs"), "invalid_acr",
        low=1, high=30,
        item_ok=lambda a: isinstance(a, str) and all(v in acrs for v in a.split(" ")),
    )  # fmt: skip
    grants = properties.inline("mosip.esignet.supported.grant.types") or []
    _list_check(
        errors, "grantTypes", req.get("grantTypes"), "invalid_grant_type",
        low=1, high=3, item_ok=lambda g: g in grants,
    )  # fmt: skip
    methods = properties.inline("mosip.esignet.supported.client.auth.methods") or []
    _list_check(
        errors, "clientAuthMethods", req.get("clientAuthMethods"), "invalid_client_auth",
        low=1, high=3, item_ok=lambda m: m in methods,
    )  # fmt: skip


def _check_name_map(req: dict, errors: list) -> None:
    names = req.get("clientNameLangMap")
    if not isinstance(names, dict) or not names:
        errors.append(("invalid_client_name", "clientNameLangMap"))
        return
    if any(lang not in _ISO3_LANGUAGES for lang in names):
        errors.append(("invalid_language_code", "clientNameLangMap"))
    if any(not isinstance(v, str) or not v.strip() for v in names.values()):
        errors.append(("invalid_client_name_value", "clientNameLangMap"))


def check_request_time(wrapper: Any) -> list[tuple[str, str]]:
    """The RequestWrapper's own checks: `requestTime` within two minutes of now
    (`mosip.esignet.reqtime.leeway-minutes`), `request` present."""
    errors = []
    if not isinstance(wrapper, dict):
        return [("invalid_request", "request")]
    leeway = timedelta(
        minutes=properties.integer("mosip.esignet.reqtime.leeway-minutes", 2)
    )
    try:
        moment = envelope.parse_utc_timestamp(wrapper.get("requestTime"))
        if not datetime.now(UTC) - leeway < moment < datetime.now(UTC) + leeway:
            raise ValueError("out of leeway")
    except (TypeError, ValueError):
        errors.append(("invalid_request", "requestTime"))
    if not isinstance(wrapper.get("request"), dict):
        errors.append(("invalid_request", "request"))
    return errors


def _canonical_jwk(public_key: Any) -> str:
    """The client's JWK as e-Signet stores it: an RSA public key, or invalid_public_key."""
    if not isinstance(public_key, dict) or public_key.get("kty") != "RSA":
        raise EsignetError("invalid_public_key")
    if not all(
        isinstance(public_key.get(k), str) and public_key[k] for k in ("n", "e")
    ):
        raise EsignetError("invalid_public_key")
    kept = {
        k: public_key[k]
        for k in ("kty", "kid", "use", "alg", "n", "e")
        if k in public_key
    }
    return json.dumps(kept, sort_keys=True, separators=(",", ":"))


def create(req: dict, *, with_name_map: bool) -> dict:
    """Register a client (v1 `oidc-client`, or v2 `oauth-client` with its names per
    language). ValidationErrors for bean violations, EsignetError otherwise."""
    errors: list[tuple[str, str]] = []
    if not _id_format(req.get("clientId")) or len(str(req.get("clientId"))) > 100:
        errors.append(("invalid_client_id", "clientId"))
    public_key = req.get("publicKey")
    if not isinstance(public_key, dict) or not public_key:
        errors.append(("invalid_public_key", "publicKey"))
    if (
        not _id_format(req.get("relyingPartyId"))
        or len(str(req.get("relyingPartyId"))) > 100
    ):
        errors.append(("invalid_rp_id", "relyingPartyId"))
    _check_common(req, errors, update=False)
    if with_name_map:
        _check_name_map(req, errors)
    if errors:
        raise ValidationErrors(errors)

    store = get_store()
    jwk = _canonical_jwk(public_key)
    name = (
        {**req["clientNameLangMap"], NONE_LANG_KEY: req["clientName"]}
        if with_name_map
        else {NONE_LANG_KEY: req["clientName"]}
    )
    now = envelope.utc_timestamp()
    record = {
        "clientId": req["clientId"],
        "name": name,
        "rpId": req["relyingPartyId"],
        "logoUri": req["logoUri"],
        "redirectUris": [u for u in req["redirectUris"] if u is not None],
        "publicKey": json.loads(jwk),
        "claims": [c for c in req["userClaims"] if c is not None],
        "acrValues": [a for a in req["authContextRefs"] if a is not None],
        "grantTypes": [g for g in req["grantTypes"] if g is not None],
        "clientAuthMethods": [m for m in req["clientAuthMethods"] if m is not None],
        "status": ACTIVE,
        "createdAt": now,
        "updatedAt": None,
    }
    with store.transaction():
        if store.get("esignet_clients", req["clientId"]) is not None:
            raise EsignetError("duplicate_client_id")
        if not store.insert("esignet_client_keys", jwk, {"clientId": req["clientId"]}):
            raise EsignetError("duplicate_public_key")
        store.put("esignet_clients", req["clientId"], record)
    return record


def update(client_id: str, req: dict, *, with_name_map: bool) -> dict:
    errors: list[tuple[str, str]] = []
    _check_common(req, errors, update=True)
    if req.get("status") not in ("ACTIVE", "INACTIVE"):
        errors.append(("invalid_status", "status"))
    if with_name_map:
        _check_name_map(req, errors)
    if errors:
        raise ValidationErrors(errors)
    store = get_store()
    with store.transaction():
        record = store.get("esignet_clients", client_id)
        if record is None:
            raise EsignetError("invalid_client_id")
        record.update(
            name=(
                {**req["clientNameLangMap"], NONE_LANG_KEY: req["clientName"]}
                if with_name_map
                else {NONE_LANG_KEY: req["clientName"]}
            ),
            logoUri=req["logoUri"],
            redirectUris=[u for u in req["redirectUris"] if u is not None],
            claims=[c for c in req["userClaims"] if c is not None],
            acrValues=[a for a in req["authContextRefs"] if a is not None],
            grantTypes=[g for g in req["grantTypes"] if g is not None],
            clientAuthMethods=[m for m in req["clientAuthMethods"] if m is not None],
            status=req["status"],
            updatedAt=envelope.utc_timestamp(),
        )
        store.put("esignet_clients", client_id, record)
    return record


def active(client_id: Any) -> dict:
    """An ACTIVE client, or invalid_client_id (e-Signet's InvalidClientException)."""
    record = (
        get_store().get("esignet_clients", client_id)
        if isinstance(client_id, str)
        else None
    )
    if record is None or record.get("status") != ACTIVE:
        raise EsignetError("invalid_client_id")
    return record


def ant_match(pattern: str, path: str) -> bool:
    """Spring's AntPathMatcher on '/'-separated tokens: `?` one character, `*` any
    characters within a token, `**` any number of tokens."""
    pattern_tokens = [t for t in pattern.split("/") if t]
    path_tokens = [t for t in path.split("/") if t]

    def token_regex(token: str) -> str:
        return "".join(
            "[^/]" if c == "?" else "[^/]*" if c == "*" else re.escape(c) for c in token
        )

    def match(pi: int, si: int) -> bool:
        if pi == len(pattern_tokens):
            return si == len(path_tokens)
        if pattern_tokens[pi] == "**":
            return any(match(pi + 1, k) for k in range(si, len(path_tokens) + 1))
        if si == len(path_tokens):
            return False
        if not re.fullmatch(token_regex(pattern_tokens[pi]), path_tokens[si]):
            return False
        return match(pi + 1, si + 1)

    return (pattern.startswith("/") == path.startswith("/")) and match(0, 0)


def check_redirect_uri(client: dict, redirect_uri: Any) -> None:
    """The requested redirect URI matches one registered (patterns allowed), or
    invalid_redirect_uri."""
    if is_url(redirect_uri) and any(
        is_url(registered) and ant_match(registered, redirect_uri)
        for registered in client["redirectUris"]
    ):
        return
    raise invalid_request("invalid_redirect_uri")
