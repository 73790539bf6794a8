"""MOSIP keymanager's hybrid encryption with a certificate thumbprint, version
`VER_R2`: what a credential partner receives in `event.data.credential`
(docs/mosip/onboarding-websub.md §5.1).

Layout (before encoding), all lengths in bytes:

    b"VER_R2"                      6
    SHA-256 of the certificate DER 32   (the thumbprint)
    RSA-OAEP(SHA-256, MGF1-SHA-256) of the AES key, with the certificate's key
                                   = modulus size (256 for RSA-2048)
    b"#KEY_SPLITTER#"              14
    AAD                            32   random; its first 12 bytes are the GCM IV
    AES-256-GCM ciphertext         len(plaintext), AAD bound as associated data
    GCM tag                        16

The whole is base64url-encoded without padding (kernel CryptoUtil).
"""

import base64
import hashlib
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"VER_R2"
KEY_SPLITTER = b"#KEY_SPLITTER#"
THUMBPRINT_LENGTH = 32
AAD_LENGTH = 32
IV_LENGTH = 12

_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def thumbprint(certificate: x509.Certificate) -> bytes:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()


def encrypt(plaintext: bytes, certificate: x509.Certificate) -> str:
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValueError("the partner certificate must hold an RSA key")
    aes_key = AESGCM.generate_key(bit_length=256)
    aad = os.urandom(AAD_LENGTH)
    sealed = AESGCM(aes_key).encrypt(aad[:IV_LENGTH], plaintext, aad)
    blob = (
        VERSION
        + thumbprint(certificate)
        + public_key.encrypt(aes_key, _OAEP)
        + KEY_SPLITTER
        + aad
        + sealed
    )
    return b64url_encode(blob)


def decrypt(encoded: str, private_key: rsa.RSAPrivateKey) -> bytes:
    """The partner's side, for tests and as a reference for the portal."""
    blob = b64url_decode(encoded)
    key_part, splitter, data_part = blob.partition(KEY_SPLITTER)
    if not splitter or not key_part.startswith(VERSION):
        raise ValueError("not a VER_R2 payload")
    wrapped_key = key_part[len(VERSION) + THUMBPRINT_LENGTH :]
    aes_key = private_key.decrypt(wrapped_key, _OAEP)
    aad, sealed = data_part[:AAD_LENGTH], data_part[AAD_LENGTH:]
    return AESGCM(aes_key).decrypt(aad[:IV_LENGTH], sealed, aad)
