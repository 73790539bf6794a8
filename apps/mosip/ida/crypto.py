"""What protects an IDA exchange (docs/mosip/ida.md §3 and §6): the encrypted
identity block, the partner's detached JWS over the request, and IDA's over its
answer. `cryptography` only; nothing here sends anything."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# MOSIP's kernel CryptoUtil: AES-GCM, 128-bit tag, an IV of the cipher's block size
# (16 bytes) appended after ciphertext and tag; no associated data (§3).
SESSION_KEY_BYTES = 32
IV_BYTES = 16
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


class IdaCryptoError(ValueError):
    """A key, certificate or signature that cannot be used; the message says which
    and never holds key material or personal data."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        cleaned = text.strip().replace("+", "-").replace("/", "_")
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError, AttributeError) as exc:
        raise IdaCryptoError("not base64") from exc


@functools.lru_cache(maxsize=16)
def load_certificate(text: str) -> x509.Certificate:
    """A certificate from PEM, or from base64 of its DER (either alphabet)."""
    try:
        if "BEGIN CERTIFICATE" in text:
            return x509.load_pem_x509_certificate(text.encode("ascii"))
        return x509.load_der_x509_certificate(b64url_decode(text))
    except (ValueError, TypeError, IdaCryptoError) as exc:
        raise IdaCryptoError("not an X.509 certificate") from exc


@functools.lru_cache(maxsize=8)
def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError) as exc:
        raise IdaCryptoError("the partner key is not a PEM private key") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise IdaCryptoError("the partner key must be an RSA key")
    return key


def certificate_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def thumbprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, base64url: the `thumbprint` field, which
    tells IDA which of its keys the session key is encrypted to."""
    return b64url(hashlib.sha256(certificate_der(certificate)).digest())


@dataclass(frozen=True)
class SealedRequest:
    request: str
    request_hmac: str
    request_session_key: str
    thumbprint: str


def seal(plain: bytes, ida_certificate: x509.Certificate) -> SealedRequest:
    """Encrypt the identity block for IDA: a fresh AES-256 key seals the block and
    the upper-case hex SHA-256 of it (requestHMAC); the key itself goes RSA-OAEP
    (SHA-256, MGF1-SHA-256) to IDA's partner certificate."""
    key = AESGCM.generate_key(bit_length=SESSION_KEY_BYTES * 8)

    def sealed(data: bytes) -> str:
        iv = os.urandom(IV_BYTES)
        return b64url(AESGCM(key).encrypt(iv, data, None) + iv)

    public_key = ida_certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise IdaCryptoError("IDA's partner certificate does not hold an RSA key")
    digest = hashlib.sha256(plain).hexdigest().upper().encode("ascii")
    return SealedRequest(
        request=sealed(plain),
        request_hmac=sealed(digest),
        request_session_key=b64url(public_key.encrypt(key, _OAEP)),
        thumbprint=thumbprint(ida_certificate),
    )


def unseal(sealed: str, key: bytes) -> bytes:
    """The inverse of one sealed field (for tests of the format)."""
    blob = b64url_decode(sealed)
    try:
        return AESGCM(key).decrypt(blob[-IV_BYTES:], blob[:-IV_BYTES], None)
    except (InvalidTag, ValueError) as exc:
        raise IdaCryptoError("the sealed data does not open with this key") from exc


def _json_b64(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def sign(
    body: bytes, private_key: rsa.RSAPrivateKey, certificate: x509.Certificate
) -> str:
    """The `signature` header: a compact JWS, RS256, payload detached, with the
    partner's certificate (as MOSIP re-signed it) in `x5c`; IDA verifies
    base64url(header) + "." + base64url(body) with that certificate (§3)."""
    header = _json_b64(
        {
            "alg": "RS256",
            "x5c": [base64.b64encode(certificate_der(certificate)).decode()],
        }
    )
    signing_input = f"{header}.{b64url(body)}".encode("ascii")
    signature = private_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}..{b64url(signature)}"


class UntrustedResponse(IdaCryptoError):
    """IDA's answer does not carry a signature that verifies with a certificate
    MOSIP publishes for IDA's signing key."""


def verify_response(
    body: bytes, jws: str | None, trusted: list[x509.Certificate]
) -> x509.Certificate:
    """Check the `response-signature` of an IDA answer: RS256 over the exact body
    bytes (detached payload), made with the key of a certificate MOSIP publishes
    for IDA-SIGN (`trusted`). Returns that certificate; UntrustedResponse otherwise."""
    if not jws:
        raise UntrustedResponse("the answer carries no response-signature")
    parts = jws.strip().split(".")
    if len(parts) != 3:
        raise UntrustedResponse("the response-signature is not a compact JWS")
    header_part, payload_part, signature_part = parts
    try:
        header = json.loads(b64url_decode(header_part))
        signature = b64url_decode(signature_part)
    except (ValueError, IdaCryptoError) as exc:
        raise UntrustedResponse("the response-signature cannot be read") from exc
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise UntrustedResponse("the response-signature is not RS256")
    if payload_part and b64url_decode(payload_part) != body:
        raise UntrustedResponse("the response-signature covers another body")
    chain = header.get("x5c")
    candidates = list(trusted)
    if isinstance(chain, list) and chain:
        try:
            named = certificate_der(load_certificate(str(chain[0])))
        except IdaCryptoError as exc:
            raise UntrustedResponse(
                "the response-signature's x5c is unreadable"
            ) from exc
        candidates = [c for c in trusted if certificate_der(c) == named]
        if not candidates:
            raise UntrustedResponse(
                "the answer is signed with a certificate MOSIP does not publish for IDA"
            )
    signing_input = f"{header_part}.{b64url(body)}".encode("ascii")
    for certificate in candidates:
        public_key = certificate.public_key()
        if not isinstance(public_key, rsa.RSAPublicKey):
            continue
        try:
            public_key.verify(
                signature, signing_input, padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            continue
        return certificate
    raise UntrustedResponse("the response-signature does not verify")
