"""Everything websub needs from outside the app, in one place: the hub calls and
credential decryption (the MOSIP client, apps.mosip) and the MOSIP connection and
credential partner key (onboarding)."""

from apps.mosip import credentials
from apps.mosip import websub as hub
from apps.mosip.config import MosipClient
from apps.onboarding import queries as onboarding


class HubCallFailed(Exception):
    """The hub could not be asked (not onboarded, unreachable, refused)."""


class CredentialUndecryptable(Exception):
    """The credential does not decrypt with the partner's private key."""


def credential_partner():
    """The portal's credential partner (`.partner_id`, `.private_key_pem`), or None
    before onboarding has registered one."""
    return onboarding.credential_partner()


def decrypt_credential(encoded: str, private_key_pem: str) -> bytes:
    """The plaintext of a VER_R2 credential (onboarding-websub.md §5.1)."""
    try:
        return credentials.decrypt_credential(encoded, private_key_pem)
    except Exception as exc:  # noqa: BLE001 - any failure means "does not decrypt"
        raise CredentialUndecryptable(type(exc).__name__) from exc


def _client() -> MosipClient:
    try:
        return MosipClient(onboarding.mosip_config())
    except Exception as exc:  # noqa: BLE001 - NotOnboarded, MosipConfigError
        raise HubCallFailed(type(exc).__name__) from exc


def hub_subscribe(topic: str, callback: str, secret: str, lease_seconds: int) -> None:
    try:
        answer = hub.subscribe(
            _client(),
            topic=topic,
            callback=callback,
            secret=secret,
            lease_seconds=lease_seconds,
        )
    except HubCallFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - MosipError and its kinds
        raise HubCallFailed(_describe(exc)) from exc
    if not answer.accepted:
        raise HubCallFailed(f"denied: {answer.reason}"[:200])


def hub_publish(topic: str, content: dict) -> None:
    try:
        answer = hub.publish(_client(), topic, content)
    except HubCallFailed:
        raise
    except Exception as exc:  # noqa: BLE001
        raise HubCallFailed(_describe(exc)) from exc
    if not answer.accepted:
        raise HubCallFailed(f"denied: {answer.reason}"[:200])


def status_update(*, request_id: str, status: str, event_id: str) -> dict:
    return hub.credential_status_update(
        request_id=request_id, status=status, event_id=event_id
    )


def _describe(exc: Exception) -> str:
    code = getattr(exc, "code", "") or ""
    return f"{type(exc).__name__} {code}".strip()[:200]
