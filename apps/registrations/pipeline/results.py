"""MOSIP's results for a packet (WebSub and the status search) and reconciliation."""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.registrations import config
from apps.registrations.models import (
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    RetiredApplicationId,
)
from apps.registrations.pipeline.state import event_settle, locked_event
from apps.registrations.pipeline.words import plain_words

# Results --------------------------------------------------------------------------


def _unknown(application_id: str) -> str:
    """A result for no current packet: stale news of an id a correction retired
    (MOSIP had already decided it), or an orphan admins should see."""
    if RetiredApplicationId.objects.filter(application_id=application_id).exists():
        return DUPLICATE
    return ORPHAN


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
    packet as processed if the workflow result has not arrived yet, and even if the
    portal never recorded the send (a worker that died between sending and recording
    it): MOSIP has the packet, so its send is done too, and is not made again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locked in the order a send's record takes them: outbox, packet, event.
        unsent = list(
            OutboxMessage.objects.select_for_update(of=("self",)).filter(
                packet__application_id=application_id, status=OutboxStatus.PENDING
            )
        )
        packet = (
            Packet.objects.select_for_update()
            .filter(application_id=application_id)
            .first()
        )
        if packet is None:
            return _unknown(application_id)
        if packet.uin == uin and (packet.vid == vid or not vid):
            return DUPLICATE
        packet.uin = uin
        packet.vid = vid or packet.vid
        fields = ["uin", "vid", "updated_at"]
        if packet.status in (
            PacketStatus.PENDING,
            PacketStatus.CREATED,
            PacketStatus.PROCESSING,
        ):
            if packet.status == PacketStatus.PENDING:
                OutboxMessage.objects.filter(pk__in=[o.pk for o in unsent]).update(
                    status=OutboxStatus.SENT, failing_since=None, updated_at=now
                )
                packet.sent_at = packet.sent_at or now
                fields.append("sent_at")
            packet.status = PacketStatus.PROCESSED
            packet.result_code = packet.result_code or RESULT_PROCESSED
            packet.processed_at = packet.processed_at or now
            fields += ["status", "result_code", "processed_at"]
        packet.save(update_fields=fields)
        event = locked_event(packet.event_id)
        # Ids only: the UIN itself is personal data and stays out of the audit trail.
        audit_record(
            actor=None,
            action="packet.national_id_recorded",
            target=event,
            details={"application_id": application_id, "with_vid": bool(vid)},
        )
        event_settle(event, now)
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
            return _unknown(application_id)
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
        event = locked_event(packet.event_id)
        audit_record(
            actor=None,
            action="packet.workflow_result",
            target=event,
            details={"application_id": application_id, "status": status, "code": code},
        )
        event_settle(event, now)
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
