"""Credentials MOSIP issues to the portal's credential partner
(docs/mosip/onboarding-websub.md §5.1).

`event.data.credential` is keymanager's `VER_R2` hybrid encryption, base64url:

    b"VER_R2" | SHA-256 thumbprint of the partner certificate (32)
    | RSA-OAEP(SHA-256, MGF1-SHA-256) of a 256-bit AES key | b"#KEY_SPLITTER#"
    | AAD (32, its first 12 bytes are the GCM IV) | AES-GCM ciphertext + tag (16)

The plaintext is the credential JSON: a W3C VC (`vercred`) whose
`credentialSubject` carries `VID`, `UIN` when the policy shares it, and `id`
ending in the registration id; or the legacy `opencrvs` type with `UIN` and the
VID as `id`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pyld import jsonld

VERSION = b"VER_R2"
KEY_SPLITTER = b"#KEY_SPLITTER#"
THUMBPRINT_LENGTH = 32
AAD_LENGTH = 32
IV_LENGTH = 12
TAG_LENGTH = 16

_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


class CredentialError(ValueError):
    """The credential cannot be read: not VER_R2, encrypted to another key, altered
    on the way, or not a credential once decrypted. The message holds no content."""


def _b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CredentialError("the credential is not base64url") from exc


def load_private_key(
    pem: str | bytes, password: bytes | None = None
) -> rsa.RSAPrivateKey:
    """The partner's RSA private key from PEM."""
    data = pem.encode() if isinstance(pem, str) else pem
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CredentialError("the partner key must be an RSA key")
    return key


def certificate_thumbprint(certificate_pem: str | bytes) -> bytes:
    """SHA-256 of the certificate's DER, as VER_R2 carries it."""
    data = (
        certificate_pem.encode()
        if isinstance(certificate_pem, str)
        else certificate_pem
    )
    cert = x509.load_pem_x509_certificate(data)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()


def decrypt_ver_r2(
    encoded: str,
    private_key: rsa.RSAPrivateKey,
    *,
    certificate_pem: str | bytes | None = None,
) -> bytes:
    """The plaintext of a VER_R2 payload. With `certificate_pem`, a payload
    encrypted for another certificate is refused before any decryption."""
    blob = _b64url_decode(encoded)
    key_part, splitter, data_part = blob.partition(KEY_SPLITTER)
    if not splitter or not key_part.startswith(VERSION):
        raise CredentialError("the credential is not in the VER_R2 format")
    thumbprint = key_part[len(VERSION) : len(VERSION) + THUMBPRINT_LENGTH]
    wrapped_key = key_part[len(VERSION) + THUMBPRINT_LENGTH :]
    if certificate_pem is not None and thumbprint != certificate_thumbprint(
        certificate_pem
    ):
        raise CredentialError(
            "the credential was encrypted for another certificate than the partner's"
        )
    if len(data_part) < AAD_LENGTH + TAG_LENGTH:
        raise CredentialError("the credential is truncated")
    try:
        aes_key = private_key.decrypt(wrapped_key, _OAEP)
    except ValueError as exc:
        raise CredentialError(
            "the credential's key does not open with the partner private key"
        ) from exc
    aad, sealed = data_part[:AAD_LENGTH], data_part[AAD_LENGTH:]
    try:
        return AESGCM(aes_key).decrypt(aad[:IV_LENGTH], sealed, aad)
    except (InvalidTag, ValueError) as exc:
        raise CredentialError("the credential was altered or is incomplete") from exc


def decrypt_credential(encoded: str, private_key_pem: str | bytes) -> bytes:
    """`decrypt_ver_r2` with the partner private key given as PEM."""
    try:
        key = load_private_key(private_key_pem)
    except (ValueError, TypeError) as exc:
        raise CredentialError("the partner private key is not a PEM RSA key") from exc
    return decrypt_ver_r2(encoded, key)


@dataclass(frozen=True)
class Credential:
    """A decrypted credential. `registration_id` comes from the event (and, for
    vercred, the subject id); `uin` is None when the policy does not share it."""

    registration_id: str
    transaction_id: str
    event_id: str
    credential_type: str
    uin: str | None = field(repr=False)
    vid: str | None = field(repr=False)
    subject_registration_id: str | None = None
    document: dict[str, Any] = field(default_factory=dict, repr=False)


def _subject_ids(credential_type: str, subject: dict[str, Any]) -> tuple:
    uin = subject.get("UIN")
    subject_id = str(subject.get("id") or "")
    if credential_type == "opencrvs" or "VID" not in subject:
        # Legacy partner credential: the VID is the subject id itself.
        vid = subject.get("VID") or (subject_id or None)
        return uin, vid, None
    rid = subject_id.rstrip("/").rsplit("/", 1)[-1] if subject_id else None
    return uin, subject.get("VID"), rid


