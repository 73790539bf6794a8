"""PMS partner self-registration, `POST /v1/partnermanager/partners`
(PartnerServiceImpl.registerPartner, v1.2.0.1; docs/mosip/credential-partner.md §2).

The controller has no @PreAuthorize: any authenticated caller whose client is in
the partner-management allowed audience may register a partner. Checks, in MOSIP's
order: the caller's own e-mail already belongs to a partner (PMS_PRT_055); the
e-mail is taken (PMS_PRT_011); the id is taken (PMS_PRT_051); the partner type
exists (PMS_PRT_010); a policy group is given where the type needs one (PMS_PRT_108)
and exists (PMS_PRT_002).
"""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, security
from apps.mosip_sandbox.partners import common, policies
from apps.mosip_sandbox.store import get_store

API_ID = "mosip.partnermanagement.partners.register"
PARTNER_TYPES = (
    "Auth_Partner",
    "Credential_Partner",
    "Device_Provider",
    "FTM_Provider",
    "ABIS_Partner",
    "Manual_Adjudication",
    "Online_Verification_Partner",
    "MISP_Partner",
    "SDK_Partner",
    "Print_Partner",
)
# pms.partner_type.is_policy_required (docs/mosip/credential-partner.md §2).
POLICY_REQUIRED = {"Auth_Partner", "Credential_Partner", "Online_Verification_Partner"}
REQUIRED_FIELDS = (
    "partnerId",
    "organizationName",
    "address",
    "contactNumber",
    "emailId",
    "partnerType",
)
IN_PROGRESS = "InProgress"


def partner_with_email(email: str) -> dict | None:
    wanted = email.strip().lower()
    for doc in get_store().all(common.PARTNERS):
        if str(doc.get("emailId", "")).strip().lower() == wanted:
            return doc
    return None


@csrf_exempt
@security.requires(common.SERVICE, None)
def register_partner(request):
    if request.method != "POST":
        return common.method_not_allowed()
    try:
        body, payload = common.request_body(request)
    except envelope.BadJson:
        return envelope.bad_json_response()
    api_id = (body or {}).get("id") or API_ID
    if payload is None:
        return common.missing(api_id, "request")
    for field in REQUIRED_FIELDS:
        if not str(payload.get(field) or "").strip():
            return common.missing(api_id, field)
    own_email = common.caller_email(request)
    if own_email and partner_with_email(own_email) is not None:
        return common.fail(api_id, *common.NOT_AUTHORISED)
    if partner_with_email(str(payload["emailId"])) is not None:
        return common.fail(api_id, "PMS_PRT_011", "Email is already exists.")
    partner_id = str(payload["partnerId"])
    if common.get_partner(partner_id) is not None:
        return common.fail(
            api_id, "PMS_PRT_051", "A Partner is already registered with the same Id"
        )
    partner_type = next(
        (t for t in PARTNER_TYPES if t.lower() == str(payload["partnerType"]).lower()),
        None,
    )
    if partner_type is None:
        return common.fail(api_id, "PMS_PRT_010", "Partner Type does not exist")
    group_name = str(payload.get("policyGroup") or "")
    if partner_type in POLICY_REQUIRED and not group_name:
        return common.fail(
            api_id, "PMS_PRT_108", f"Policy group is Mandatory for {partner_type}"
        )
    group = None
    if group_name:
        group = policies.group_by_name(group_name)
        if group is None:
            return common.fail(api_id, "PMS_PRT_002", "Policy group does not exist")
    doc = {
        "partnerId": partner_id,
        "organizationName": str(payload["organizationName"]),
        "address": str(payload["address"]),
        "contactNumber": str(payload["contactNumber"]),
        "emailId": str(payload["emailId"]),
        "partnerType": partner_type,
        "policyGroupId": group["id"] if group else None,
        "langCode": payload.get("langCode"),
        "approvalStatus": IN_PROGRESS,
        "isActive": False,
        "createdBy": common.caller_id(request),
        "certificateId": None,
        "signedCertificate": None,
    }
    if not get_store().insert(common.PARTNERS, partner_id, doc):
        return common.fail(
            api_id, "PMS_PRT_051", "A Partner is already registered with the same Id"
        )
    common.remember_base_url(request)
    return common.answer(
        api_id,
        response={"partnerId": partner_id, "status": IN_PROGRESS},
        version=(body or {}).get("version") or "1.0",
    )


urlpatterns = [
    path("v1/partnermanager/partners", register_partner),
]
