"""IDA's own keymanager keys (docs/mosip/ida.md §2): a ROOT, the IDA master key it
certifies, and under it the two base keys partners meet:

- `IDA-PARTNER` (application IDA, reference PARTNER): partners encrypt the session key
  of every authentication request to its certificate;
- `IDA-SIGN` (application IDA, reference SIGN): IDA signs every response with it.

IDA runs keymanager inside its own services with its own database, so these keys are
not the kernel keymanager's (apps/mosip_sandbox/keymanager.py). Created once per
sandbox state (settings `ida_keys`) and forgotten by a reset.
"""

import datetime
import functools
import hashlib
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from apps.mosip_sandbox.store import get_store

_SETTING = "ida_keys"
_lock = threading.Lock()
# Keymanager's default certificate parameters (id-authentication-default.properties).
_ORGANISATION = (
    (NameOID.ORGANIZATIONAL_UNIT_NAME, "MOSIP-TECH-CENTER"),
    (NameOID.ORGANIZATION_NAME, "IITB"),
    (NameOID.LOCALITY_NAME, "BANGALORE"),
    (NameOID.STATE_OR_PROVINCE_NAME, "KA"),
    (NameOID.COUNTRY_NAME, "IN"),
)
_YEAR = datetime.timedelta(days=365)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
        + [x509.NameAttribute(oid, value) for oid, value in _ORGANISATION]
    )


def _issue(subject, key, issuer, issuer_key, years: int, *, ca: bool):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + years * _YEAR)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _create() -> dict:
    root_key, master_key, partner_key, sign_key = (_new_key() for _ in range(4))
    root = _issue(_name("ROOT"), root_key, _name("ROOT"), root_key, 5, ca=True)
    master = _issue(_name("IDA"), master_key, root.subject, root_key, 3, ca=True)
    partner = _issue(
        _name("IDA-PARTNER"), partner_key, master.subject, master_key, 2, ca=False
    )
    sign = _issue(_name("IDA-SIGN"), sign_key, master.subject, master_key, 2, ca=False)
    return {
        "rootPem": _pem(root),
        "masterPem": _pem(master),
        "partnerPem": _pem(partner),
        "partnerKey": _private_pem(partner_key),
        "signPem": _pem(sign),
        "signKey": _private_pem(sign_key),
    }


def _stored() -> dict:
    store = get_store()
    stored = store.get("settings", _SETTING)
    if stored is None:
        with _lock:
            stored = store.get("settings", _SETTING)
            if stored is None:
                store.insert("settings", _SETTING, _create())
                stored = store.get("settings", _SETTING)
    return stored


@functools.lru_cache(maxsize=8)
def _certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


@functools.lru_cache(maxsize=8)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    # Loading checks the key, which costs far more than using it; a reset stores new
    # keys, which are loaded afresh.
    return serialization.load_pem_private_key(pem.encode(), password=None)


def partner_certificate_pem() -> str:
    return _stored()["partnerPem"]


def partner_certificate() -> x509.Certificate:
    return _certificate(partner_certificate_pem())


def partner_private_key() -> rsa.RSAPrivateKey:
    return _private_key(_stored()["partnerKey"])


def sign_certificate_pem() -> str:
    return _stored()["signPem"]


def sign_certificate() -> x509.Certificate:
    return _certificate(sign_certificate_pem())


def sign_private_key() -> rsa.RSAPrivateKey:
    return _private_key(_stored()["signKey"])


def certificate_pem(reference_id: str) -> str | None:
    """The certificate keymanager answers for application IDA and `reference_id`."""
    stored = _stored()
    return {
        "PARTNER": stored["partnerPem"],
        "SIGN": stored["signPem"],
        "": stored["masterPem"],
    }.get(reference_id)


def sha256_thumbprint(cert: x509.Certificate) -> bytes:
    """Keymanager's certificate thumbprint: SHA-256 of the DER encoding."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()
