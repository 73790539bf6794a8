"""Partner management: the credential partner and its certificate
(onboarding-websub.md §5.1). Credentials are encrypted to the uploaded certificate."""

from __future__ import annotations

from dataclasses import dataclass

from apps.mosip.config import MosipClient

BASE = "/v1/partnermanager/partners"


def partner_register(
    client: MosipClient,
    *,
    partner_id: str,
    organization_name: str,
    address: str,
    contact_number: str,
    email: str,
    partner_type: str = "Credential_Partner",
    policy_group: str = "",
    lang: str = "eng",
) -> str:
    """POST /v1/partnermanager/partners (self-registration). Returns the partner's
    status; MosipRejected PMS_PRT_001 when the partner already exists."""
    request = {
        "partnerId": partner_id,
        "organizationName": organization_name,
        "address": address,
        "contactNumber": contact_number,
        "emailId": email,
        "partnerType": partner_type,
        "policyGroup": policy_group or organization_name,
        "langCode": lang,
    }
    response = client.call(
        "POST",
        BASE,
        request=request,
        id="mosip.partnermanagement.partners.register",
        version="1.0",
    )
    return str((response or {}).get("status") or "")


@dataclass(frozen=True)
class UploadedCertificate:
    certificate_id: str
    signed_certificate: str


def partner_certificate_upload(
    client: MosipClient,
    *,
    partner_id: str,
    certificate_pem: str,
    partner_domain: str = "AUTH",
) -> UploadedCertificate:
    """POST /v1/partnermanager/partners/certificate/upload: the partner's PEM
    certificate (RSA). MOSIP answers the certificate it will encrypt to, possibly
    re-signed by its own CA."""
    response = client.call(
        "POST",
        f"{BASE}/certificate/upload",
        request={
            "partnerId": partner_id,
            "certificateData": certificate_pem,
            "partnerDomain": partner_domain,
        },
        id="mosip.partnermanagement.partners.certificate.upload",
        version="1.0",
    )
    response = response or {}
    return UploadedCertificate(
        certificate_id=str(response.get("certificateId") or ""),
        signed_certificate=str(response.get("signedCertificateData") or ""),
    )
