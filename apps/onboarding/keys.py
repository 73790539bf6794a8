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


def _certificate(subject, public_key, issuer, signing_key, days, *, ca: bool):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def new_partner_ca(organisation: str, days: int = 3650) -> tuple[str, str]:
    """(CA certificate PEM, CA private key PEM): the root MOSIP must trust before it
    takes the partner certificate (keymanager refuses a self-signed partner
    certificate, KER-PCM-015, and one whose CA it lacks, KER-PCM-006)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(f"{organisation} CRVS CA", organisation)
    certificate = _certificate(name, key.public_key(), name, key, days, ca=True)
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), _private_pem(
        key
    )


def new_partner_certificate(
    partner_id: str, organisation: str, ca_pem: str, ca_key_pem: str, days: int = 730
) -> tuple[str, str]:
    """(certificate PEM, private key PEM) for a credential partner, issued by the
    portal's CA with O= the partner's organisation name in MOSIP (keymanager
    compares them, KER-PCM-008). MOSIP re-signs its key and encrypts the
    credentials it issues for that key (§5.1). Keymanager wants at least a year
    less 30 days of validity left."""
    ca = x509.load_pem_x509_certificate(ca_pem.encode())
    ca_key = serialization.load_pem_private_key(ca_key_pem.encode(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _certificate(
        _name(partner_id, organisation), key.public_key(), ca.subject, ca_key, days,
        ca=False,
    )  # fmt: skip
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), _private_pem(
        key
    )


def certificate_organisation(pem: str) -> str:
    values = x509.load_pem_x509_certificate(
        pem.encode()
    ).subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else ""


def certificate_validity(pem: str) -> tuple[datetime.datetime, datetime.datetime]:
    certificate = x509.load_pem_x509_certificate(pem.encode())
    return certificate.not_valid_before_utc, certificate.not_valid_after_utc
