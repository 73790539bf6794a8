"""Onboarding an authentication partner through PMS's own APIs, as MOSIP 1.2 requires
it (docs/mosip/ida.md §4), then authenticating with what PMS issued."""

import requests
from cryptography.hazmat.primitives import serialization

from tests.mosip_sandbox.ida_client import Partner
from tests.mosip_sandbox.partner_setup import (
    Chain,
    admin,
    call,
    cookie,
    create_group,
    group_id,
    upload_ca,
)
from tests.mosip_sandbox.test_ida import issue, text

GROUP = "auth-partners"
POLICY = "demo-auth-policy"
AUTH_ID, AUTH_ORG = "crvs-auth", "Civil Registry Auth"
MISP_ID, MISP_ORG = "crvs-misp", "Civil Registry MISP"


def auth_policy(**overrides) -> dict:
    return {
        "authTokenType": "partner",
        "allowedAuthTypes": [
            {"authType": "demo", "authSubType": "", "mandatory": False},
            {"authType": "otp", "authSubType": "", "mandatory": False},
            {"authType": "otp-request", "authSubType": "", "mandatory": False},
        ],
        "allowedKycAttributes": [],
        **overrides,
    }


def as_(url, partner_id, role):
    return cookie(url, partner_id, [role])


def certify(url, partner_id, organisation, partner_type, domain, group=None) -> Chain:
    chain = Chain(organisation)
    registered = call(url, "POST", "/v1/partnermanager/partners",
                      as_(url, partner_id, "PARTNER"), {
                          "partnerId": partner_id, "organizationName": organisation,
                          "address": "1 Registry Road", "contactNumber": "+10000000",
                          "emailId": f"{partner_id}@example.org",
                          "partnerType": partner_type, "langCode": "eng",
                          **({"policyGroup": group} if group else {})})  # fmt: skip
    assert registered["errors"] is None, registered
    assert upload_ca(url, chain.ca_pem, domain=domain)["errors"] is None
    uploaded = call(url, "POST", "/v1/partnermanager/partners/certificate/upload",
                    as_(url, partner_id, "PARTNER"),
                    {"partnerId": partner_id, "certificateData": chain.pem,
                     "partnerDomain": domain})  # fmt: skip
    assert uploaded["errors"] is None, uploaded
    chain.signed_pem = uploaded["response"]["signedCertificateData"]
    return chain


def publish_auth_policy(url, policies=None) -> dict:
    assert create_group(url, GROUP)["errors"] is None
    created = call(url, "POST", "/v1/policymanager/policies", admin(url), {
        "policyGroupName": GROUP, "name": POLICY, "desc": "UIN checks",
        "policyType": "Auth", "version": "1.0",
        "policies": policies or auth_policy()})  # fmt: skip
    assert created["errors"] is None, created
    path = (
        f"/v1/policymanager/policies/{created['response']['id']}"
        f"/group/{group_id(url, GROUP)}/publish"
    )
    assert call(url, "POST", path, admin(url))["errors"] is None
    return created["response"]


def request_policy(url, partner_id=AUTH_ID, headers=None) -> dict:
    return call(url, "POST", f"/v1/partnermanager/partners/{partner_id}/policy/map",
                headers or as_(url, partner_id, "AUTH_PARTNER"),
                {"policyName": POLICY, "useCaseDescription": "verify UINs"})  # fmt: skip


def decide(url, mapping_key, status="Approved") -> dict:
    return call(url, "PUT", f"/v1/partnermanager/partners/policy/{mapping_key}",
                admin(url), {"status": status})  # fmt: skip


def generate_key(url, partner_id=AUTH_ID, headers=None, label="portal") -> dict:
    return call(url, "PATCH", f"/v1/partnermanager/partners/{partner_id}/generate/apikey",
                headers or as_(url, partner_id, "AUTH_PARTNER"),
                {"policyName": POLICY, "label": label})  # fmt: skip


def licence(url, misp_id=MISP_ID, headers=None) -> dict:
    return call(url, "POST", "/v1/partnermanager/misps",
                headers or as_(url, misp_id, "MISP_PARTNER"), {"providerId": misp_id})  # fmt: skip


