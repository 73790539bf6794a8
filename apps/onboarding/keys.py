"""Key material the portal generates: the machine's RSA key pair and the credential
partner's key and self-signed certificate (cryptography only)."""

import base64
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def new_key_pair() -> tuple[str, str]:
    """(public key as base64 X.509 SubjectPublicKeyInfo, private key as PKCS#8 PEM):
    the form masterdata takes for machine keys (§2.3)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode(), _private_pem(key)


def same_public_key(first: str | None, second: str | None) -> bool:
    """Whether two base64 (either alphabet, padded or not) X.509 public keys are the
    same key; MOSIP stores machine keys url-safe and unpadded."""

    def der(text: str | None) -> bytes | None:
        if not isinstance(text, str) or not text.strip():
            return None
        cleaned = text.strip().replace("-", "+").replace("_", "/")
        try:
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
        except ValueError:
            return None

    left, right = der(first), der(second)
    return left is not None and left == right


def new_partner_certificate(partner_id: str, days: int = 730) -> tuple[str, str]:
    """(certificate PEM, private key PEM) for a credential partner: MOSIP encrypts
    the credentials it issues to this certificate's key (§5.1)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, partner_id)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), _private_pem(
        key
    )


def certificate_validity(pem: str) -> tuple[datetime.datetime, datetime.datetime]:
    certificate = x509.load_pem_x509_certificate(pem.encode())
    return certificate.not_valid_before_utc, certificate.not_valid_after_utc
