"""How an authentication request is protected, and how IDA signs its answers
(docs/mosip/ida.md §2, §3).

Request side, as IDA's filter and its embedded keymanager undo it:
- `request` and `requestHMAC`: AES-GCM with a random session key, 128-bit tag, no
  AAD, a 16-byte IV appended after the tag; base64url (padding optional);
- `requestHMAC` holds the upper-case hex SHA-256 of the plain `request` JSON;
- `requestSessionKey`: the session key, RSA-OAEP (SHA-256, MGF1 SHA-256) to IDA's
  PARTNER certificate, optionally already prefixed by that certificate's thumbprint;
- `thumbprint`: SHA-256 of IDA's PARTNER certificate, hex or base64url;
- the `signature` header: a JWS over the raw body (the payload part is replaced by
  the body), checked with the certificate in `x5c`, which must chain to a CA trusted
  for the AUTH partner domain.
"""

import base64
import binascii
import hashlib
import json
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from apps.mosip_sandbox import partnercerts
from apps.mosip_sandbox.ida import keys

KEY_SPLITTER = b"#KEY_SPLITTER#"
THUMBPRINT_LENGTH = 32
GCM_IV_LENGTH = 16  # keymanager takes the cipher's block size as the IV length
VERSION_RSA_2048 = b"VER_R2"
AAD_LENGTH = 32
NONCE_LENGTH = 12
TRUST_DOMAIN = "AUTH"
_URL_SAFE = re.compile(r"^[A-Za-z0-9_-]*(={0,2})$")
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)
_RSA_ALGORITHMS = {
    "RS256": (padding.PKCS1v15, hashes.SHA256),
    "RS384": (padding.PKCS1v15, hashes.SHA384),
    "RS512": (padding.PKCS1v15, hashes.SHA512),
    "PS256": ("pss", hashes.SHA256),
    "PS384": ("pss", hashes.SHA384),
    "PS512": ("pss", hashes.SHA512),
}


class Undecryptable(Exception):
    """Keymanager could not decrypt: IDA answers IDA-MPA-003."""


class UnreadableThumbprint(Exception):
    """Neither hex nor base64url: IDA fails with an unchecked exception (HTTP 500)."""


def b64url_decode(value: str) -> bytes:
    """Java's URL-safe decoder: the URL alphabet only, padding optional."""
    if not isinstance(value, str) or not _URL_SAFE.match(value):
        raise ValueError("not base64url")
    body = value.rstrip("=")
    if len(body) % 4 == 1:
        raise ValueError("truncated base64url")
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint_bytes(value: str) -> bytes:
    """IDA's reading of the `thumbprint` field: hex first, then base64url."""
    hexed = _hex_or_none(value)
    if hexed is not None:
        return hexed
    try:
        return b64url_decode(value)
    except ValueError as exc:
        raise UnreadableThumbprint(value) from exc


def _hex_or_none(value: str) -> bytes | None:
    if len(value) % 2 or not re.fullmatch(r"[0-9A-Fa-f]*", value):
        return None
    return bytes.fromhex(value)


def decrypt(session_key: bytes, data: bytes, thumbprint: bytes) -> bytes:
    """IDA KeyManager.kernelDecryptAndDecode then keymanager's decrypt."""
    combined = session_key + KEY_SPLITTER + data
    if not (len(combined) > len(thumbprint) and combined.startswith(thumbprint)):
        combined = thumbprint + combined
    index = combined.find(KEY_SPLITTER)
    if index < 0:
        index = len(combined)
    encrypted_key = combined[:index]
    encrypted_data = combined[index + len(KEY_SPLITTER) :]
    versioned = encrypted_key.startswith(VERSION_RSA_2048)
    if versioned:
        encrypted_key = encrypted_key[len(VERSION_RSA_2048) :]
    secret = _session_key(encrypted_key)
    try:
        cipher = AESGCM(secret)
        if versioned:
            aad = encrypted_data[:AAD_LENGTH]
            return cipher.decrypt(aad[:NONCE_LENGTH], encrypted_data[AAD_LENGTH:], aad)
        if len(encrypted_data) < GCM_IV_LENGTH:
            raise Undecryptable("data shorter than its IV")
        iv = encrypted_data[-GCM_IV_LENGTH:]
        return cipher.decrypt(iv, encrypted_data[:-GCM_IV_LENGTH], None)
    except (InvalidTag, ValueError) as exc:
        raise Undecryptable(str(exc)) from exc


def _session_key(encrypted_key: bytes) -> bytes:
    """The key's first 32 bytes name IDA's certificate; the rest is RSA-OAEP."""
    if encrypted_key[:THUMBPRINT_LENGTH] != keys.sha256_thumbprint(
        keys.partner_certificate()
    ):
        raise Undecryptable("no IDA key with this thumbprint")
    try:
        secret = keys.partner_private_key().decrypt(
            encrypted_key[THUMBPRINT_LENGTH:], _OAEP
        )
    except ValueError as exc:
        raise Undecryptable("session key") from exc
    if len(secret) not in (16, 24, 32):
        raise Undecryptable("not an AES key")
    return secret


