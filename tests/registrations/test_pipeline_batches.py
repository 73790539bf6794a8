"""Send runs against the running sandbox: a batch of due rows claimed and sent in
one run, each row on its own, and runs side by side never sending a row twice."""

import datetime
import threading
import time

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from apps.registrations import mosip_calls, pipeline, queries, services, tasks
from apps.registrations.models import OutboxMessage, OutboxStatus
from apps.registrations.pipeline import wake
from tests.registrations import pipeline_support as sandbox_side
from tests.registrations.factories import distinct_data, distinct_name, make_event


def _births(registrar, count, label):
    events = []
    for n in range(count):
        data = distinct_data("birth", n)
        data["child"]["fullName"] = {"eng": f"{label} {distinct_name(n)}"}
        event = make_event(registrar, "birth", data)
        events.append(services.event_submit(event=event, actor=registrar))
    return events


def _rows(events):
    return OutboxMessage.objects.filter(event__in=events).order_by("id")


def test_a_submission_wakes_a_send_run_once_committed(
    registrar, id_schema, django_capture_on_commit_callbacks
):
    event = make_event(registrar, "birth", distinct_data("birth", 0))
    with django_capture_on_commit_callbacks() as callbacks:
        services.event_submit(event=event, actor=registrar)
    assert wake.wakes.wake in callbacks


def test_a_run_claims_several_due_rows_and_sends_each(portal, registrar, settings):
    settings.REGISTRATIONS_SEND_BATCH_SIZE = 10
    events = _births(registrar, 3, "Batch")
    assert tasks.send_due_packets() == {"sent": 3}
    for row in _rows(events):
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
        application_id = row.packet.application_id
        assert len(sandbox_side.workflows(portal, application_id)) == 1
    assert tasks.send_due_packets() == {}


def test_a_full_batch_wakes_another_run_before_sending(
    portal,
    registrar,
    settings,
    monkeypatch,
):
    settings.REGISTRATIONS_SEND_BATCH_SIZE = 2
    events = _births(registrar, 3, "Full batch")
    woken = []
    monkeypatch.setattr(
        tasks.send_due_packets,
        "delay",
        lambda: woken.append(OutboxMessage.objects.filter(status="sent").count()),
    )
    assert tasks.send_due_packets() == {"sent": 2}
    # Woken while nothing of this batch was sent yet.
    assert woken == [0]
    assert tasks.send_due_packets() == {"sent": 1}
    assert woken == [0]
    assert set(_rows(events).values_list("status", flat=True)) == {"sent"}


def test_a_failing_row_is_retried_while_its_batch_mates_are_sent(
    portal,
    registrar,
    settings,
    monkeypatch,
):
    settings.REGISTRATIONS_RETRY_BASE_SECONDS = 60
    settings.REGISTRATIONS_RETRY_MAX_DELAY_SECONDS = 60
    events = _births(registrar, 3, "Isolated")
    bad = _rows(events)[1]
    build = queries.create_packet_request_for

    def breaks_on_the_bad_row(packet, **kwargs):
        if packet.pk == bad.packet_id:
            raise ValueError("a row the portal cannot build")
        return build(packet, **kwargs)

    monkeypatch.setattr(queries, "create_packet_request_for", breaks_on_the_bad_row)
    assert tasks.send_due_packets() == {"sent": 2, "retry": 1}
    rows = list(_rows(events))
    assert [r.status for r in rows] == ["sent", "pending", "sent"]
    bad.refresh_from_db()
    assert bad.last_error_code == "ValueError"
    assert bad.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    assert not sandbox_side.workflows(portal, bad.packet.application_id)

    monkeypatch.setattr(queries, "create_packet_request_for", build)
    assert tasks.send_due_packets() == {}
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert tasks.send_due_packets() == {"sent": 1}
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == (OutboxStatus.SENT, 2)
    assert len(sandbox_side.workflows(portal, bad.packet.application_id)) == 1


def test_a_run_past_its_time_gives_the_rows_not_started_back(
    portal,
    registrar,
    settings,
):
    settings.REGISTRATIONS_SEND_RUN_SECONDS = 0
    events = _births(registrar, 2, "Out of time")
    assert tasks.send_due_packets() == {}
    for row in _rows(events):
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert pipeline.outbox_due_count() == 2


def test_rows_waiting_their_turn_stay_held_however_slow_the_sends_before(
    registrar, id_schema, settings, monkeypatch
):
    settings.REGISTRATIONS_SEND_LEASE_SECONDS = 1
    events = _births(registrar, 3, "Slow")
    taken_by_others = []

    def slow_send(outbox):
        time.sleep(0.45)
        # Another run looking for due rows while this one sends.
        taken_by_others.extend(o.pk for o in pipeline.outbox_claim_batch())
        OutboxMessage.objects.filter(pk=outbox.pk).update(status=OutboxStatus.SENT)
        return "sent"

    monkeypatch.setattr(mosip_calls, "send_claimed", slow_send)
    assert tasks.send_due_packets() == {"sent": 3}
    assert taken_by_others == []
    assert list(_rows(events).values_list("attempts", flat=True)) == [1, 1, 1]


def test_runs_side_by_side_send_every_row_once(portal, registrar, settings):
    settings.REGISTRATIONS_SEND_BATCH_SIZE = 3
    events = _births(registrar, 12, "Side by side")
    outcomes = []

    def worker():
        try:
            while True:
                sent = mosip_calls.send_due(wake_another=lambda: None)
                if not sent:
                    return
                outcomes.append(sent)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker) for _ in range(3)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert sum(sum(o.values()) for o in outcomes) == 12
    assert all(set(o) == {"sent"} for o in outcomes)
    for row in _rows(events):
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
        application_id = row.packet.application_id
        assert len(sandbox_side.workflows(portal, application_id)) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="rows locked by another run are skipped on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_rows_another_run_is_claiming(registrar, id_schema):
    events = _births(registrar, 3, "Skipped")
    first, *others = _rows(events)
    claimed = []
    with transaction.atomic():
        # Another run, mid-claim, holds the oldest row.
        OutboxMessage.objects.select_for_update().get(pk=first.pk)

        def claim():
            claimed.extend(o.pk for o in pipeline.outbox_claim_batch())
            connections.close_all()

        other = threading.Thread(target=claim)
        other.start()
        other.join(timeout=10)
        assert not other.is_alive(), "the claim waited for the locked row"
    assert claimed == [o.pk for o in others]
