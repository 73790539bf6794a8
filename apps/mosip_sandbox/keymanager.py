"""Keymanager's client-crypto signing key (onboarding-websub.md §2.3): what a
server-side packet creator registers as its machine keys."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import config, envelope, security
from apps.mosip_sandbox.store import get_store


def signing_public_key() -> str:
    """The server's signing public key, base64url X.509, created once per sandbox.

    Without a TPM, keymanager keeps one local key whatever the requested profile."""
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
    return stored["public"]


@csrf_exempt
@security.requires("kernel", config.KEYMANAGER_TPM_ROLES)
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
