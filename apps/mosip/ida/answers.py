"""IDA's answers as the portal reads them: one outcome per authentication, from
`authStatus` and the error codes (docs/mosip/ida.md §6; the codes are IDA core's
IdAuthenticationErrorConstants)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    VERIFIED = "verified"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"
    DEACTIVATED = "deactivated"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"


class Problem(StrEnum):
    """What to fix when IDA refused the request itself (Outcome.REFUSED)."""

    NOT_SET_UP = "not_set_up"  # no authentication partner onboarded
    LICENCE = "licence"  # the MISP licence key
    API_KEY = "api_key"  # the partner's API key or the partner itself
    POLICY = "policy"  # the partner's auth policy
    PARTNER_CERTIFICATE = "partner_certificate"  # the request's signature
    IDA_CERTIFICATE = "ida_certificate"  # IDA's encryption certificate
    RESPONSE_SIGNATURE = "response_signature"  # IDA's answer not signed as published
    CLOCK = "clock"  # requestTime outside IDA's window
    REQUEST = "request"  # a field IDA does not accept
    BAD_RESPONSE = "bad_response"  # not IDA's answer (wrong URL, another service)


# The filter wraps its cause in IDA-MLC-007 (§6): the cause is the code that counts.
WRAPPER = "IDA-MLC-007"
DEACTIVATED_CODES = frozenset(
    {"IDA-MLC-003", "IDA-MLC-005", "IDA-MLC-010", "IDA-MLC-022", "IDA-MLC-023"}
)
NOT_FOUND_CODES = frozenset({"IDA-MLC-018"})
# The id itself is not one IDA takes (IDA's UIN and VID validators).
INVALID_ID_CODES = frozenset({"IDA-MLC-002", "IDA-MLC-004"})
MISMATCH_CODE = "IDA-DEA-001"
NOT_HELD_CODE = "IDA-DEA-003"
PROBLEMS = {
    "IDA-MPA-007": Problem.LICENCE,
    "IDA-MPA-008": Problem.LICENCE,
    "IDA-MPA-017": Problem.LICENCE,
    "IDA-MPA-010": Problem.LICENCE,
    "PMS_PMP_020": Problem.LICENCE,
    "IDA-MPA-009": Problem.API_KEY,
    "IDA-MPA-012": Problem.API_KEY,
    "IDA-MPA-039": Problem.API_KEY,
    "PMS_PMP_016": Problem.API_KEY,
    "IDA-MPA-005": Problem.POLICY,
    "IDA-MPA-006": Problem.POLICY,
    "IDA-MPA-014": Problem.POLICY,
    "IDA-MPA-015": Problem.POLICY,
    "IDA-MPA-018": Problem.POLICY,
    "IDA-MPA-019": Problem.POLICY,
    "PMS_PMP_017": Problem.POLICY,
    "IDA-MPA-001": Problem.PARTNER_CERTIFICATE,
    "IDA-MPA-002": Problem.PARTNER_CERTIFICATE,
    "IDA-MPA-020": Problem.PARTNER_CERTIFICATE,
    "IDA-MPA-021": Problem.PARTNER_CERTIFICATE,
    "IDA-MPA-022": Problem.PARTNER_CERTIFICATE,
    "IDA-MPA-003": Problem.IDA_CERTIFICATE,
    "IDA-MPA-004": Problem.IDA_CERTIFICATE,
    "IDA-MPA-016": Problem.IDA_CERTIFICATE,
    "IDA-MLC-001": Problem.CLOCK,
}
# "Demographic data name in eng did not match", "Demographic data dob did not match",
# "Demographic data name in fra not available in database" (§5.2).
_DEMOGRAPHIC = re.compile(r"Demographic data (?P<attribute>\w+)(?: in (?P<lang>\w+))?")


@dataclass(frozen=True)
class Mismatch:
    """One attribute IDA did not match: `language` for names and gender; `held`
    False when MOSIP holds no value for it in that language (IDA-DEA-003)."""

    attribute: str
    language: str = ""
    held: bool = True


@dataclass(frozen=True)
class IdaAnswer:
    """What one authentication came to. `signed`: the answer carried IDA's
    signature and it verified (never True for UNREACHABLE). `auth_token` is IDA's
    token for a verified authentication; `problem` and `detail` say what to fix
    for REFUSED (and why for the others)."""

    outcome: Outcome
    transaction_id: str = ""
    auth_token: str = ""
    response_time: str = ""
    mismatches: tuple[Mismatch, ...] = ()
    error_codes: tuple[str, ...] = ()
    problem: Problem | None = None
    detail: str = ""
    signed: bool = False
    errors: tuple[dict, ...] = field(default=(), repr=False)


def _mismatch(item: dict) -> Mismatch | None:
    text = str(item.get("errorMessage") or item.get("message") or "")
    found = _DEMOGRAPHIC.search(text)
    if not found:
        return None
    return Mismatch(
        attribute=found.group("attribute"),
        language=found.group("lang") or "",
        held=item.get("errorCode") != NOT_HELD_CODE,
    )


def read_answer(body: dict, *, transaction_id: str, signed: bool) -> IdaAnswer:
    """The outcome of an authentication answer IDA signed (the signature is checked
    first; `signed` records it)."""
    errors = [e for e in (body.get("errors") or []) if isinstance(e, dict)]
    codes = tuple(str(e.get("errorCode") or "") for e in errors)
    causes = [c for c in codes if c != WRAPPER] or list(codes)
    response = body.get("response") if isinstance(body.get("response"), dict) else {}
    common = {
        "transaction_id": str(body.get("transactionID") or transaction_id),
        "response_time": str(body.get("responseTime") or ""),
        "error_codes": codes,
        "signed": signed,
        "errors": tuple(errors),
    }
    if response.get("authStatus") is True and not errors:
        return IdaAnswer(
            Outcome.VERIFIED, auth_token=str(response.get("authToken") or ""), **common
        )
    if any(c in DEACTIVATED_CODES for c in causes):
        return IdaAnswer(Outcome.DEACTIVATED, **common)
    if any(c in NOT_FOUND_CODES for c in causes):
        return IdaAnswer(Outcome.NOT_FOUND, **common)
    if any(c in INVALID_ID_CODES for c in causes):
        return IdaAnswer(
            Outcome.NOT_FOUND, detail="MOSIP does not take this number as an id",
            **common,
        )  # fmt: skip
    if causes and all(c in (MISMATCH_CODE, NOT_HELD_CODE) for c in causes):
        found = tuple(m for e in errors if (m := _mismatch(e)) is not None)
        return IdaAnswer(Outcome.MISMATCH, mismatches=found, **common)
    problem = next((PROBLEMS[c] for c in causes if c in PROBLEMS), Problem.REQUEST)
    words = "; ".join(
        f"{e.get('errorCode')}: {e.get('errorMessage') or e.get('message') or ''}"
        for e in errors
        if e.get("errorCode") != WRAPPER
    )
    return IdaAnswer(
        Outcome.REFUSED,
        problem=problem,
        detail=words or "IDA did not authenticate and gave no reason",
        **common,
    )
