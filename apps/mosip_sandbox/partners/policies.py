"""Policy groups, policies and credential-type mappings (partner-management-services
v1.2.0.1 PolicyManagementService and PartnerServiceImpl; docs/mosip/credential-partner.md §2).

Policy manager, `/v1/policymanager`:
- `POST /policies/group/new` {"name", "desc"} (`mosip.role.pms.postpoliciesgroupnew`);
  a taken name is PMS_POL_014.
- `GET /policies/group/all` (`mosip.role.pms.getpoliciesgroupall`): [{"policyGroup":
  {...}, "policies": [...]}].
- `POST /policies` {"policyGroupName", "name", "desc", "policyType", "version",
  "policies"} (`mosip.role.pms.postpolicies`): policy type in `pmp.allowed.policy.types`
  (PMS_POL_023), group by name (PMS_POL_019), name free in the group (PMS_POL_009),
  a DataShare policy holds `shareableAttributes` and `dataSharePolicies`, an Auth
  policy `allowedAuthTypes` and `allowedKycAttributes` (PMS_POL_051).
  Created as a draft, not active.
- `POST /policies/{policyId}/group/{policygroupId}/publish`
  (`mosip.role.pms.postpoliciespolicyidgrouppublish`): PMS_POL_016 unknown group,
  PMS_POL_008 unknown policy, PMS_POL_015 not in that group, PMS_POL_020 published
  already. Publishing makes it active.

Partner manager, `/v1/partnermanager/partners/{partnerId}/credentialtype/{credentialType}/policies/{policyName}`
(`mosip.role.pms.postpartnerscredentialtypepolicies`): credential type in
`pmp.allowed.credential.types` (PMS_PRT_072), partner exists (PMS_PRT_005) and is
active, i.e. has its certificate (PMS_PMP_016), partner type in
`policy.credential.type.mapping.allowed.partner.types` (PMS_PRT_070), policy of that
name in the partner's group (PMS_PRT_098), active (PMS_PMP_019), not expired
(PMS_PMP_018). The GET without `{policyName}` reads the mapping back.
"""

import datetime
import uuid

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, mosip_config, security
from apps.mosip_sandbox.partners import common
from apps.mosip_sandbox.store import get_store

GROUPS = "pms_policy_groups"
POLICIES = "pms_policies"
MAPPINGS = "pms_credential_type_policies"
POLICY_VALIDITY_DAYS = 180


def group_by_name(name: str) -> dict | None:
    found = get_store().find(GROUPS, name=name)
    return found[0] if found else None


def policy_in_group(group_id: str, name: str) -> dict | None:
    found = get_store().find(POLICIES, policyGroupId=group_id, name=name)
    return found[0] if found else None


def credential_type_policy(partner_id: str, credential_type: str) -> dict | None:
    """The policy mapped to the partner for the credential type, or None."""
    mapping = get_store().get(MAPPINGS, f"{partner_id}:{credential_type.lower()}")
    if mapping is None:
        return None
    return get_store().get(POLICIES, mapping["policyId"])


def _now() -> str:
    return envelope.utc_timestamp()


def _group_view(group: dict) -> dict:
    return {
        "id": group["id"], "name": group["name"], "desc": group["desc"],
        "is_Active": group["isActive"], "cr_by": group["createdBy"],
        "cr_dtimes": group["createdAt"], "up_by": None, "upd_dtimes": None,
    }  # fmt: skip


def _policy_view(policy: dict, group: dict) -> dict:
    return {
        "policyGroupId": group["id"], "policyGroupName": group["name"],
        "policyGroupDesc": group["desc"], "policyGroupStatus": group["isActive"],
        "policyId": policy["id"], "policyName": policy["name"],
        "policyDesc": policy["desc"], "policyType": policy["policyType"],
        "publishDate": policy.get("publishDate"), "validTill": policy.get("validTill"),
        "status": policy["status"], "version": policy["version"],
        "schema": policy.get("schema"), "is_Active": policy["isActive"],
        "cr_by": policy["createdBy"], "cr_dtimes": policy["createdAt"],
        "policies": policy["policies"],
    }  # fmt: skip


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpoliciesgroupnew")
def create_group(request):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(request, ("name", "desc"))
    if problem:
        return problem
    name = str(payload["name"])
    group = {
        "id": str(uuid.uuid4()), "name": name, "desc": str(payload["desc"]),
        "isActive": True, "createdBy": common.caller_id(request), "createdAt": _now(),
    }  # fmt: skip
    with get_store().transaction():
        if group_by_name(name) is not None:
            return common.fail(
                api_id, "PMS_POL_014", f"Policy group exists with name : {name}"
            )
        get_store().put(GROUPS, group["id"], group)
    return common.answer(api_id, response=_group_view(group))


