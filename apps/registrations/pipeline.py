"""Services of the MOSIP pipeline: every change a packet, its outbox row or its event
goes through after submission, each in one transaction with history and audit.

An event follows its packets: `submitted → packet_created → processing →
id_issued | record_updated | rejected | failed`. It moves forward once every packet
it sent has got that far, and stops at the first packet MOSIP turns down. Results
may arrive twice and in any order (WebSub and the status search both report them):
each service checks what is already recorded and changes nothing twice.
"""

import datetime
import logging
import random

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.registrations import config
from apps.registrations.models import (
    EventStatus,
    EventType,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)
from apps.registrations.services import _enqueue_send, _move

log = logging.getLogger(__name__)

# MOSIP's error codes in the registrar's words (packet-api.md §1, §6, §7.3).
PLAIN_WORDS = {
    "KER-PUT-006": (
        "MOSIP has no packet writer for this kind of registration; the integration "
        "admin needs to check the process names agreed with MOSIP."
    ),
    "KER-ATH-401": "MOSIP did not accept the portal's credentials.",
    "KER-ATH-403": "The portal's MOSIP account is not allowed to send packets.",
    "RPR-WIN-000": "MOSIP found a required value missing in the processing request.",
    "RPR-WIN-001": "MOSIP found a value in the processing request invalid.",
    "RPR-WIN-002": "MOSIP could not read the processing request.",
    "RPR-WIS-000": "MOSIP could not start processing the packet.",
    "RPR-PKR-016": "MOSIP does not know this registration process.",
    "PACKET_REJECTED": (
        "MOSIP rejected the packet: the details did not pass its checks (for "
        "example a duplicate person or a mismatch with the identity record). "
        "Check the details, correct them and resubmit."
    ),
    "PACKET_FAILED": (
        "MOSIP could not finish processing the packet. Check the details and "
        "resubmit; if it fails again, ask the integration admin."
    ),
    "REREGISTER": "MOSIP asks for the registration to be made again.",
    "RESEND": "MOSIP asks for the packet to be sent again.",
    "RETRIES_EXHAUSTED": (
        "MOSIP could not be reached for too long; the packet was not sent. "
        "Resubmit it once MOSIP is available."
    ),
    "EMPTY_RESPONSE": (
        "MOSIP accepted the packet request but created no packet and gave no reason."
    ),
}


def plain_words(code: str, fallback: str = "") -> str:
    return PLAIN_WORDS.get(code) or fallback or f"MOSIP answered with error {code}."


# Retry timing ---------------------------------------------------------------------


