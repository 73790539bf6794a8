"""The identity system behind e-Signet: what MOSIP IDA 1.2.0.1 answers to e-Signet's
IDA plugin (OTP, KYC auth, KYC exchange), over the sandbox's own identities
(docs/mosip/esignet.md §6). Errors carry IDA's codes, which e-Signet passes on.

Collections: `esignet_otps` (key: individual id + auth transaction id) {otp,
expiresAt}; `esignet_kyc_tokens` (key: KYC token) {psut, uin, individualId, clientId,
authTransactionId, status}; `esignet_otp_log` (appended) what was "sent", for the
sandbox's test API."""

import hashlib
import secrets
import time
from typing import Any

from apps.mosip_sandbox import envelope, identity, mosip_config
from apps.mosip_sandbox.esignet import keys
from apps.mosip_sandbox.store import get_store

# Deployment secrets of keymanager's token-id generator (not in mosip-config).
_UIN_SALT = "sandbox-tokenid-uin-salt"
_PARTNER_CODE_SALT = "sandbox-tokenid-partnercode-salt"
_TOKEN_ID_LENGTH = 36
# identity-mapping.json: OIDC claim to ID schema field, for the claims modelled here.
CLAIM_FIELDS = {
    "name": "fullName",
    "gender": "gender",
    "birthdate": "dateOfBirth",
    "phone_number": "phone",
    "email": "email",
}
INDIVIDUAL_ID_CLAIM = "individual_id"


class IdaError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _resolve(individual_id: str) -> tuple[str, dict]:
    """(UIN, record) of a UIN or VID; IDA's errors for unknown or deactivated ids."""
    record = identity.get(individual_id)
    if record is not None:
        if record.get("status") != identity.ACTIVATED:
            raise IdaError("IDA-MLC-022")
        return individual_id, record
    vid = get_store().get("vids", individual_id) if individual_id else None
    if vid is None:
        raise IdaError("IDA-MLC-018")
    record = identity.get(vid["UIN"])
    if record is None or record.get("status") != identity.ACTIVATED:
        raise IdaError("IDA-MLC-023")
    return vid["UIN"], record


def partner_specific_user_token(uin: str, partner_code: str) -> str:
    """keymanager's token id: digits of two chained SHA-256 hex digests."""
    uin_hash = hashlib.sha256((uin + _UIN_SALT).encode()).hexdigest().upper()
    digest = hashlib.sha256((_PARTNER_CODE_SALT + partner_code + uin_hash).encode())
    return str(int.from_bytes(digest.hexdigest().upper().encode(), "big"))[
        :_TOKEN_ID_LENGTH
    ]


def _contact(record: dict, field: str) -> str | None:
    value = record["identity"].get(field)
    return value if isinstance(value, str) and value.strip() else None


def _mask_phone(phone: str) -> str:
    return "X" * max(len(phone) - 4, 0) + phone[-4:]


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    masked = "".join(c if i % 3 == 2 else "X" for i, c in enumerate(local))
    return f"{masked}@{domain}"


def send_otp(individual_id: str, channels: list[str], auth_txn_id: str) -> dict:
    """Generate an OTP for the identity and "send" it; the masked contacts."""
    uin, record = _resolve(individual_id)
    phone, email = _contact(record, "phone"), _contact(record, "email")
    wanted = {c.lower() for c in channels}
    if not (phone and "phone" in wanted) and not (email and "email" in wanted):
        raise IdaError("IDA-OTA-002")
    length = int(
        mosip_config.value("application", "mosip.kernel.otp.default-length", "6")
    )
    expiry = int(
        mosip_config.value("application", "mosip.kernel.otp.expiry-time", "180")
    )
    otp = "".join(secrets.choice("0123456789") for _ in range(length))
    store = get_store()
    store.put(
        "esignet_otps",
        f"{individual_id}:{auth_txn_id}",
        {"otp": otp, "expiresAt": time.time() + expiry},
    )
    store.append(
        "esignet_otp_log",
        {
            "individualId": individual_id,
            "otp": otp,
            "channels": sorted(wanted & {"phone", "email"}),
            "sentAt": envelope.utc_timestamp(),
        },
    )
    return {
        "maskedMobile": _mask_phone(phone) if phone and "phone" in wanted else None,
        "maskedEmail": _mask_email(email) if email and "email" in wanted else None,
    }


