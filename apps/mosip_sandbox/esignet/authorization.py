"""e-Signet's authorization transaction, from the authorize request to the code
(docs/mosip/esignet.md §4): oauth-details (validate and start), send-otp,
authenticate, auth-code, each as e-Signet's AuthorizationServiceImpl does it.

Collection `esignet_transactions`, key = transaction id: the transaction with its
`stage` (preauth, authenticated, coded, used) and `expiresAt`, each stage living as
long as the e-Signet cache that holds it. `esignet_codes`, key = SHA3-256 of a code:
the transaction id and expiry. `esignet_blocked`, key = hash of an individual id."""

import base64
import hashlib
import json
import secrets
import time
from typing import Any

from apps.mosip_sandbox.esignet import clients, identity_provider, properties
from apps.mosip_sandbox.esignet.responses import EsignetError, invalid_request
from apps.mosip_sandbox.store import get_store

OPENID = "openid"
OTP_FACTOR = "OTP"


def key_hash(value: str) -> str:
    """e-Signet's cache key for codes and ids: base64url SHA3-256, unpadded."""
    digest = hashlib.sha3_256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _split(value: Any) -> list[str]:
    return [] if not isinstance(value, str) else [v.strip() for v in value.split(" ")]


def _check_scope(scope: Any) -> bool:
    """OIDCScopeValidator: one known scope at least; credential scopes alone; any
    openid scope (profile, email, phone) needs `openid` too."""
    if not isinstance(scope, str) or not scope.strip():
        return False
    scopes = _split(scope)
    authorize = properties.inline("mosip.esignet.supported.authorize.scopes") or []
    openid_scopes = properties.inline("mosip.esignet.supported.openid.scopes") or []
    credential = properties.inline("mosip.esignet.supported.credential.scopes") or []
    has_openid = OPENID in scopes
    authorized = [s for s in scopes if s in authorize]
    openids = [s for s in scopes if s in openid_scopes or s == OPENID]
    credentials = [s for s in scopes if s in credential]
    if not (has_openid or authorized or openids or credentials):
        return False
    if credentials and (has_openid or authorized or openids):
        return False
    return not ([s for s in openids if s != OPENID] and not has_openid)


def validate_request(params: dict[str, Any]) -> None:
    """The bean validation of OAuthDetailRequestV2, in field order."""
    if not isinstance(params.get("client_id"), str) or not params["client_id"].strip():
        raise EsignetError("invalid_client_id")
    if not _check_scope(params.get("scope")):
        raise EsignetError("invalid_scope")
    if params.get("response_type") not in (
        properties.inline("mosip.esignet.supported.response.types") or []
    ):
        raise EsignetError("invalid_response_type")
    if not clients.is_url(params.get("redirect_uri")):
        raise EsignetError("invalid_redirect_uri")
    display = params.get("display")
    if display is not None and display not in (
        properties.inline("mosip.esignet.supported.ui.displays") or []
    ):
        raise EsignetError("invalid_display")
    prompt = params.get("prompt")
    if prompt is not None and prompt not in (
        properties.inline("mosip.esignet.supported.ui.prompts") or []
    ):
        raise EsignetError("invalid_prompt")
    challenge, method = (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    )
    if bool(challenge) != bool(method):
        raise EsignetError("invalid_pkce_challenge")
    if method is not None and method not in (
        properties.inline("mosip.esignet.supported-pkce-methods") or []
    ):
        raise EsignetError("unsupported_pkce_challenge_method")


def _parse_claims(raw_claims: Any) -> dict:
    if raw_claims in (None, ""):
        return {}
    try:
        claims = json.loads(raw_claims) if isinstance(raw_claims, str) else raw_claims
    except ValueError as exc:
        # The UI cannot send an unreadable claims object: Spring fails to read it.
        raise EsignetError("unknown_error") from exc
    if not isinstance(claims, dict):
        raise EsignetError("unknown_error")
    return claims


def _resolve_acrs(registered: list[str], acr_values: Any, claims: dict) -> list[str]:
    """The claims parameter's acr values first, then acr_values, each kept only when
    registered; the registered ones otherwise."""
    if not registered:
        raise EsignetError("no_acr_registered")
    requested = ((claims.get("id_token") or {}).get("acr") or {}).get("values")
    if isinstance(requested, list):
        kept = [a for a in requested if a in registered]
        if kept:
            return kept
    kept = [a for a in _split(acr_values) if a in registered]
    return kept or list(registered)


