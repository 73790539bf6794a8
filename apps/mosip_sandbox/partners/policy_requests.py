"""A partner's request for a policy of its group, and a partner manager's decision
(partner-management-services v1.2.0.1; docs/mosip/ida.md §4.3, docs/mosip/esignet.md §9).

The one record of which partner may use which policy: API keys (`apikeys`), MISP
licence keys (`misp`) and OIDC clients (`oidc_clients`) all read it.

- `POST /v1/partnermanager/partners/{partnerId}/policy/map` {"policyName",
  "useCaseDescription"} (`mosip.role.pms.postpartnerspolicymap`;
  PartnerServiceImpl.requestForPolicyMapping): the partner itself, or a partner admin
  (PMS_PRT_055); the partner exists (PMS_PRT_005) and is active, i.e. has its
  certificate (PMS_PMP_016); it is in a policy group (PMS_PRT_047); the policy of that
  name in its group exists (PMS_PRT_098), is active (PMS_PMP_019), not expired
  (PMS_PMP_018), its group active (PMS_PMP_023); no request for it in progress or
  approved, any case (PMS_PRT_053). Answer {"mappingkey", "message"}; the request is
  "InProgress".
- `PUT /v1/partnermanager/partners/policy/{mappingkey}` {"status"}
  (`mosip.role.pms.putpartnerspolicymapping`;
  PartnerManagementServiceImpl.approveRejectPartnerPolicyMapping): the request exists
  (PMS_PMP_007), is neither approved (PMS_PM_034) nor rejected (PMS_PM_035); partner
  types in `pmp.bioextractors.required.partner.types` need extractors first
  (PMS_PM_051, never added here); the policy exists (PMS_PMP_017), is active
  (PMS_PMP_019), its group exists (PMS_PMP_022) and is active (PMS_PMP_023), the policy
  is not expired (PMS_PMP_018); status Approved or Rejected, any case (PMS_PM_045).
  PMS stores its constants, lower case: "approved" / "rejected".

Collection `pms_partner_policy_requests`, key = mapping key: {id, partnerId,
policyId, statusCode (InProgress | approved | rejected), useCaseDescription,
createdBy, createdAt, updatedBy, updatedAt}.
"""

import datetime
import secrets

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, mosip_config, security
from apps.mosip_sandbox.partners import common, policies
from apps.mosip_sandbox.store import get_store

REQUESTS = "pms_partner_policy_requests"
# PartnerConstants.IN_PROGRESS / APPROVED / REJECTED, as PMS stores them.
IN_PROGRESS = "InProgress"
APPROVED = "approved"
REJECTED = "rejected"


def requests_of(partner_id: str) -> list[dict]:
    return get_store().find(REQUESTS, partnerId=partner_id)


def requests_for(partner_id: str, policy_id: str) -> list[dict]:
    return get_store().find(REQUESTS, partnerId=partner_id, policyId=policy_id)


def approved_for(partner_id: str, policy_id: str) -> list[dict]:
    """Approved requests, found by the stored status exactly as PMS's repository
    query does (findByPartnerIdAndPolicyIdAndStatusCode with APPROVED)."""
    return get_store().find(
        REQUESTS, partnerId=partner_id, policyId=policy_id, statusCode=APPROVED
    )


def new_mapping_key() -> str:
    # PartnerUtil.createPartnerPolicyRequestId: a secure random number below a million.
    return str(secrets.randbelow(1_000_000))


def _expired(policy: dict) -> bool:
    return bool(policy.get("validTill")) and envelope.parse_utc_timestamp(
        policy["validTill"]
    ) < datetime.datetime.now(datetime.UTC)


def _group_active(group_id: str | None) -> bool:
    group = get_store().get(policies.GROUPS, group_id or "") or {}
    return bool(group.get("isActive"))


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
    if not _group_active(partner["policyGroupId"]):
        return common.fail(api_id, "PMS_PMP_023", "Policy group is not active.")
    store = get_store()
    with store.transaction():
        for state in (IN_PROGRESS, APPROVED):
            if any(
                r["statusCode"].lower() == state.lower()
                for r in requests_for(partner_id, policy["id"])
            ):
                return common.fail(
                    api_id,
                    "PMS_PRT_053",
                    f"Mapping exists for given policy and partner and is in {state} "
                    "state.",
                )
        key = new_mapping_key()
        while store.get(REQUESTS, key) is not None:
            key = new_mapping_key()
        store.put(
            REQUESTS,
            key,
            {
                "id": key, "partnerId": partner_id, "policyId": policy["id"],
                "statusCode": IN_PROGRESS,
                "useCaseDescription": str(payload["useCaseDescription"]),
                "createdBy": common.caller_id(request),
                "createdAt": envelope.utc_timestamp(),
                "updatedBy": None, "updatedAt": None,
            },
        )  # fmt: skip
    return common.answer(
        api_id,
        response={
            "mappingkey": key,
            "message": "Policy mapping request submitted successfully.",
        },
    )


def _policy_problem(policy_id: str) -> tuple[str, str] | None:
    """PartnerManagementServiceImpl.validatePolicy, in its order."""
    policy = get_store().get(policies.POLICIES, policy_id)
    if policy is None:
        return "PMS_PMP_017", "Partner is not mapped to any policy."
    if not policy["isActive"]:
        return "PMS_PMP_019", "Partner policy is not active."
    if get_store().get(policies.GROUPS, policy.get("policyGroupId") or "") is None:
        return "PMS_PMP_022", "Policy group not exists."
    if not _group_active(policy.get("policyGroupId")):
        return "PMS_PMP_023", "Policy group is not active."
    if _expired(policy):
        return "PMS_PMP_018", "Partner policy got expired."
    return None


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.putpartnerspolicymapping")
def decide_policy_request(request, mapping_key: str):
    if request.method != "PUT":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(request, ("status",))
    if problem:
        return problem
    store = get_store()
    with store.transaction():
        found = store.get(REQUESTS, mapping_key)
        if found is None:
            return common.fail(api_id, "PMS_PMP_007", "Partner api key does not exist")
        if found["statusCode"].lower() == APPROVED:
            return common.fail(api_id, "PMS_PM_034", "Policy request already approved.")
        if found["statusCode"].lower() == REJECTED:
            return common.fail(api_id, "PMS_PM_035", "Policy request already rejected.")
        partner = common.get_partner(found["partnerId"]) or {}
        needing_extractors = mosip_config.listed(
            common.SERVICE, "pmp.bioextractors.required.partner.types"
        )
        if str(partner.get("partnerType", "")).lower() in [
            t.lower() for t in needing_extractors
        ]:
            return common.fail(
                api_id,
                "PMS_PM_051",
                "Extractors are not present. Please add extractors.",
            )
        policy_problem = _policy_problem(found["policyId"])
        if policy_problem:
            return common.fail(api_id, *policy_problem)
        decision = str(payload["status"]).lower()
        if decision not in (APPROVED, REJECTED):
            return common.fail(
                api_id, "PMS_PM_045", "Status should be either Approved or Rejected"
            )
        found.update(
            statusCode=decision,
            updatedBy=common.caller_id(request),
            updatedAt=envelope.utc_timestamp(),
        )
        store.put(REQUESTS, mapping_key, found)
    return common.answer(api_id, response=f"Policy mapping {decision} successfully")


urlpatterns = [
    path(
        "v1/partnermanager/partners/<str:partner_id>/policy/map",
        request_policy,
    ),
    path(
        "v1/partnermanager/partners/policy/<str:mapping_key>",
        decide_policy_request,
    ),
]
