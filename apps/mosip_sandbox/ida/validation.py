"""The controller-side checks of IDA's requests (AuthRequestValidator,
BaseAuthRequestValidator, OTPRequestValidator, IdAuthValidator; docs/mosip/ida.md
§5.4). Each returns the `errors` entries IDA would send (empty: valid); like IDA's
validators they stop at the first failing group of checks, and the individual id's
own check comes after and adds to them.
"""

import datetime
import re

from apps.mosip_sandbox import mosip_config, partners, uin
from apps.mosip_sandbox.ida import demo, errors

SERVICE = "id-authentication"
_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}:\d{2})$"
)
_TRANSACTION_ID = re.compile(r"^[A-Za-z0-9]{10}$")
OTP_CHANNELS = ("email", "phone", "none")


def _seconds(name: str, default: int) -> int:
    try:
        return int(str(mosip_config.value(SERVICE, name, str(default))).strip())
    except ValueError:
        return default


def parse_time(text) -> datetime.datetime | None:
    """`datetime.pattern` yyyy-MM-dd'T'HH:mm:ss.SSSXXX."""
    found = _TIME.match(text) if isinstance(text, str) else None
    if not found:
        return None
    zone = found.group(8)
    offset = (
        datetime.UTC
        if zone == "Z"
        else datetime.timezone(
            (1 if zone[0] == "+" else -1)
            * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        )
    )
    try:
        parts = [int(found.group(i)) for i in range(1, 7)]
        return datetime.datetime(*parts, int(found.group(7)) * 1000, tzinfo=offset)
    except ValueError:
        return None


def _time_errors(value, param: str, *, attribute: bool) -> list[dict]:
    """Missing (MLC-006), unreadable (MLC-009), more than the adjustment in the future
    or older than allowed + adjustment (MLC-001)."""
    if value in (None, ""):
        return [errors.MISSING_INPUT_PARAMETER.item(param)]
    moment = parse_time(value)
    if moment is None:
        return [errors.INVALID_INPUT_PARAMETER.item(param)]
    allowed = _seconds("authrequest.received-time-allowed.seconds", 30)
    adjustment = _seconds("authrequest.received-time-adjustment.seconds", 30)
    now = datetime.datetime.now(datetime.UTC)
    too_new = moment > now + datetime.timedelta(seconds=adjustment)
    too_old = moment < now - datetime.timedelta(seconds=allowed + adjustment)
    if not (too_new or too_old):
        return []
    entry = errors.INVALID_TIMESTAMP.item(allowed)
    if attribute:
        entry["errorMessage"] += f". Attribute: {param}"
    return [entry]


def _transaction_id_errors(value) -> list[dict]:
    if value in (None, ""):
        return [errors.MISSING_INPUT_PARAMETER.item("transactionID")]
    if not isinstance(value, str) or not _TRANSACTION_ID.match(value):
        return [errors.INVALID_INPUT_PARAMETER.item("transactionID")]
    return []


def _allowed_domain_uris() -> list[str]:
    raw = mosip_config.listed(SERVICE, "mosip.ida.allowed.domain.uris")
    # ${mosip.api.internal.url} is the deployment's own address: here, the sandbox's.
    return [
        item.replace("${mosip.api.internal.url}", partners.public_base_url())
        for item in raw
    ]


def _identity_info_errors(items, attribute: str) -> list[dict]:
    if not isinstance(items, list) or not items:
        return []
    if any(not isinstance(i, dict) or i.get("value") is None for i in items):
        return [errors.MISSING_AUTHTYPE.item("demo")]
    languages = [i.get("language") for i in items]
    if any(not lang for lang in languages):
        return [errors.MISSING_INPUT_PARAMETER.item("LanguageCode")]
    supported = demo.system_languages()
    found = [
        errors.UNSUPPORTED_LANGUAGE.item(f"request : {lang}")
        for lang in dict.fromkeys(languages)
        if lang not in supported
    ]
    if any(languages.count(lang) > 1 for lang in languages):
        found.append(errors.INVALID_INPUT_PARAMETER.item("LanguageCode"))
    return found


def _demo_errors(demographics: dict) -> list[dict]:
    found = []
    for attribute in ("name", "gender"):
        found += _identity_info_errors(demographics.get(attribute), attribute)
    age = demographics.get("age")
    if age not in (None, "") and not re.fullmatch(r"[+-]?\d+", str(age)):
        found.append(errors.INVALID_INPUT_PARAMETER.item("age"))
    return found


