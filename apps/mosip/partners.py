"""Partner and policy management: the credential partner, its certificates, its
policy (docs/mosip/credential-partner.md; docs/mosip/onboarding-websub.md §5.1).

Who calls what (PMS v1.2.0.1): a partner admin uploads CA certificates and keeps
policy groups and policies; the partner's own user (its user name is the partner
id) registers the partner, uploads its certificate and maps a credential type to
its policy. Credentials are encrypted for the certificate MOSIP answers the upload
with: the partner's key, re-signed by MOSIP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.mosip.config import MosipClient

BASE = "/v1/partnermanager/partners"
POLICIES = "/v1/policymanager/policies"


def partner_register(
    client: MosipClient,
    *,
    partner_id: str,
    organization_name: str,
    address: str,
    contact_number: str,
    email: str,
    policy_group: str,
    partner_type: str = "Credential_Partner",
    lang: str = "eng",
) -> str:
    """POST /v1/partnermanager/partners (self-registration). Returns the partner's
    status. MosipRejected PMS_PRT_011 (e-mail taken, checked first) or PMS_PRT_051
    (id taken) when it exists; PMS_PRT_002 when the policy group does not."""
    request = {
        "partnerId": partner_id,
        "organizationName": organization_name,
        "address": address,
        "contactNumber": contact_number,
        "emailId": email,
        "partnerType": partner_type,
        "policyGroup": policy_group,
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


def ca_certificate_upload(
    client: MosipClient, *, certificate_pem: str, partner_domain: str = "AUTH"
) -> str:
    """POST /v1/partnermanager/partners/certificate/ca/upload (PARTNER_ADMIN): a CA
    MOSIP then trusts for the domain. Returns the upload status; MosipRejected
    KER-PCM-003 when it is there already."""
    response = client.call(
        "POST",
        f"{BASE}/certificate/ca/upload",
        request={"certificateData": certificate_pem, "partnerDomain": partner_domain},
        id="mosip.partnermanagement.partners.certificate.ca.upload",
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
    certificate, issued by an uploaded CA, O= the partner's organisation. MOSIP
    answers the certificate it will encrypt to: the same key re-signed by MOSIP."""
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


def credential_type_policy_map(
    client: MosipClient, *, partner_id: str, credential_type: str, policy_name: str
) -> str:
    """POST /partners/{partnerId}/credentialtype/{credentialType}/policies/{policyName}:
    MOSIP's credential service uses that policy for that credential type."""
    response = client.call(
        "POST",
        f"{BASE}/{partner_id}/credentialtype/{credential_type}/policies/{policy_name}",
    )
    return str(response or "")


def policy_groups(client: MosipClient) -> list[dict[str, Any]]:
    """GET /v1/policymanager/policies/group/all: [{"policyGroup", "policies"}]."""
    return list(client.call("GET", f"{POLICIES}/group/all") or [])


def policy_group_create(client: MosipClient, *, name: str, desc: str) -> dict:
    """POST /v1/policymanager/policies/group/new; PMS_POL_014 when the name is taken."""
    return client.call(
        "POST", f"{POLICIES}/group/new", request={"name": name, "desc": desc},
        id="mosip.partnermanagement.policy.group.create", version="1.0",
    )  # fmt: skip


def policy_create(
    client: MosipClient, *, group: str, name: str, desc: str, policies: dict,
    policy_type: str = "DataShare", version: str = "1.0",
) -> dict:  # fmt: skip
    """POST /v1/policymanager/policies: a draft policy in the group (by name)."""
    return client.call(
        "POST", POLICIES,
        request={"policyGroupName": group, "name": name, "desc": desc,
                 "policyType": policy_type, "version": version, "policies": policies},
        id="mosip.partnermanagement.policy.create", version="1.0",
    )  # fmt: skip


def policy_publish(client: MosipClient, *, policy_id: str, group_id: str) -> dict:
    """POST /v1/policymanager/policies/{policyId}/group/{policygroupId}/publish."""
    return client.call("POST", f"{POLICIES}/{policy_id}/group/{group_id}/publish")
