"""Credential issuance: `<partnerId>/CREDENTIAL_ISSUED` carries a `vercred` encrypted
to the partner's MOSIP re-signed certificate in the VER_R2 layout, for the partners
reg-proc is configured to serve, with what their policy shares
(docs/mosip/credential-partner.md §3, §4; docs/mosip/onboarding-websub.md §5.1).

The decoder below is written from the documented layout, independently of the
sandbox's encoder, as a partner would write it."""

import base64
import hashlib
import json

import pytest
import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pyld import jsonld

from tests.mosip_sandbox import partner_setup as ps
from tests.mosip_sandbox.websub_receiver import Receiver, mint_token, publish, subscribe

RID = "10021100340000120250301100000"
TOPIC = "crvs-partner/CREDENTIAL_ISSUED"
IDENTITY = {
    "fullName": [{"language": "eng", "value": "Amina Diallo"}],
    "dateOfBirth": "2025/02/27",
    "gender": [{"language": "eng", "value": "Female"}],
    "addressLine1": [{"language": "eng", "value": "12 Palm Street"}],
}


def decrypt_ver_r2(encoded: str, private_key) -> tuple[bytes, bytes]:
    """(thumbprint, plaintext) of a base64url VER_R2 payload."""
    blob = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    splitter = blob.index(b"#KEY_SPLITTER#")
    head, data = blob[:splitter], blob[splitter + len(b"#KEY_SPLITTER#") :]
    assert head[:6] == b"VER_R2"
    thumbprint, wrapped = head[6:38], head[38:]
    oaep = padding.OAEP(
        mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
    )
    key = private_key.decrypt(wrapped, oaep)
    aad, sealed = data[:32], data[32:]
    return thumbprint, AESGCM(key).decrypt(aad[:12], sealed, aad)


@pytest.fixture
def receiver():
    subscriber = Receiver()
    yield subscriber
    subscriber.close()


def listen(url, receiver):
    token = mint_token(
        url, "service-account-crvs-partner", ["SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL"]
    )
    assert subscribe(url, token, TOPIC, receiver.url).status_code == 202
    assert receiver.wait_for(lambda: receiver.gets())
    assert receiver.wait_for(
        lambda: requests.get(f"{url}/sandbox/api/hub/subscriptions").json()[
            "subscriptions"
        ]
    )


@pytest.fixture
def crvs_partner(mosip_sandbox, receiver):
    """A credential partner set up as MOSIP requires, listening on its topic."""
    chain = ps.credential_partner(mosip_sandbox.url)
    listen(mosip_sandbox.url, receiver)
    return chain


def issue(url: str, process: str = "CRVS_NEW", identity=IDENTITY) -> list[int]:
    response = requests.post(
        f"{url}/sandbox/api/credentials/issue",
        json={"registrationId": RID, "process": process, "identity": identity,
              "uin": "2345678901", "vid": "5432109876543210"},
        timeout=10,
    )  # fmt: skip
    assert response.status_code == 200
    return response.json()["published"]


def received_event(receiver: Receiver) -> dict:
    (delivery,) = receiver.wait_for_posts(1)
    return json.loads(delivery.body)


def test_an_issued_credential_decrypts_to_a_vercred_for_the_registration(
    mosip_sandbox, crvs_partner, receiver
):
    assert len(issue(mosip_sandbox.url)) == 1

    message = received_event(receiver)
    assert message["publisher"] == "CREDENTIAL_SERVICE"
    assert message["topic"] == TOPIC
    event = message["event"]
    assert event["type"] == {"namespace": "mosip", "name": "mosip"}
    assert event["data"]["registrationId"] == RID
    assert event["data"]["credentialType"] == "vercred"
    assert len(event["data"]["protectionKey"]) == 6
    assert "=" not in event["data"]["credential"]

    _, plaintext = decrypt_ver_r2(event["data"]["credential"], crvs_partner.key)
    credential = json.loads(plaintext)
    assert credential["type"] == ["VerifiableCredential", "MOSIPVerifiableCredential"]
    subject = credential["credentialSubject"]
    assert subject["id"].rsplit("/", 1)[-1] == RID
    assert subject["VID"] == "5432109876543210"
    assert subject["UIN"] == "2345678901"
    assert subject["fullName"] == IDENTITY["fullName"]
    assert "addressLine1" not in subject


