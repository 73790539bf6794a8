"""An auth partner's OIDC client, created through partner management, which creates it
in e-Signet with its own token (docs/mosip/esignet.md §9: partner-management-services
v1.2.0.1 ClientManagementServiceImpl, PartnerServiceImpl.requestForPolicyMapping,
PartnerManagementServiceImpl.approveRejectPartnerPolicyMapping)."""

import base64
import hashlib
import json

import pytest
import requests

from tests.mosip_sandbox import partner_setup as ps
from tests.mosip_sandbox.esignet_rp import (
    ACR_OTP,
    REDIRECT_URI,
    RelyingParty,
    put_identity,
)

AUTH_PARTNER = "crvs-esignet-partner"
AUTH_POLICY = "crvs-esignet-policy"
KYC = ("fullName", "dateOfBirth", "gender", "individual_id")


def code(body) -> str | None:
    return body["errors"][0]["errorCode"] if body.get("errors") else None


def as_auth_partner(url, partner_id=AUTH_PARTNER):
    return ps.cookie(url, partner_id, ["AUTH_PARTNER"])


def auth_policy(url, name=AUTH_POLICY, kyc=KYC, auth_types=(("otp", False),),
                publish=True) -> str:  # fmt: skip
    created = ps.call(url, "POST", "/v1/policymanager/policies", ps.admin(url), {
        "policyGroupName": ps.GROUP, "name": name, "desc": "e-Signet login",
        "policyType": "Auth", "version": "1.0",
        "policies": {
            "authTokenType": "partner",
            "allowedAuthTypes": [{"authType": t, "authSubType": "", "mandatory": m}
                                 for t, m in auth_types],
            "allowedKycAttributes": [{"attributeName": a} for a in kyc],
        },
    })  # fmt: skip
    assert created["errors"] is None, created
    if publish:
        assert ps.publish(url, created["response"]["id"])["errors"] is None
    return created["response"]["id"]


def active_auth_partner(url, partner_id=AUTH_PARTNER, partner_type="Auth_Partner"):
    headers = as_auth_partner(url, partner_id)
    registered = ps.register(
        url, headers, partnerId=partner_id, partnerType=partner_type,
        emailId=f"{partner_id}@example.org",
    )  # fmt: skip
    assert registered["errors"] is None, registered
    chain = ps.Chain()
    ps.upload_ca(url, chain.ca_pem)
    assert ps.upload(url, chain.pem, partner_id, headers)["errors"] is None


def request_policy(url, partner_id=AUTH_PARTNER, policy=AUTH_POLICY, headers=None):
    return ps.call(
        url, "POST", f"/v1/partnermanager/partners/{partner_id}/policy/map",
        headers or as_auth_partner(url, partner_id),
        {"policyName": policy, "useCaseDescription": "Informants log in"},
    )  # fmt: skip


def decide(url, mapping_key, status="Approved", headers=None):
    return ps.call(
        url, "PUT", f"/v1/partnermanager/partners/policy/{mapping_key}",
        headers or ps.admin(url), {"status": status},
    )  # fmt: skip


def create_client(url, rp: RelyingParty, policy_id, headers=None, **overrides):
    return ps.call(
        url, "POST", "/v1/partnermanager/oidc/client",
        headers or as_auth_partner(url),
        {"name": "CRVS portal", "policyId": policy_id, "publicKey": rp.public_jwk(),
         "authPartnerId": AUTH_PARTNER, "logoUri": "https://portal.example/logo.png",
         "redirectUris": [REDIRECT_URI], "grantTypes": ["authorization_code"],
         "clientAuthMethods": ["private_key_jwt"], **overrides},
    )  # fmt: skip


@pytest.fixture
def approved(mosip_sandbox):
    """An active auth partner whose request for a published Auth policy is approved;
    the policy id."""
    url = mosip_sandbox.url
    ps.create_group(url)
    policy_id = auth_policy(url)
    active_auth_partner(url)
    requested = request_policy(url)
    assert requested["errors"] is None, requested
    assert decide(url, requested["response"]["mappingkey"])["errors"] is None
    return policy_id