def test_a_partner_onboarded_through_pms_authenticates(mosip_sandbox):
    url = mosip_sandbox.url
    publish_auth_policy(url)
    chain = certify(url, AUTH_ID, AUTH_ORG, "Auth_Partner", "AUTH", GROUP)
    certify(url, MISP_ID, MISP_ORG, "MISP_Partner", "MISP")
    issued = licence(url)
    assert issued["errors"] is None, issued
    assert issued["response"]["licenseKeyStatus"] == "Active"
    assert len(issued["response"]["licenseKey"]) == 50
    requested = request_policy(url)
    assert requested["response"]["message"] == (
        "Policy mapping request submitted successfully."
    )
    assert decide(url, requested["response"]["mappingkey"])["response"] == (
        "Policy mapping approved successfully"
    )
    key = generate_key(url)
    assert key["errors"] is None, key
    partner = Partner(
        url=url,
        partner_id=AUTH_ID,
        licence_key=issued["response"]["licenseKey"],
        api_key=key["response"]["apiKey"],
        private_key_pem=_pkcs8(chain.key),
        certificate_pem=chain.signed_pem,
        ida_certificate_pem=requests.get(f"{url}/mosip-certs/ida-partner.cer").text,
    )
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(
        number, demographics={"name": text("Amina Yusuf Haddad")}
    )
    assert response.json()["response"]["authStatus"] is True
    # The certificate the partner's own CA issued is trusted, but it is not the one
    # PMS re-signed and published to IDA.
    partner.certificate_pem = chain.pem
    refused = partner.authenticate(number, demographics={"name": text("Amina")})
    assert [e["errorCode"] for e in refused.json()["errors"]] == [
        "IDA-MLC-007",
        "IDA-MPA-021",
    ]


def _pkcs8(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_pms_refusals_on_the_way_to_an_api_key(mosip_sandbox):
    url = mosip_sandbox.url
    publish_auth_policy(url)
    certify(url, AUTH_ID, AUTH_ORG, "Auth_Partner", "AUTH", GROUP)
    assert generate_key(url)["errors"][0]["errorCode"] == "PMS_PRT_109"
    mapping = request_policy(url)["response"]["mappingkey"]
    assert request_policy(url)["errors"][0] == {
        "errorCode": "PMS_PRT_053",
        "message": "Mapping exists for given policy and partner and is in InProgress state.",
    }
    assert decide(url, mapping, "Maybe")["errors"][0]["errorCode"] == "PMS_PM_045"
    assert decide(url, mapping)["errors"] is None
    assert decide(url, mapping)["errors"][0]["errorCode"] == "PMS_PM_034"
    # Only the partner itself generates its key: a partner admin lacks the role, and
    # another authentication partner is not this one.
    assert generate_key(url, headers=admin(url))["errors"][0]["errorCode"] == (
        "KER-ATH-403"
    )
    other = as_(url, "someone-else", "AUTH_PARTNER")
    assert generate_key(url, headers=other)["errors"][0]["errorCode"] == "PMS_PRT_055"
    assert generate_key(url)["errors"] is None
    assert generate_key(url)["errors"][0]["errorCode"] == "PMS_PRT_110"


def test_one_policy_request_any_case_approval_then_the_key(mosip_sandbox):
    """PMS keeps one record of policy requests: a partner admin may ask on the
    partner's behalf, another partner may not; "APPROVED" in any case is stored as
    PMS's "approved", which the API key then finds (docs/mosip/ida.md §4.3)."""
    url = mosip_sandbox.url
    publish_auth_policy(url)
    certify(url, AUTH_ID, AUTH_ORG, "Auth_Partner", "AUTH", GROUP)
    other = as_(url, "someone-else", "AUTH_PARTNER")
    assert request_policy(url, headers=other)["errors"][0]["errorCode"] == (
        "PMS_PRT_055"
    )
    mapping = request_policy(url, headers=admin(url))["response"]["mappingkey"]
    assert decide(url, mapping, "APPROVED")["response"] == (
        "Policy mapping approved successfully"
    )
    assert request_policy(url)["errors"][0] == {
        "errorCode": "PMS_PRT_053",
        "message": "Mapping exists for given policy and partner and is in approved state.",
    }
    assert decide(url, mapping, "Rejected")["errors"][0]["errorCode"] == "PMS_PM_034"
    assert generate_key(url)["errors"] is None


def test_pms_refusals_of_licences(mosip_sandbox):
    url = mosip_sandbox.url
    assert licence(url)["errors"][0]["errorCode"] == "PMS_MSP_005"
    certify(url, MISP_ID, MISP_ORG, "MISP_Partner", "MISP")
    assert (
        licence(url, headers=as_(url, "someone-else", "MISP_PARTNER"))["errors"][0][
            "errorCode"
        ]
        == "PMS_PRT_055"
    )
    assert licence(url)["errors"] is None
    assert licence(url)["errors"][0]["errorCode"] == "PMS_MSP_416"


def test_an_auth_policy_must_follow_its_schema(mosip_sandbox):
    url = mosip_sandbox.url
    assert create_group(url, GROUP)["errors"] is None
    created = call(url, "POST", "/v1/policymanager/policies", admin(url), {
        "policyGroupName": GROUP, "name": POLICY, "desc": "UIN checks",
        "policyType": "Auth", "version": "1.0",
        "policies": {"allowedAuthTypes": [], "allowedKycAttributes": []}})  # fmt: skip
    assert created["errors"][0]["errorCode"] == "PMS_POL_051"
