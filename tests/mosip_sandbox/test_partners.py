"""PMS and keymanager for a credential partner, one MOSIP fact per test
(docs/mosip/credential-partner.md: partner-management-services v1.2.0.1,
keymanager v1.2.0.1)."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.mosip_sandbox import partner_setup as ps


def code(body) -> str | None:
    return body["errors"][0]["errorCode"] if body.get("errors") else None


@pytest.fixture
def registered(mosip_sandbox):
    ps.published_policy(mosip_sandbox.url)
    assert ps.register(mosip_sandbox.url)["errors"] is None
    return mosip_sandbox.url


# Registration ----------------------------------------------------------------------


def test_a_credential_partner_registers_in_progress(registered):
    body = ps.register(registered, partnerId="other-partner", emailId="o@example.org")
    assert body["response"] == {"partnerId": "other-partner", "status": "InProgress"}


def test_registering_the_same_id_again_is_pms_prt_051(registered):
    body = ps.register(registered, emailId="another@example.org")
    assert code(body) == "PMS_PRT_051"


def test_the_email_is_checked_before_the_id_pms_prt_011(registered):
    assert code(ps.register(registered)) == "PMS_PRT_011"


def test_a_policy_group_that_does_not_exist_is_pms_prt_002(mosip_sandbox):
    body = ps.register(mosip_sandbox.url, policyGroup="no-such-group")
    assert code(body) == "PMS_PRT_002"
    assert body["errors"][0]["message"] == "Policy group does not exist"


def test_a_credential_partner_without_a_policy_group_is_pms_prt_108(mosip_sandbox):
    assert code(ps.register(mosip_sandbox.url, policyGroup="")) == "PMS_PRT_108"


def test_an_unknown_partner_type_is_pms_prt_010(registered):
    body = ps.register(registered, partnerId="p2", emailId="p2@example.org",
                       partnerType="Birth_Partner")  # fmt: skip
    assert code(body) == "PMS_PRT_010"


def test_a_caller_whose_email_is_a_partners_cannot_register_another(registered):
    headers = ps.cookie(registered, "someone", ["CREDENTIAL_PARTNER"],
                        email=ps.PARTNER["emailId"])  # fmt: skip
    body = ps.register(registered, headers, partnerId="p3", emailId="p3@example.org")
    assert code(body) == "PMS_PRT_055"


def test_registration_needs_an_authenticated_caller_of_an_allowed_client(mosip_sandbox):
    import requests

    url = f"{mosip_sandbox.url}/v1/partnermanager/partners"
    assert (
        requests.post(url, json={"request": ps.PARTNER}, timeout=5).status_code == 401
    )
    other_client = ps.cookie(
        mosip_sandbox.url, "x", ["PARTNER"], azp="mosip-crvs1-client"
    )
    assert ps.register(mosip_sandbox.url, other_client)["errors"][0]["errorCode"] == (
        "KER-ATH-403"
    )


# Certificates ----------------------------------------------------------------------


def test_the_ca_upload_needs_a_partner_admin(mosip_sandbox):
    chain = ps.Chain()
    body = ps.upload_ca(
        mosip_sandbox.url, chain.ca_pem, ps.as_partner(mosip_sandbox.url)
    )
    assert code(body) == "KER-ATH-403"
    assert ps.upload_ca(mosip_sandbox.url, chain.ca_pem)["response"]["status"] == (
        "Upload Success."
    )


def test_the_same_ca_twice_is_ker_pcm_003(mosip_sandbox):
    chain = ps.Chain()
    ps.upload_ca(mosip_sandbox.url, chain.ca_pem)
    assert code(ps.upload_ca(mosip_sandbox.url, chain.ca_pem)) == "KER-PCM-003"


def test_a_self_signed_partner_certificate_is_ker_pcm_015(registered):
    key = ps.new_key()
    own = ps.certificate(ps.name(ps.PARTNER_ID, ps.ORGANISATION), key)
    ps.upload_ca(registered, ps.pem(own))
    assert code(ps.upload(registered, ps.pem(own))) == "KER-PCM-015"


def test_a_certificate_whose_ca_was_not_uploaded_is_ker_pcm_006(registered):
    assert code(ps.upload(registered, ps.Chain().pem)) == "KER-PCM-006"


def test_an_organisation_other_than_the_partners_is_ker_pcm_008(registered):
    chain = ps.Chain(organisation="Another Registry")
    ps.upload_ca(registered, chain.ca_pem)
    assert code(ps.upload(registered, chain.pem)) == "KER-PCM-008"


def test_a_certificate_without_an_organisation_is_ker_pcm_008(registered):
    chain = ps.Chain()
    ps.upload_ca(registered, chain.ca_pem)
    bare = ps.certificate(
        ps.name(ps.PARTNER_ID), chain.key, chain.ca.subject, chain.ca_key
    )
    assert code(ps.upload(registered, ps.pem(bare))) == "KER-PCM-008"


def test_a_certificate_valid_for_less_than_the_issuer_duration_is_ker_pcm_004(
    registered,
):
    # 1 year (mosip.kernel.partner.issuer.certificate.duration.years) less 30 days' grace.
    chain = ps.Chain(days=300)
    ps.upload_ca(registered, chain.ca_pem)
    assert code(ps.upload(registered, chain.pem)) == "KER-PCM-004"


def test_not_pem_is_ker_pcm_001(registered):
    assert (
        code(ps.upload(registered, "-----BEGIN CERTIFICATE-----\nno\n"))
        == "KER-PCM-001"
    )


def test_mosip_returns_the_partner_certificate_re_signed_by_itself(registered):
    chain = ps.Chain()
    ps.upload_ca(registered, chain.ca_pem)
    body = ps.upload(registered, chain.pem)
    assert body["errors"] is None
    assert len(body["response"]["certificateId"]) == 36
    signed = x509.load_pem_x509_certificate(
        body["response"]["signedCertificateData"].encode()
    )
    assert signed.subject == chain.cert.subject
    assert signed.issuer != chain.ca.subject
    assert (
        signed.public_key().public_numbers() == chain.key.public_key().public_numbers()
    )
    assert signed.fingerprint(hashes.SHA256()) != chain.cert.fingerprint(
        hashes.SHA256()
    )
    assert signed.not_valid_after_utc > datetime.datetime.now(datetime.UTC)


def test_only_the_partner_itself_may_upload_its_certificate_pms_prt_055(registered):
    chain = ps.Chain()
    ps.upload_ca(registered, chain.ca_pem)
    someone_else = ps.as_partner(registered, "someone-else")
    assert code(ps.upload(registered, chain.pem, headers=someone_else)) == "PMS_PRT_055"
    assert (
        ps.upload(registered, chain.pem, headers=ps.admin(registered))["errors"] is None
    )


def test_a_certificate_for_an_unknown_partner_is_pms_prt_005(mosip_sandbox):
    chain = ps.Chain()
    ps.upload_ca(mosip_sandbox.url, chain.ca_pem)
    body = ps.upload(mosip_sandbox.url, chain.pem, partner_id="nobody")
    assert code(body) == "PMS_PRT_005"


# Policies and credential-type mapping ----------------------------------------------


def test_a_policy_group_name_is_taken_once_pms_pol_014(mosip_sandbox):
    assert ps.create_group(mosip_sandbox.url)["errors"] is None
    assert code(ps.create_group(mosip_sandbox.url)) == "PMS_POL_014"


def test_a_policy_needs_an_existing_group_pms_pol_019(mosip_sandbox):
    assert code(ps.create_policy(mosip_sandbox.url)) == "PMS_POL_019"


def test_a_policy_type_outside_the_allowed_list_is_pms_pol_023(mosip_sandbox):
    ps.create_group(mosip_sandbox.url)
    body = ps.create_policy(mosip_sandbox.url, policy_type="Birth")
    assert code(body) == "PMS_POL_023"


def test_publishing_twice_is_pms_pol_020(mosip_sandbox):
    policy = ps.published_policy(mosip_sandbox.url)
    assert policy["status"] == "PUBLISHED" and policy["is_Active"] is True
    assert code(ps.publish(mosip_sandbox.url, policy["policyId"])) == "PMS_POL_020"


def test_policy_endpoints_need_their_own_roles(mosip_sandbox):
    body = ps.call(mosip_sandbox.url, "POST", "/v1/policymanager/policies/group/new",
                   ps.as_partner(mosip_sandbox.url), {"name": "g", "desc": "d"})  # fmt: skip
    assert code(body) == "KER-ATH-403"


def test_the_mapping_needs_the_partner_active_with_its_certificate(registered):
    assert code(ps.map_credential_type(registered)) == "PMS_PMP_016"


def test_the_mapping_needs_a_policy_of_that_name_in_the_partners_group(registered):
    chain = ps.Chain()
    ps.upload_ca(registered, chain.ca_pem)
    ps.upload(registered, chain.pem)
    assert code(ps.map_credential_type(registered, policy="other")) == "PMS_PRT_098"
    assert (
        code(ps.map_credential_type(registered, credential_type="x")) == "PMS_PRT_072"
    )
    body = ps.map_credential_type(registered)
    assert (
        body["response"]
        == "Partner, policy and credentialType mapping done successfully."
    )


def test_a_draft_policy_cannot_be_mapped_pms_pmp_019(mosip_sandbox):
    url = mosip_sandbox.url
    ps.create_group(url)
    ps.create_policy(url)
    ps.register(url)
    chain = ps.Chain()
    ps.upload_ca(url, chain.ca_pem)
    ps.upload(url, chain.pem)
    assert code(ps.map_credential_type(url)) == "PMS_PMP_019"
