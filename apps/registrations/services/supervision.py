"""Certification and a supervisor's resubmission of stuck work."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.registrations.history import event_move
from apps.registrations.models import (
    CERTIFIABLE_STATUSES,
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    PacketStatus,
    VitalEvent,
)
from apps.registrations.services.common import (
    EventStatusError,
    event_locked,
    require_status,
)


def event_mark_certified(
    *, event: VitalEvent, actor, certificate_number: str, at=None
) -> VitalEvent:
    """Record that the event's first certificate was issued (called by certificates)."""
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, CERTIFIABLE_STATUSES, "certify")
        event_move(
            event,
            EventStatus.CERTIFIED,
            actor=actor,
            note=certificate_number,
            certified_at=at or timezone.now(),
        )
        event.save(update_fields=["status", "certified_at", "updated_at"])
        audit_record(
            actor=actor,
            action="event.certified",
            target=event,
            details={"certificate_number": certificate_number},
        )
    return event


# Supervision ----------------------------------------------------------------------

# States in which an event waits on the pipeline, so a supervisor may push it along.
REQUEUEABLE_STATUSES = frozenset(
    {EventStatus.SUBMITTED, EventStatus.PACKET_CREATED, EventStatus.PROCESSING}
)


def event_resubmit(*, event: VitalEvent, actor, now=None) -> int:
    """Retry a stuck event's unsent work now; returns how many outbox rows were queued.

    Pending and failed outbox rows are put back for immediate sending with a fresh
    retry budget; the outbox dispatcher picks them up on its next round. Packets keep
    their application ids, so MOSIP sees the same packet again, never a second one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, REQUEUEABLE_STATUSES, "resubmit")
        rows = (
            OutboxMessage.objects.select_for_update()
            .filter(
                event=event,
                status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
            )
            .exclude(packet__status=PacketStatus.WITHDRAWN)
        )
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            raise EventStatusError(_("This event has no unsent work to retry."))
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        audit_record(
            actor=actor,
            action="event.requeued",
            target=event,
            details={"outbox_ids": ids},
        )
    return len(ids)
