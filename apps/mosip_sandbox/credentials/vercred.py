"""The `vercred` credential: a W3C verifiable credential as MOSIP's credential
service issues it for a partner (docs/mosip/onboarding-websub.md §5.1), signed by the sandbox.

Shape:

    {"@context": ["https://www.w3.org/2018/credentials/v1",
                  "<base>/.well-known/mosip-context.json",
                  {"sec": "https://w3id.org/security#"}],
     "id": "http://credential.idrepo/credentials/<uuid>",
     "type": ["VerifiableCredential", "MOSIPVerifiableCredential"],
     "issuer": "<base>/.well-known/controller.json",
     "issuanceDate": "2025-03-01T10:20:41.118Z",
     "credentialSubject": {"id": "http://credential.idrepo/credentials/<rid>",
                           "vcVer": "VC-V1",
                           ...the policy's shared attributes, by attributeName},
     "proof": {"type": "RsaSignature2018", "created": "...",
               "proofPurpose": "assertionMethod",
               "verificationMethod": "<base>/.well-known/public-key.json",
               "jws": "<protected>..<signature>"}}

Proof: a detached JWS with unencoded payload (RFC 7797), as keymanager signVerCred
makes it. Protected header `{"alg":"PS256","b64":false,"crit":["b64"],"kid":...}`;
signing input = ASCII(base64url(header)) + "." + the 64 bytes of `ldproof.signing_input`
(SHA-256 of the URDNA2015 canonical proof options, then of the credential without
proof); RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32 bytes. `verificationMethod`
answers `{"publicKeyPem": ...}`.
"""

import base64
import datetime
import functools
import json
import threading
import uuid
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from apps.mosip_sandbox import envelope
from apps.mosip_sandbox.credentials import ldproof
from apps.mosip_sandbox.credentials.ver_r2 import b64url_decode, b64url_encode
from apps.mosip_sandbox.store import get_store

CREDENTIAL_BASE = "http://credential.idrepo/credentials/"
PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
_lock = threading.Lock()


def issuer_key() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The sandbox credential service's signing key and certificate, kept in the
    store so credentials stay verifiable across restarts."""
    with _lock:
        stored = get_store().get("settings", "credential_issuer")
        if stored is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "MOSIP sandbox")])
            now = datetime.datetime.now(datetime.UTC)
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=3650))
                .sign(key, hashes.SHA256())
            )
            stored = {
                "key": key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode(),
                "certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
            }
            get_store().put("settings", "credential_issuer", stored)
    return _loaded(stored["key"], stored["certificate"])


@functools.lru_cache(maxsize=4)
def _loaded(key_pem: str, cert_pem: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    # Loading checks the RSA key, which costs more than signing with it; a reset
    # stores a new key, which is loaded afresh.
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    return key, x509.load_pem_x509_certificate(cert_pem.encode())


def public_key_pem() -> str:
    key, _ = issuer_key()
    return (
        key.public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


def _protected_header(header: dict[str, Any]) -> str:
    return b64url_encode(json.dumps(header, separators=(",", ":")).encode())


def sign_detached_unencoded(payload: bytes, kid: str) -> str:
    key, _ = issuer_key()
    header = _protected_header(
        {"alg": "PS256", "b64": False, "crit": ["b64"], "kid": kid}
    )
    signature = key.sign(header.encode("ascii") + b"." + payload, PSS, hashes.SHA256())
    return f"{header}..{b64url_encode(signature)}"


def verify_detached_unencoded(jws: str, payload: bytes, public_key) -> None:
    """Raises cryptography's InvalidSignature when the proof does not hold."""
    header, _, signature = jws.split(".")
    public_key.verify(
        b64url_decode(signature), header.encode("ascii") + b"." + payload, PSS,
        hashes.SHA256(),
    )  # fmt: skip


def build(
    *,
    base_url: str,
    registration_id: str,
    attributes: dict[str, Any],
) -> dict[str, Any]:
    """`attributes` are the policy's shared attributes under their policy names
    (UIN and VID among them only when the policy shares them)."""
    issued = envelope.utc_timestamp()
    subject: dict[str, Any] = {**attributes}
    subject.update(id=f"{CREDENTIAL_BASE}{registration_id}", vcVer="VC-V1")
    credential = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            f"{base_url}/.well-known/mosip-context.json",
            {"sec": "https://w3id.org/security#"},
        ],
        "id": f"{CREDENTIAL_BASE}{uuid.uuid4()}",
        "type": ["VerifiableCredential", "MOSIPVerifiableCredential"],
        "issuer": f"{base_url}/.well-known/controller.json",
        "issuanceDate": issued,
        "credentialSubject": subject,
    }
    method = f"{base_url}/.well-known/public-key.json"
    credential["proof"] = {
        "type": "RsaSignature2018",
        "created": issued,
        "proofPurpose": "assertionMethod",
        "verificationMethod": method,
    }
    credential["proof"]["jws"] = sign_detached_unencoded(
        ldproof.signing_input(credential), method
    )
    return credential


def event_signature(credential_text: str) -> str:
    """`event.data.proof.signature`: a detached RS256 JWS over the `credential`
    string, with the signer's certificate in `x5c` (keymanager jwsSign)."""
    key, cert = issuer_key()
    header = _protected_header(
        {
            "x5c": [
                base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
            ],
            "alg": "RS256",
        }
    )
    payload = b64url_encode(credential_text.encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}..{b64url_encode(signature)}"
