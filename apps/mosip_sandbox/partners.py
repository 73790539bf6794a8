"""Partner management, the minimum a credential partner needs (onboarding-websub.md §5.1).

MOSIP side (Cookie auth, kernel envelopes):
- `POST /v1/partnermanager/partners`: self-registration of a partner.
- `POST /v1/partnermanager/partners/certificate/upload`: the partner's PEM
  certificate; credentials are encrypted to it.

Which partner receives credentials for which process, and what its policy shares,
is MOSIP configuration (`registration-processor-credential-partners.json` plus the
partner's policy), not an API. The sandbox exposes it as its own endpoint:

    POST /sandbox/api/credential-partners
    {"partnerId": "crvs-partner", "process": ["CRVS_NEW"], "credentialType": "vercred",
     "shareUin": true, "sharedAttributes": ["fullName", "dateOfBirth", "gender"]}
    GET  /sandbox/api/credential-partners
    DELETE /sandbox/api/credential-partners/<partnerId>

The VID always goes in the credential; the UIN only when `shareUin` is true.
"""

import os
import uuid

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, security
from apps.mosip_sandbox.store import get_store

PARTNERS = "partners"
CREDENTIAL_PARTNERS = "credential_partners"
PARTNER_TYPES = {
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
}
REGISTRATION_FIELDS = (
    "partnerId",
    "organizationName",
    "address",
    "contactNumber",
    "emailId",
    "partnerType",
    "policyGroup",
    "langCode",
)
PARTNER_ROLES = (
    "PARTNER_ADMIN",
    "PMS_ADMIN",
    "PMS_USER",
    "PARTNER",
    "CREDENTIAL_PARTNER",
)
DEFAULT_SHARED_ATTRIBUTES = ["fullName", "dateOfBirth", "gender"]


def get_partner(partner_id: str) -> dict | None:
    return get_store().get(PARTNERS, partner_id)


def credential_partners_for(process: str) -> list[dict]:
    return [
        doc
        for doc in get_store().all(CREDENTIAL_PARTNERS)
        if process in doc.get("process", [])
    ]


