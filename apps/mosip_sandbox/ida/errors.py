"""IDA's error catalogue and how its refusals reach the caller (docs/mosip/ida.md §6).

The codes, messages and action messages are IDA's `IdAuthenticationErrorConstants`
(the ones the sandbox raises). Two ways a refusal leaves IDA, which the sandbox keeps:

- from its servlet filter (request id/version, signature, decryption, HMAC, partner and
  policy checks): the error is wrapped in "Request could not be processed", which comes
  first in `errors`, followed by the cause, without action messages;
- from the controller (validation, identity, matching): only the innermost error.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    message: str
    action: str | None = None

    def item(self, *args, with_action: bool = True) -> dict:
        """One `errors` entry, the message (and action) formatted with `args`."""
        entry = {"errorCode": self.code, "errorMessage": _format(self.message, args)}
        if with_action and self.action:
            entry["actionMessage"] = _format(self.action, args)
        return entry


def _format(text: str, args: tuple) -> str:
    # Java's String.format ignores surplus arguments; only %s is used by IDA here.
    return text % args[: text.count("%s")] if "%s" in text else text


# OTP
OTP_REQUEST_FLOODED = Code("IDA-OTA-001", "Innumerous OTP requests received")
OTP_GENERATION_FAILED = Code("IDA-OTA-002", "Could not generate/send OTP")
EXPIRED_OTP = Code(
    "IDA-OTA-003",
    "OTP has expired",
    "Please regenerate OTP and try again after sometime",
)
INVALID_OTP = Code("IDA-OTA-004", "OTP is invalid", "Please provide correct OTP value")
INVALID_TXN_ID = Code(
    "IDA-OTA-005", "Input transactionID does not match transactionID of OTP Request"
)
OTP_CHANNEL_NOT_PROVIDED = Code("IDA-OTA-008", "OTP Notification Channel not provided")
OTP_AUTH_IDTYPE_MISMATCH = Code(
    "IDA-OTA-010", "Input Identity Type does not match Identity Type of OTP Request"
)
PARTNER_ID_MISMATCH = Code(
    "IDA-OTA-011", "Input Partner-ID does not match Partner-ID of OTP Request"
)
OTP_REQUEST_REQUIRED = Code(
    "IDA-OTA-012",
    "OTP validation can't be performed against this Individual-ID. Generate OTP first.",
)
OTP_FROZEN = Code(
    "IDA-OTA-013",
    "OTP request/validation has been frozen for the Individual-ID for %s due to "
    "consecutive failure attempts for %s times.",
)

# Common
INVALID_TIMESTAMP = Code(
    "IDA-MLC-001",
    "Request to be received at MOSIP within %s seconds",
    "Please send the request within %s seconds",
)
INVALID_UIN = Code("IDA-MLC-002", "Invalid UIN", "Please retry with the correct UIN")
INVALID_VID = Code("IDA-MLC-004", "Invalid VID", "Please retry with correct VID")
MISSING_INPUT_PARAMETER = Code("IDA-MLC-006", "Missing Input Parameter - %s")
UNABLE_TO_PROCESS = Code(
    "IDA-MLC-007", "Request could not be processed. Please try again"
)
NO_AUTHENTICATION_TYPE_SELECTED = Code("IDA-MLC-008", "No authentication type selected")
INVALID_INPUT_PARAMETER = Code("IDA-MLC-009", "Invalid Input Parameter - %s")
AUTH_TYPE_NOT_SUPPORTED = Code(
    "IDA-MLC-011",
    "Unsupported Authentication Type - %s",
    "Please use other Authentication Types in the request",
)
CONSENT_NOT_AVAILABLE = Code("IDA-MLC-012", "Individual's Consent is not available")
MISSING_AUTHTYPE = Code("IDA-MLC-013", "Missing %s auth attribute")
IDENTITYTYPE_NOT_ALLOWED = Code(
    "IDA-MLC-015", "Identity Type - %s not configured for the country"
)
ID_NOT_AVAILABLE = Code("IDA-MLC-018", "%s not available in database")
UIN_DEACTIVATED_BLOCKED = Code("IDA-MLC-022", "UIN is deactivated/blocked")
VID_EXPIRED_DEACTIVATED_REVOKED = Code("IDA-MLC-023", "VID is expired/deactivated")

# Demographic
DEMOGRAPHIC_DATA_MISMATCH_LANG = Code(
    "IDA-DEA-001",
    "Demographic data %s in %s did not match",
    "Please re-enter your %s in %s",
)
DEMO_DATA_MISMATCH = Code(
    "IDA-DEA-001", "Demographic data %s did not match", "Please re-enter your %s"
)
UNSUPPORTED_LANGUAGE = Code(
    "IDA-DEA-002", "Unsupported Language Code - %s", "Please provide valid Language"
)
DEMO_MISSING = Code("IDA-DEA-003", "Demographic data %s not available in database")
DEMO_MISSING_LANG = Code(
    "IDA-DEA-003", "Demographic data %s in %s not available in database"
)

# Partner, policy and message protection
DSIGN_FALIED = Code("IDA-MPA-001", "Digital signature verification failed for %s")
INVALID_ENCRYPTION = Code("IDA-MPA-003", "Unable to decrypt Request")
OTPREQUEST_NOT_ALLOWED = Code(
    "IDA-MPA-005", "OTP Request Usage not allowed as per policy"
)
AUTHTYPE_NOT_ALLOWED = Code(
    "IDA-MPA-006",
    "%s Authentication usage not allowed as per policy",
    "Please use other Authentication Types in the request",
)
INVALID_LICENSEKEY = Code(
    "IDA-MPA-007", "License key does not belong to a registered MISP"
)
LICENSEKEY_EXPIRED = Code("IDA-MPA-008", "License key of MISP has expired")
PARTNER_NOT_REGISTERED = Code("IDA-MPA-009", "Partner is not registered")
PARTNER_DEACTIVATED = Code("IDA-MPA-012", "Partner is deactivated")
AUTHTYPE_MANDATORY = Code(
    "IDA-MPA-015", "%s-authentiation usage is mandatory as per policy"
)
HMAC_VALIDATION_FAILED = Code("IDA-MPA-016", "HMAC Validation failed")
LICENSEKEY_SUSPENDED = Code("IDA-MPA-017", "License key of MISP is blocked")
INVALID_POLICY_ID = Code(
    "IDA-MPA-018", "Policy ID does not belong to a registered Partner"
)
PARTNER_POLICY_NOT_ACTIVE = Code("IDA-MPA-019", "Partner policy is not active")
PARTNER_CERTIFICATE_NOT_MATCHED = Code(
    "IDA-MPA-021",
    "Partner (Auth) Certificate not matching with signature header certificate.",
)
PARTNER_CERTIFICATE_NOT_FOUND_IN_REQ_HEADER = Code(
    "IDA-MPA-022", "Partner (Auth) Certificate not found in Request signature header."
)
URI_PATH_PARAMS_MISSING = Code(
    "IDA-MPA-038",
    "Required Number of Path parameters are missing in URI",
    "Please try adding all the required path parameters.",
)
PARTNER_API_EXPIRED = Code(
    "IDA-MPA-039", "Partner API is expired or using before Commence Start Date."
)


class IdaRefusal(Exception):
    """A refusal on its way out of IDA: `errors` are the entries as sent, and
    `from_filter` says whether it left through the servlet filter (wrapped in
    UNABLE_TO_PROCESS) or through the controller's exception handler."""

    def __init__(self, *errors: dict, from_filter: bool):
        super().__init__(errors[0]["errorCode"] if errors else "")
        self.errors = list(errors)
        self.from_filter = from_filter

    def entries(self) -> list[dict]:
        if not self.from_filter:
            return self.errors
        # sendErrorResponse wraps any cause in UNABLE_TO_PROCESS; the cause keeps its
        # code and message but loses its action message (docs/mosip/ida.md §6).
        wrapped = [UNABLE_TO_PROCESS.item()]
        for entry in self.errors:
            plain = {k: v for k, v in entry.items() if k != "actionMessage"}
            if plain not in wrapped:
                wrapped.append(plain)
        return wrapped


def filter_refusal(code: Code, *args) -> IdaRefusal:
    return IdaRefusal(code.item(*args, with_action=False), from_filter=True)


def refusal(code: Code, *args) -> IdaRefusal:
    return IdaRefusal(code.item(*args), from_filter=False)
