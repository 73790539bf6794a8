"""PMS certificate uploads (PartnerServiceImpl v1.2.0.1; docs/mosip/credential-partner.md §1).

`POST /v1/partnermanager/partners/certificate/ca/upload` (role property
`mosip.role.pms.postpartnerscacertificateupload`): {"certificateData", "partnerDomain"}
goes to keymanager's CA upload; answers {"status", "timestamp"}.

`POST /v1/partnermanager/partners/certificate/upload` (role property
`mosip.role.pms.postpartnerscertificateupload`): {"partnerId", "certificateData",
"partnerDomain"}. Only the partner itself or a partner admin (PMS_PRT_055); the
partner must exist (PMS_PRT_005); keymanager checks the certificate against the
partner's organisation name and re-signs it. PMS answers {"certificateId",
"signedCertificateData": <the re-signed certificate, PEM>, "timestamp"}, activates
the partner, and from then on credentials are encrypted for the re-signed one.
Keymanager's refusals (KER-PCM-…) come back under their own codes.
"""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import partnercerts, security
from apps.mosip_sandbox.partners import common
from apps.mosip_sandbox.store import get_store

APPROVED = "approved"


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpartnerscacertificateupload")
def upload_ca_certificate(request):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(
        request, ("certificateData", "partnerDomain")
    )
    if problem:
        return problem
    try:
        result = partnercerts.upload_ca(
            payload["certificateData"], payload["partnerDomain"]
        )
    except partnercerts.PartnerCertError as exc:
        return common.fail(api_id, exc.code, exc.message)
    return common.answer(api_id, response=result)


@csrf_exempt
@security.requires(common.SERVICE, "mosip.role.pms.postpartnerscertificateupload")
def upload_partner_certificate(request):
    if request.method != "POST":
        return common.method_not_allowed()
    api_id, payload, problem = common.read_request(
        request, ("partnerId", "certificateData", "partnerDomain")
    )
    if problem:
        return problem
    partner_id = str(payload["partnerId"])
    if not common.logged_in_user_may_act_for(request, partner_id):
        return common.fail(api_id, *common.NOT_AUTHORISED)
    partner = common.get_partner(partner_id)
    if partner is None:
        return common.fail(api_id, "PMS_PRT_005", "Partner does not exist")
    try:
        result = partnercerts.upload_partner(
            payload["certificateData"],
            partner["organizationName"],
            payload["partnerDomain"],
        )
    except partnercerts.PartnerCertError as exc:
        return common.fail(api_id, exc.code, exc.message)
    signed = partnercerts.pem(result["signedCertificate"])
    partner.update(
        certificateId=result["certificateId"],
        signedCertificate=signed,
        partnerDomain=str(payload["partnerDomain"]).upper(),
        isActive=True,
        approvalStatus=APPROVED,
        updatedBy=common.caller_id(request),
    )
    get_store().put(common.PARTNERS, partner_id, partner)
    common.remember_base_url(request)
    return common.answer(
        api_id,
        response={
            "certificateId": result["certificateId"],
            "signedCertificateData": signed,
            "timestamp": result["timestamp"],
        },
    )


urlpatterns = [
    path("v1/partnermanager/partners/certificate/ca/upload", upload_ca_certificate),
    path("v1/partnermanager/partners/certificate/upload", upload_partner_certificate),
]