def test_pms_creates_the_client_in_esignet_and_it_logs_people_in(
    approved, mosip_sandbox
):
    url = mosip_sandbox.url
    rp = RelyingParty(url)
    body = create_client(url, rp, approved)

    assert body["errors"] == []
    # PMS names the client: the SHA-256 of the JWK as it re-writes it, base64url.
    jwk = rp.public_jwk()
    written = json.dumps(
        {"kty": "RSA", "kid": jwk["kid"], "use": "sig", "alg": "RS256",
         "n": jwk["n"], "e": jwk["e"]}, separators=(",", ":"),
    )  # fmt: skip
    expected = base64.urlsafe_b64encode(hashlib.sha256(written.encode()).digest())
    assert body["response"] == {
        "clientId": expected.rstrip(b"=").decode(),
        "status": "ACTIVE",
    }
    rp.client_id = body["response"]["clientId"]
    read = ps.call(url, "GET", f"/v1/partnermanager/oidc/client/{rp.client_id}",
                   as_auth_partner(url))  # fmt: skip
    # Claims from the policy's KYC attributes through the identity mapping, ACRs
    # from its auth types through the amr-acr mapping.
    assert read["response"]["claims"] == [
        "name",
        "gender",
        "birthdate",
        "individual_id",
    ]
    assert read["response"]["acrValues"] == [ACR_OTP]
    assert read["response"]["relyingPartyId"] == AUTH_PARTNER
    assert read["response"]["policyName"] == AUTH_POLICY

    # e-Signet has it, active: the client can log a person in and get tokens.
    put_identity(url, "3920716381", "5817263549102837")
    params = rp.authorize_params()
    redirect = rp.login("3920716381", params)
    tokens = rp.token(rp.code_from(redirect, params["state"]))
    assert tokens.status_code == 200, tokens.text


def test_a_key_is_registered_once_pms_idp_001(approved, mosip_sandbox):
    rp = RelyingParty(mosip_sandbox.url)
    assert create_client(mosip_sandbox.url, rp, approved)["errors"] == []
    assert code(create_client(mosip_sandbox.url, rp, approved)) == "PMS_IDP_001"


def test_esignet_refusals_reach_the_caller_under_esignets_code(approved, mosip_sandbox):
    rp = RelyingParty(mosip_sandbox.url)
    body = create_client(mosip_sandbox.url, rp, approved, redirectUris=["not a url"])
    assert code(body) == "invalid_redirect_uri"
    # Nothing kept: the same key goes through once the request is right.
    assert create_client(mosip_sandbox.url, rp, approved)["errors"] == []


def test_esignet_down_is_pms_kks_001(approved, mosip_sandbox):
    requests.post(f"{mosip_sandbox.url}/sandbox/api/faults",
                  json={"esignet": {"down": True}}, timeout=10).raise_for_status()  # fmt: skip
    body = create_client(mosip_sandbox.url, RelyingParty(mosip_sandbox.url), approved)
    assert code(body) == "PMS_KKS_001"


