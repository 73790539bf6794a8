"""The sandbox's own IDA test API (not part of MOSIP; docs/mosip/ida.md §8).

- `POST /sandbox/api/ida/partners`: an authentication partner ready to call IDA in
  one step, with what PMS would hold after the MOSIP flow of §4 (certificates
  uploaded and re-signed, an Auth policy published and approved, an API key, a MISP
  with its licence key). Body, every field optional: `partnerId`, `organizationName`,
  `mispId`, `authTypes` (default demo, otp, otp-request), `mandatory` (auth types the
  policy makes mandatory), `authTokenType` (default partner), `certificate` and
  `caCertificate` (PEM; without them the sandbox makes a CA and a key and returns
  the key). Answers the ids and keys, the partner's MOSIP-signed certificate (what the
  `signature` header's `x5c` must carry) and IDA's encryption certificate.
- `GET /sandbox/api/ida/otps[?individualId=]`: the OTPs IDA "sent", oldest first.
"""

import datetime
import json
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import envelope, partnercerts
from apps.mosip_sandbox.ida import keys, otp
from apps.mosip_sandbox.partners import apikeys, common, misp, policies, policy_requests
from apps.mosip_sandbox.store import get_store

DEFAULT_AUTH_TYPES = ("demo", "otp", "otp-request")
CREATED_BY = "sandbox"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(
    common_name, organisation, key, issuer=None, issuer_key=None, ca=False
):
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def _pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _certified_partner(partner_id, partner_type, organisation, domain, spec) -> dict:
    """Register and certify a partner as PMS leaves it after self-registration and
    the certificate uploads; returns the partner document plus the key it was made
    with, if the sandbox made it."""
    private_pem = None
    if spec.get("certificate"):
        cert_pem, ca_pem = spec["certificate"], spec.get("caCertificate")
    else:
        ca_key, leaf_key = _key(), _key()
        ca = _certificate(f"{organisation} CA", organisation, ca_key, ca=True)
        leaf = _certificate(partner_id, organisation, leaf_key, ca, ca_key)
        cert_pem, ca_pem = _pem(leaf), _pem(ca)
        private_pem = leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    if ca_pem:
        try:
            partnercerts.upload_ca(ca_pem, domain)
        except partnercerts.PartnerCertError as exc:
            if exc.code != partnercerts.CERTIFICATE_EXIST[0]:
                raise
    uploaded = partnercerts.upload_partner(cert_pem, organisation, domain)
    doc = {
        "partnerId": partner_id, "organizationName": organisation,
        "address": "Sandbox", "contactNumber": "+10000000000",
        "emailId": f"{partner_id}@sandbox.invalid", "partnerType": partner_type,
        "policyGroupId": spec.get("policyGroupId"), "langCode": "eng",
        "approvalStatus": "approved", "isActive": True, "createdBy": CREATED_BY,
        "certificateId": uploaded["certificateId"],
        "signedCertificate": partnercerts.pem(uploaded["signedCertificate"]),
        "partnerDomain": domain,
    }  # fmt: skip
    get_store().put(common.PARTNERS, partner_id, doc)
    return {**doc, "privateKey": private_pem}


def _auth_policy(group_id: str, name: str, spec: dict) -> dict:
    now = datetime.datetime.now(datetime.UTC)
    mandatory = set(spec.get("mandatory") or [])
    allowed = [
        {"authType": kind, "authSubType": "", "mandatory": kind in mandatory}
        for kind in spec.get("authTypes") or DEFAULT_AUTH_TYPES
    ]
    policy = {
        "id": str(uuid.uuid4()), "policyGroupId": group_id, "name": name,
        "desc": "sandbox authentication policy", "policyType": "Auth",
        "version": "1.0",
        "policies": {
            "authTokenType": spec.get("authTokenType") or "partner",
            "allowedAuthTypes": allowed, "allowedKycAttributes": [],
        },
        "status": "PUBLISHED", "isActive": True, "createdBy": CREATED_BY,
        "createdAt": envelope.utc_timestamp(now),
        "publishDate": envelope.utc_timestamp(now),
        "validTill": envelope.utc_timestamp(
            now + datetime.timedelta(days=policies.POLICY_VALIDITY_DAYS)
        ),
    }  # fmt: skip
    get_store().put(policies.POLICIES, policy["id"], policy)
    return policy


def create_auth_partner(spec: dict) -> dict:
    suffix = uuid.uuid4().hex[:8]
    partner_id = str(spec.get("partnerId") or f"auth-partner-{suffix}")
    organisation = str(spec.get("organizationName") or f"Auth partner {suffix}")
    misp_id = str(spec.get("mispId") or f"misp-{suffix}")
    store = get_store()
    group = {
        "id": str(uuid.uuid4()), "name": f"{partner_id}-group",
        "desc": "sandbox authentication partners", "isActive": True,
        "createdBy": CREATED_BY, "createdAt": envelope.utc_timestamp(),
    }  # fmt: skip
    store.put(policies.GROUPS, group["id"], group)
    policy = _auth_policy(group["id"], f"{partner_id}-policy", spec)
    partner = _certified_partner(
        partner_id, "Auth_Partner", organisation, "AUTH",
        {**spec, "policyGroupId": group["id"]},
    )  # fmt: skip
    _certified_partner(misp_id, "MISP_Partner", f"{organisation} MISP", "MISP", {})
    mapping_key = str(uuid.uuid4().int % 1_000_000)
    store.put(
        policy_requests.REQUESTS,
        mapping_key,
        {"id": mapping_key, "partnerId": partner_id, "policyId": policy["id"],
         "statusCode": policy_requests.APPROVED, "useCaseDescription": "sandbox",
         "createdBy": CREATED_BY},
    )  # fmt: skip
    now = datetime.datetime.now(datetime.UTC)
    api_key = str(uuid.uuid4().int % 1_000_000)
    store.put(
        apikeys.PARTNER_POLICIES,
        f"{partner_id}:{api_key}",
        {"partnerId": partner_id, "policyId": policy["id"], "label": "sandbox",
         "isActive": True, "apiKey": api_key, "validFrom": now.isoformat(),
         "validTo": (now + datetime.timedelta(days=90)).isoformat(),
         "createdBy": CREATED_BY},
    )  # fmt: skip
    licence = misp.generate(misp_id, CREATED_BY)
    return {
        "partnerId": partner_id,
        "organizationName": organisation,
        "mispId": misp_id,
        "licenseKey": licence["licenseKey"],
        "apiKey": api_key,
        "policyId": policy["id"],
        "policyGroup": group["name"],
        "signedCertificate": partner["signedCertificate"],
        "privateKey": partner["privateKey"],
        "idaCertificate": keys.partner_certificate_pem(),
    }


@csrf_exempt
@require_POST
def partners_view(request):
    try:
        spec = json.loads(request.body or b"{}")
        if not isinstance(spec, dict):
            raise ValueError("a JSON object is expected")
        return JsonResponse(create_auth_partner(spec))
    except (ValueError, TypeError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    except partnercerts.PartnerCertError as exc:
        return JsonResponse({"error": f"{exc.code}: {exc.message}"}, status=400)


@require_GET
def otps_view(request):
    return JsonResponse({"otps": otp.sent(request.GET.get("individualId"))})