def retry_delay_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: uniform in [base·2ⁿ⁻¹ / 2, base·2ⁿ⁻¹],
    capped, so a crowd of failed rows does not come back in one wave."""
    ceiling = min(
        config.retry_max_delay_seconds(),
        config.retry_base_seconds() * 2 ** max(0, attempts - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


# Outbox ---------------------------------------------------------------------------


def outbox_claim(*, outbox_id: int, now=None) -> OutboxMessage | None:
    """Take a due outbox row for one send, or None if it is not due or is taken.

    The claim is a lease: the row's next attempt moves past the send's time limit,
    so no other worker takes it meanwhile, and a worker that dies mid-send leaves a
    row that falls due again by itself.
    """
    now = now or timezone.now()
    with transaction.atomic():
        outbox = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .select_related("packet", "event", "event__office")
            .first()
        )
        if outbox is None:
            return None
        outbox.attempts += 1
        outbox.next_attempt_at = now + datetime.timedelta(
            seconds=config.send_lease_seconds()
        )
        outbox.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return outbox


def outbox_claim_due(*, limit: int | None = None, now=None) -> list[int]:
    """Claim up to `limit` due rows at once (rows locked elsewhere are skipped)."""
    now = now or timezone.now()
    limit = limit or config.dispatch_batch_size()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        # Short hold while the sends are queued, so two dispatch runs do not queue
        # one row twice; `outbox_claim` takes the real lease when a send starts.
        OutboxMessage.objects.filter(pk__in=ids).update(
            next_attempt_at=now, updated_at=now
        )
    return ids


def outbox_release(*, outbox: OutboxMessage) -> None:
    """Give a claimed row back untouched (the send could not start)."""
    OutboxMessage.objects.filter(pk=outbox.pk, status=OutboxStatus.PENDING).update(
        next_attempt_at=timezone.now(), attempts=max(0, outbox.attempts - 1)
    )


def outbox_retry_now(*, outbox: OutboxMessage, actor=None) -> OutboxMessage:
    """Make a pending row due at once (back office: "send now")."""
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.next_attempt_at = timezone.now()
        outbox.save(update_fields=["next_attempt_at", "updated_at"])
        audit_record(
            actor=actor,
            action="outbox.retry_now",
            target=outbox.event,
            details={"outbox_id": outbox.pk},
        )
        _enqueue_send(outbox.pk)
    return outbox


def outbox_record_transient_failure(
    *, outbox: OutboxMessage, code: str, message: str, now=None
) -> OutboxMessage:
    """MOSIP could not take the packet now: try again later, or give up past the horizon."""
    now = now or timezone.now()
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.failing_since = outbox.failing_since or now
        outbox.last_error_code = code[:60]
        outbox.last_error = message[:500]
        horizon = datetime.timedelta(seconds=config.retry_horizon_seconds())
        if now - outbox.failing_since >= horizon:
            outbox.save(
                update_fields=["failing_since", "last_error_code", "last_error"]
            )
            return _outbox_give_up(
                outbox, code="RETRIES_EXHAUSTED", detail=f"{code}: {message}"
            )
        outbox.next_attempt_at = now + datetime.timedelta(
            seconds=retry_delay_seconds(outbox.attempts)
        )
        outbox.save(
            update_fields=[
                "failing_since",
                "last_error_code",
                "last_error",
                "next_attempt_at",
                "updated_at",
            ]
        )
    return outbox


def outbox_record_permanent_failure(
    *, outbox: OutboxMessage, code: str, message: str
) -> OutboxMessage:
    """MOSIP refused the packet for good: stop, and tell the registrar why."""
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.last_error_code = code[:60]
        outbox.last_error = message[:500]
        outbox.save(update_fields=["last_error_code", "last_error"])
        return _outbox_give_up(outbox, code=code, detail=message)


def _outbox_give_up(outbox: OutboxMessage, *, code: str, detail: str):
    outbox.status = OutboxStatus.FAILED
    outbox.save(update_fields=["status", "updated_at"])
    packet = Packet.objects.select_for_update().get(pk=outbox.packet_id)
    packet.status = PacketStatus.FAILED
    packet.result_code = code[:60]
    packet.result_message = plain_words(code, detail)[:500]
    packet.save(update_fields=["status", "result_code", "result_message", "updated_at"])
    event = _locked_event(packet.event_id)
    audit_record(
        actor=None,
        action="packet.send_failed",
        target=event,
        details={"application_id": packet.application_id, "code": code},
    )
    _event_settle_failure(event, EventStatus.FAILED, code, plain_words(code, detail))
    return outbox


# Sending --------------------------------------------------------------------------


def packet_record_created(*, outbox: OutboxMessage, now=None) -> Packet:
    """createPacket answered with the stored packet's parts."""
    now = now or timezone.now()
    with transaction.atomic():
        packet = Packet.objects.select_for_update().get(pk=outbox.packet_id)
        if packet.status != PacketStatus.PENDING:
            return packet
        packet.status = PacketStatus.CREATED
        packet.sent_at = now
        packet.save(update_fields=["status", "sent_at", "updated_at"])
        event = _locked_event(packet.event_id)
        audit_record(
            actor=None,
            action="packet.created",
            target=event,
            details={"application_id": packet.application_id},
        )
        _event_advance(event, EventStatus.SUBMITTED, EventStatus.PACKET_CREATED)
    return packet


def packet_record_triggered(
    *, outbox: OutboxMessage, already_present: bool = False
) -> Packet:
    """workflowinstance started processing (or had already: `RPR-WIS-001`)."""
    with transaction.atomic():
        sent = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        sent.status = OutboxStatus.SENT
        sent.failing_since = None
        sent.save(update_fields=["status", "failing_since", "updated_at"])
        packet = Packet.objects.select_for_update().get(pk=outbox.packet_id)
        if packet.status in (PacketStatus.PENDING, PacketStatus.CREATED):
            packet.status = PacketStatus.PROCESSING
            packet.save(update_fields=["status", "updated_at"])
        event = _locked_event(packet.event_id)
        audit_record(
            actor=None,
            action="packet.processing",
            target=event,
            details={
                "application_id": packet.application_id,
                "already_present": already_present,
            },
        )
        _event_advance(event, EventStatus.PACKET_CREATED, EventStatus.PROCESSING)
    return packet


# Results --------------------------------------------------------------------------

RESULT_PROCESSED = "PROCESSED"
RESULT_REJECTED = "REJECTED"
RESULT_FAILED = "FAILED"
# Outcomes a result service reports back (the WebSub handler contract).
APPLIED, DUPLICATE, ORPHAN = "applied", "duplicate", "orphan"


