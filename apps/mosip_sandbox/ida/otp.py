"""OTPs: generating one for an individual, and checking one in an authentication
(IDA OTPServiceImpl, OTPManager, OTPAuthServiceImpl; docs/mosip/ida.md §5.3).

Generation: the identity must have a phone or an e-mail for the channels asked
(IDA-OTA-002); a frozen individual is refused (IDA-OTA-013); more than
`otp.request.flooding.max-count` requests within `otp.request.flooding.duration`
minutes is IDA-OTA-001. The OTP (`mosip.kernel.otp.default-length` digits) is bound
to the individual id and the request's `transactionID` and lasts
`mosip.kernel.otp.expiry-time` seconds. A later request replaces an unused one.

Delivery: MOSIP sends it by SMS or e-mail through kernel notification; the sandbox
keeps it in an outbox the developer and tests read (`GET /sandbox/api/ida/otps`).

Checking: the authentication's `transactionID` must be that of an OTP request
(IDA-OTA-005) for the same kind of id (IDA-OTA-010), the same identity (IDA-OTA-005)
and the same partner (IDA-OTA-011); then the OTP itself: none generated IDA-OTA-012,
frozen IDA-OTA-013, wrong IDA-OTA-004 (the `mosip.ida.otp.validation.attempt.count
.threshold`th wrong one freezes it for `mosip.ida.otp.frozen.duration.minutes`),
right but expired IDA-OTA-003. A right OTP is used up.
"""

import datetime
import secrets

from apps.mosip_sandbox import envelope, mosip_config
from apps.mosip_sandbox.ida import errors
from apps.mosip_sandbox.store import get_store

SERVICE = "id-authentication"
OTPS = "ida_otp_transactions"
REQUESTS = "ida_otp_requests"
OUTBOX = "ida_otp_outbox"
SPLITTER = "#KEY_SPLITTER#"
ACTIVE, FROZEN, UNFROZEN, USED = "active", "frozen", "unfrozen", "used"


def _int(service: str, name: str, default: int) -> int:
    try:
        return int(str(mosip_config.value(service, name, str(default))).strip())
    except ValueError:
        return default


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _hash(text: str) -> str:
    # OTPManager stores IdAuthSecurityManager.digestAsPlainText of the key: upper-case
    # hex of its bytes.
    return text.encode().hex().upper()


def _frozen_refusal() -> errors.IdaRefusal:
    minutes = _int(SERVICE, "mosip.ida.otp.frozen.duration.minutes", 30)
    attempts = _int(SERVICE, "mosip.ida.otp.validation.attempt.count.threshold", 5)
    # IDA formats the minutes with the word "seconds".
    return errors.refusal(errors.OTP_FROZEN, f"{minutes} seconds", attempts)


def _require_not_frozen(entry: dict) -> dict:
    if entry["status"] != FROZEN:
        return entry
    minutes = _int(SERVICE, "mosip.ida.otp.frozen.duration.minutes", 30)
    since = datetime.datetime.fromisoformat(entry["updatedAt"])
    if _now() <= since + datetime.timedelta(minutes=minutes):
        raise _frozen_refusal()
    return {**entry, "status": UNFROZEN}


