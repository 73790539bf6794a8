"""A partner's policy and its API key (PMS v1.2.0.1; docs/mosip/ida.md §4.3).

1. The partner asks for a policy of its group:
   `POST /v1/partnermanager/partners/{partnerId}/policy/map` {"policyName",
   "useCaseDescription"} (`mosip.role.pms.postpartnerspolicymap`; PartnerServiceImpl
   .requestForPolicyMapping). Checks: caller acts for the partner (PMS_PRT_055),
   partner exists (PMS_PRT_005) and is active (PMS_PMP_016), has a policy group
   (PMS_PRT_047), the policy is in it (PMS_PRT_098), active (PMS_PMP_019), not expired
   (PMS_PMP_018), its group active (PMS_PMP_023), no request for it in progress or
   approved already (PMS_PRT_053). Answers a `mappingkey`.
2. A partner manager decides: `PUT /v1/partnermanager/partners/policy/{mappingkey}`
   {"status": "Approved"|"Rejected"} (`mosip.role.pms.putpartnerspolicymapping`;
   PartnerManagementServiceImpl.approveRejectPartnerPolicyMapping): unknown key
   PMS_PMP_007, decided already PMS_PM_034 / PMS_PM_035, a partner type that needs
   biometric extractors (`pmp.bioextractors.required.partner.types`) without them
   PMS_PM_051 (the sandbox registers none), another status PMS_PM_045.
3. The partner itself, and only it, makes the key:
   `PATCH /v1/partnermanager/partners/{partnerId}/generate/apikey` {"policyName",
   "label"} (`mosip.role.pms.patchpartnersgenerateapikey`; .generateAPIKey): caller is
   the partner (PMS_PRT_055, even for a partner admin), partner exists (PMS_PMP_005)
   and is active (PMS_PMP_016), the policy exists in its group (PMS_PMP_014), the
   request was approved (PMS_PRT_109), the label is new (PMS_PRT_110). The key is a
   random number below one million, valid `mosip.pmp.partner.policy.expiry.period.indays`.

PMS tells IDA with APIKEY_APPROVED (partner, its re-signed certificate, the policy and
the key); the sandbox's IDA reads `partner_policy` here.
"""

import datetime
import secrets

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, mosip_config, security
from apps.mosip_sandbox.partners import common, policies
from apps.mosip_sandbox.store import get_store

POLICY_REQUESTS = "pms_partner_policy_requests"
PARTNER_POLICIES = "pms_partner_policies"
IN_PROGRESS = "InProgress"
APPROVED = "Approved"
REJECTED = "Rejected"


def policy_requests_of(partner_id: str) -> list[dict]:
    return get_store().find(POLICY_REQUESTS, partnerId=partner_id)


def partner_policy(partner_id: str, api_key: str) -> dict | None:
    """The API key of `partner_id` (PMS partner_policy, IDA's partner mapping)."""
    return get_store().get(PARTNER_POLICIES, f"{partner_id}:{api_key}")


