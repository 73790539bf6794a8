"""Partner management minimum and the credential-partner configuration, over HTTP."""

import datetime

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from tests.mosip_sandbox.websub_receiver import mint_token

PARTNER = {
    "partnerId": "crvs-partner",
    "organizationName": "Civil Registry",
    "address": "1 Registry Road",
    "contactNumber": "+212500000000",
    "emailId": "registry@example.org",
    "partnerType": "Credential_Partner",
    "policyGroup": "mpolicygroup-default-crvs",
    "langCode": "eng",
}


def self_signed_pem(key, days: int = 365) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crvs-partner")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def admin_cookie(url: str, roles=("PARTNER_ADMIN",)) -> dict[str, str]:
    token = mint_token(url, "partner-admin", list(roles), azp="mosip-admin-client")
    return {"Cookie": f"Authorization={token}"}


def register(url: str, **overrides) -> dict:
    return requests.post(
        f"{url}/v1/partnermanager/partners",
        json={"id": "string", "version": "1.0", "requesttime": "2025-03-01T10:00:00.000Z",
              "request": {**PARTNER, **overrides}},
        headers=admin_cookie(url),
        timeout=10,
    ).json()  # fmt: skip


def upload(url: str, pem: str, partner_id: str = "crvs-partner") -> dict:
    return requests.post(
        f"{url}/v1/partnermanager/partners/certificate/upload",
        json={"request": {"partnerId": partner_id, "certificateData": pem,
                          "partnerDomain": "AUTH"}},
        headers=admin_cookie(url),
        timeout=10,
    ).json()  # fmt: skip


def test_a_credential_partner_registers_in_progress(mosip_sandbox):
    body = register(mosip_sandbox.url)
    assert body["response"] == {"partnerId": "crvs-partner", "status": "InProgress"}
    assert body["errors"] is None


def test_registering_the_same_partner_twice_is_a_business_error(mosip_sandbox):
    register(mosip_sandbox.url)
    body = register(mosip_sandbox.url)
    assert body["response"] is None
    assert body["errors"][0]["errorCode"] == "PMS_PRT_001"


def test_a_registration_without_a_policy_group_names_the_missing_field(mosip_sandbox):
    body = register(mosip_sandbox.url, policyGroup="")
    assert body["errors"] == [
        {
            "errorCode": "PMS_COR_001",
            "message": "Missing Input Parameter - request.policyGroup",
        }
    ]


def test_an_unknown_partner_type_is_refused(mosip_sandbox):
    body = register(mosip_sandbox.url, partnerType="Birth_Partner")
    assert body["errors"][0]["errorCode"] == "PMS_PRT_008"


def test_partner_registration_needs_the_cookie_and_a_partner_role(mosip_sandbox):
    url = f"{mosip_sandbox.url}/v1/partnermanager/partners"
    anonymous = requests.post(url, json={"request": PARTNER}, timeout=5)
    wrong_role = requests.post(
        url,
        json={"request": PARTNER},
        headers=admin_cookie(mosip_sandbox.url, roles=("REGISTRATION_OFFICER",)),
        timeout=5,
    )
    assert anonymous.status_code == 401
    assert wrong_role.status_code == 403


def test_a_certificate_is_stored_for_a_registered_partner(mosip_sandbox, rsa_key):
    register(mosip_sandbox.url)
    body = upload(mosip_sandbox.url, self_signed_pem(rsa_key))
    assert body["errors"] is None
    assert len(body["response"]["certificateId"]) == 36


def test_a_certificate_for_an_unknown_partner_is_refused(mosip_sandbox, rsa_key):
    body = upload(mosip_sandbox.url, self_signed_pem(rsa_key), partner_id="nobody")
    assert body["errors"][0]["errorCode"] == "PMS_PRT_005"


def test_a_certificate_that_is_not_pem_is_refused(mosip_sandbox):
    register(mosip_sandbox.url)
    body = upload(mosip_sandbox.url, "-----BEGIN CERTIFICATE-----\nnope\n")
    assert body["errors"][0]["errorCode"] == "KER-PCM-001"


def test_a_certificate_without_an_rsa_key_is_refused(mosip_sandbox):
    register(mosip_sandbox.url)
    body = upload(
        mosip_sandbox.url, self_signed_pem(ec.generate_private_key(ec.SECP256R1()))
    )
    assert body["errors"][0]["errorCode"] == "KER-PCM-001"


def test_an_expired_certificate_is_refused(mosip_sandbox, rsa_key):
    register(mosip_sandbox.url)
    body = upload(mosip_sandbox.url, self_signed_pem(rsa_key, days=-1))
    assert body["errors"][0]["errorCode"] == "KER-PCM-008"


def test_credential_partners_are_configured_per_process(mosip_sandbox):
    url = f"{mosip_sandbox.url}/sandbox/api/credential-partners"
    register(mosip_sandbox.url)
    created = requests.post(
        url,
        json={"partnerId": "crvs-partner", "process": ["CRVS_NEW"], "shareUin": True},
        timeout=5,
    )
    assert created.status_code == 201
    assert requests.get(url, timeout=5).json()["partners"] == [
        {
            "partnerId": "crvs-partner",
            "process": ["CRVS_NEW"],
            "credentialType": "vercred",
            "shareUin": True,
            "sharedAttributes": ["fullName", "dateOfBirth", "gender"],
        }
    ]
    assert requests.delete(f"{url}/crvs-partner", timeout=5).status_code == 200
    assert requests.get(url, timeout=5).json()["partners"] == []


def test_an_unregistered_partner_cannot_be_configured(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/credential-partners",
        json={"partnerId": "nobody"},
        timeout=5,
    )
    assert response.status_code == 400
