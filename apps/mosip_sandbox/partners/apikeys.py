"""A partner's API key (PMS v1.2.0.1; docs/mosip/ida.md §4.3).

The partner first asks for a policy of its group and a partner manager approves it
(`policy_requests`). Then the partner itself, and only it, makes the key:
`PATCH /v1/partnermanager/partners/{partnerId}/generate/apikey` {"policyName",
"label"} (`mosip.role.pms.patchpartnersgenerateapikey`;
PartnerManagementServiceImpl.generateAPIKey): caller is the partner (PMS_PRT_055, even
for a partner admin), partner exists (PMS_PMP_005) and is active (PMS_PMP_016), the
policy exists in its group (PMS_PMP_014), a request for it is stored as approved
(PMS_PRT_109), the label is new (PMS_PRT_110). The key is a random number below one
million, valid `mosip.pmp.partner.policy.expiry.period.indays`.

PMS tells IDA with APIKEY_APPROVED (partner, its re-signed certificate, the policy and
the key); the sandbox's IDA reads `partner_policy` here.
"""

import datetime
import secrets

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import mosip_config, security
from apps.mosip_sandbox.partners import common, policies, policy_requests
from apps.mosip_sandbox.store import get_store

PARTNER_POLICIES = "pms_partner_policies"


def partner_policy(partner_id: str, api_key: str) -> dict | None:
    """The API key of `partner_id` (PMS partner_policy, IDA's partner mapping)."""
    return get_store().get(PARTNER_POLICIES, f"{partner_id}:{api_key}")


def _random_id() -> str:
    # PartnerUtil.createPartnerApiKey: a decimal number below a million, not padded.
    return str(secrets.randbelow(1_000_000))


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
    if not policy_requests.approved_for(partner_id, policy["id"]):
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
    now = datetime.datetime.now(datetime.UTC)
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
        "v1/partnermanager/partners/<str:partner_id>/generate/apikey",
        generate_api_key,
    ),
]