def kyc_auth(
    individual_id: str, otp: str, auth_txn_id: str, partner_id: str, client_id: str
) -> tuple[str, str]:
    """(KYC token, partner-specific user token) for a correct OTP."""
    uin, _ = _resolve(individual_id)
    store = get_store()
    key = f"{individual_id}:{auth_txn_id}"
    with store.transaction():
        sent = store.get("esignet_otps", key)
        if sent is None or not secrets.compare_digest(sent["otp"], str(otp)):
            raise IdaError("IDA-OTA-004")
        # The kernel's OTP is used up once validated, or once expired.
        store.delete("esignet_otps", key)
        if time.time() > sent["expiresAt"]:
            raise IdaError("IDA-OTA-003")
        kyc_token = secrets.token_urlsafe(32)
        psut = partner_specific_user_token(uin, partner_id)
        store.put(
            "esignet_kyc_tokens",
            kyc_token,
            {
                "psut": psut,
                "uin": uin,
                "individualId": individual_id,
                "clientId": client_id,
                "authTransactionId": auth_txn_id,
                "status": "ACTIVE",
            },
        )
    return kyc_token, psut


def _claim_values(field_value: Any, locales: dict[str, str], claim: str) -> dict:
    """IDA's per-language rule for a one-field claim: one language available gives
    `claim`, several give `claim#xx` each, none gives the first value."""
    if isinstance(field_value, str):
        return {claim: field_value}
    if not isinstance(field_value, list) or not field_value:
        return {}
    by_code = {
        str(item.get("language"))[:2]: item.get("value")
        for item in field_value
        if isinstance(item, dict) and item.get("language")
    }
    available = [code for code in locales.values() if code in by_code]
    if len(available) == 1:
        return {claim: by_code[available[0]]}
    if available:
        return {f"{claim}#{code}": by_code[code] for code in available}
    first = field_value[0]
    return {claim: first.get("value") if isinstance(first, dict) else first}


def kyc_exchange(
    kyc_token: str,
    individual_id: str,
    client_id: str,
    accepted_claims: list[str],
    claims_locales: list[str],
) -> dict[str, Any]:
    """The consented claims of the identity, `sub` being the partner-specific user
    token; not yet signed."""
    store = get_store()
    with store.transaction():
        token = store.get("esignet_kyc_tokens", kyc_token)
        if token is None:
            raise IdaError("IDA-KYE-001")
        if token["status"] != "ACTIVE":
            raise IdaError("IDA-KYE-003")
        if token["clientId"] != client_id:
            raise IdaError("IDA-KYE-004")
        store.put("esignet_kyc_tokens", kyc_token, {**token, "status": "PROCESSED"})
    uin, record = _resolve(token["uin"])
    locales = claims_locales or [
        mosip_config.value(
            "id-authentication", "mosip.ida.kyc.exchange.default.lang", "eng"
        )
        if "id-authentication" in mosip_config.SERVICES
        else "eng"
    ]
    mapped = {locale: locale[:2] for locale in locales if locale.strip()}
    claims: dict[str, Any] = {"sub": token["psut"]}
    for claim in accepted_claims or ["sub"]:
        if claim == "sub":
            continue
        if claim == INDIVIDUAL_ID_CLAIM:
            claims[claim] = individual_id
            continue
        field = CLAIM_FIELDS.get(claim)
        if field is None or not mapped:
            continue
        claims.update(_claim_values(record["identity"].get(field), mapped, claim))
    return claims


def sign_claims(claims: dict[str, Any], signer: str = keys.IDA_KYC_EXCHANGE) -> str:
    return keys.sign(signer, claims, kid_of=keys.IDA_KYC_EXCHANGE)
