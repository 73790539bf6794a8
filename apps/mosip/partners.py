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


# Authentication partners (docs/mosip/ida.md §4) ----------------------------------


def policy_map_request(
    client: MosipClient, *, partner_id: str, policy_name: str, use_case: str
) -> str:
    """POST /partners/{partnerId}/policy/map, as the partner: asks for `policy_name`
    of the partner's group. Returns the mapping key a partner manager approves;
    PMS_PRT_053 when a request is already in progress or approved."""
    response = client.call(
        "POST", f"{BASE}/{partner_id}/policy/map",
        request={"policyName": policy_name, "useCaseDescription": use_case},
        id="mosip.partnermanagement.partners.policy.mapping", version="1.0",
    )  # fmt: skip
    return str((response or {}).get("mappingkey") or "")


def policy_map_decide(
    client: MosipClient, *, mapping_key: str, status: str = "Approved"
) -> str:
    """PUT /partners/policy/{mappingkey} (partner manager or admin); PMS_PM_034 or
    PMS_PM_035 when it was decided already."""
    answer = client.call(
        "PUT", f"{BASE}/policy/{mapping_key}", request={"status": status},
        id="mosip.partnermanagement.partners.policy.status", version="1.0",
    )  # fmt: skip
    return str(answer or "")


@dataclass(frozen=True)
class ApiKey:
    api_key: str
    label: str
    policy_id: str


def api_key_generate(
    client: MosipClient, *, partner_id: str, policy_name: str, label: str
) -> ApiKey:
    """PATCH /partners/{partnerId}/generate/apikey, as the partner itself, for an
    approved policy; PMS_PRT_110 when the label is taken."""
    response = client.call(
        "PATCH", f"{BASE}/{partner_id}/generate/apikey",
        request={"policyName": policy_name, "label": label},
        id="mosip.partnermanagement.partners.generate.apikey", version="1.0",
    ) or {}  # fmt: skip
    return ApiKey(
        api_key=str(response.get("apiKey") or ""),
        label=str(response.get("label") or label),
        policy_id=str(response.get("policyId") or ""),
    )


@dataclass(frozen=True)
class MispLicence:
    licence_key: str
    status: str
    expires: str


def misp_licence_issue(client: MosipClient, *, misp_id: str) -> MispLicence:
    """POST /v1/partnermanager/misps, as the MISP: its licence key. PMS_MSP_416
    when the MISP holds one already."""
    response = client.call(
        "POST", "/v1/partnermanager/misps", request={"providerId": misp_id},
        id="mosip.partnermanagement.misp.license.generate", version="1.0",
    ) or {}  # fmt: skip
    return MispLicence(
        licence_key=str(response.get("licenseKey") or ""),
        status=str(response.get("licenseKeyStatus") or ""),
        expires=str(response.get("licenseKeyExpiry") or ""),
    )


# OIDC clients of authentication partners (docs/mosip/esignet.md §9) ---------------


@dataclass(frozen=True)
class OidcClient:
    client_id: str
    status: str
    claims: tuple[str, ...] = ()
    acr_values: tuple[str, ...] = ()
    redirect_uris: tuple[str, ...] = ()


def oidc_client_create(
    client: MosipClient,
    *,
    name: str,
    policy_id: str,
    public_jwk: dict,
    partner_id: str,
    logo_uri: str,
    redirect_uris: list[str],
) -> OidcClient:
    """POST /v1/partnermanager/oidc/client: PMS creates the auth partner's OIDC client
    in e-Signet with its own token and names it (the id is PMS's, derived from the
    key). Claims and ACRs come from the policy (docs/mosip/esignet.md §9)."""
    response = client.call(
        "POST",
        "/v1/partnermanager/oidc/client",
        request={
            "name": name,
            "policyId": policy_id,
            "publicKey": public_jwk,
            "authPartnerId": partner_id,
            "logoUri": logo_uri,
            "redirectUris": redirect_uris,
            "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"],
        },
        id="mosip.pms.oidc.client.create",
        version="v1",
    )
    response = response or {}
    return OidcClient(
        client_id=str(response.get("clientId") or ""),
        status=str(response.get("status") or ""),
    )


def oidc_client_get(client: MosipClient, client_id: str) -> OidcClient:
    """GET /v1/partnermanager/oidc/client/{client_id}; PMS_IDP_004 when unknown."""
    response = client.call("GET", f"/v1/partnermanager/oidc/client/{client_id}") or {}
    return OidcClient(
        client_id=str(response.get("id") or client_id),
        status=str(response.get("status") or ""),
        claims=tuple(response.get("claims") or ()),
        acr_values=tuple(response.get("acrValues") or ()),
        redirect_uris=tuple(response.get("redirectUris") or ()),
    )