def test_a_request_not_yet_approved_is_pms_idp_002(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    policy_id = auth_policy(url)
    active_auth_partner(url)
    assert code(create_client(url, RelyingParty(url), policy_id)) == "PMS_PRT_061"
    requested = request_policy(url)
    assert code(create_client(url, RelyingParty(url), policy_id)) == "PMS_IDP_002"
    decide(url, requested["response"]["mappingkey"], "Rejected")
    assert code(create_client(url, RelyingParty(url), policy_id)) == "PMS_IDP_002"


def test_only_an_auth_partner_with_an_auth_policy_gets_a_client(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    policy_id = auth_policy(url)
    share = ps.create_policy(url)["response"]["id"]
    ps.publish(url, share)
    active_auth_partner(url, "credential-one", partner_type="Credential_Partner")
    rp = RelyingParty(url)
    assert code(create_client(url, rp, policy_id, authPartnerId="nobody")) == (
        "PMS_PRT_058"
    )
    assert code(create_client(url, rp, policy_id, authPartnerId="credential-one")) == (
        "PMS_PRT_059"
    )
    active_auth_partner(url)
    assert code(create_client(url, rp, "no-such-policy")) == "PMS_PRT_073"
    assert code(create_client(url, rp, share)) == "PMS_PRT_057"


@pytest.mark.parametrize(
    ("kyc", "auth_types", "expected"),
    [
        (KYC, (("otp", True),), "PMS_IDP_003"),
        (("residenceStatus",), (("otp", False),), "PMS_IDP_005"),
        (KYC, (("demo", False),), "PMS_IDP_005"),
    ],
)
def test_the_policy_must_give_claims_and_an_acr_without_mandatory_auth(
    mosip_sandbox, kyc, auth_types, expected
):
    url = mosip_sandbox.url
    ps.create_group(url)
    policy_id = auth_policy(url, kyc=kyc, auth_types=auth_types)
    active_auth_partner(url)
    decide(url, request_policy(url)["response"]["mappingkey"])
    assert code(create_client(url, RelyingParty(url), policy_id)) == expected


def test_the_request_is_validated_before_anything_else(approved, mosip_sandbox):
    url = mosip_sandbox.url
    body = create_client(url, RelyingParty(url), approved, logoUri="")
    assert code(body) == "PMS_COR_001"
    assert body["errors"][0]["message"] == (
        "Invalid request parameter - must not be blank :request.logoUri"
    )
    body = create_client(url, RelyingParty(url), approved, redirectUris=[])
    assert code(body) == "PMS_COR_001"
    # A key jose4j cannot read fails as a bare exception: no code, no message.
    body = create_client(url, RelyingParty(url), approved, publicKey={"kty": "RSA"})
    assert body["errors"] == [{"errorCode": None, "message": None}]


def test_reading_an_unknown_client_is_pms_idp_004(mosip_sandbox):
    body = ps.call(mosip_sandbox.url, "GET", "/v1/partnermanager/oidc/client/nope",
                   as_auth_partner(mosip_sandbox.url))  # fmt: skip
    assert code(body) == "PMS_IDP_004"


# The policy request and its approval ------------------------------------------------


def test_a_policy_request_needs_the_partner_active_and_itself(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    auth_policy(url)
    headers = as_auth_partner(url)
    ps.register(url, headers, partnerId=AUTH_PARTNER, partnerType="Auth_Partner",
                emailId="auth@example.org")  # fmt: skip
    assert code(request_policy(url)) == "PMS_PMP_016"
    assert code(request_policy(url, headers=as_auth_partner(url, "other"))) == (
        "PMS_PRT_055"
    )
    assert code(request_policy(url, "nobody", headers=ps.admin(url))) == "PMS_PRT_005"


def test_a_policy_request_names_a_published_policy_of_the_group(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    auth_policy(url, name="draft-policy", publish=False)
    active_auth_partner(url)
    assert code(request_policy(url, policy="missing")) == "PMS_PRT_098"
    assert code(request_policy(url, policy="draft-policy")) == "PMS_PMP_019"


def test_one_request_per_policy_in_progress_or_approved_pms_prt_053(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    auth_policy(url)
    active_auth_partner(url)
    first = request_policy(url)
    assert first["response"]["message"] == (
        "Policy mapping request submitted successfully."
    )
    assert code(request_policy(url)) == "PMS_PRT_053"
    decide(url, first["response"]["mappingkey"])
    assert code(request_policy(url)) == "PMS_PRT_053"


def test_the_approval_is_the_partner_admins_once(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    auth_policy(url)
    active_auth_partner(url)
    key = request_policy(url)["response"]["mappingkey"]
    refused = requests.put(
        f"{url}/v1/partnermanager/partners/policy/{key}",
        headers=as_auth_partner(url),
        json={"request": {"status": "Approved"}},
        timeout=10,
    )
    assert refused.status_code == 403
    assert code(decide(url, key, "Maybe")) == "PMS_PM_045"
    assert decide(url, key)["response"] == "Policy mapping approved successfully"
    assert code(decide(url, key)) == "PMS_PM_034"
    assert code(decide(url, "999999999")) == "PMS_PMP_007"
