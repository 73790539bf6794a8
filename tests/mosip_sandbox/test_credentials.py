"""Credential issuance: `<partnerId>/CREDENTIAL_ISSUED` carries a `vercred` encrypted
to the partner's certificate in the VER_R2 layout (onboarding-websub.md §5.1).

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
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.mosip_sandbox.test_partners import register, self_signed_pem, upload
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


@pytest.fixture(scope="module")
def partner_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def receiver():
    subscriber = Receiver()
    yield subscriber
    subscriber.close()


@pytest.fixture
def crvs_partner(mosip_sandbox, partner_key, receiver):
    """A registered partner with a certificate, listening on its topic."""
    url = mosip_sandbox.url
    register(url)
    pem = self_signed_pem(partner_key)
    assert upload(url, pem)["errors"] is None
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
    return pem


def configure(url: str, **spec):
    response = requests.post(
        f"{url}/sandbox/api/credential-partners",
        json={"partnerId": "crvs-partner", **spec},
        timeout=5,
    )
    assert response.status_code == 201


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
    mosip_sandbox, crvs_partner, partner_key, receiver
):
    configure(mosip_sandbox.url, process=["CRVS_NEW"], shareUin=True)
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

    thumbprint, plaintext = decrypt_ver_r2(event["data"]["credential"], partner_key)
    certificate = x509.load_pem_x509_certificate(crvs_partner.encode())
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert thumbprint == hashlib.sha256(der).digest()
    credential = json.loads(plaintext)
    assert credential["type"] == ["VerifiableCredential", "MOSIPVerifiableCredential"]
    subject = credential["credentialSubject"]
    assert subject["id"].rsplit("/", 1)[-1] == RID
    assert subject["VID"] == "5432109876543210"
    assert subject["UIN"] == "2345678901"
    assert subject["fullName"] == IDENTITY["fullName"]
    assert "addressLine1" not in subject


def test_the_uin_stays_out_when_the_policy_does_not_share_it(
    mosip_sandbox, crvs_partner, partner_key, receiver
):
    configure(
        mosip_sandbox.url, shareUin=False, sharedAttributes=["dateOfBirth", "UIN"]
    )
    issue(mosip_sandbox.url, identity={**IDENTITY, "UIN": "2345678901"})

    event = received_event(receiver)["event"]
    _, plaintext = decrypt_ver_r2(event["data"]["credential"], partner_key)
    subject = json.loads(plaintext)["credentialSubject"]
    assert "UIN" not in subject
    assert subject["VID"] == "5432109876543210"
    assert subject["dateOfBirth"] == "2025/02/27"
    assert "fullName" not in subject


def test_the_credential_proof_verifies_with_the_published_key(
    mosip_sandbox, crvs_partner, partner_key, receiver
):
    configure(mosip_sandbox.url, shareUin=True)
    issue(mosip_sandbox.url)
    event = received_event(receiver)["event"]
    credential = json.loads(decrypt_ver_r2(event["data"]["credential"], partner_key)[1])

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
    canonical = json.dumps(credential, sort_keys=True, separators=(",", ":"))
    signature = base64.urlsafe_b64decode(
        signature_b64 + "=" * (-len(signature_b64) % 4)
    )
    public_key.verify(
        signature,
        header_b64.encode() + b"." + canonical.encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    credential["credentialSubject"]["VID"] = "0000000000000000"
    tampered = json.dumps(credential, sort_keys=True, separators=(",", ":"))
    with pytest.raises(InvalidSignature):
        public_key.verify(
            signature,
            header_b64.encode() + b"." + tampered.encode(),
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
            hashes.SHA256(),
        )


def test_a_partner_not_configured_for_the_process_gets_nothing(
    mosip_sandbox, crvs_partner, receiver
):
    configure(mosip_sandbox.url, process=["CRVS_NEW"])
    assert issue(mosip_sandbox.url, process="CRVS_DEATH") == []
    receiver.wait_for(lambda: receiver.posts(), timeout=0.5)
    assert receiver.posts() == []


def test_a_partner_without_a_certificate_gets_nothing_and_the_failure_is_kept(
    mosip_sandbox,
):
    register(mosip_sandbox.url)
    configure(mosip_sandbox.url)
    assert issue(mosip_sandbox.url) == []
    issued = requests.get(f"{mosip_sandbox.url}/sandbox/api/credentials/issued").json()
    assert [(c["partnerId"], c["status"]) for c in issued["credentials"]] == [
        ("crvs-partner", "FAILED")
    ]


def test_a_status_update_from_the_partner_is_recorded_on_the_credential(
    mosip_sandbox, crvs_partner, receiver
):
    url = mosip_sandbox.url
    configure(url)
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
    assert [(c["transactionId"], c["status"]) for c in issued] == [
        (transaction_id, "served")
    ]
    updates = requests.get(f"{url}/sandbox/api/credential-status-updates").json()
    assert updates["updates"] == [update]


def test_the_issuer_keys_are_published(mosip_sandbox):
    document = requests.get(f"{mosip_sandbox.url}/.well-known/public-key.json").json()
    assert document["type"] == "RsaVerificationKey2018"
    assert document["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