@security.requires(common.SERVICE, "mosip.role.pms.getpoliciesgroupall")
def all_groups(request):
    if request.method != "GET":
        return common.method_not_allowed()
    store = get_store()
    response = [
        {
            "policyGroup": _group_view(group),
            "policies": [
                _policy_view(p, group)
                for p in store.find(POLICIES, policyGroupId=group["id"])
            ],
        }
        for group in store.all(GROUPS)
    ]
    return common.answer(None, response=response)


def _policy_shape_problem(policy_type: str, policies) -> str | None:
    if not isinstance(policies, dict):
        return "policies must be an object"
    if policy_type == "DataShare":
        attributes = policies.get("shareableAttributes")
        if not isinstance(attributes, list) or not attributes:
            return "shareableAttributes is required"
        for item in attributes:
            if not isinstance(item, dict) or not item.get("attributeName"):
                return "each shareable attribute needs an attributeName"
        if not isinstance(policies.get("dataSharePolicies"), dict):
            return "dataSharePolicies is required"
    if policy_type == "Auth":
        return _auth_policy_problem(policies)
    if policy_type == "MISP":
        missing = [k for k in _MISP_REQUIRED if not isinstance(policies.get(k), bool)]
        return f"{missing[0]} is required" if missing else None
    return None


# misp-policy-schema.json (mosip-config v1.2.4.2; docs/mosip/ida.md §4.1).
_MISP_REQUIRED = (
    "allowAuthRequestDelegation",
    "allowKycRequestDelegation",
    "allowKeyBindingDelegation",
)


