"""What a send records: packet created, processing started."""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.audit.services import audit_record
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
)
from apps.registrations.pipeline.state import event_advance, locked_event

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
        event = locked_event(packet.event_id)
        audit_record(
            actor=None,
            action="packet.created",
            target=event,
            details={"application_id": packet.application_id},
        )
        event_advance(event, EventStatus.SUBMITTED, EventStatus.PACKET_CREATED)
    return packet


def packet_record_triggered(
    *, outbox: OutboxMessage, already_present: bool = False, now=None
) -> Packet:
    """workflowinstance started processing (or had already: `RPR-WIS-001`).

    On the usual path this is the only record of a send: createPacket then
    workflowinstance both answered, and one transaction records the packet created
    and processing (`packet_record_created` is for a send that stops in between).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Conditional updates lock the rows in the same order (outbox, packet, event)
        # as reading them for update would, in one statement each.
        OutboxMessage.objects.filter(pk=outbox.pk).update(
            status=OutboxStatus.SENT, failing_since=None, updated_at=timezone.now()
        )
        Packet.objects.filter(
            pk=outbox.packet_id,
            status__in=(PacketStatus.PENDING, PacketStatus.CREATED),
        ).update(
            status=PacketStatus.PROCESSING,
            sent_at=Coalesce("sent_at", Value(now)),
            updated_at=timezone.now(),
        )
        event = locked_event(outbox.event_id, with_packets=True)
        packet = next(p for p in event.packets.all() if p.pk == outbox.packet_id)
        audit_record(
            actor=None,
            action="packet.processing",
            target=event,
            details={
                "application_id": packet.application_id,
                "already_present": already_present,
            },
        )
        event_advance(event, EventStatus.PACKET_CREATED, EventStatus.PROCESSING)
    return packet