def auth_factors(acrs: list[str]) -> list[list[dict]]:
    mapping = properties.amr_acr_mapping()
    result = []
    for acr in acrs:
        for amr in mapping.get("acr_amr", {}).get(acr, []):
            if amr in mapping.get("amr", {}):
                result.append(mapping["amr"][amr])
    return result


def acrs_for(factor_types: list[str]) -> list[str]:
    """The ACRs whose every AMR the provided factor types satisfy (getACRs)."""
    mapping = properties.amr_acr_mapping()
    amrs = [
        name
        for name, factors in mapping.get("amr", {}).items()
        if all(f.get("type") in factor_types for f in factors)
    ]
    return [
        acr
        for acr, needed in mapping.get("acr_amr", {}).items()
        if all(amr in amrs for amr in needed)
    ]


def _requested_claims(scope: str, claims: dict, client: dict) -> dict[str, Any]:
    scopes = _split(scope)
    userinfo = claims.get("userinfo")
    if isinstance(userinfo, dict) and OPENID not in scopes:
        raise EsignetError("invalid_scope")
    scope_claims = properties.inline("mosip.esignet.openid.scope.claims") or {}
    from_scope = [c for s in scopes for c in scope_claims.get(s, [])]
    resolved: dict[str, Any] = {}
    for name in client.get("claims") or []:
        if isinstance(userinfo, dict) and name in userinfo:
            resolved[name] = userinfo[name]
        elif name in from_scope:
            resolved[name] = None
    return resolved


def _auth_transaction_id(transaction_id: str) -> str:
    """The id e-Signet sends the identity system: the transaction id without `_`
    and `-`, read backwards and wrapped to `mosip.esignet.auth-txn-id-length`."""
    length = properties.integer("mosip.esignet.auth-txn-id-length", 10)
    chars = transaction_id.replace("_", "").replace("-", "")
    return "".join(chars[len(chars) - 1 - (i % len(chars))] for i in range(length))


def start(params: dict[str, Any]) -> dict:
    """oauth-details v2: a new transaction for a valid authorize request."""
    validate_request(params)
    client = clients.active(params["client_id"])
    clients.check_redirect_uri(client, params["redirect_uri"])
    claims = _parse_claims(params.get("claims"))
    userinfo_claims = _requested_claims(params["scope"], claims, client)
    acrs = _resolve_acrs(
        client.get("acrValues") or [], params.get("acr_values"), claims
    )
    challenge = params.get("code_challenge")
    if challenge is not None and not challenge.strip():
        raise EsignetError("invalid_pkce_challenge")
    essential = [
        n
        for n, d in userinfo_claims.items()
        if isinstance(d, dict) and d.get("essential")
    ]
    transaction_id = key_hash(secrets.token_hex(16) + str(params.get("nonce")))
    transaction = {
        "transactionId": transaction_id,
        "authTransactionId": _auth_transaction_id(transaction_id),
        "clientId": client["clientId"],
        "clientName": client["name"],
        "rpId": client["rpId"],
        "redirectUri": params["redirect_uri"],
        "nonce": params.get("nonce"),
        "state": params.get("state"),
        "claimsLocales": [c for c in _split(params.get("claims_locales"))],
        "acrs": acrs,
        "authFactors": auth_factors(acrs),
        "essentialClaims": essential,
        "voluntaryClaims": [n for n in userinfo_claims if n not in essential],
        "codeChallenge": challenge,
        "codeChallengeMethod": params.get("code_challenge_method")
        if challenge
        else None,
        "stage": "preauth",
        "attempts": {"send-otp": 0, "authenticate": 0},
        "expiresAt": time.time() + properties.expiry_seconds("preauth"),
    }
    get_store().put("esignet_transactions", transaction_id, transaction)
    return transaction


def _transaction(transaction_id: Any, stage: str) -> dict:
    found = (
        get_store().get("esignet_transactions", transaction_id)
        if isinstance(transaction_id, str)
        else None
    )
    if found is None or found["stage"] != stage or time.time() > found["expiresAt"]:
        raise EsignetError("invalid_transaction")
    return found


def _count_attempt(transaction: dict, api: str, individual_id: str) -> None:
    """HeaderValidationFilter's limit: past `mosip.esignet.<api>.attempts` calls in
    one transaction the individual is blocked for the `blocked` cache's lifetime."""
    store = get_store()
    transaction["attempts"][api] += 1
    store.put("esignet_transactions", transaction["transactionId"], transaction)
    if transaction["attempts"][api] > properties.integer(
        f"mosip.esignet.{api}.attempts", 3
    ):
        store.put(
            "esignet_blocked",
            key_hash(individual_id),
            {"until": time.time() + properties.expiry_seconds("blocked")},
        )
        raise EsignetError("no_attempts_left")


