"""Everything websub needs from outside the app, in one place: the hub calls and
credential decryption (the MOSIP client, apps.mosip) and the MOSIP connection and
credential partner key (onboarding)."""

import requests

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


class ProofInvalid(Exception):
    """The credential's signature does not verify as MOSIP makes it."""


class ProofKeyUnavailable(Exception):
    """MOSIP's credential signing key could not be fetched (try again later)."""


def decrypt_credential(
    encoded: str, private_key_pem: str, certificate_pem: str | None = None
) -> bytes:
    """The plaintext of a VER_R2 credential (docs/mosip/onboarding-websub.md §5.1). With
    `certificate_pem` (the certificate MOSIP re-signed for the partner), a
    credential whose header names another certificate's thumbprint is refused."""
    try:
        key = credentials.load_private_key(private_key_pem)
        return credentials.decrypt_ver_r2(
            encoded, key, certificate_pem=certificate_pem or None
        )
    except Exception as exc:  # noqa: BLE001 - any failure means "does not decrypt"
        raise CredentialUndecryptable(str(exc) or type(exc).__name__) from exc


_issuer_keys: dict[str, str] = {}


def _issuer_key(url: str) -> str:
    """MOSIP's credential key document at the proof's verificationMethod
    (`{"publicKeyPem": ...}`), fetched once per URL."""
    if url not in _issuer_keys:
        if not url.startswith(("https://", "http://")):
            raise ProofInvalid("the verification method is not an HTTP(S) URL")
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            _issuer_keys[url] = str(response.json()["publicKeyPem"])
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise ProofKeyUnavailable(type(exc).__name__) from exc
    return _issuer_keys[url]


def verify_credential_proof(document: dict) -> None:
    """The vercred's URDNA2015 proof, checked with MOSIP's published key."""
    proof = document.get("proof") if isinstance(document, dict) else None
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if not isinstance(method, str):
        raise ProofInvalid("the credential has no proof")
    cached = method in _issuer_keys
    try:
        credentials.verify_vercred(document, _issuer_key(method))
    except credentials.CredentialError as exc:
        if not cached:
            raise ProofInvalid(str(exc)) from exc
        # MOSIP may have rotated its key since it was fetched: fetch it again once.
        _issuer_keys.pop(method, None)
        try:
            credentials.verify_vercred(document, _issuer_key(method))
        except credentials.CredentialError as again:
            raise ProofInvalid(str(again)) from again


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
