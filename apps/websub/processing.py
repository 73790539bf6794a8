"""Processing the inbox, in the worker: each stored delivery is parsed, a credential
decrypted, the result handed to the registered handler, and for each credential a
CREDENTIAL_STATUS_UPDATE owed to MOSIP (`requestId` = the event's transactionId).

Status sent back per outcome (the values mosip-opencrvs uses):
applied / duplicate -> served; unknown application id -> serving_error_sending_back
(the credential reached no record); does not decrypt -> serving_error_decrypt;
decrypts to no JSON -> serving_error_json_parse; holds neither UIN nor VID ->
serving_error_uin_token.
"""

import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.backoff import backoff_seconds
from apps.websub import handlers, remote
from apps.websub.models import BadInputKind, EventKind, InboxEvent, InboxStatus
from apps.websub.quarantine import bad_input_count

log = logging.getLogger(__name__)

STATUS_UPDATE_TOPIC = "CREDENTIAL_STATUS_UPDATE"
WAIT_FOR_SETUP = timedelta(minutes=1)
RESULT_CODES = ("PROCESSED", "REJECTED", "FAILED")
_DATA_KEYS = {
    "registrationId",
    "templateTypeCode",
    "credential",
    "proof",
    "credentialType",
    "protectionKey",
}


class Unusable(Exception):
    def __init__(self, status: str, count_as: str, ack: str, detail: str):
        super().__init__(detail)
        self.status, self.count_as, self.ack, self.detail = (
            status,
            count_as,
            ack,
            detail,
        )


class NotReady(Exception):
    """Processing must wait for configuration (e.g. the partner key)."""


# An inbox event that failed is looked at again after 15 s, then 30 s, ... up to an
# hour (each with jitter, apps/core/backoff.py).
RETRY_BASE_SECONDS = 15
RETRY_MAX_DELAY_SECONDS = 3600


def _backoff(attempts: int) -> timedelta:
    return timedelta(
        seconds=backoff_seconds(
            attempts, base=RETRY_BASE_SECONDS, cap=RETRY_MAX_DELAY_SECONDS
        )
    )


