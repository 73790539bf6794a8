"""Pipeline services without MOSIP: transitions, results in any order, retry timing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.registrations import pipeline, services
from apps.registrations.models import (
    EventStatus,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
    PacketStatus,
)
from tests.registrations.factories import distinct_data, make_event

pytestmark = pytest.mark.usefixtures("id_schema")


def _submitted(registrar, event_type="birth", data=None):
    event = make_event(registrar, event_type, data)
    return services.event_submit(event=event, actor=registrar)


def _send(outbox):
    """What a successful send records: packet created, then processing."""
    pipeline.packet_record_created(outbox=outbox)
    pipeline.packet_record_triggered(outbox=outbox)


def _history(event):
    return list(event.status_changes.values_list("to_status", flat=True))


def test_a_sent_packet_moves_the_event_to_packet_created_then_processing(registrar):
    event = _submitted(registrar)
    outbox = pipeline.outbox_claim(outbox_id=event.outbox_messages.get().pk)
    pipeline.packet_record_created(outbox=outbox)
    event.refresh_from_db()
    assert event.status == EventStatus.PACKET_CREATED
    pipeline.packet_record_triggered(outbox=outbox)
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSING
    assert _history(event) == ["draft", "submitted", "packet_created", "processing"]
    outbox.refresh_from_db()
    assert outbox.status == OutboxStatus.SENT
    assert event.packets.get().sent_at is not None


def test_a_marriage_moves_on_only_when_both_packets_have(registrar, settings):
    # A deployment whose MOSIP operator added a marriage/divorce process.
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {
        "marriage": "CRVS_MARRIAGE",
        "divorce": "CRVS_MARRIAGE",
    }
    event = _submitted(registrar, "marriage")
    first, second = event.outbox_messages.order_by("id")
    _send(first)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    _send(second)
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSING


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(registrar, settings):
    settings.REGISTRATIONS_SEND_LEASE_SECONDS = 60
    event = _submitted(registrar)
    outbox_id = event.outbox_messages.get().pk
    assert pipeline.outbox_claim(outbox_id=outbox_id) is not None
    assert pipeline.outbox_claim(outbox_id=outbox_id) is None
    assert pipeline.outbox_claim_batch() == []
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert pipeline.outbox_due_count(now=later) == 1
    assert pipeline.outbox_claim(outbox_id=outbox_id, now=later).attempts == 2
    assert pipeline.outbox_claim_batch(now=later) == []


def test_a_processed_birth_issues_the_id_whichever_result_comes_first(registrar):
    first = _submitted(registrar)
    _send(first.outbox_messages.get())
    second = _submitted(registrar, data=distinct_data("birth", 1))
    _send(second.outbox_messages.get())
    aid1 = first.packets.get().application_id
    aid2 = second.packets.get().application_id

    assert pipeline.packet_record_workflow_result(
        application_id=aid1, status="PROCESSED"
    ) == ("applied")
    assert (
        pipeline.packet_record_national_id(
            application_id=aid1, uin="2345678901", vid="1234567890123456"
        )
        == "applied"
    )
    assert (
        pipeline.packet_record_national_id(
            application_id=aid2, uin="3456789012", vid=""
        )
        == "applied"
    )
    assert (
        pipeline.packet_record_workflow_result(application_id=aid2, status="PROCESSED")
        == "duplicate"
    )
    for event, uin in ((first, "2345678901"), (second, "3456789012")):
        event.refresh_from_db()
        packet = event.packets.get()
        assert event.status == EventStatus.ID_ISSUED
        assert event.outcome_at is not None
        assert (packet.status, packet.uin) == (PacketStatus.PROCESSED, uin)
        assert packet.processed_at is not None
        assert _history(event)[-1] == EventStatus.ID_ISSUED
        assert _history(event).count(EventStatus.ID_ISSUED) == 1
    assert first.packets.get().vid == "1234567890123456"


def test_a_credential_for_a_send_never_recorded_settles_the_event(registrar):
    """A worker died after MOSIP took the packet and before the portal recorded
    the send: the credential proves the packet reached MOSIP and was processed."""
    event = _submitted(registrar)
    outbox = pipeline.outbox_claim(outbox_id=event.outbox_messages.get().pk)
    packet = event.packets.get()
    assert packet.status == PacketStatus.PENDING
    assert (
        pipeline.packet_record_national_id(
            application_id=packet.application_id, uin="2345678901"
        )
        == "applied"
    )
    event.refresh_from_db()
    packet.refresh_from_db()
    outbox.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED
    assert (packet.status, packet.uin) == (PacketStatus.PROCESSED, "2345678901")
    assert packet.sent_at is not None
    # The send is done: it is not made again once the dead worker's lease ends.
    assert outbox.status == OutboxStatus.SENT
    later = timezone.now() + datetime.timedelta(hours=1)
    assert pipeline.outbox_claim_batch(now=later) == []


def test_results_delivered_twice_change_nothing_twice(registrar):
    event = _submitted(registrar, "death")
    _send(event.outbox_messages.get())
    aid = event.packets.get().application_id
    for expected in ("applied", "duplicate"):
        assert (
            pipeline.packet_record_workflow_result(
                application_id=aid, status="PROCESSED"
            )
            == expected
        )
    event.refresh_from_db()
    assert event.status == EventStatus.RECORD_UPDATED
    assert Notification.objects.filter(event=event).count() == 1
    assert AuditEvent.objects.filter(action="packet.workflow_result").count() == 1


def test_an_unknown_application_id_is_an_orphan(db):
    assert (
        pipeline.packet_record_workflow_result(
            application_id="1" * 29, status="REJECTED"
        )
        == "orphan"
    )
    assert pipeline.packet_record_national_id(application_id="1" * 29, uin="1") == (
        "orphan"
    )


def test_a_rejection_needs_attention_in_plain_words_and_tells_the_registrar(
    registrar, settings
):
    settings.REGISTRATIONS_NOTIFY_BY_EMAIL = True
    registrar.email = "alice@example.org"
    registrar.save()
    event = _submitted(registrar)
    _send(event.outbox_messages.get())
    aid = event.packets.get().application_id
    with pytest.raises(ValueError):
        pipeline.packet_record_workflow_result(application_id=aid, status="MAYBE")
    pipeline.packet_record_workflow_result(
        application_id=aid, status="REJECTED", codes=["PACKET_REJECTED"]
    )
    event.refresh_from_db()
    assert event.status == EventStatus.REJECTED
    assert event.is_editable
    assert event.last_error_code == "PACKET_REJECTED"
    assert event.last_error_message == pipeline.PLAIN_WORDS["PACKET_REJECTED"]
    note = Notification.objects.get(event=event)
    assert note.kind == NotificationKind.REJECTED
    assert note.recipient == registrar
    assert "needs attention" in note.message


def test_the_rejection_email_is_sent_after_commit(
    registrar, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATIONS_NOTIFY_BY_EMAIL = True
    registrar.email = "alice@example.org"
    registrar.save()
    event = _submitted(registrar)
    _send(event.outbox_messages.get())
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.packet_record_workflow_result(
            application_id=event.packets.get().application_id,
            status="REJECTED",
            codes=["PACKET_REJECTED"],
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "Rejected by MOSIP" in mail.outbox[0].subject


def test_the_registrar_is_told_in_their_own_language(
    registrar, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRATIONS_NOTIFY_BY_EMAIL = True
    registrar.email = "alice@example.org"
    registrar.language = "fr"
    registrar.save()
    event = _submitted(registrar)
    _send(event.outbox_messages.get())
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.packet_record_workflow_result(
            application_id=event.packets.get().application_id,
            status="REJECTED",
            codes=["PACKET_REJECTED"],
        )
    note = Notification.objects.get(event=event)
    assert f"{event.registration_number} nécessite une intervention" in note.message
    assert mail.outbox[0].subject == (
        f"Enregistrement {event.registration_number} : Rejeté par MOSIP"
    )


def test_a_permanent_send_failure_fails_the_event_with_mosips_code(registrar):
    event = _submitted(registrar)
    outbox = pipeline.outbox_claim(outbox_id=event.outbox_messages.get().pk)
    pipeline.outbox_record_permanent_failure(
        outbox=outbox, code="KER-PUT-006", message="No available provider"
    )
    event.refresh_from_db()
    outbox.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert event.last_error_code == "KER-PUT-006"
    assert "packet writer" in event.last_error_message
    assert outbox.status == OutboxStatus.FAILED
    assert event.packets.get().status == PacketStatus.FAILED
    assert (
        Notification.objects.get(event=event).kind == NotificationKind.NEEDS_ATTENTION
    )


def test_transient_failures_back_off_then_give_up_past_the_horizon(registrar, settings):
    settings.REGISTRATIONS_RETRY_BASE_SECONDS = 10
    settings.REGISTRATIONS_RETRY_MAX_DELAY_SECONDS = 100
    settings.REGISTRATIONS_RETRY_HORIZON_SECONDS = 1000
    event = _submitted(registrar)
    start = timezone.now()
    delays = []
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            outbox = pipeline.outbox_claim(outbox_id=event.outbox_messages.get().pk)
            assert outbox is not None
            outbox = pipeline.outbox_record_transient_failure(
                outbox=outbox, code="HTTP 503", message="Service Unavailable"
            )
            delay = (outbox.next_attempt_at - timezone.now()).total_seconds()
            delays.append(delay)
            clock.shift(delay)
        ceilings = [10, 20, 40, 80, 100]
        for delay, ceiling in zip(delays, ceilings, strict=True):
            assert ceiling / 2 <= delay <= ceiling
        event.refresh_from_db()
        assert event.status == EventStatus.SUBMITTED
        assert outbox.last_error_code == "HTTP 503"
        clock.shift(1000)
        outbox = pipeline.outbox_claim(outbox_id=outbox.pk)
        pipeline.outbox_record_transient_failure(
            outbox=outbox, code="HTTP 503", message="Service Unavailable"
        )
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert event.last_error_code == "RETRIES_EXHAUSTED"
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_a_stale_result_for_a_resubmitted_packet_is_ignored(registrar):
    event = _submitted(registrar)
    _send(event.outbox_messages.get())
    aid = event.packets.get().application_id
    pipeline.packet_record_workflow_result(
        application_id=aid, status="REJECTED", codes=["PACKET_REJECTED"]
    )
    event.refresh_from_db()
    event = services.event_correct_and_resubmit(event=event, actor=registrar)
    # MOSIP decided the first id, so the correction went under a new one.
    assert event.packets.get().application_id != aid
    assert (
        pipeline.packet_record_workflow_result(
            application_id=aid, status="REJECTED", codes=["PACKET_REJECTED"]
        )
        == "duplicate"
    )
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED


def test_external_statuses_settle_or_leave_packets(registrar):
    done, waiting = _submitted(registrar), _submitted(registrar, "death")
    _send(done.outbox_messages.get())
    _send(waiting.outbox_messages.get())
    assert (
        pipeline.packet_record_external_status(
            application_id=done.packets.get().application_id,
            status_code="REJECTED",
        )
        == "applied"
    )
    assert (
        pipeline.packet_record_external_status(
            application_id=waiting.packets.get().application_id,
            status_code="PROCESSING",
        )
        == "duplicate"
    )
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert done.status == EventStatus.REJECTED
    assert waiting.status == EventStatus.PROCESSING


def test_packets_processing_for_long_are_picked_for_reconciling(registrar, settings):
    settings.REGISTRATIONS_RECONCILE_AFTER_SECONDS = 600
    event = _submitted(registrar)
    _send(event.outbox_messages.get())
    aid = event.packets.get().application_id
    assert pipeline.packets_to_reconcile() == []
    later = timezone.now() + datetime.timedelta(seconds=601)
    assert pipeline.packets_to_reconcile(now=later) == [aid]
