"""VER_R2 credential decryption with the partner private key."""

import base64
import datetime
import hashlib
import json
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from apps.mosip import credentials
from apps.mosip.credentials import CredentialError

OAEP = padding.OAEP(
    mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


def _partner():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crvs-partner")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM).decode(), cert


@pytest.fixture(scope="module")
def partner():
    return _partner()


def _encrypt(plaintext: bytes, cert: x509.Certificate) -> str:
    """VER_R2 as keymanager writes it (docs/mosip/onboarding-websub.md §5.1)."""
    aes = AESGCM.generate_key(bit_length=256)
    aad = os.urandom(32)
    sealed = AESGCM(aes).encrypt(aad[:12], plaintext, aad)
    thumb = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()
    blob = (
        b"VER_R2"
        + thumb
        + cert.public_key().encrypt(aes, OAEP)
        + b"#KEY_SPLITTER#"
        + aad
        + sealed
    )
    return base64.urlsafe_b64encode(blob).rstrip(b"=").decode()


def _event(encrypted: str, credential_type: str = "vercred") -> dict:
    return {
        "publisher": "CREDENTIAL_SERVICE",
        "topic": "crvs-partner/CREDENTIAL_ISSUED",
        "event": {
            "id": "evt-1",
            "transactionId": "tx-1",
            "data": {
                "registrationId": "10001100010000120250301093015",
                "credential": encrypted,
                "credentialType": credential_type,
            },
        },
    }


VC = {
    "type": ["VerifiableCredential", "MOSIPVerifiableCredential"],
    "credentialSubject": {
        "id": "http://credential.idrepo/credentials/10001100010000120250301093015",
        "vcVer": "VC-V1",
        "VID": "5432167890123456",
        "UIN": "7412589630",
    },
}


def test_it_decrypts_a_vercred_event(partner):
    key, pem, cert = partner
    result = credentials.decrypt_credential_event(
        _event(_encrypt(json.dumps(VC).encode(), cert)), key, certificate_pem=pem
    )
    assert result.uin == "7412589630"
    assert result.vid == "5432167890123456"
    assert result.registration_id == "10001100010000120250301093015"
    assert result.subject_registration_id == "10001100010000120250301093015"
    assert result.transaction_id == "tx-1" and result.event_id == "evt-1"
    assert "7412589630" not in repr(result)


def test_uin_is_none_when_the_policy_does_not_share_it(partner):
    key, _, cert = partner
    vc = {"credentialSubject": {**VC["credentialSubject"]}}
    del vc["credentialSubject"]["UIN"]
    result = credentials.decrypt_credential_event(
        _event(_encrypt(json.dumps(vc).encode(), cert)), key
    )
    assert result.uin is None and result.vid == "5432167890123456"


def test_it_reads_the_legacy_opencrvs_type(partner):
    key, _, cert = partner
    legacy = {"credentialSubject": {"id": "5432167890123456", "UIN": "7412589630"}}
    result = credentials.decrypt_credential_event(
        _event(_encrypt(json.dumps(legacy).encode(), cert), "opencrvs"), key
    )
    assert result.vid == "5432167890123456" and result.uin == "7412589630"


def test_a_tampered_credential_is_refused(partner):
    key, _, cert = partner
    encoded = _encrypt(b'{"credentialSubject": {}}', cert)
    blob = bytearray(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    blob[-1] ^= 1
    tampered = base64.urlsafe_b64encode(bytes(blob)).rstrip(b"=").decode()
    with pytest.raises(CredentialError, match="altered"):
        credentials.decrypt_ver_r2(tampered, key)


def test_another_partners_key_cannot_open_it(partner):
    _, _, cert = partner
    other_key, other_pem, _ = _partner()
    encoded = _encrypt(b"{}", cert)
    with pytest.raises(CredentialError, match="another certificate"):
        credentials.decrypt_ver_r2(encoded, other_key, certificate_pem=other_pem)
    with pytest.raises(CredentialError, match="does not open"):
        credentials.decrypt_ver_r2(encoded, other_key)


@pytest.mark.parametrize(
    "encoded", ["not base64 !!", base64.urlsafe_b64encode(b"VER_R1xxxx").decode()]
)
def test_garbage_is_refused(partner, encoded):
    with pytest.raises(CredentialError):
        credentials.decrypt_ver_r2(encoded, partner[0])


def test_an_event_without_credential_is_refused(partner):
    with pytest.raises(CredentialError, match="no credential"):
        credentials.decrypt_credential_event(
            {"event": {"data": {"credential": None}}}, partner[0]
        )


def test_decrypted_text_that_is_not_json_is_refused(partner):
    key, _, cert = partner
    with pytest.raises(CredentialError, match="not JSON"):
        credentials.decrypt_credential_event(
            _event(_encrypt(b"\xff not json", cert)), key
        )


def test_load_private_key_reads_pem(partner):
    key = partner[0]
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    loaded = credentials.load_private_key(pem.decode())
    assert loaded.public_key().public_numbers() == key.public_key().public_numbers()


def test_decrypt_credential_takes_the_key_as_pem(partner):
    key, _, cert = partner
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    assert (
        credentials.decrypt_credential(_encrypt(b'{"a": 1}', cert), pem) == b'{"a": 1}'
    )
    with pytest.raises(CredentialError, match="PEM"):
        credentials.decrypt_credential(_encrypt(b"{}", cert), "not a key")
