"""MISP licence keys (PMS v1.2.0.1 MISPLicenseController, InfraProviderServiceImpl;
docs/mosip/ida.md §4.2).

`POST /v1/partnermanager/misps` {"providerId"} (`mosip.role.pms.postmisplicense`), in
PMS's order: the caller acts for the MISP (or is a partner admin, PMS_PRT_055); the
MISP has no licence yet (PMS_MSP_416); it exists (PMS_MSP_005); its type is
`mosip.pms.misp.partner.type` (PMS_MSP_009); it is active, i.e. has its certificate
(PMS_MSP_405); policy requests it made are all approved (PMS_MSP_418). The key is
`mosip.kernel.idgenerator.misp.license-key-length` letters and digits, valid
`mosip.pmp.misp.license.expiry.period.indays` days.

IDA learns of the licence through PMS's MISP_LICENSE_GENERATED event; the sandbox's
IDA reads it here (`licence`).
"""

import datetime
import secrets
import string

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import mosip_config, security
from apps.mosip_sandbox.partners import common, policy_requests
from apps.mosip_sandbox.store import get_store

LICENCES = "pms_misp_licenses"
_ALPHABET = string.digits + string.ascii_lowercase + string.ascii_uppercase


def licence(key: str) -> dict | None:
    return get_store().get(LICENCES, key) if key else None


def licences_of(misp_id: str) -> list[dict]:
    return get_store().find(LICENCES, mispId=misp_id)


def local_datetime(moment: datetime.datetime) -> str:
    """A Java LocalDateTime as Spring's Jackson writes it (UTC, no zone)."""
    return (
        moment.astimezone(datetime.UTC)
        .replace(tzinfo=None)
        .isoformat(timespec="milliseconds")
    )


def _int_property(name: str, default: int) -> int:
    try:
        return int(str(mosip_config.value(common.SERVICE, name, str(default))).strip())
    except ValueError:
        return default


def generate(misp_id: str, created_by: str, policy_id: str | None = None) -> dict:
    now = datetime.datetime.now(datetime.UTC)
    days = _int_property("mosip.pmp.misp.license.expiry.period.indays", 90)
    length = _int_property("mosip.kernel.idgenerator.misp.license-key-length", 50)
    doc = {
        "mispId": misp_id,
        "licenseKey": "".join(secrets.choice(_ALPHABET) for _ in range(length)),
        "validFrom": now.isoformat(),
        "validTo": (now + datetime.timedelta(days=days)).isoformat(),
        "isActive": True,
        "policyId": policy_id,
        "createdBy": created_by,
    }
    get_store().put(LICENCES, doc["licenseKey"], doc)
    return doc


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postmisplicense")
def generate_licence(request):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(request, ("providerId",))
    if problem:
        return problem
    misp_id = str(payload["providerId"])
    if not common.logged_in_user_may_act_for(request, misp_id):
        return common.fail(api_id, *common.NOT_AUTHORISED)
    if licences_of(misp_id):
        return common.fail(
            api_id, "PMS_MSP_416", "License key exists for the given provider."
        )
    partner = common.get_partner(misp_id)
    if partner is None:
        return common.fail(api_id, "PMS_MSP_005", "MISP Partner does not exist")
    misp_type = mosip_config.value(
        common.SERVICE, "mosip.pms.misp.partner.type", "MISP_Partner"
    )
    if str(partner["partnerType"]).lower() != str(misp_type).lower():
        return common.fail(api_id, "PMS_MSP_009", "Given provider is not valid")
    if not partner.get("isActive"):
        return common.fail(api_id, "PMS_MSP_405", "MISP partner is not active.")
    requests_made = policy_requests.requests_of(misp_id)
    if any(r["statusCode"].lower() != policy_requests.APPROVED for r in requests_made):
        return common.fail(api_id, "PMS_MSP_418", "Policy not approved.")
    policy_id = requests_made[0]["policyId"] if requests_made else None
    doc = generate(misp_id, common.caller_id(request), policy_id)
    return common.answer(
        api_id,
        response={
            "providerId": misp_id,
            "licenseKey": doc["licenseKey"],
            "licenseKeyStatus": "Active",
            "licenseKeyExpiry": local_datetime(
                datetime.datetime.fromisoformat(doc["validTo"])
            ),
        },
    )


urlpatterns = [
    path("v1/partnermanager/misps", generate_licence),
]
