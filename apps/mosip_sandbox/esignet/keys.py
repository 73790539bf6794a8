"""The keys e-Signet signs with, each with its self-signed certificate as MOSIP's
keymanager keeps it (docs/mosip/esignet.md §5):

- `OIDC_SERVICE`: e-Signet's own key (id tokens, access tokens);
- `IDA_KYC_EXCHANGE`: the identity system's key that signs the userinfo claims;
- `IMPOSTOR`: a key nobody publishes, for the forged-response fault switch.

Keys are created on first use and kept in the store, so tokens survive a restart and a
reset starts with fresh keys. The JWKS lists the first two."""

import base64
import datetime
import hashlib
import threading
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from apps.mosip_sandbox.store import get_store

OIDC_SERVICE = "OIDC_SERVICE"
IDA_KYC_EXCHANGE = "IDA_KYC_EXCHANGE"
IMPOSTOR = "IMPOSTOR"
PUBLISHED = (OIDC_SERVICE, IDA_KYC_EXCHANGE)
# keymanager's default certificate validity for application keys: about three years.
_VALIDITY = datetime.timedelta(days=1095)
_lock = threading.Lock()
_loaded: dict[str, tuple[str, Any]] = {}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _create(application_id: str) -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"www.mosip.io {application_id}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "MOSIP-TECH-CENTER"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "IITB"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "key": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
        # keymanager names a key by an identifier of its certificate, base64url.
        "kid": _b64url(hashlib.sha256(der).digest()),
    }


def _entry(application_id: str) -> dict[str, str]:
    store = get_store()
    with _lock:
        stored = store.get("esignet_keys", application_id)
        if stored is None:
            stored = _create(application_id)
            if not store.insert("esignet_keys", application_id, stored):
                stored = store.get("esignet_keys", application_id)
        return stored


def private_key(application_id: str) -> rsa.RSAPrivateKey:
    stored = _entry(application_id)
    cached = _loaded.get(application_id)
    if cached and cached[0] == stored["key"]:
        return cached[1]
    key = serialization.load_pem_private_key(stored["key"].encode(), password=None)
    _loaded[application_id] = (stored["key"], key)
    return key


def key_id(application_id: str) -> str:
    return _entry(application_id)["kid"]


def sign(
    application_id: str, payload: dict[str, Any], kid_of: str | None = None
) -> str:
    """A compact JWS as keymanager's jwtSign makes it: RS256, the key id in `kid`, no
    `typ`, the payload included. `kid_of` names another key's id to put in the
    header (the forged-response fault signs with one key under another's name)."""
    return jwt.encode(
        payload,
        private_key(application_id),
        algorithm="RS256",
        headers={"kid": key_id(kid_of or application_id), "typ": None},
    )


def verify(application_id: str, token: str) -> dict[str, Any]:
    """Claims of a JWS signed by this key; jwt.PyJWTError when it is not."""
    return jwt.decode(
        token,
        private_key(application_id).public_key(),
        algorithms=["RS256"],
        options={"verify_aud": False, "verify_exp": False},
    )


def jwk(application_id: str) -> dict[str, Any]:
    """One JWKS entry as e-Signet builds it from a certificate: no `alg`."""
    stored = _entry(application_id)
    cert = x509.load_pem_x509_certificate(stored["certificate"].encode())
    numbers = cert.public_key().public_numbers()
    der = cert.public_bytes(serialization.Encoding.DER)

    def b64_int(value: int) -> str:
        return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {
        "kid": stored["kid"],
        "kty": "RSA",
        "use": "sig",
        "exp": int(cert.not_valid_after_utc.timestamp()),
        "x5c": [base64.b64encode(der).decode()],
        "x5t#S256": _b64url(hashlib.sha256(der).digest()),
        "e": b64_int(numbers.e),
        "n": b64_int(numbers.n),
    }


def jwks() -> dict[str, list[dict[str, Any]]]:
    return {"keys": [jwk(application_id) for application_id in PUBLISHED]}