def inbox_process_due(limit: int | None = None) -> int:
    """Process the inbox events that are due, oldest first; then send the status
    updates owed. Returns how many events were looked at."""
    limit = limit or settings.WEBSUB_SWEEP_BATCH
    ids = list(
        InboxEvent.objects.filter(
            status=InboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for event_id in ids:
        inbox_process_event(event_id)
    inbox_send_status_updates(limit)
    return len(ids)


def inbox_process_event(event_id: int) -> str | None:
    """Apply one inbox event; its new status, or None when it was not due or is
    being processed elsewhere."""
    with transaction.atomic():
        event = (
            InboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, status=InboxStatus.PENDING)
            .first()
        )
        if event is None:
            return None
        try:
            payload = _payload(event)
        except Unusable as bad:
            _finish(event, bad.status, bad.detail, bad.ack)
            bad_input_count(bad.count_as)
            return event.status
        except NotReady as wait:
            _later(event, str(wait), WAIT_FOR_SETUP, count_attempt=False)
            return event.status
        handler = handlers.handler_for(event.kind)
        if handler is None:
            _later(event, "no handler registered", WAIT_FOR_SETUP, count_attempt=False)
            return event.status
        try:
            with transaction.atomic():
                outcome = handler(payload)
        except Exception as exc:  # noqa: BLE001 - retried; the type alone is logged
            log.warning(
                "websub event %s: handler failed (%s)", event.pk, type(exc).__name__
            )
            _later(event, f"handler failed: {type(exc).__name__}", None)
            return event.status
        credential = event.kind == EventKind.CREDENTIAL_ISSUED
        if outcome == handlers.ORPHAN:
            bad_input_count(BadInputKind.UNKNOWN_APPLICATION)
            ack = "serving_error_sending_back" if credential else ""
            _finish(event, InboxStatus.ORPHAN, "no record has this application id", ack)
        elif outcome in (handlers.APPLIED, handlers.DUPLICATE):
            _finish(event, outcome, "", "served" if credential else "")
        else:
            _later(event, f"handler answered {str(outcome)[:40]!r}", None)
        if credential and not getattr(payload, "transaction_id", ""):
            event.ack_status = ""
            event.save(update_fields=["ack_status"])
        return event.status


def _finish(event: InboxEvent, status: str, detail: str, ack: str) -> None:
    event.status = status
    event.detail = detail[:500]
    event.processed_at = timezone.now()
    event.attempts += 1
    event.ack_status = ack
    event.save()


def _later(event: InboxEvent, detail: str, delay, *, count_attempt: bool = True):
    if count_attempt:
        event.attempts += 1
    event.detail = detail[:500]
    if count_attempt and event.attempts >= settings.WEBSUB_MAX_ATTEMPTS:
        event.status = InboxStatus.FAILED
        event.processed_at = timezone.now()
    event.next_attempt_at = timezone.now() + (delay or _backoff(event.attempts))
    event.save()


def inbox_retry(event_id: int, *, actor=None) -> bool:
    """Put an orphaned or failed event back in the queue (e.g. once its record exists)."""
    with transaction.atomic():
        event = (
            InboxEvent.objects.select_for_update()
            .filter(pk=event_id, status__in=[InboxStatus.ORPHAN, InboxStatus.FAILED])
            .first()
        )
        if event is None:
            return False
        event.status = InboxStatus.PENDING
        event.next_attempt_at = timezone.now()
        event.attempts = 0
        event.save()
        audit_record(actor=actor, action="websub.event_retried", target=event)
    return True


# Payloads ---------------------------------------------------------------------------


def _text(value) -> str:
    """A field as text for the records (no NUL, which PostgreSQL text refuses)."""
    return str(value if value is not None else "").replace("\x00", "")[:200]


def _payload(event: InboxEvent):
    content = json.loads(event.body)
    if event.kind == EventKind.CREDENTIAL_ISSUED:
        return _credential(event, content)
    return _workflow(event, content)


def _workflow(event: InboxEvent, content: dict) -> handlers.WorkflowCompleted:
    result = str(content.get("resultCode") or "").upper()
    if result not in RESULT_CODES:
        raise Unusable(
            InboxStatus.INVALID, BadInputKind.INVALID_CONTENT, "", "unknown resultCode"
        )
    return handlers.WorkflowCompleted(
        application_id=_text(content["instanceId"]),
        result_code=result,
        error_code=_text(content.get("errorCode")),
        workflow_type=_text(content.get("workflowType")),
        received_at=event.received_at,
    )


def _check_proof(credential: dict) -> None:
    """MOSIP signs a vercred over its URDNA2015 form (docs/mosip/credential-partner.md
    §4); one that does not verify is not used."""
    try:
        remote.verify_credential_proof(credential)
    except remote.ProofKeyUnavailable as exc:
        raise NotReady(f"MOSIP's credential key is unavailable ({exc})") from exc
    except remote.ProofInvalid as exc:
        raise Unusable(
            InboxStatus.INVALID,
            BadInputKind.INVALID_CONTENT,
            "serving_error_decrypt",
            f"credential signature does not verify ({exc})",
        ) from exc


def _credential(event: InboxEvent, content: dict) -> handlers.CredentialIssued:
    body = content["event"]
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    encrypted = data.get("credential")
    if not isinstance(encrypted, str) or not encrypted:
        raise Unusable(
            InboxStatus.INVALID,
            BadInputKind.INVALID_CONTENT,
            "serving_error_decrypt",
            "no credential in the event (shared by URL, or missing)",
        )
    partner = remote.credential_partner()
    if partner is None:
        raise NotReady("no credential partner key configured")
    try:
        plaintext = remote.decrypt_credential(
            encrypted, partner.private_key_pem, partner.certificate_pem
        )
    except remote.CredentialUndecryptable as exc:
        raise Unusable(
            InboxStatus.UNDECRYPTABLE,
            BadInputKind.UNDECRYPTABLE,
            "serving_error_decrypt",
            f"credential does not decrypt ({exc})",
        ) from exc
    try:
        credential = json.loads(plaintext)
        subject = credential["credentialSubject"]
        if not isinstance(subject, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError) as exc:
        raise Unusable(
            InboxStatus.INVALID,
            BadInputKind.INVALID_CONTENT,
            "serving_error_json_parse",
            "credential is not the expected JSON",
        ) from exc
    if credential.get("proof") is not None or data.get("credentialType") == "vercred":
        _check_proof(credential)
    uin = _text(subject.get("UIN"))
    vid = _text(subject.get("VID"))
    subject_id = _text(subject.get("id"))
    if not vid and subject_id and "/" not in subject_id:
        vid = subject_id  # the legacy `opencrvs` credential carries the VID as id
    application_id = _text(data.get("registrationId"))
    subject_rid = subject_id.rsplit("/", 1)[-1] if "/" in subject_id else ""
    if not application_id:
        application_id = subject_rid
    if subject_rid and application_id and subject_rid != application_id:
        raise Unusable(
            InboxStatus.INVALID,
            BadInputKind.INVALID_CONTENT,
            "serving_error_json_parse",
            "credential names another application id",
        )
    if not (uin or vid) or not application_id:
        raise Unusable(
            InboxStatus.INVALID,
            BadInputKind.INVALID_CONTENT,
            "serving_error_uin_token",
            "credential holds no UIN or VID, or no application id",
        )
    return handlers.CredentialIssued(
        application_id=application_id,
        uin=uin,
        vid=vid,
        transaction_id=_text(body.get("transactionId")),
        event_id=_text(body.get("id")),
        received_at=event.received_at,
        meta={
            k: v for k, v in data.items() if k not in _DATA_KEYS and isinstance(v, str)
        },
    )


# CREDENTIAL_STATUS_UPDATE -----------------------------------------------------------


def status_update(event: InboxEvent) -> dict:
    content = json.loads(event.body)
    return remote.status_update(
        request_id=content["event"].get("transactionId"),
        status=event.ack_status,
        # The same id on every attempt: a retried publish is the same update.
        event_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"crvs-status:{event.key}")),
    )


def inbox_send_status_updates(limit: int = 200) -> int:
    """Publish the CREDENTIAL_STATUS_UPDATEs still owed; failures stay owed."""
    sent = 0
    owed = InboxEvent.objects.filter(ack_sent_at=None).exclude(ack_status="")
    for event in owed.order_by("id")[:limit]:
        try:
            remote.hub_publish(STATUS_UPDATE_TOPIC, status_update(event))
        except remote.HubCallFailed as exc:
            log.warning("status update for event %s not sent: %s", event.pk, exc)
            break
        InboxEvent.objects.filter(pk=event.pk).update(ack_sent_at=timezone.now())
        sent += 1
    return sent
