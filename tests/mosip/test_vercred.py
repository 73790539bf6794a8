"""The portal verifies a vercred's proof as MOSIP signs it: a detached PS256 JWS over
SHA-256 of the URDNA2015 canonical proof options and credential
(docs/mosip/credential-partner.md §4). The signer here is written independently of
the portal's verifier; contexts come from the portal's local files only."""

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyld import jsonld

from apps.mosip import credentials

HOST = "mosip.example.org"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    .decode()
)
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
CREDENTIAL = {
    "@context": [
        "https://www.w3.org/2018/credentials/v1",
        f"https://{HOST}/.well-known/mosip-context.json",
        {"sec": "https://w3id.org/security#"},
    ],
    "id": "http://credential.idrepo/credentials/6f1c",
    "type": ["VerifiableCredential", "MOSIPVerifiableCredential"],
    "issuer": f"https://{HOST}/.well-known/controller.json",
    "issuanceDate": "2025-03-01T10:20:41.118Z",
    "credentialSubject": {
        "id": "http://credential.idrepo/credentials/10021100340000120250301100000",
        "vcVer": "VC-V1",
        "UIN": "2345678901",
        "dateOfBirth": "2025/02/27",
        "fullName": [{"language": "eng", "value": "Amina Diallo"}],
    },
}
PROOF = {
    "type": "RsaSignature2018",
    "created": "2025-03-01T10:20:41.118Z",
    "proofPurpose": "assertionMethod",
    "verificationMethod": f"https://{HOST}/.well-known/public-key.json",
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


HEADER = b64url(json.dumps({"alg": "PS256", "b64": False, "crit": ["b64"]}).encode())


def loader(url, options=None):
    return credentials._document_loader(url, options)


def urdna2015(document) -> bytes:
    text = jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": loader})  # fmt: skip
    return hashlib.sha256(text.encode()).digest()


def signed(payload: bytes) -> dict:
    document = copy.deepcopy(CREDENTIAL)
    signature = KEY.sign(HEADER.encode() + b"." + payload, PSS, hashes.SHA256())
    document["proof"] = {**PROOF, "jws": f"{HEADER}..{b64url(signature)}"}
    return document


def mosip_signed() -> dict:
    options = {**PROOF, "@context": CREDENTIAL["@context"]}
    return signed(urdna2015(options) + urdna2015(CREDENTIAL))


def test_a_credential_signed_over_the_urdna2015_form_verifies():
    credentials.verify_vercred(mosip_signed(), PUBLIC_PEM)


def test_a_credential_signed_over_rfc_8785_json_fails_the_portals_verification():
    jcs = json.dumps(CREDENTIAL, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(credentials.CredentialError, match="does not verify"):
        credentials.verify_vercred(signed(jcs), PUBLIC_PEM)


def test_a_changed_uin_breaks_the_signature():
    document = mosip_signed()
    document["credentialSubject"]["UIN"] = "0000000000"
    with pytest.raises(credentials.CredentialError, match="does not verify"):
        credentials.verify_vercred(document, PUBLIC_PEM)


def test_a_changed_proof_option_breaks_the_signature():
    document = mosip_signed()
    document["proof"]["created"] = "2030-01-01T00:00:00.000Z"
    with pytest.raises(credentials.CredentialError, match="does not verify"):
        credentials.verify_vercred(document, PUBLIC_PEM)


def test_another_key_does_not_verify():
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(credentials.CredentialError):
        credentials.verify_vercred(mosip_signed(), pem)


def test_no_context_is_loaded_from_the_network():
    document = mosip_signed()
    document["@context"].append("https://example.org/unknown-context.jsonld")
    with pytest.raises(credentials.CredentialError, match="JSON-LD"):
        credentials.verify_vercred(document, PUBLIC_PEM)
