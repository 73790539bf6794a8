"""seed_events writes consistent events, history, packets and outbox rows."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from apps.accounts.models import Office
from apps.registrations.models import (
    EventStatusChange,
    OutboxMessage,
    Packet,
    RegistrationNumberCounter,
    VitalEvent,
)


@pytest.mark.django_db
def test_it_seeds_consistent_events(capsys):
    call_command("seed_events", "600", "--offices", "3", "--days", "60")
    assert Office.objects.count() == 3
    events = VitalEvent.objects.all()
    assert events.count() == 600
    assert set(events.values_list("event_type", flat=True)) == {
        "birth", "death", "marriage", "divorce",
    }  # fmt: skip
    statuses = set(events.values_list("status", flat=True))
    assert {"id_issued", "record_updated", "certified", "registered"} <= statuses
    for event in events.prefetch_related("status_changes", "packets"):
        history = list(event.status_changes.all())
        assert history[0].to_status == "draft"
        assert history[-1].to_status == event.status
        assert [h.at for h in history] == sorted(h.at for h in history)
        assert all(
            a.to_status == b.from_status
            for a, b in zip(history, history[1:], strict=False)
        )
        assert event.updated_at == history[-1].at
        assert event.submitted_at and event.event_date
        assert event.event_date <= event.submitted_at.date()
        if event.certified_at:
            assert event.status == "certified"
        packets = list(event.packets.all())
        assert len(packets) == (0 if event.no_packet_reason else 1)
        if event.status in ("rejected", "failed"):
            assert packets[0].result_code and event.outcome_at
    assert OutboxMessage.objects.count() == Packet.objects.count()
    assert EventStatusChange.objects.count() > 1200
    assert (
        not Packet.objects.values("application_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )


@pytest.mark.django_db
def test_a_second_run_continues_the_registration_numbers():
    call_command("seed_events", "50", "--offices", "1", "--days", "5")
    call_command("seed_events", "50", "--days", "5")
    assert VitalEvent.objects.count() == 100
    counter = RegistrationNumberCounter.objects.get()
    assert counter.last_value == 100