def mask_mobile(phone: str) -> str:
    return "X" * (len(phone) // 2 + 1) + phone[len(phone) // 2 + 1 :]


def mask_email(email: str) -> str:
    local = email.split("@")[0]
    chars = list(email)
    for position in range(1, len(local) + 1):
        if position % 3:
            chars[position - 1] = "X"
    return "".join(chars)


def flooded(token: str) -> bool:
    window = datetime.timedelta(
        minutes=_int(SERVICE, "otp.request.flooding.duration", 1)
    )
    limit = _int(SERVICE, "otp.request.flooding.max-count", 100)
    since = (_now() - window).isoformat()
    recent = [
        r for r in get_store().find(REQUESTS, token=token) if r["requestedAt"] >= since
    ]
    return len(recent) >= limit


def generate(
    *,
    individual_id: str,
    id_type: str,
    transaction_id: str,
    partner_id: str,
    token: str,
    channels: list[str],
    phone: str,
    email: str,
) -> dict:
    """Make, keep and deliver an OTP; answers the masked phone and e-mail."""
    wanted = {c.lower() for c in channels}
    if not phone and not email and {"phone", "email"} <= wanted:
        raise _generation_failed(
            "Both Phone Number and Email ID are not found in identity data."
        )
    if not phone and "phone" in wanted and "email" not in wanted:
        raise _generation_failed("Phone Number is not found in identity data.")
    if not email and "email" in wanted and "phone" not in wanted:
        raise _generation_failed("Email ID is not found in identity data.")
    store = get_store()
    with store.transaction():
        previous = store.get(OTPS, individual_id)
        if previous is not None and previous["status"] in (ACTIVE, FROZEN):
            _require_not_frozen(previous)
        length = _int("application", "mosip.kernel.otp.default-length", 6)
        code = f"{secrets.randbelow(10**length):0{length}d}"
        now = _now()
        expires = now + datetime.timedelta(
            seconds=_int("application", "mosip.kernel.otp.expiry-time", 180)
        )
        store.put(
            OTPS,
            individual_id,
            {
                "otpHash": _hash(SPLITTER.join((individual_id, transaction_id, code))),
                "status": ACTIVE, "retryCount": 0, "generatedAt": now.isoformat(),
                "expiresAt": expires.isoformat(), "updatedAt": now.isoformat(),
            },
        )  # fmt: skip
        store.append(
            REQUESTS,
            {
                "transactionID": transaction_id, "idType": id_type, "token": token,
                "partnerId": partner_id, "requestedAt": now.isoformat(),
            },
        )  # fmt: skip
    masked = {
        "maskedMobile": mask_mobile(phone) if phone and "phone" in wanted else None,
        "maskedEmail": mask_email(email) if email and "email" in wanted else None,
    }
    store.append(
        OUTBOX,
        {
            "individualId": individual_id, "individualIdType": id_type,
            "transactionID": transaction_id, "partnerId": partner_id, "otp": code,
            "channels": sorted(wanted), "phone": phone if "phone" in wanted else None,
            "email": email if "email" in wanted else None,
            "sentAt": envelope.utc_timestamp(now),
            "expiresAt": envelope.utc_timestamp(expires),
        },
    )  # fmt: skip
    return masked


def _generation_failed(detail: str) -> errors.IdaRefusal:
    code = errors.OTP_GENERATION_FAILED
    return errors.IdaRefusal(
        {"errorCode": code.code, "errorMessage": f"{code.message}. {detail}"},
        from_filter=False,
    )


def check_transaction(transaction_id: str, id_type: str, token: str, partner_id: str):
    """OTPAuthServiceImpl.validateTxnAndIdvidPartner."""
    found = get_store().find(REQUESTS, transactionID=transaction_id)
    if not found:
        raise errors.refusal(errors.INVALID_TXN_ID)
    latest = found[-1]
    if latest["idType"] != id_type:
        raise errors.refusal(errors.OTP_AUTH_IDTYPE_MISMATCH)
    if latest["token"] != token:
        raise errors.refusal(errors.INVALID_TXN_ID)
    if latest["partnerId"] != partner_id:
        raise errors.refusal(errors.PARTNER_ID_MISMATCH)


def validate(otp_value: str, individual_id: str, transaction_id: str) -> bool:
    """OTPManager.validateOtp: True when right; False counts a wrong attempt. What
    it stores is kept even when it then refuses, as MOSIP saves before throwing."""
    store = get_store()
    with store.transaction():
        outcome = _check_and_record(store, otp_value, individual_id, transaction_id)
    if outcome == "required":
        raise errors.refusal(errors.OTP_REQUEST_REQUIRED)
    if outcome == "frozen":
        raise _frozen_refusal()
    if outcome == "expired":
        raise errors.refusal(errors.EXPIRED_OTP)
    return outcome == "right"


def _check_and_record(store, otp_value, individual_id, transaction_id) -> str:
    entry = store.get(OTPS, individual_id)
    if entry is None or entry["status"] not in (ACTIVE, FROZEN):
        return "required"
    now = _now().isoformat()
    if entry["status"] == FROZEN:
        try:
            _require_not_frozen(entry)
        except errors.IdaRefusal:
            return "frozen"
        store.put(OTPS, individual_id, {**entry, "status": UNFROZEN})
        return "required"
    key = SPLITTER.join((individual_id, transaction_id))
    if entry["otpHash"] == _hash(f"{key}{SPLITTER}{otp_value}"):
        store.put(OTPS, individual_id, {**entry, "status": USED, "updatedAt": now})
        return "expired" if entry["expiresAt"] <= now else "right"
    attempts = entry["retryCount"] + 1
    threshold = _int(SERVICE, "mosip.ida.otp.validation.attempt.count.threshold", 5)
    frozen = attempts >= threshold
    store.put(
        OTPS,
        individual_id,
        {**entry, "retryCount": attempts, "updatedAt": now,
         "status": FROZEN if frozen else entry["status"]},
    )  # fmt: skip
    return "frozen" if frozen else "wrong"


def sent(individual_id: str | None = None) -> list[dict]:
    """The outbox, oldest first (optionally for one individual id)."""
    if individual_id:
        return get_store().find(OUTBOX, individualId=individual_id)
    return get_store().all(OUTBOX)
