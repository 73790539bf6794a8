"""An authentication partner's side of IDA, written from MOSIP's rules
(docs/mosip/ida.md) with `cryptography` alone: it shares no code with the sandbox, so
the sandbox's checks are tested against an independent reading of the format."""

import base64
import datetime
import hashlib
import json
import os
import secrets
import string
from dataclasses import dataclass, field

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def now(offset_seconds: float = 0) -> str:
    moment = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=offset_seconds
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def transaction_id() -> str:
    return "".join(secrets.choice(string.digits) for _ in range(10))


def aes_gcm(key: bytes, plain: bytes) -> bytes:
    """Ciphertext and tag, then the 16-byte IV, as keymanager expects."""
    iv = os.urandom(16)
    return AESGCM(key).encrypt(iv, plain, None) + iv


def der(cert_pem: str) -> bytes:
    return x509.load_pem_x509_certificate(cert_pem.encode()).public_bytes(
        serialization.Encoding.DER
    )


@dataclass
class Partner:
    """What an authentication partner holds after onboarding."""

    url: str
    partner_id: str
    licence_key: str
    api_key: str
    private_key_pem: str
    certificate_pem: str  # the MOSIP-signed certificate, for x5c
    ida_certificate_pem: str
    extra_headers: dict = field(
        default_factory=lambda: {"Authorization": "Authorization"}
    )

    @classmethod
    def from_sandbox(cls, url: str, created: dict) -> "Partner":
        return cls(
            url=url,
            partner_id=created["partnerId"],
            licence_key=created["licenseKey"],
            api_key=created["apiKey"],
            private_key_pem=created["privateKey"],
            certificate_pem=created["signedCertificate"],
            ida_certificate_pem=requests.get(
                f"{url}/mosip-certs/ida-partner.cer", timeout=10
            ).text,
        )

    @property
    def private_key(self):
        return serialization.load_pem_private_key(self.private_key_pem.encode(), None)

    def protect(self, inner: dict, *, key: bytes | None = None) -> dict:
        """`request`, `requestSessionKey`, `requestHMAC` and `thumbprint`."""
        key = key or os.urandom(32)
        text = json.dumps(inner)
        digest = hashlib.sha256(text.encode()).hexdigest().upper()
        ida = x509.load_pem_x509_certificate(self.ida_certificate_pem.encode())
        return {
            "request": b64url(aes_gcm(key, text.encode())),
            "requestSessionKey": b64url(ida.public_key().encrypt(key, OAEP)),
            "requestHMAC": b64url(aes_gcm(key, digest.encode())),
            "thumbprint": hashlib.sha256(der(self.ida_certificate_pem)).hexdigest(),
        }

    def sign(self, body: bytes, *, certificate_pem: str | None = None) -> str:
        """A detached RS256 JWS over the body, the certificate in `x5c`."""
        header = {
            "alg": "RS256",
            "x5c": [
                base64.b64encode(der(certificate_pem or self.certificate_pem)).decode()
            ],
        }
        encoded = b64url(json.dumps(header).encode())
        signature = self.private_key.sign(
            f"{encoded}.{b64url(body)}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{encoded}..{b64url(signature)}"

    def auth_body(
        self,
        individual_id: str,
        *,
        demographics: dict | None = None,
        otp: str | None = None,
        id_type: str | None = "UIN",
        txn: str | None = None,
        **overrides,
    ) -> dict:
        inner = {"timestamp": now()}
        if demographics is not None:
            inner["demographics"] = demographics
        if otp is not None:
            inner["otp"] = otp
        body = {
            "id": "mosip.identity.auth",
            "version": "1.0",
            "requestTime": now(),
            "transactionID": txn or transaction_id(),
            "individualId": individual_id,
            "consentObtained": True,
            **({"individualIdType": id_type} if id_type else {}),
            **self.protect(inner),
        }
        body.update(overrides)
        return body

    def post(self, service: str, body: dict | bytes, *, path=None, headers=None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        path = path or f"{self.licence_key}/{self.partner_id}/{self.api_key}"
        return requests.post(
            f"{self.url}/idauthentication/v1/{service}/{path}",
            data=raw,
            headers={
                "Content-Type": "application/json",
                "signature": self.sign(raw),
                **self.extra_headers,
                **(headers or {}),
            },
            timeout=30,
        )

    def authenticate(self, individual_id, **kwargs):
        return self.post("auth", self.auth_body(individual_id, **kwargs))

    def otp_body(self, individual_id, *, channels=("email",), id_type="UIN", txn=None):
        return {
            "id": "mosip.identity.otp",
            "version": "1.0",
            "requestTime": now(),
            "transactionID": txn or transaction_id(),
            "individualId": individual_id,
            "individualIdType": id_type,
            "otpChannel": list(channels),
        }

    def request_otp(self, individual_id, **kwargs):
        return self.post("otp", self.otp_body(individual_id, **kwargs))


def response_signature_valid(response: requests.Response, sign_cert_pem: str) -> bool:
    """The `response-signature` header is a detached RS256 JWS over the exact body,
    by the certificate IDA publishes as its signing certificate."""
    header_part, _, signature_part = response.headers["response-signature"].split(".")
    header = json.loads(b64url_decode(header_part))
    published = x509.load_pem_x509_certificate(sign_cert_pem.encode())
    in_header = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    if in_header != published or header.get("alg") != "RS256":
        return False
    try:
        published.public_key().verify(
            b64url_decode(signature_part),
            f"{header_part}.{b64url(response.content)}".encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except Exception:
        return False
    return True


def published_sign_certificate(url: str) -> str:
    """IDA's signing certificate as MOSIP's file server publishes it
    (`/mosip-certs/ida-sign.json`, `x5c` one base64 DER string), as PEM."""
    entries = requests.get(f"{url}/mosip-certs/ida-sign.json", timeout=10).json()
    cert = x509.load_der_x509_certificate(base64.b64decode(entries[0]["x5c"]))
    return cert.public_bytes(serialization.Encoding.PEM).decode()