def _random_id() -> str:
    # PartnerUtil.getSecureRandomId(1000000): a decimal number, not zero-padded.
    return str(secrets.randbelow(1_000_000))


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _expired(policy: dict) -> bool:
    till = policy.get("validTill")
    return bool(till) and envelope.parse_utc_timestamp(till) < _now()


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpartnerspolicymap")
def request_policy(request, partner_id: str):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(
        request, ("policyName", "useCaseDescription")
    )
    if problem:
        return problem
    if not common.logged_in_user_may_act_for(request, partner_id):
        return common.fail(api_id, *common.NOT_AUTHORISED)
    partner = common.get_partner(partner_id)
    if partner is None:
        return common.fail(api_id, "PMS_PRT_005", "Partner does not exist")
    if not partner.get("isActive"):
        return common.fail(api_id, "PMS_PMP_016", "Partner is not active.")
    if not partner.get("policyGroupId"):
        return common.fail(
            api_id, "PMS_PRT_047", "Partner is not mapped to policy group"
        )
    policy = policies.policy_in_group(partner["policyGroupId"], payload["policyName"])
    if policy is None:
        return common.fail(
            api_id,
            "PMS_PRT_098",
            "Given policy under partner's policy group not exists.",
        )
    if not policy["isActive"]:
        return common.fail(api_id, "PMS_PMP_019", "Policy is not active.")
    if _expired(policy):
        return common.fail(api_id, "PMS_PMP_018", "Policy expired.")
    group = get_store().get(policies.GROUPS, partner["policyGroupId"]) or {}
    if not group.get("isActive"):
        return common.fail(api_id, "PMS_PMP_023", "Policy group is not active.")
    for state in (IN_PROGRESS, APPROVED):
        if any(
            r["policyId"] == policy["id"] and r["statusCode"] == state
            for r in policy_requests_of(partner_id)
        ):
            return common.fail(
                api_id,
                "PMS_PRT_053",
                f"Mapping exists for given policy and partner and is in {state} state.",
            )
    key = _random_id()
    while not get_store().insert(
        POLICY_REQUESTS,
        key,
        {
            "id": key, "partnerId": partner_id, "policyId": policy["id"],
            "statusCode": IN_PROGRESS,
            "useCaseDescription": str(payload["useCaseDescription"]),
            "createdBy": common.caller_id(request), "createdAt": _now().isoformat(),
        },
    ):  # fmt: skip
        key = _random_id()
    return common.answer(
        api_id,
        response={
            "mappingkey": key,
            "message": "Policy mapping request submitted successfully.",
        },
    )


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.putpartnerspolicymapping")
def decide_policy_request(request, mapping_key: str):
    if request.method != "PUT":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(request, ("status",))
    if problem:
        return problem
    store = get_store()
    found = store.get(POLICY_REQUESTS, mapping_key)
    if found is None:
        return common.fail(api_id, "PMS_PMP_007", "Partner api key does not exist")
    if found["statusCode"] == APPROVED:
        return common.fail(api_id, "PMS_PM_034", "Policy request already approved.")
    if found["statusCode"] == REJECTED:
        return common.fail(api_id, "PMS_PM_035", "Policy request already rejected.")
    partner = common.get_partner(found["partnerId"]) or {}
    needs_extractors = mosip_config.listed(
        common.SERVICE, "pmp.bioextractors.required.partner.types"
    )
    if str(partner.get("partnerType", "")).lower() in [
        t.lower() for t in needs_extractors
    ]:
        return common.fail(
            api_id,
            "PMS_PM_051",
            "Extractors are not present. Please add extractors.",
        )
    decision = str(payload["status"]).lower()
    if decision not in (APPROVED.lower(), REJECTED.lower()):
        return common.fail(
            api_id, "PMS_PM_045", "Status should be either Approved or Rejected"
        )
    found.update(
        statusCode=APPROVED if decision == "approved" else REJECTED,
        updatedBy=common.caller_id(request),
        updatedAt=_now().isoformat(),
    )
    store.put(POLICY_REQUESTS, mapping_key, found)
    return common.answer(api_id, response=f"Policy mapping {decision} successfully")


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.patchpartnersgenerateapikey")
def generate_api_key(request, partner_id: str):
    if request.method != "PATCH":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(request, ("policyName", "label"))
    if problem:
        return problem
    if common.caller_id(request) != partner_id:
        return common.fail(api_id, *common.NOT_AUTHORISED)
    partner = common.get_partner(partner_id)
    if partner is None:
        return common.fail(api_id, "PMS_PMP_005", "Partner ID does not exist")
    if not partner.get("isActive"):
        return common.fail(api_id, "PMS_PMP_016", "Partner is not active.")
    policy = policies.policy_in_group(
        partner.get("policyGroupId") or "", payload["policyName"]
    )
    if policy is None:
        return common.fail(api_id, "PMS_PMP_014", "Policy does not exist")
    approved = [
        r
        for r in policy_requests_of(partner_id)
        if r["policyId"] == policy["id"] and r["statusCode"] == APPROVED
    ]
    if not approved:
        return common.fail(
            api_id, "PMS_PRT_109", "Given policy is not mapped to partner"
        )
    label = str(payload["label"])
    if get_store().find(
        PARTNER_POLICIES, partnerId=partner_id, policyId=policy["id"], label=label
    ):
        return common.fail(
            api_id, "PMS_PRT_110", "Given label already exists.Provide unique label."
        )
    days = int(
        mosip_config.value(
            common.SERVICE, "mosip.pmp.partner.policy.expiry.period.indays", "90"
        )
    )
    now = _now()
    doc = {
        "partnerId": partner_id, "policyId": policy["id"], "label": label,
        "isActive": True, "validFrom": now.isoformat(),
        "validTo": (now + datetime.timedelta(days=days)).isoformat(),
        "createdBy": common.caller_id(request),
    }  # fmt: skip
    api_key = _random_id()
    while not get_store().insert(
        PARTNER_POLICIES, f"{partner_id}:{api_key}", {**doc, "apiKey": api_key}
    ):
        api_key = _random_id()
    return common.answer(
        api_id,
        response={
            "apiKey": api_key,
            "label": label,
            "policyId": policy["id"],
            "partnerId": partner_id,
        },
    )


urlpatterns = [
    path(
        "v1/partnermanager/partners/<str:partner_id>/policy/map",
        request_policy,
    ),
    path(
        "v1/partnermanager/partners/policy/<str:mapping_key>",
        decide_policy_request,
    ),
    path(
        "v1/partnermanager/partners/<str:partner_id>/generate/apikey",
        generate_api_key,
    ),
]
