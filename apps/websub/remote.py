"""Everything websub needs from outside the app, in one place: the hub calls (made by
the MOSIP client, apps.mosip.websub), credential decryption (apps.mosip.credentials)
and the credential partner's key (onboarding)."""

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class HubCallFailed(Exception):
    """The hub could not be asked (not configured, unreachable, refused)."""


class CredentialUndecryptable(Exception):
    """The credential does not decrypt with the partner's private key."""


@dataclass(frozen=True)
class CredentialPartner:
    partner_id: str
    private_key_pem: str


def credential_partner() -> CredentialPartner | None:
    """The portal's credential partner id and private key, as onboarding keeps them;
    the WEBSUB_CREDENTIAL_PARTNER_* settings where onboarding has none."""
    try:
        from apps.onboarding.queries import credential_partner as onboarded
    except ImportError:
        onboarded = None
    if onboarded is not None:
        try:
            partner = onboarded()
        except Exception:  # noqa: BLE001 - not onboarded yet: fall back below
            partner = None
        if partner is not None:
            partner_id = getattr(partner, "partner_id", None) or partner[0]
            key = getattr(partner, "private_key_pem", None) or partner[1]
            return CredentialPartner(partner_id, key)
    partner_id = getattr(settings, "WEBSUB_CREDENTIAL_PARTNER_ID", "")
    key = getattr(settings, "WEBSUB_CREDENTIAL_PARTNER_KEY", "")
    if partner_id and key:
        return CredentialPartner(partner_id, key)
    return None


_VERSION = b"VER_R2"
_SPLITTER = b"#KEY_SPLITTER#"
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


def decrypt_credential(encoded: str, private_key_pem: str) -> bytes:
    """The plaintext of a VER_R2 credential (onboarding-websub.md §5.1)."""
    try:
        from apps.mosip import credentials
    except ImportError:
        credentials = None
    decrypt = getattr(credentials, "decrypt_credential", None)
    if decrypt is not None:
        try:
            return decrypt(encoded, private_key_pem)
        except Exception as exc:  # noqa: BLE001 - any failure means "does not decrypt"
            raise CredentialUndecryptable(type(exc).__name__) from exc
    try:
        blob = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        head, splitter, data = blob.partition(_SPLITTER)
        if not splitter or not head.startswith(_VERSION) or len(data) < 48:
            raise ValueError("not a VER_R2 payload")
        key = serialization.load_pem_private_key(private_key_pem.encode(), None)
        aes_key = key.decrypt(head[len(_VERSION) + 32 :], _OAEP)
        aad, sealed = data[:32], data[32:]
        return AESGCM(aes_key).decrypt(aad[:12], sealed, aad)
    except Exception as exc:  # noqa: BLE001
        raise CredentialUndecryptable(type(exc).__name__) from exc


def _client():
    try:
        from apps.mosip import websub as hub
        from apps.mosip.config import MosipClient
        from apps.onboarding.queries import mosip_config
    except ImportError as exc:
        raise HubCallFailed("the MOSIP connection is not set up") from exc
    try:
        return hub, MosipClient(mosip_config())
    except Exception as exc:  # noqa: BLE001 - NotOnboarded and the like
        raise HubCallFailed(type(exc).__name__) from exc


def hub_subscribe(topic: str, callback: str, secret: str, lease_seconds: int) -> None:
    hub, client = _client()
    try:
        hub.subscribe(
            client,
            topic=topic,
            callback=callback,
            secret=secret,
            lease_seconds=lease_seconds,
        )
    except Exception as exc:  # noqa: BLE001 - MosipError and its kinds
        raise HubCallFailed(_describe(exc)) from exc


def hub_publish(topic: str, content: dict) -> None:
    hub, client = _client()
    try:
        hub.publish(client, topic=topic, content=content)
    except Exception as exc:  # noqa: BLE001
        raise HubCallFailed(_describe(exc)) from exc


def _describe(exc: Exception) -> str:
    code = getattr(exc, "code", "") or ""
    return f"{type(exc).__name__} {code}".strip()[:200]