def public_base_url() -> str:
    """Where partners can reach the sandbox (issuer and key URLs in credentials):
    MOSIP_SANDBOX_PUBLIC_URL, else the address last used to configure partners."""
    configured = os.environ.get("MOSIP_SANDBOX_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    remembered = get_store().get("settings", "public_url") or {}
    return remembered.get("url", "http://127.0.0.1")


def remember_base_url(request) -> None:
    get_store().put(
        "settings", "public_url", {"url": request.build_absolute_uri("/").rstrip("/")}
    )


def _missing(field: str):
    return envelope.error("PMS_COR_001", f"Missing Input Parameter - request.{field}")


def _answer(id_: str, response=None, errors=None):
    return envelope.respond(id=id_, version="1.0", response=response, errors=errors)


def _request_body(request) -> dict | None:
    body = envelope.read_json(request)
    payload = body.get("request") if isinstance(body, dict) else None
    return payload if isinstance(payload, dict) else None


@csrf_exempt
@security.requires("partner-management", PARTNER_ROLES)
def register_partner(request):
    api_id = "mosip.partnermanagement.partners.register"
    if request.method != "POST":
        return JsonResponse({"status": 405, "error": "Method Not Allowed"}, status=405)
    try:
        payload = _request_body(request)
    except envelope.BadJson:
        return envelope.bad_json_response()
    if payload is None:
        return _answer(api_id, errors=[_missing("request")])
    for field in REGISTRATION_FIELDS:
        if not str(payload.get(field) or "").strip():
            return _answer(api_id, errors=[_missing(field)])
    if payload["partnerType"] not in PARTNER_TYPES:
        return _answer(
            api_id,
            errors=[envelope.error("PMS_PRT_008", "Invalid Partner Type")],
        )
    partner_id = str(payload["partnerId"])
    doc = {field: payload[field] for field in REGISTRATION_FIELDS}
    doc.update(status="InProgress", certificate=None, certificateId=None)
    if not get_store().insert(PARTNERS, partner_id, doc):
        return _answer(
            api_id,
            errors=[envelope.error("PMS_PRT_001", "Partner already exists")],
        )
    remember_base_url(request)
    return _answer(api_id, response={"partnerId": partner_id, "status": "InProgress"})


@csrf_exempt
@security.requires("partner-management", PARTNER_ROLES)
def upload_certificate(request):
    api_id = "mosip.partnermanagement.partners.certificate.upload"
    if request.method != "POST":
        return JsonResponse({"status": 405, "error": "Method Not Allowed"}, status=405)
    try:
        payload = _request_body(request)
    except envelope.BadJson:
        return envelope.bad_json_response()
    if payload is None:
        return _answer(api_id, errors=[_missing("request")])
    for field in ("partnerId", "certificateData", "partnerDomain"):
        if not str(payload.get(field) or "").strip():
            return _answer(api_id, errors=[_missing(field)])
    partner = get_partner(str(payload["partnerId"]))
    if partner is None:
        return _answer(
            api_id, errors=[envelope.error("PMS_PRT_005", "Partner does not exist")]
        )
    try:
        certificate = x509.load_pem_x509_certificate(
            str(payload["certificateData"]).encode()
        )
    except ValueError:
        return _answer(
            api_id,
            errors=[envelope.error("KER-PCM-001", "Invalid Certificate Data")],
        )
    if not isinstance(certificate.public_key(), rsa.RSAPublicKey):
        return _answer(
            api_id,
            errors=[envelope.error("KER-PCM-001", "Invalid Certificate Data")],
        )
    now = envelope.parse_utc_timestamp(envelope.utc_timestamp())
    if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
        return _answer(
            api_id,
            errors=[envelope.error("KER-PCM-008", "Certificate Date is not valid")],
        )
    certificate_id = str(uuid.uuid4())
    partner.update(
        certificate=str(payload["certificateData"]),
        certificateId=certificate_id,
        partnerDomain=payload["partnerDomain"],
    )
    get_store().put(PARTNERS, partner["partnerId"], partner)
    remember_base_url(request)
    return _answer(
        api_id,
        response={
            "certificateId": certificate_id,
            "signedCertificateData": partner["certificate"],
            "timestamp": envelope.utc_timestamp(),
        },
    )


def _bad(message: str):
    return JsonResponse({"error": message}, status=400)


@csrf_exempt
def credential_partners(request):
    if request.method == "GET":
        return JsonResponse({"partners": get_store().all(CREDENTIAL_PARTNERS)})
    if request.method != "POST":
        return JsonResponse({"error": "method not allowed"}, status=405)
    try:
        spec = envelope.read_json(request)
    except envelope.BadJson:
        return _bad("body must be JSON")
    if not isinstance(spec, dict) or not isinstance(spec.get("partnerId"), str):
        return _bad("partnerId is required")
    if get_partner(spec["partnerId"]) is None:
        return _bad("the partner is not registered")
    processes = spec.get("process", ["CRVS_NEW"])
    attributes = spec.get("sharedAttributes", DEFAULT_SHARED_ATTRIBUTES)
    if not _string_list(processes) or not processes:
        return _bad("process must be a non-empty list of process names")
    if not _string_list(attributes):
        return _bad("sharedAttributes must be a list of identity field names")
    doc = {
        "partnerId": spec["partnerId"],
        "process": processes,
        "credentialType": str(spec.get("credentialType", "vercred")),
        "shareUin": bool(spec.get("shareUin", False)),
        "sharedAttributes": attributes,
    }
    get_store().put(CREDENTIAL_PARTNERS, spec["partnerId"], doc)
    remember_base_url(request)
    return JsonResponse(doc, status=201)


def _string_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@csrf_exempt
def credential_partner(request, partner_id: str):
    if request.method != "DELETE":
        return JsonResponse({"error": "method not allowed"}, status=405)
    if not get_store().delete(CREDENTIAL_PARTNERS, partner_id):
        return JsonResponse({"error": "not configured"}, status=404)
    return JsonResponse({"status": "deleted"})


urlpatterns = [
    path("v1/partnermanager/partners", register_partner),
    path("v1/partnermanager/partners/certificate/upload", upload_certificate),
    path("sandbox/api/credential-partners", credential_partners),
    path("sandbox/api/credential-partners/<str:partner_id>", credential_partner),
]
