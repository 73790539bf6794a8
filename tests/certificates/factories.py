"""Events ready for a certificate, registered through the real services.

MOSIP's outcome (the packet processed, the child's UIN) is written onto the rows the
way the result services record it, since these tests are about what comes after.
"""

from django.utils import timezone

from apps.registrations import services
from apps.registrations.models import EventStatus, EventStatusChange, PacketStatus
from tests.registrations.factories import load_id_schema, make_event, uin

CHILD_UIN = uin("987654321")
OUTCOME_STATUS = {
    "birth": EventStatus.ID_ISSUED,
    "death": EventStatus.RECORD_UPDATED,
    "marriage": EventStatus.RECORD_UPDATED,
    "divorce": EventStatus.RECORD_UPDATED,
}


def ensure_id_schema():
    from apps.onboarding.models import IdSchemaVersion

    if not IdSchemaVersion.objects.exists():
        load_id_schema()


def submitted_event(registrar, event_type: str = "birth", data=None):
    ensure_id_schema()
    event = make_event(registrar, event_type, data)
    return services.event_submit(event=event, actor=registrar)


def record_mosip_outcome(event, *, child_uin: str = CHILD_UIN):
    """Mark every packet processed and move the event to MOSIP's outcome state."""
    now = timezone.now()
    for packet in event.packets.all():
        packet.status = PacketStatus.PROCESSED
        packet.processed_at = now
        if packet.subject == "child":
            packet.uin = child_uin
        packet.save()
    to_status = OUTCOME_STATUS[event.event_type]
    EventStatusChange.objects.create(
        event=event, from_status=event.status, to_status=to_status
    )
    event.status = to_status
    event.outcome_at = now
    event.save(update_fields=["status", "outcome_at", "updated_at"])
    return event


def certifiable_event(registrar, event_type: str = "birth", data=None):
    event = submitted_event(registrar, event_type, data)
    if event.status == EventStatus.REGISTERED:
        return event
    return record_mosip_outcome(event)