def request_hmac(plain_request: str) -> str:
    return hashlib.sha256(plain_request.encode("utf-8")).hexdigest().upper()


# --- signatures --------------------------------------------------------------


def x5c_certificate(header: dict) -> x509.Certificate | None:
    """The first `x5c` entry as keymanager reads it: lenient base64 (either alphabet,
    other characters skipped), then DER or PEM, as Java's CertificateFactory takes
    both."""
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        return None
    cleaned = re.sub(r"[^A-Za-z0-9+/_-]", "", chain[0]).replace("-", "+")
    cleaned = cleaned.replace("_", "/")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return None
    for loader in (x509.load_der_x509_certificate, x509.load_pem_x509_certificate):
        try:
            return loader(raw)
        except ValueError:
            continue
    return None


def jws_header(signature: str) -> dict | None:
    parts = signature.split(".")
    try:
        header = json.loads(_lenient_b64(parts[0]))
    except (ValueError, UnicodeDecodeError):
        return None
    return header if isinstance(header, dict) else None


def _lenient_b64(segment: str) -> bytes:
    # kernel CryptoUtil.decodeBase64: URL-safe decoder first, plain one after.
    try:
        return b64url_decode(segment)
    except ValueError:
        return base64.b64decode(segment + "=" * (-len(segment) % 4), validate=True)


def signature_valid(signature: str, body: bytes) -> bool:
    """Keymanager jwtVerify with the certificate of `x5c`, trust checked for the AUTH
    domain (validateTrust); any fault in the JWS counts as an invalid signature."""
    parts = signature.split(".")
    header = jws_header(signature)
    if len(parts) != 3 or header is None:
        return False
    cert = x5c_certificate(header)
    if cert is None or not _dates_valid(cert):
        return False
    signing_input = f"{parts[0]}.{b64url_encode(body)}".encode("ascii")
    if not _verify(header.get("alg"), cert.public_key(), parts[2], signing_input):
        return False
    return is_trusted(cert)


def _dates_valid(cert: x509.Certificate) -> bool:
    now = partnercerts._now()
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _verify(alg, public_key, signature_part: str, signing_input: bytes) -> bool:
    if alg not in _RSA_ALGORITHMS or not isinstance(public_key, rsa.RSAPublicKey):
        return False
    scheme, digest = _RSA_ALGORITHMS[alg]
    pad = (
        padding.PSS(mgf=padding.MGF1(digest()), salt_length=digest().digest_size)
        if scheme == "pss"
        else scheme()
    )
    try:
        public_key.verify(b64url_decode(signature_part), signing_input, pad, digest())
    except (InvalidSignature, ValueError):
        return False
    return True


def is_trusted(cert: x509.Certificate) -> bool:
    """A trust path in IDA's store for the AUTH domain: the CA certificates partners
    uploaded for AUTH, and MOSIP's PMS and ROOT certificates, which PMS shares with
    IDA with every re-signed partner certificate."""
    if partnercerts.trust_path(cert, TRUST_DOMAIN) is not None:
        return True
    mosip = partnercerts.mosip_keys()
    pms = x509.load_pem_x509_certificate(mosip["pmsPem"].encode())
    root = x509.load_pem_x509_certificate(mosip["rootPem"].encode())
    return (
        cert.issuer == pms.subject
        and partnercerts._signed_by(cert, pms)
        and partnercerts._signed_by(pms, root)
    )


def certificate_thumbprint_hex(cert: x509.Certificate) -> str:
    return (
        hashlib.sha256(cert.public_bytes(serialization.Encoding.DER))
        .hexdigest()
        .upper()
    )


def sign_response(body: bytes, *, tamper: bool = False) -> str:
    """Keymanager jwtSign as IDA calls it for `response-signature`: RS256 with IDA's
    SIGN key, the certificate in `x5c` and its SHA-256 in `x5t#S256`, a key id, and the
    payload detached. `tamper` signs other bytes (a fault switch)."""
    cert = keys.sign_certificate()
    der = cert.public_bytes(serialization.Encoding.DER)
    header = {
        "x5c": [base64.b64encode(der).decode()],
        "x5t#S256": b64url_encode(hashlib.sha256(der).digest()),
        "kid": b64url_encode(keys.sha256_thumbprint(cert)),
        "alg": "RS256",
    }
    encoded_header = b64url_encode(json.dumps(header, separators=(",", ":")).encode())
    payload = body + b" " if tamper else body
    signing_input = f"{encoded_header}.{b64url_encode(payload)}".encode("ascii")
    signature = keys.sign_private_key().sign(
        signing_input, padding.PKCS1v15(), hashes.SHA256()
    )
    return f"{encoded_header}..{b64url_encode(signature)}"
