"""A credential is used only when it was encrypted for the certificate MOSIP
re-signed for the partner (the VER_R2 thumbprint) and its vercred proof verifies
over the URDNA2015 form (docs/mosip/credential-partner.md §1, §4)."""

import base64
import json
import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from apps.mosip_sandbox.credentials import ver_r2
from apps.onboarding.models import CredentialPartner
from apps.websub import processing
from apps.websub.models import InboxEvent, InboxStatus
from tests.websub.conftest import CREDENTIAL_TOPIC, publish_raw, rid, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vercred(url: str, sign) -> dict:
    document = {
        "@context": ["https://www.w3.org/2018/credentials/v1",
                     f"{url}/.well-known/mosip-context.json",
                     {"sec": "https://w3id.org/security#"}],
        "id": f"http://credential.idrepo/credentials/{uuid.uuid4()}",
        "type": ["VerifiableCredential", "MOSIPVerifiableCredential"],
        "issuer": f"{url}/.well-known/controller.json",
        "issuanceDate": "2025-03-01T10:20:41.118Z",
        "credentialSubject": {"id": f"http://credential.idrepo/credentials/{rid(1)}",
                              "vcVer": "VC-V1", "UIN": "2345678901",
                              "VID": "5432109876543210"},
    }  # fmt: skip
    document["proof"] = {
        "type": "RsaSignature2018", "created": "2025-03-01T10:20:41.118Z",
        "proofPurpose": "assertionMethod",
        "verificationMethod": f"{url}/.well-known/public-key.json",
    }  # fmt: skip
    document["proof"]["jws"] = sign(document)
    return document


def jcs_signature(document) -> str:
    """Signed the RFC 8785 way, with a key that is not MOSIP's."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = b64url(
        json.dumps({"alg": "PS256", "b64": False, "crit": ["b64"]}).encode()
    )
    body = {k: v for k, v in document.items() if k != "proof"}
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signature = key.sign(header.encode() + b"." + payload, pss, hashes.SHA256())
    return f"{header}..{b64url(signature)}"


def deliver(url: str, credential: dict, certificate_pem: str) -> InboxEvent:
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    encrypted = ver_r2.encrypt(json.dumps(credential).encode(), certificate)
    publish_raw(url, CREDENTIAL_TOPIC, {
        "publisher": "CREDENTIAL_SERVICE", "topic": CREDENTIAL_TOPIC,
        "event": {"id": str(uuid.uuid4()), "transactionId": str(uuid.uuid4()),
                  "data": {"registrationId": rid(1), "credential": encrypted,
                           "credentialType": "vercred"}}})  # fmt: skip
    assert wait_until(lambda: InboxEvent.objects.count() == 1)
    processing.inbox_process_due()
    return InboxEvent.objects.get()


def test_the_partner_keeps_the_certificate_mosip_re_signed(hub):
    partner = CredentialPartner.objects.get()
    signed = x509.load_pem_x509_certificate(partner.signed_certificate.encode())
    own = x509.load_pem_x509_certificate(partner.certificate.encode())
    ca = x509.load_pem_x509_certificate(partner.ca_certificate.encode())
    assert own.issuer == ca.subject and signed.issuer != ca.subject
    assert signed.public_key().public_numbers() == own.public_key().public_numbers()
    assert partner.encryption_certificate == partner.signed_certificate


def test_a_credential_encrypted_for_the_uploaded_certificate_is_refused(
    portal, hub, credential_partner, records
):
    partner = CredentialPartner.objects.get()
    event = deliver(hub.url, vercred(hub.url, jcs_signature), partner.certificate)
    assert event.status == InboxStatus.UNDECRYPTABLE
    assert "another certificate" in event.detail
    assert records.snapshot() == ({}, {})


def test_a_credential_whose_proof_is_not_mosips_urdna2015_signature_is_refused(
    portal, hub, credential_partner, records
):
    partner = CredentialPartner.objects.get()
    event = deliver(
        hub.url, vercred(hub.url, jcs_signature), partner.signed_certificate
    )
    assert event.status == InboxStatus.INVALID
    assert "signature does not verify" in event.detail
    assert records.snapshot() == ({}, {})