def test_the_credential_is_encrypted_for_the_re_signed_certificate(
    mosip_sandbox, crvs_partner, receiver
):
    issue(mosip_sandbox.url)
    event = received_event(receiver)["event"]
    thumbprint, _ = decrypt_ver_r2(event["data"]["credential"], crvs_partner.key)
    signed = x509.load_pem_x509_certificate(crvs_partner.signed_pem.encode())
    sha256 = hashlib.sha256
    assert (
        thumbprint == sha256(signed.public_bytes(serialization.Encoding.DER)).digest()
    )
    original = crvs_partner.cert.public_bytes(serialization.Encoding.DER)
    assert thumbprint != sha256(original).digest()


def test_uin_and_vid_go_only_when_the_policy_shares_them(mosip_sandbox, receiver):
    partner = ps.credential_partner(mosip_sandbox.url, attributes=("dateOfBirth",))
    listen(mosip_sandbox.url, receiver)
    issue(mosip_sandbox.url, identity={**IDENTITY, "UIN": "2345678901"})

    event = received_event(receiver)["event"]
    _, plaintext = decrypt_ver_r2(event["data"]["credential"], partner.key)
    subject = json.loads(plaintext)["credentialSubject"]
    assert "UIN" not in subject
    assert "VID" not in subject
    assert subject["dateOfBirth"] == "2025/02/27"
    assert "fullName" not in subject


def test_shared_attributes_go_under_the_policys_attribute_names(
    mosip_sandbox, receiver
):
    url = mosip_sandbox.url
    chain = ps.Chain()
    ps.create_group(url)
    policies = {
        "dataSharePolicies": {"typeOfShare": "direct"},
        "shareableAttributes": [
            {"attributeName": "nationalId", "source": [{"attribute": "VID"}]},
            {"attributeName": "birthDate", "source": [{"attribute": "dateOfBirth"}]},
        ],
    }
    created = ps.call(url, "POST", "/v1/policymanager/policies", ps.admin(url), {
        "policyGroupName": ps.GROUP, "name": ps.POLICY, "desc": "d",
        "policyType": "DataShare", "version": "1.0", "policies": policies})  # fmt: skip
    ps.publish(url, created["response"]["id"])
    ps.register(url)
    ps.upload_ca(url, chain.ca_pem)
    ps.upload(url, chain.pem)
    ps.map_credential_type(url)
    ps.configure_issuance(url)
    listen(url, receiver)
    issue(url)

    event = received_event(receiver)["event"]
    subject = json.loads(decrypt_ver_r2(event["data"]["credential"], chain.key)[1])[
        "credentialSubject"
    ]
    assert subject["nationalId"] == "5432109876543210"
    assert subject["birthDate"] == "2025/02/27"
    assert "VID" not in subject and "dateOfBirth" not in subject


def local_loader(url, options=None):
    """The contexts the test knows, kept here; nothing from the network."""
    from apps.mosip_sandbox.credentials import ldproof

    return ldproof.document_loader(url, options)


def urdna2015_hash(document) -> bytes:
    text = jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": local_loader})  # fmt: skip
    return hashlib.sha256(text.encode()).digest()


def test_the_credential_proof_is_a_urdna2015_signature_verifiable_with_pyld(
    mosip_sandbox, crvs_partner, receiver
):
    issue(mosip_sandbox.url)
    event = received_event(receiver)["event"]
    credential = json.loads(
        decrypt_ver_r2(event["data"]["credential"], crvs_partner.key)[1]
    )

    proof = credential.pop("proof")
    key_document = requests.get(proof["verificationMethod"], timeout=5).json()
    public_key = serialization.load_pem_public_key(
        key_document["publicKeyPem"].encode()
    )
    header_b64, payload, signature_b64 = proof["jws"].split(".")
    header = json.loads(
        base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4))
    )
    assert payload == ""
    assert header == {
        "alg": "PS256", "b64": False, "crit": ["b64"], "kid": proof["verificationMethod"]
    }  # fmt: skip
    options = {k: v for k, v in proof.items() if k != "jws"}
    options["@context"] = credential["@context"]
    signature = base64.urlsafe_b64decode(
        signature_b64 + "=" * (-len(signature_b64) % 4)
    )
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)

    def verify(document):
        signed = urdna2015_hash(options) + urdna2015_hash(document)
        public_key.verify(signature, header_b64.encode() + b"." + signed, pss,
                          hashes.SHA256())  # fmt: skip

    verify(credential)
    credential["credentialSubject"]["UIN"] = "0000000000"
    with pytest.raises(InvalidSignature):
        verify(credential)