def auth_request_errors(body: dict) -> list[dict]:
    """AuthRequestValidator.validate, in its order."""
    if body.get("consentObtained") is not True:
        return [errors.CONSENT_NOT_AVAILABLE.item()]
    request = body.get("request") if isinstance(body.get("request"), dict) else {}
    found = _time_errors(body.get("requestTime"), "requestTime", attribute=True)
    if not found:
        found = _time_errors(
            request.get("timestamp"), "request/timestamp", attribute=True
        )
    if found:
        return found
    domain_uri = body.get("domainUri")
    if domain_uri is not None and str(domain_uri).lower() not in [
        u.lower() for u in _allowed_domain_uris()
    ]:
        return [errors.INVALID_INPUT_PARAMETER.item("request/domainUri")]
    env = body.get("env")
    allowed_envs = mosip_config.listed(SERVICE, "mosip.ida.allowed.enviromemnts")
    if env is not None and str(env).lower() not in [e.lower() for e in allowed_envs]:
        return [errors.INVALID_INPUT_PARAMETER.item("request/env")]
    found = _transaction_id_errors(body.get("transactionID"))
    if found:
        return found
    allowed = mosip_config.listed(SERVICE, "auth.types.allowed")
    demographics = request.get("demographics")
    if not isinstance(demographics, dict):
        demographics = {}
    if demo.requested_attributes(demographics):
        if "demo" not in allowed:
            return [errors.AUTH_TYPE_NOT_SUPPORTED.item("demo")]
        found = _demo_errors(demographics)
    otp_value = request.get("otp")
    if otp_value:
        if "otp" not in allowed:
            return [errors.AUTH_TYPE_NOT_SUPPORTED.item("otp")]
        length = int(mosip_config.value("application", "mosip.kernel.pin.length", "6"))
        if not found and not re.fullmatch(rf"\d{{{length}}}", str(otp_value)):
            found = [errors.INVALID_INPUT_PARAMETER.item("OTP")]
    if found:
        return found
    if not demo.requested_attributes(demographics) and not otp_value:
        return [errors.NO_AUTHENTICATION_TYPE_SELECTED.item()]
    return []


def otp_request_errors(body: dict) -> list[dict]:
    """OTPRequestValidator.validate, in its order."""
    found = _time_errors(body.get("requestTime"), "requestTime", attribute=True)
    found += _transaction_id_errors(body.get("transactionID"))
    if found:
        return found
    if not body.get("id"):
        return [errors.MISSING_INPUT_PARAMETER.item("id")]
    channels = body.get("otpChannel")
    if not isinstance(channels, list) or not channels or not channels[0]:
        return [errors.OTP_CHANNEL_NOT_PROVIDED.item()]
    unknown = [str(c) for c in channels if str(c).lower() not in OTP_CHANNELS]
    if unknown:
        return [
            errors.INVALID_INPUT_PARAMETER.item("otpChannel - " + ",".join(unknown))
        ]
    return []


def derive_id_type(individual_id) -> str:
    """IdTypeUtil.getIdType: a valid UIN, else a valid VID; else IDA-MLC-009."""
    if isinstance(individual_id, str):
        if len(individual_id) == uin.UIN_LENGTH and uin.verhoeff_is_valid(
            individual_id
        ):
            return "UIN"
        if len(individual_id) == uin.VID_LENGTH and uin.verhoeff_is_valid(
            individual_id
        ):
            return "VID"
    raise errors.refusal(errors.INVALID_INPUT_PARAMETER, "individualId")


def individual_id_errors(individual_id, id_type: str, field: str) -> list[dict]:
    """IdAuthValidator.validateIdvId: length and Verhoeff check digit only."""
    if not isinstance(individual_id, str) or not individual_id.strip():
        return [errors.MISSING_INPUT_PARAMETER.item(field)]
    allowed = mosip_config.listed(SERVICE, "request.idtypes.allowed")
    known = ("UIN", "VID", "HANDLE")
    if id_type.upper() not in [a.upper() for a in allowed]:
        if id_type in known:
            return [errors.IDENTITYTYPE_NOT_ALLOWED.item(id_type)]
        return [errors.INVALID_INPUT_PARAMETER.item("individualIdType")]
    if id_type not in known:
        return [errors.INVALID_INPUT_PARAMETER.item("individualIdType")]
    lengths = {"UIN": uin.UIN_LENGTH, "VID": uin.VID_LENGTH}
    if id_type in lengths and not (
        len(individual_id) == lengths[id_type] and uin.verhoeff_is_valid(individual_id)
    ):
        code = errors.INVALID_UIN if id_type == "UIN" else errors.INVALID_VID
        return [code.item()]
    return []
