"""MOSIP's error codes in plain words, for the wizard and the readiness page.

Messages name what to do next; they never echo secrets. A refusal that a change in
MOSIP's configuration fixes names that change: the file and property, or the object,
from the operator's list (apps/onboarding/operator/,
docs/mosip/operator-changes.md)."""

import re

from apps.mosip.errors import (
    MosipAuthError,
    MosipBadResponse,
    MosipError,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)
from apps.onboarding import operator
from apps.onboarding.models import DEFAULT_CLIENT_ID

# docs/mosip/onboarding-websub.md §2, docs/mosip/packet-api.md §1 and the codes the masterdata, partner
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
    "KER-USR-007": "MOSIP has no centre mapping for the officer (User Center mapping not found).",
    "KER-USR-008": "The officer's zone mapping is missing or not active: MOSIP maps "
    "an officer to a zone, activates it, and only then to a centre.",
    "KER-USR-010": "MOSIP failed while mapping the officer to the zone; try again.",
    "KER-USR-012": "The centre does not exist in MOSIP for this language.",
    "KER-USR-013": "The officer is already mapped to a centre.",
    "KER-USR-014": "The MOSIP admin is not allowed to map users in this zone, or the "
    "centre is not inside the officer's zone.",
    "KER-USR-015": "The centre's zone is not a leaf zone under the officer's zone.",
    "KER-USR-017": "The officer has no zone mapping in MOSIP yet.",
    "KER-USR-018": "The officer is already mapped to this zone (a re-run).",
    "KER-USR-021": "The officer is mapped to a different zone; MOSIP allows one zone per user: use a centre in that zone or have the MOSIP administrator remove the old mapping.",
    "KER-USR-025": "The officer's zone mapping must be active before its centre mapping.",
    "KER-MSD-219": "The centre lies outside the machine's zone.",
    "KER-MSD-222": "MOSIP has no registration centre with the machine's centre id.",
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
    "PMS_PRT_109": "The partner's request for the policy is not approved yet: a "
    "partner manager approves it (the IDA step does, with the partner admin).",
    "PMS_PRT_110": "The partner already has an API key with this label.",
    "PMS_MSP_005": "MOSIP has no MISP with this id.",
    "PMS_MSP_405": "The MISP is not active yet: its certificate must be uploaded "
    "first.",
    "PMS_MSP_418": "The MISP's policy requests are not all approved.",
    "PMS_PMP_014": "The policy is not in the partner's policy group.",
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


# Which MOSIP service answers a path (contracts: masterdata, keymanager and
# authmanager are kernel; the ID schema syncdata; PMS partner-management; createPacket
# packet-manager; workflow and status registration-processor).
SERVICE_PATHS = (
    ("/v1/masterdata/", "kernel"),
    ("/v1/keymanager/", "kernel"),
    ("/v1/authmanager/", "kernel"),
    ("/v1/syncdata/", "syncdata"),
    ("/v1/partnermanager/", "partner-management"),
    ("/v1/policymanager/", "partner-management"),
    ("/commons/v1/packetmanager/", "packet-manager"),
    ("/registrationprocessor/v1/", "registration-processor"),
)
SERVICE_WORDS = {
    "kernel": "MOSIP's masterdata and keymanager",
    "syncdata": "MOSIP's syncdata (the ID schema)",
    "partner-management": "MOSIP's partner management (PMS)",
    "packet-manager": "MOSIP's packet manager",
    "registration-processor": "MOSIP's registration processor",
}
_REFUSED_PATH = re.compile(r"refused access to (/\S*?):")
FORBIDDEN = "KER-ATH-403"
POLICY_GROUP_MISSING = "PMS_PRT_002"


def service_of(path: str) -> str | None:
    """The MOSIP service (mosip-config file prefix) that answers `path`."""
    for prefix, service in SERVICE_PATHS:
        if path.startswith(prefix):
            return service
    return None


def _ids():
    """The portal's ids for the operator's list; defaults when none are stored yet
    (or the database cannot be read where this is called)."""
    try:
        return operator.portal_ids()
    except Exception:  # explaining must never fail
        return operator.PortalIds(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_ID)


def audience_missing(service: str) -> str:
    """KER-ATH-403 from `service`: name the allowed-audience line the operator
    changes, then the role the identity may lack."""
    client_id = _ids().client_id
    return (
        f"{FORBIDDEN}: {SERVICE_WORDS.get(service, service)} refused the token. The "
        f"MOSIP operator must have added {client_id} to "
        f"{operator.AUDIENCE} in {operator.properties_file(service)} (the line is on "
        "the MOSIP configuration changes page, `python manage.py "
        "mosip_config_changes`); if it is there, the identity lacks a role this "
        "MOSIP API needs."
    )


def policy_group_missing() -> str:
    ids = _ids()
    group = ids.policy_group or "named in the partner step"
    return (
        f"{POLICY_GROUP_MISSING}: MOSIP has no policy group {group}. The MOSIP "
        "operator creates it in Partner Management (PMS policy group on the MOSIP "
        "configuration changes page), with the published policy "
        f"{ids.policy_name}; or correct the group's name in the partner step."
    )


def credentials_not_configured() -> str:
    """Why MOSIP processes births but no credential comes back: what the operator
    sets for the portal's partner."""
    ids = _ids()
    return (
        "MOSIP issues a credential only to a partner listed in "
        f"{operator.CREDENTIAL_PARTNERS_FILE} (entry {ids.partner_id}, process "
        f"CRVS_NEW) and named in {operator.DEFAULT_PARTNER_IDS} in "
        f"{operator.properties_file('registration-processor')}, with a published "
        f"policy ({ids.policy_name}) mapped to credential type "
        f"{operator.CREDENTIAL_TYPE}: see the MOSIP configuration changes page."
    )


def _service_from(exc: MosipError) -> str | None:
    found = _REFUSED_PATH.search(exc.message or "")
    return service_of(found.group(1)) if found else None


def explain(exc: MosipError, *, service: str | None = None) -> str:
    """One sentence saying what went wrong and what to do, for a MOSIP error;
    `service` is the MOSIP service called, when the caller knows it better than
    the error's path does."""
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
    codes = getattr(exc, "codes", None) or ([exc.code] if exc.code else [])
    if isinstance(exc, MosipForbidden) or FORBIDDEN in codes:
        service = service or _service_from(exc)
        if service:
            return audience_missing(service)
    if POLICY_GROUP_MISSING in codes:
        return policy_group_missing()
    if isinstance(exc, MosipRejected):
        known = [f"{code}: {CODES[code]}" for code in codes if code in CODES]
        if known:
            return " ".join(known)
        return f"MOSIP refused the request ({', '.join(codes) or 'no code'}): {exc.message}"
    if isinstance(exc, MosipAuthError):
        return CODES["KER-ATH-401"]
    if isinstance(exc, MosipForbidden):
        return CODES["KER-ATH-403"]
    return f"MOSIP answered with an error: {exc}"
