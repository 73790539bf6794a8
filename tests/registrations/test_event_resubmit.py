"""A supervisor's retry of a stuck event: outbox rows queued again, ids kept."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from apps.audit.models import AuditEvent
from apps.registrations import services
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)
from tests.factories import make_user
from tests.registrations.factories import make_event

pytestmark = pytest.mark.usefixtures("id_schema")
SUBMITTED = datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)
LATER = SUBMITTED + datetime.timedelta(days=2)


@pytest.fixture
def boss(office_a):
    return make_user("supervisor", username="sue", supervised_offices=[office_a])


def _submitted(registrar, event_type="birth"):
    with time_machine.travel(SUBMITTED, tick=False):
        return services.event_submit(
            event=make_event(registrar, event_type), actor=registrar
        )


def _stall(event, status=OutboxStatus.FAILED):
    OutboxMessage.objects.filter(event=event).update(
        status=status,
        attempts=8,
        next_attempt_at=SUBMITTED + datetime.timedelta(days=30),
        last_error="MOSIP unavailable",
    )


def test_it_queues_failed_outbox_rows_for_now_keeping_the_aid(registrar, boss):
    event = _submitted(registrar)
    aid = event.packets.get().application_id
    _stall(event)

    count = services.event_resubmit(event=event, actor=boss, now=LATER)

    assert count == 1
    row = OutboxMessage.objects.get(event=event)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, LATER)
    assert Packet.objects.get(event=event).application_id == aid
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED


def test_it_brings_a_pending_row_waiting_on_backoff_forward(registrar, boss):
    event = _submitted(registrar)
    _stall(event, OutboxStatus.PENDING)
    services.event_resubmit(event=event, actor=boss, now=LATER)
    assert OutboxMessage.objects.get(event=event).next_attempt_at == LATER


def test_it_writes_an_audit_row_naming_the_supervisor(registrar, boss):
    event = _submitted(registrar)
    _stall(event)
    services.event_resubmit(event=event, actor=boss, now=LATER)
    entry = AuditEvent.objects.get(
        action="event.requeued",
        target_type=ContentType.objects.get_for_model(VitalEvent),
        target_id=str(event.pk),
    )
    assert entry.actor == boss
    assert entry.details == {"outbox_ids": [OutboxMessage.objects.get(event=event).pk]}


def test_it_leaves_sent_rows_and_withdrawn_packets_alone(registrar, boss, settings):
    # A deployment whose MOSIP operator added a marriage/divorce process.
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {
        "marriage": "CRVS_MARRIAGE",
        "divorce": "CRVS_MARRIAGE",
    }
    event = _submitted(registrar, "marriage")
    _stall(event)
    spouse2 = event.packets.get(subject="spouse2")
    spouse2.status = PacketStatus.WITHDRAWN
    spouse2.save()
    OutboxMessage.objects.filter(packet__subject="spouse1").update(status="sent")

    with pytest.raises(services.EventStatusError):
        services.event_resubmit(event=event, actor=boss, now=LATER)
    statuses = set(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == {"sent", "failed"}


@pytest.mark.parametrize(
    "status",
    [EventStatus.ID_ISSUED, EventStatus.REJECTED, EventStatus.CERTIFIED],
)
def test_it_refuses_events_that_are_not_waiting_on_the_pipeline(
    registrar, boss, status
):
    event = _submitted(registrar)
    _stall(event)
    VitalEvent.objects.filter(pk=event.pk).update(status=status)
    with pytest.raises(services.EventStatusError):
        services.event_resubmit(event=event, actor=boss, now=LATER)
    assert OutboxMessage.objects.get(event=event).status == "failed"
    assert not AuditEvent.objects.filter(action="event.requeued").exists()


def test_it_refuses_a_draft(registrar, boss):
    with pytest.raises(services.EventStatusError):
        services.event_resubmit(event=make_event(registrar), actor=boss)