def _check_not_blocked(individual_id: str) -> None:
    blocked = get_store().get("esignet_blocked", key_hash(individual_id))
    if blocked and time.time() < blocked["until"]:
        raise EsignetError("individual_id_blocked")


def send_otp(transaction_id: str, individual_id: str, channels: list[str]) -> dict:
    transaction = _transaction(transaction_id, "preauth")
    if not individual_id:
        raise EsignetError("invalid_identifier")
    allowed = properties.listed("mosip.esignet.authenticator.ida.otp-channels")
    if not channels or any(c.lower() not in allowed for c in channels):
        raise EsignetError("invalid_otp_channel")
    _count_attempt(transaction, "send-otp", individual_id)
    _check_not_blocked(individual_id)
    try:
        return identity_provider.send_otp(
            individual_id, channels, transaction["authTransactionId"]
        )
    except identity_provider.IdaError as exc:
        raise EsignetError(exc.code) from exc


def authenticate(transaction_id: str, individual_id: str, otp: str) -> dict:
    transaction = _transaction(transaction_id, "preauth")
    if not individual_id:
        raise EsignetError("invalid_identifier")
    _count_attempt(transaction, "authenticate", individual_id)
    _check_not_blocked(individual_id)
    otp_min = properties.integer("mosip.esignet.auth-challenge.OTP.min-length", 6)
    otp_max = properties.integer("mosip.esignet.auth-challenge.OTP.max-length", 6)
    if (
        not isinstance(otp, str)
        or not otp.isalnum()
        or not otp_min <= len(otp) <= otp_max
    ):
        raise EsignetError("invalid_challenge_format")
    if not any(
        all(f.get("type") == OTP_FACTOR for f in factors)
        for factors in transaction["authFactors"]
    ):
        raise EsignetError("auth_factor_mismatch")
    try:
        kyc_token, psut = identity_provider.kyc_auth(
            individual_id,
            otp,
            transaction["authTransactionId"],
            transaction["rpId"],
            transaction["clientId"],
        )
    except identity_provider.IdaError as exc:
        raise EsignetError(exc.code) from exc
    transaction.update(
        stage="authenticated",
        kycToken=kyc_token,
        psut=psut,
        individualId=individual_id,
        authTime=int(time.time()),
        providedAuthFactors=[OTP_FACTOR],
        expiresAt=time.time() + properties.expiry_seconds("authenticated"),
    )
    get_store().put("esignet_transactions", transaction_id, transaction)
    return transaction


def issue_code(transaction_id: str, accepted_claims: list[str]) -> tuple[dict, str]:
    """auth-code: the consented claims checked, a single-use code issued."""
    transaction = _transaction(transaction_id, "authenticated")
    requested = transaction["essentialClaims"] + transaction["voluntaryClaims"]
    if any(c not in accepted_claims for c in transaction["essentialClaims"]) or any(
        c not in requested for c in accepted_claims
    ):
        raise EsignetError("invalid_accepted_claim")
    code = key_hash(secrets.token_hex(16))
    expires = time.time() + properties.expiry_seconds("authcodegenerated")
    transaction.update(
        stage="coded",
        acceptedClaims=list(accepted_claims),
        codeHash=key_hash(code),
        expiresAt=expires,
    )
    store = get_store()
    with store.transaction():
        store.put("esignet_transactions", transaction_id, transaction)
        store.put("esignet_codes", key_hash(code), {"transactionId": transaction_id})
    return transaction, code


def redeem_code(code: Any) -> dict:
    """The coded transaction of a code still valid, or invalid_transaction."""
    if not isinstance(code, str):
        raise invalid_request("invalid_transaction")
    entry = get_store().get("esignet_codes", key_hash(code))
    found = (
        get_store().get("esignet_transactions", entry["transactionId"])
        if entry
        else None
    )
    if found is None or found["stage"] != "coded" or time.time() > found["expiresAt"]:
        raise invalid_request("invalid_transaction")
    return found


def finish(transaction: dict) -> None:
    """The code is spent: e-Signet evicts it once tokens are issued."""
    store = get_store()
    with store.transaction():
        store.delete("esignet_codes", transaction["codeHash"])
        store.put("esignet_transactions", transaction["transactionId"], transaction)
