"""Credentials MOSIP issues to the portal's credential partner
(onboarding-websub.md §5.1).

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
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
