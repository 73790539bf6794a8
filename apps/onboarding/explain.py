"""MOSIP's error codes in plain words, for the wizard and the readiness page.

Messages name what to do next; they never echo secrets."""

from apps.mosip.errors import (
    MosipAuthError,
    MosipBadResponse,
    MosipError,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)

# onboarding-websub.md §2, packet-api.md §1 and the codes the masterdata, partner
# and keymanager services answer during onboarding.
CODES = {
    "KER-ATH-401": "MOSIP did not accept the credentials (wrong client id, secret "
    "or password, or an expired token).",
    "KER-ATH-403": "The identity is valid but lacks a role this MOSIP API needs, or "
    "its client id is not in MOSIP's allowed audience list.",
    "KER-ATH-026": "The application id (appId) is not one MOSIP's authmanager knows; "
    "use e.g. regproc, admin or partner.",
    "KER-MSD-999": "MOSIP refused a field of the request as invalid.",
    "KER-MSD-307": "Latitude and longitude must have 1–2 integer digits and at "
    "least 4 decimals, e.g. 34.5228.",
    "KER-MSD-309": "The centre's opening time must come before its closing time.",
    "KER-MSD-321": "The centre type does not exist in MOSIP for this language.",
    "KER-MSD-215": "MOSIP has no registration centre with this id.",
    "KER-MSD-030": "MOSIP has no machine with this id.",
    "KER-MSD-117": "The machine specification does not exist in MOSIP.",
    "KER-MSD-255": "The MOSIP admin may not manage machines in this zone, or the "
    "centre lies outside the machine's zone.",
    "KER-MSD-257": "MOSIP did not accept the machine's public key.",
    "KER-MSD-410": "MOSIP did not accept the machine's signing public key.",
    "KER-MSD-413": "A machine with this name already exists in MOSIP; pick another "
    "name or record the existing machine.",
    "KER-MSD-414": "This public key is already registered to another machine.",
    "KER-MSD-340": "The zone does not exist in MOSIP.",
    "KER-MSD-343": "The zone does not exist in MOSIP.",
    "KER-MSD-341": "The MOSIP admin has no zone mapping, so it may not create "
    "centres; use a zone-mapped admin user.",
    "KER-MSD-342": "The MOSIP admin has no zone mapping, so it may not create "
    "machines; use a zone-mapped admin user.",
    "KER-MSD-441": "The centre's zone is outside the MOSIP admin's zones.",
    "KER-USR-006": "The officer has no zone mapping in MOSIP yet.",
    "KER-USR-007": "The officer is already mapped (or not found for activation).",
    "KER-USR-008": "The officer's zone mapping is missing or not active: MOSIP maps "
    "an officer to a zone, activates it, and only then to a centre.",
    "KER-USR-010": "The officer is already mapped to a different zone; MOSIP allows "
    "one zone per user. Ask the MOSIP administrator to remove the old mapping.",
    "KER-USR-012": "The centre does not exist in MOSIP for this language.",
    "KER-USR-013": "The officer is already mapped to a centre.",
    "KER-USR-014": "The MOSIP admin is not allowed to map users in this zone, or the "
    "centre is not inside the officer's zone.",
    "PMS_PRT_001": "The partner is already registered in MOSIP.",
    "PMS_PRT_002": "The policy group does not exist in MOSIP; a partner admin creates it.",
    "PMS_PRT_005": "MOSIP does not know this partner yet.",
    "PMS_PRT_010": "MOSIP does not know this partner type.",
    "PMS_PRT_011": "A partner with this e-mail is already registered in MOSIP.",
    "PMS_PRT_051": "A partner with this id is already registered in MOSIP.",
    "PMS_PRT_055": "MOSIP lets only the partner's own user (named like the partner id) "
    "or a partner admin do this.",
    "PMS_PRT_098": "The policy is not in the partner's policy group; a partner admin "
    "creates and publishes it there.",
    "PMS_PMP_016": "The partner is not active yet: its certificate must be uploaded "
    "first.",
    "PMS_PMP_019": "The policy is not active: a partner admin must publish it.",
    "KER-PCM-001": "MOSIP did not accept the partner certificate.",
    "KER-PCM-004": "The certificate's dates are not valid, or it has less than "
    "MOSIP's issuer duration (1 year less 30 days) left.",
    "KER-PCM-006": "MOSIP does not trust the CA of the partner certificate: the CA "
    "certificate must be uploaded first (partner admin).",
    "KER-PCM-008": "The partner certificate's organisation (O=) is not the partner's "
    "organisation name in MOSIP.",
    "KER-PCM-015": "MOSIP does not take a self-signed certificate for a partner.",
    "KER-CRY-001": "Keymanager refused the request (server profile missing).",
    "KER-SNC-149": "MOSIP has no published ID schema with this version.",
}


def explain(exc: MosipError) -> str:
    """One sentence saying what went wrong and what to do, for a MOSIP error."""
    if isinstance(exc, MosipUnavailable):
        return (
            "MOSIP could not be reached (no answer, timeout or server error). Check "
            "the URL and that MOSIP is up, then try again."
        )
    if isinstance(exc, MosipBadResponse):
        return (
            "The address answered, but not as MOSIP does: check that the URL points "
            "at the MOSIP gateway or Keycloak."
        )
    if isinstance(exc, MosipRejected):
        codes = exc.codes or ([exc.code] if exc.code else [])
        known = [f"{code}: {CODES[code]}" for code in codes if code in CODES]
        if known:
            return " ".join(known)
        return f"MOSIP refused the request ({', '.join(codes) or 'no code'}): {exc.message}"
    if isinstance(exc, MosipAuthError):
        return CODES["KER-ATH-401"]
    if isinstance(exc, MosipForbidden):
        return CODES["KER-ATH-403"]
    return f"MOSIP answered with an error: {exc}"