def packet_record_national_id(
    *, application_id: str, uin: str, vid: str = "", now=None
) -> str:
    """The UIN (and VID) MOSIP issued for a packet's subject; arrives with the credential.

    A credential is issued only once the identity exists, so it also settles the
    packet as processed if the workflow result has not arrived yet.
    """
    now = now or timezone.now()
    with transaction.atomic():
        packet = (
            Packet.objects.select_for_update()
            .filter(application_id=application_id)
            .first()
        )
        if packet is None:
            return ORPHAN
        if packet.uin == uin and (packet.vid == vid or not vid):
            return DUPLICATE
        packet.uin = uin
        packet.vid = vid or packet.vid
        fields = ["uin", "vid", "updated_at"]
        if packet.status in (PacketStatus.CREATED, PacketStatus.PROCESSING):
            packet.status = PacketStatus.PROCESSED
            packet.result_code = packet.result_code or RESULT_PROCESSED
            packet.processed_at = packet.processed_at or now
            fields += ["status", "result_code", "processed_at"]
        packet.save(update_fields=fields)
        event = _locked_event(packet.event_id)
        # Ids only: the UIN itself is personal data and stays out of the audit trail.
        audit_record(
            actor=None,
            action="packet.national_id_recorded",
            target=event,
            details={"application_id": application_id, "with_vid": bool(vid)},
        )
        _event_settle(event, now)
    return APPLIED


def packet_record_workflow_result(
    *,
    application_id: str,
    status: str,
    codes: list[str] | tuple[str, ...] = (),
    message: str = "",
    now=None,
) -> str:
    """MOSIP finished processing a packet: PROCESSED, REJECTED or FAILED."""
    now = now or timezone.now()
    status = status.upper()
    targets = {
        RESULT_PROCESSED: PacketStatus.PROCESSED,
        RESULT_REJECTED: PacketStatus.REJECTED,
        RESULT_FAILED: PacketStatus.FAILED,
    }
    if status not in targets:
        raise ValueError(f"Unknown workflow result {status!r}.")
    code = next((c for c in codes if c), "") or status
    with transaction.atomic():
        packet = (
            Packet.objects.select_for_update()
            .filter(application_id=application_id)
            .first()
        )
        if packet is None:
            return ORPHAN
        if packet.status == targets[status] and packet.result_code == code:
            return DUPLICATE
        if packet.status == PacketStatus.PROCESSED or packet.status in (
            PacketStatus.PENDING,
            PacketStatus.WITHDRAWN,
        ):
            # Processed is final; a result for a packet not (re)sent yet is stale.
            return DUPLICATE
        packet.status = targets[status]
        packet.result_code = code[:60]
        packet.result_message = (message or plain_words(code, ""))[:500]
        packet.processed_at = now
        packet.save(
            update_fields=[
                "status",
                "result_code",
                "result_message",
                "processed_at",
                "updated_at",
            ]
        )
        event = _locked_event(packet.event_id)
        audit_record(
            actor=None,
            action="packet.workflow_result",
            target=event,
            details={"application_id": application_id, "status": status, "code": code},
        )
        _event_settle(event, now)
    return APPLIED


# MOSIP's external status codes (§7.2) → the workflow result they mean, if final.
EXTERNAL_STATUS_RESULTS = {
    "UIN_GENERATED": (RESULT_PROCESSED, ""),
    "PROCESSED": (RESULT_PROCESSED, ""),
    "REJECTED": (RESULT_REJECTED, "PACKET_REJECTED"),
    "REPROCESS_FAILED": (RESULT_FAILED, "PACKET_FAILED"),
    "REREGISTER": (RESULT_FAILED, "REREGISTER"),
    "RESEND": (RESULT_FAILED, "RESEND"),
}


def packet_record_external_status(*, application_id: str, status_code: str) -> str:
    """Apply what the status search said about a packet; still processing changes nothing."""
    result = EXTERNAL_STATUS_RESULTS.get(status_code)
    if result is None:
        Packet.objects.filter(
            application_id=application_id, status=PacketStatus.PROCESSING
        ).update(updated_at=timezone.now())
        return DUPLICATE
    status, code = result
    return packet_record_workflow_result(
        application_id=application_id, status=status, codes=[code] if code else []
    )