def _auth_policy_problem(policies: dict) -> str | None:
    """auth-policy-schema.json: authTokenType random|partner|policy, allowedAuthTypes
    [{authType, authSubType?, mandatory}], allowedKycAttributes [{attributeName}]."""
    if policies.get("authTokenType") not in ("random", "partner", "policy"):
        return "authTokenType must be random, partner or policy"
    auth_types = policies.get("allowedAuthTypes")
    if not isinstance(auth_types, list):
        return "allowedAuthTypes is required"
    for item in auth_types:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("authType"), str)
            or not isinstance(item.get("mandatory"), bool)
        ):
            return "each allowed auth type needs an authType and mandatory"
    attributes = policies.get("allowedKycAttributes")
    if not isinstance(attributes, list) or not all(
        isinstance(a, dict) and isinstance(a.get("attributeName"), str)
        for a in attributes
    ):
        return "allowedKycAttributes is required"
    return None


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpolicies")
def create_policy(request):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(
        request, ("policyGroupName", "name", "desc", "policyType", "version")
    )
    if problem:
        return problem
    policy_type = str(payload["policyType"])
    if policy_type not in mosip_config.listed(
        common.SERVICE, "pmp.allowed.policy.types"
    ):
        return common.fail(
            api_id, "PMS_POL_023", f"Given policy type is not allowed {policy_type}"
        )
    group = group_by_name(str(payload["policyGroupName"]))
    if group is None:
        return common.fail(api_id, "PMS_POL_019", "Policy group name does not exist")
    name = str(payload["name"])
    if policy_in_group(group["id"], name) is not None:
        return common.fail(
            api_id, "PMS_POL_009", f"Auth policy exists with name : {name}"
        )
    shape = _policy_shape_problem(policy_type, payload.get("policies"))
    if shape:
        return common.fail(
            api_id, "PMS_POL_051", f"Policy Schema and policy are not matching/{shape}"
        )
    policy = {
        "id": str(uuid.uuid4()), "policyGroupId": group["id"], "name": name,
        "desc": str(payload["desc"]), "policyType": policy_type,
        "version": str(payload["version"]), "policies": payload["policies"],
        "status": "DRAFT", "isActive": False, "createdBy": common.caller_id(request),
        "createdAt": _now(),
    }  # fmt: skip
    get_store().put(POLICIES, policy["id"], policy)
    return common.answer(
        api_id,
        response={
            "id": policy["id"], "policyGroupName": group["name"], "name": name,
            "desc": policy["desc"], "is_Active": False, "cr_by": policy["createdBy"],
            "cr_dtimes": policy["createdAt"], "up_by": None, "upd_dtimes": None,
        },
    )  # fmt: skip


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpoliciespolicyidgrouppublish")
def publish_policy(request, policy_id: str, group_id: str):
    if request.method != "POST":
        return common.method_not_allowed()
    store = get_store()
    group = store.get(GROUPS, group_id)
    if group is None:
        return common.fail(None, "PMS_POL_016", "Policy Group ID does not exist")
    policy = store.get(POLICIES, policy_id)
    if policy is None:
        return common.fail(None, "PMS_POL_008", "Policy ID does not exist")
    if policy["policyGroupId"] != group_id:
        return common.fail(None, "PMS_POL_015", "Policy group and policy not mapped.")
    if policy["status"] == "PUBLISHED":
        return common.fail(None, "PMS_POL_020", "Can not publish the published policy")
    now = datetime.datetime.now(datetime.UTC)
    policy.update(
        status="PUBLISHED",
        isActive=True,
        publishDate=envelope.utc_timestamp(now),
        validTill=envelope.utc_timestamp(
            now + datetime.timedelta(days=POLICY_VALIDITY_DAYS)
        ),
    )
    store.put(POLICIES, policy_id, policy)
    return common.answer(None, response=_policy_view(policy, group))


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpartnerscredentialtypepolicies")
def map_credential_type(
    request, partner_id: str, credential_type: str, policy_name: str
):
    if request.method != "POST":
        return common.method_not_allowed()
    allowed = mosip_config.listed(common.SERVICE, "pmp.allowed.credential.types")
    if credential_type.lower() not in [t.lower() for t in allowed]:
        return common.fail(
            None,
            "PMS_PRT_072",
            "Given credential type is not allowed. Allowed credential types : "
            + ",".join(allowed),
        )
    partner = common.get_partner(partner_id)
    if partner is None:
        return common.fail(None, "PMS_PRT_005", "Partner does not exist")
    if not partner.get("isActive"):
        return common.fail(None, "PMS_PMP_016", "Partner is not active.")
    types = mosip_config.listed(
        common.SERVICE, "policy.credential.type.mapping.allowed.partner.types"
    )
    if partner["partnerType"].lower() not in [t.lower() for t in types]:
        return common.fail(
            None,
            "PMS_PRT_070",
            "Credential mapping allowed only for :" + ",".join(types),
        )
    policy = policy_in_group(partner.get("policyGroupId") or "", policy_name)
    if policy is None:
        return common.fail(
            None, "PMS_PRT_098", "Given policy under partner's policy group not exists."
        )
    if not policy["isActive"]:
        return common.fail(None, "PMS_PMP_019", "Policy is not active.")
    if policy.get("validTill") and envelope.parse_utc_timestamp(
        policy["validTill"]
    ) < datetime.datetime.now(datetime.UTC):
        return common.fail(None, "PMS_PMP_018", "Policy expired.")
    get_store().put(
        MAPPINGS,
        f"{partner_id}:{credential_type.lower()}",
        {
            "partnerId": partner_id, "credentialType": credential_type,
            "policyId": policy["id"], "createdBy": common.caller_id(request),
            "createdAt": _now(),
        },
    )  # fmt: skip
    return common.answer(
        None, response="Partner, policy and credentialType mapping done successfully."
    )


@security.requires(common.SERVICE, "mosip.role.pms.getpartnerscredentialtypepolicies")
def credential_type_mapping(request, partner_id: str, credential_type: str):
    if request.method != "GET":
        return common.method_not_allowed()
    policy = credential_type_policy(partner_id, credential_type)
    if policy is None:
        return common.fail(None, "PMS_PRT_064", "No details found")
    group = get_store().get(GROUPS, policy["policyGroupId"]) or {}
    return common.answer(
        None,
        response={
            "partnerId": partner_id, "credentialType": credential_type,
            "policyId": policy["id"], "policyName": policy["name"],
            "policyDesc": policy["desc"], "policyType": policy["policyType"],
            "publishDate": policy.get("publishDate"), "validTill": policy.get("validTill"),
            "status": policy["status"], "version": policy["version"],
            "policies": policy["policies"], "policyGroupName": group.get("name"),
        },
    )  # fmt: skip


_CT = "v1/partnermanager/partners/<str:partner_id>/credentialtype/<str:credential_type>"
urlpatterns = [
    path("v1/policymanager/policies/group/new", create_group),
    path("v1/policymanager/policies/group/all", all_groups),
    path("v1/policymanager/policies", create_policy),
    path(
        "v1/policymanager/policies/<str:policy_id>/group/<str:group_id>/publish",
        publish_policy,
    ),
    path(f"{_CT}/policies/<str:policy_name>", map_credential_type),
    path(f"{_CT}/policies", credential_type_mapping),
]