def decrypt_credential_event(
    message: dict[str, Any],
    private_key: rsa.RSAPrivateKey,
    *,
    certificate_pem: str | bytes | None = None,
) -> Credential:
    """Decrypt `<partner>/CREDENTIAL_ISSUED` (MOSIP's EventModel) with the partner
    private key: UIN, VID, the registration id and the transaction id to echo in
    CREDENTIAL_STATUS_UPDATE. CredentialError on anything unreadable."""
    event = message.get("event") if isinstance(message, dict) else None
    data = event.get("data") if isinstance(event, dict) else None
    if not isinstance(data, dict):
        raise CredentialError("the message is not a CREDENTIAL_ISSUED event")
    encrypted = data.get("credential")
    if not isinstance(encrypted, str) or not encrypted:
        raise CredentialError(
            "the event carries no credential (a data-share policy is not supported)"
        )
    plaintext = decrypt_ver_r2(encrypted, private_key, certificate_pem=certificate_pem)
    try:
        document = json.loads(plaintext)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CredentialError("the decrypted credential is not JSON") from exc
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    if not isinstance(subject, dict):
        raise CredentialError("the decrypted credential has no credentialSubject")
    credential_type = str(data.get("credentialType") or "")
    uin, vid, subject_rid = _subject_ids(credential_type, subject)
    return Credential(
        registration_id=str(data.get("registrationId") or subject_rid or ""),
        transaction_id=str(event.get("transactionId") or ""),
        event_id=str(event.get("id") or ""),
        credential_type=credential_type,
        uin=str(uin) if uin else None,
        vid=str(vid) if vid else None,
        subject_registration_id=subject_rid,
        document=document,
    )


# The vercred proof ---------------------------------------------------------------

CONTEXT_DIR = Path(__file__).with_name("contexts")
# The contexts MOSIP's credential service signs with (credential-service-default
# `mosip.credential.service.vercred.context.url.map`), kept as files: verification
# never loads a context from the network. contexts/SOURCES.md says where they are from.
CONTEXT_FILES = {
    "https://www.w3.org/2018/credentials/v1": "cred-v1.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "odrl.jsonld",
}
MOSIP_CONTEXT_PATH = "/.well-known/mosip-context.json"
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


@functools.lru_cache(maxsize=8)
def _context_file(name: str) -> str:
    return (CONTEXT_DIR / name).read_text(encoding="utf-8")


def _document_loader(url: str, options=None) -> dict:
    if url in CONTEXT_FILES:
        document = json.loads(_context_file(CONTEXT_FILES[url]))
    elif urlsplit(url).path == MOSIP_CONTEXT_PATH:
        # MOSIP's context names its terms under its own public host.
        text = _context_file("mosip-context.json").replace(
            "${mosip.api.public.host}", urlsplit(url).netloc
        )
        document = json.loads(text)
    else:
        raise jsonld.JsonLdError(
            f"the context {url} is not one the portal keeps",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _urdna2015_sha256(document: dict) -> bytes:
    canonical = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": _document_loader,
        },
    )
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def vercred_signing_input(document: dict[str, Any]) -> bytes:
    """What MOSIP signs for a vercred: SHA-256 of the URDNA2015 canonical proof
    options (the proof without `jws`, under the credential's `@context`), then of
    the credential without its proof."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or "@context" not in document:
        raise CredentialError("the credential has no proof or no @context")
    body = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k not in ("jws", "proofValue")}
    options["@context"] = document["@context"]
    try:
        return _urdna2015_sha256(options) + _urdna2015_sha256(body)
    except jsonld.JsonLdError as exc:
        raise CredentialError(
            "the credential is not JSON-LD the portal can read"
        ) from exc


def verify_vercred(document: dict[str, Any], public_key_pem: str | bytes) -> None:
    """Check a vercred's `proof.jws` as MOSIP makes it (keymanager signVerCred over
    the URDNA2015 form, detached PS256 JWS with unencoded payload). CredentialError
    when it does not hold."""
    proof = document.get("proof") if isinstance(document, dict) else None
    jws = proof.get("jws") if isinstance(proof, dict) else None
    if not isinstance(jws, str) or jws.count(".") != 2:
        raise CredentialError("the credential carries no detached JWS proof")
    header_b64, payload, signature_b64 = jws.split(".")
    try:
        header = json.loads(_b64url_decode(header_b64))
    except ValueError as exc:
        raise CredentialError("the proof header is not JSON") from exc
    if payload or header.get("alg") != "PS256" or header.get("b64") is not False:
        raise CredentialError("the proof is not a detached PS256 JWS (b64: false)")
    try:
        key = serialization.load_pem_public_key(
            public_key_pem.encode()
            if isinstance(public_key_pem, str)
            else public_key_pem
        )
    except ValueError as exc:
        raise CredentialError("MOSIP's credential key is not a PEM public key") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise CredentialError("MOSIP's credential key is not an RSA key")
    signed = header_b64.encode("ascii") + b"." + vercred_signing_input(document)
    try:
        key.verify(_b64url_decode(signature_b64), signed, _PSS, hashes.SHA256())
    except InvalidSignature as exc:
        raise CredentialError("the credential's signature does not verify") from exc