def packets_to_reconcile(*, now=None, limit: int | None = None) -> list[str]:
    """Application ids processing in MOSIP for longer than the reconcile interval."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=config.reconcile_after_seconds())
    return list(
        Packet.objects.filter(status=PacketStatus.PROCESSING, updated_at__lte=cutoff)
        .order_by("updated_at", "id")
        .values_list("application_id", flat=True)[
            : limit or config.reconcile_batch_size()
        ]
    )


# Event state ----------------------------------------------------------------------

_ORDER = [
    EventStatus.SUBMITTED,
    EventStatus.PACKET_CREATED,
    EventStatus.PROCESSING,
]
_PACKET_REACHED = {
    EventStatus.PACKET_CREATED: {
        PacketStatus.CREATED,
        PacketStatus.PROCESSING,
        PacketStatus.PROCESSED,
    },
    EventStatus.PROCESSING: {PacketStatus.PROCESSING, PacketStatus.PROCESSED},
}


def _locked_event(pk: int) -> VitalEvent:
    return (
        VitalEvent.objects.select_for_update().select_related("created_by").get(pk=pk)
    )


def _live_packets(event: VitalEvent) -> list[Packet]:
    return [p for p in event.packets.all() if p.status != PacketStatus.WITHDRAWN]


def _event_advance(event: VitalEvent, from_status: str, to_status: str) -> None:
    """Move forward once every live packet has reached `to_status`."""
    if event.status not in _ORDER or _ORDER.index(event.status) > _ORDER.index(
        from_status
    ):
        return
    reached = _PACKET_REACHED[to_status]
    if all(p.status in reached for p in _live_packets(event)):
        if (
            event.status == EventStatus.SUBMITTED
            and to_status == EventStatus.PROCESSING
        ):
            _move(event, EventStatus.PACKET_CREATED, actor=None)
        _move(event, to_status, actor=None)
        event.save(update_fields=["status", "updated_at"])


def _event_settle(event: VitalEvent, now) -> None:
    """Move the event to its outcome once its packets have one."""
    if event.status not in _ORDER:
        return
    packets = _live_packets(event)
    failed = next(
        (
            p
            for p in packets
            if p.status in (PacketStatus.REJECTED, PacketStatus.FAILED)
        ),
        None,
    )
    if failed is not None:
        to_status = (
            EventStatus.REJECTED
            if failed.status == PacketStatus.REJECTED
            else EventStatus.FAILED
        )
        _event_settle_failure(
            event, to_status, failed.result_code, failed.result_message, now=now
        )
        return
    if packets and all(p.status == PacketStatus.PROCESSED for p in packets):
        to_status = (
            EventStatus.ID_ISSUED
            if event.event_type == EventType.BIRTH
            else EventStatus.RECORD_UPDATED
        )
        _move(event, to_status, actor=None)
        event.outcome_at = now
        event.last_error_code = event.last_error_message = ""
        event.save()
        audit_record(actor=None, action=f"event.{to_status}", target=event, details={})
        kind = (
            NotificationKind.ID_ISSUED
            if to_status == EventStatus.ID_ISSUED
            else NotificationKind.RECORD_UPDATED
        )
        message = (
            f"{event.registration_number}: MOSIP issued the national ID."
            if kind == NotificationKind.ID_ISSUED
            else f"{event.registration_number}: MOSIP updated the identity record."
        )
        _notify(event, kind, message)


def _event_settle_failure(
    event: VitalEvent, to_status: str, code: str, message: str, now=None
) -> None:
    if event.status not in _ORDER:
        return
    _move(event, to_status, actor=None, code=code[:60], note=message[:500])
    event.outcome_at = now or timezone.now()
    event.last_error_code = code[:60]
    event.last_error_message = message[:500]
    event.save()
    audit_record(
        actor=None, action=f"event.{to_status}", target=event, details={"code": code}
    )
    kind = (
        NotificationKind.REJECTED
        if to_status == EventStatus.REJECTED
        else NotificationKind.NEEDS_ATTENTION
    )
    _notify(
        event,
        kind,
        f"{event.registration_number} needs attention: {message}"[:500],
    )


def _notify(event: VitalEvent, kind: str, message: str) -> None:
    recipient = event.created_by
    Notification.objects.create(
        recipient=recipient, event=event, kind=kind, message=message
    )
    if config.notify_by_email() and recipient.email:
        email = recipient.email

        def send():
            try:
                send_mail(
                    subject=f"Registration {event.registration_number}: "
                    f"{NotificationKind(kind).label}",
                    message=message,
                    from_email=None,
                    recipient_list=[email],
                )
            except OSError:
                log.warning("notification e-mail for event %s not sent", event.pk)

        transaction.on_commit(send)


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or all) of the user's unread notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