def delivered_up_to_a_marker(url: str, receiver) -> list[dict]:
    """Publish a marker on the partner's topic: the hub delivers in order, so once
    the marker is in, anything issued before it would have come first."""
    token = mint_token(
        url, "service-account-mosip-regproc-client",
        ["PUBLISH_CREDENTIAL_ISSUED_ALL_INDIVIDUAL"],
    )  # fmt: skip
    assert publish(url, token, TOPIC, b'{"marker": true}').text == "hub.mode=accepted"
    receiver.wait_for_posts(1)
    return [json.loads(post.body) for post in receiver.posts()]


def test_a_partner_not_in_the_default_partner_ids_gets_nothing(mosip_sandbox, receiver):
    ps.credential_partner(mosip_sandbox.url, default=False)
    listen(mosip_sandbox.url, receiver)
    assert issue(mosip_sandbox.url) == []
    assert delivered_up_to_a_marker(mosip_sandbox.url, receiver) == [{"marker": True}]


def test_a_partner_whose_entry_lacks_the_process_gets_nothing(
    mosip_sandbox, crvs_partner, receiver
):
    assert issue(mosip_sandbox.url, process="CRVS_DEATH") == []
    assert delivered_up_to_a_marker(mosip_sandbox.url, receiver) == [{"marker": True}]


def test_without_a_credential_type_mapping_the_request_fails_on_mosips_side(
    mosip_sandbox,
):
    url = mosip_sandbox.url
    chain = ps.Chain()
    ps.published_policy(url)
    ps.register(url)
    ps.upload_ca(url, chain.ca_pem)
    ps.upload(url, chain.pem)
    ps.configure_issuance(url)
    assert issue(url) == []
    issued = requests.get(f"{url}/sandbox/api/credentials/issued").json()
    mine = [c for c in issued["credentials"] if c["partnerId"] == "crvs-partner"]
    assert [(c["status"], c["reason"]) for c in mine] == [
        ("FAILED", "no published policy mapped for 'vercred'")
    ]


def test_the_stock_configuration_issues_to_no_crvs_partner(mosip_sandbox):
    config = requests.get(f"{mosip_sandbox.url}/sandbox/api/config").json()["effective"]
    partners = json.loads(
        config["files"]["registration-processor-credential-partners.json"]
    )["partners"]
    assert [p["id"] for p in partners] == [
        "digitalcardPartner", "printPartner", "opencrvsPartner"
    ]  # fmt: skip
    assert issue(mosip_sandbox.url) == []


def test_a_status_update_from_the_partner_is_recorded_on_the_credential(
    mosip_sandbox, crvs_partner, receiver
):
    url = mosip_sandbox.url
    issue(url)
    transaction_id = received_event(receiver)["event"]["transactionId"]
    token = mint_token(
        url,
        "service-account-crvs-partner",
        ["PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL"],
    )
    update = {
        "publisher": "CRVS_MEDIATOR",
        "topic": "CREDENTIAL_STATUS_UPDATE",
        "publishedOn": "2025-03-01T10:20:43.500Z",
        "event": {"id": "3f7e", "requestId": transaction_id, "status": "served",
                  "timestamp": "2025-03-01T10:20:43.500Z", "url": None},
    }  # fmt: skip
    response = publish(
        url, token, "CREDENTIAL_STATUS_UPDATE", json.dumps(update).encode()
    )

    assert response.text == "hub.mode=accepted"
    issued = requests.get(f"{url}/sandbox/api/credentials/issued").json()["credentials"]
    mine = [c for c in issued if c["partnerId"] == "crvs-partner"]
    assert [(c["transactionId"], c["status"]) for c in mine] == [
        (transaction_id, "served")
    ]
    updates = requests.get(f"{url}/sandbox/api/credential-status-updates").json()
    assert updates["updates"] == [update]


def test_the_issuer_keys_are_published(mosip_sandbox):
    document = requests.get(f"{mosip_sandbox.url}/.well-known/public-key.json").json()
    assert document["type"] == "RsaVerificationKey2018"
    assert document["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
