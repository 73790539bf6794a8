"""Keymanager's client-crypto signing key (docs/mosip/onboarding-websub.md §2.3): what a
server-side packet creator registers as its machine keys, and what packet manager
signs every sub-packet with (cssign) and verifies it against (csverifysign),
docs/mosip/machines-and-packets.md §3."""

import base64
import binascii
import functools

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, security
from apps.mosip_sandbox.store import get_store


def signing_public_key() -> str:
    """The server's signing public key, base64url X.509, created once per sandbox.

    Without a TPM, keymanager keeps one local key whatever the requested profile."""
    return _signing_key()["public"]


def _signing_key() -> dict:
    store = get_store()
    stored = store.get("settings", "tpm_signing_key")
    if stored is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        der = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        store.insert(
            "settings",
            "tpm_signing_key",
            {"pem": pem, "public": base64.urlsafe_b64encode(der).decode().rstrip("=")},
        )
        stored = store.get("settings", "tpm_signing_key")
    return stored


def cs_sign(data: bytes) -> bytes:
    """Keymanager cssign without a TPM: SHA256withRSA with the local signing key
    (LocalClientCryptoServiceImpl)."""
    key = _loaded_private_key(_signing_key()["pem"])
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


@functools.lru_cache(maxsize=4)
def _loaded_private_key(pem: str) -> rsa.RSAPrivateKey:
    # Loading checks the RSA key, which costs ten times a signature; a reset stores
    # a new key, which is loaded afresh.
    return serialization.load_pem_private_key(pem.encode(), password=None)


def cs_verify(data: bytes, signature: bytes, public_key: str | None) -> bool:
    """Keymanager csverifysign: SHA256withRSA against the given X.509 public key
    (base64, either alphabet); False for a key or signature that does not match."""
    if not isinstance(public_key, str) or not public_key.strip():
        return False
    cleaned = public_key.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        key = serialization.load_der_public_key(base64.b64decode(cleaned))
        if not isinstance(key, rsa.RSAPublicKey):
            return False
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True


@csrf_exempt
@security.requires("kernel", "mosip.role.keymanager.posttpmsigningpublickey")
def tpm_signing_public_key(request):
    """POST /v1/keymanager/tpmsigning/publickey with {"request":{"serverProfile":..}}."""
    if request.method != "POST":
        return envelope.respond(
            id=None,
            version=None,
            errors=[envelope.error("KER-CRY-500", "Method not allowed")],
            status=405,
        )
    try:
        body = envelope.read_json(request)
    except envelope.BadJson:
        return envelope.bad_json_response()
    inner = body.get("request") if isinstance(body, dict) else None
    profile = inner.get("serverProfile") if isinstance(inner, dict) else None
    if not isinstance(profile, str) or not profile.strip():
        return envelope.respond(
            id=body.get("id") if isinstance(body, dict) else None,
            version=body.get("version") if isinstance(body, dict) else None,
            errors=[
                envelope.error(
                    "KER-CRY-001", "request.serverProfile: must not be blank"
                )
            ],
        )
    return envelope.respond(
        id=body.get("id"),
        version=body.get("version"),
        response={"publicKey": signing_public_key()},
        errors=[],
    )


urlpatterns = [
    path("v1/keymanager/tpmsigning/publickey", tpm_signing_public_key),
]
