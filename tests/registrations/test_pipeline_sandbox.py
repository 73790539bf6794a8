"""The pipeline against the running sandbox, over HTTP through apps.mosip.

The portal is onboarded through its services and subscribed on the sandbox's hub
(`onboarded_sandbox`, a live portal). Sends run in this process through the code
the worker runs (`send_packet`, the dispatch beat); results come back the two ways
the portal takes them: WebSub deliveries (workflow completed, and the encrypted
credential carrying the UIN) applied by the inbox sweep through the handlers the
registrations app registers, and the status search of the reconcile beat.
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from apps.mosip import packets as mosip_packets
from apps.onboarding.models import ProcessName
from apps.registrations import config, mosip_calls, queries, services, tasks
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    PacketStatus,
)
from apps.websub.models import InboxEvent, InboxStatus, Subscription
from apps.websub.processing import inbox_process_due
from apps.websub.queries import subscription_health
from tests.registrations import pipeline_support as sandbox_side
from tests.registrations.factories import (
    birth_data,
    death_data,
    distinct_data,
    distinct_name,
    divorce_data,
    make_event,
    marriage_data,
)
from tests.registrations.pipeline_support import (
    deliver_results,
    dispatch,
    worker_here,
)


def _submit(registrar, event_type, data):
    event = make_event(registrar, event_type, data)
    return services.event_submit(event=event, actor=registrar)


def _send_all(event):
    for outbox in event.outbox_messages.all():
        tasks.send_packet(outbox.pk)


_births = itertools.count()


def _born(registrar, sandbox, name):
    """A registered birth, for an identity a later event updates; its UIN."""
    data = distinct_data("birth", next(_births))
    data["child"]["fullName"] = {"eng": name}
    data["child"]["dateOfBirth"] = (
        timezone.localdate() - datetime.timedelta(days=40)
    ).isoformat()
    event = _submit(registrar, "birth", data)
    _send_all(event)
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSING, (
        event.outbox_messages.get().last_error
    )
    event = deliver_results(sandbox, event)
    assert event.status == EventStatus.ID_ISSUED, event.last_error_message
    return event.packets.get().uin


def test_a_birth_goes_to_mosip_and_comes_back_with_a_national_id(portal, registrar):
    data = birth_data(
        child_born=(timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    )
    data["mother"].pop("uin")
    event = _submit(registrar, "birth", data)
    _send_all(event)
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSING
    packet = event.packets.get()
    stored = sandbox_side.stored_packet(portal, packet.application_id, "CRVS_NEW")
    assert stored["identity"]["fullName"][0]["value"] == "Amina Bello"
    event = deliver_results(portal, event)
    packet.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED
    assert event.outcome_at is not None
    assert packet.status == PacketStatus.PROCESSED
    assert packet.uin and packet.uin.isdigit()
    assert list(event.status_changes.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "packet_created",
        "processing",
        "id_issued",
    ]


def test_a_death_updates_the_deceaseds_record(portal, registrar):
    deceased = _born(registrar, portal, "Ibrahim Sule")
    data = death_data(deceased_uin=deceased)
    # The deceased as MOSIP knows them, so the UIN check verifies.
    data["deceased"].update(
        fullName={"eng": "Ibrahim Sule"}, gender="FLE",
        dateOfBirth=(timezone.localdate() - datetime.timedelta(days=40)).isoformat(),
    )  # fmt: skip
    data["death"]["date"] = (
        timezone.localdate() - datetime.timedelta(days=1)
    ).isoformat()
    event = _submit(registrar, "death", data)
    assert event.id_checks.get().outcome == "verified"
    _send_all(event)
    event = deliver_results(portal, event)
    assert event.status == EventStatus.RECORD_UPDATED, event.last_error_message
    assert event.packets.get().status == PacketStatus.PROCESSED


def test_without_a_mosip_process_a_marriage_is_registered_and_nothing_is_sent(
    portal, registrar
):
    """Stock MOSIP has no marriage process, and the portal's setting is blank."""
    before = sandbox_side.registrations(portal)
    event = _submit(registrar, "marriage", marriage_data())
    assert event.status == EventStatus.REGISTERED
    assert "has no process for marriages" in event.no_packet_reason
    assert not event.outbox_messages.exists()
    assert sandbox_side.registrations(portal) == before


@pytest.mark.parametrize(
    ("event_type", "make_data"),
    [("marriage", marriage_data), ("divorce", divorce_data)],
)
def test_a_marriage_or_divorce_updates_each_spouse_with_a_uin(
    portal, registrar, event_type, make_data
):
    """Once MOSIP's operator has added a process and it is named in onboarding."""
    from tests.mosip_sandbox.packet_helpers import add_process

    add_process(portal, "CRVS_MARRIAGE")
    from apps.onboarding import services as onboarding

    onboarding.process_names_save(
        actor=None,
        processes={**onboarding.DEFAULT_PROCESSES, event_type: "CRVS_MARRIAGE"},
    )
    first = _born(registrar, portal, f"John {event_type}")
    second = _born(registrar, portal, f"Mary {event_type}")
    event = _submit(
        registrar,
        event_type,
        make_data(uin1=first, uin2=second if event_type == "marriage" else ""),
    )
    _send_all(event)
    event = deliver_results(portal, event)
    assert event.status == EventStatus.RECORD_UPDATED, event.last_error_message
    expected = 2 if event_type == "marriage" else 1
    assert event.packets.filter(status=PacketStatus.PROCESSED).count() == expected
    assert {p.process for p in event.packets.all()} == {"CRVS_MARRIAGE"}


def test_a_rejection_reaches_the_registrar_through_the_status_search(
    portal, registrar, settings
):
    settings.REGISTRATIONS_RECONCILE_AFTER_SECONDS = 0
    event = _submit(registrar, "birth", birth_data())
    application_id = event.packets.get().application_id
    sandbox_side.force_outcome(portal, application_id, "REJECTED")
    _send_all(event)
    sandbox_side.wait_until_done(portal, application_id)
    assert tasks.reconcile_processing() == 1
    event.refresh_from_db()
    assert event.status == EventStatus.REJECTED
    assert event.last_error_code == "PACKET_REJECTED"
    assert "correct" in event.last_error_message


def test_a_result_the_hub_never_delivered_flags_the_subscriptions(
    portal, registrar, settings
):
    settings.REGISTRATIONS_RECONCILE_AFTER_SECONDS = 0
    event = _submit(registrar, "birth", birth_data())
    application_id = event.packets.get().application_id
    # The hub halts the portal's subscribers at their next message, and says nothing.
    sandbox_side.set_faults(portal, halt_subscribers=True)
    _send_all(event)
    sandbox_side.wait_until_done(portal, application_id)
    assert subscription_health()["ok"]

    assert tasks.reconcile_processing() == 1

    event.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED
    health = subscription_health()
    assert not health["ok"]
    assert "never delivered" in health["detail"]
    assert not Subscription.objects.filter(trouble_since=None).exists()


def test_a_result_the_hub_delivered_flags_nothing(portal, registrar, settings):
    settings.REGISTRATIONS_RECONCILE_AFTER_SECONDS = 0
    event = _submit(registrar, "birth", birth_data())
    application_id = event.packets.get().application_id
    _send_all(event)
    sandbox_side.wait_until_done(portal, application_id)
    # Delivered, not applied yet: the status search gets there first.
    sandbox_side.wait_for(
        lambda: InboxEvent.objects.filter(
            kind="workflow_completed", application_id=application_id
        ).exists()
    )

    assert tasks.reconcile_processing() == 1

    assert subscription_health()["ok"]
    assert not Subscription.objects.exclude(trouble_since=None).exists()


def test_the_swallowed_create_packet_failure_is_retried(portal, registrar):
    event = _submit(registrar, "birth", birth_data())
    sandbox_side.set_faults(portal, swallow_packets=1)
    outbox = event.outbox_messages.get()
    assert tasks.send_packet(outbox.pk) == "retry"
    outbox.refresh_from_db()
    assert outbox.status == OutboxStatus.PENDING
    assert outbox.last_error_code == "EMPTY_RESPONSE"
    assert not sandbox_side.workflows(portal, event.packets.get().application_id)
    sandbox_side.wait_for(lambda: dispatch() == 1, timeout=5)
    outbox.refresh_from_db()
    assert outbox.status == OutboxStatus.SENT
    assert len(sandbox_side.workflows(portal, event.packets.get().application_id)) == 1


def test_a_repeated_trigger_counts_as_done(portal, registrar):
    event = _submit(registrar, "birth", birth_data())
    packet = event.packets.get()
    outbox = event.outbox_messages.get()
    tasks.send_packet(outbox.pk)
    # The same row sent again, as after a lost answer or a redelivered task.
    OutboxMessage.objects.filter(pk=outbox.pk).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now()
    )
    assert tasks.send_packet(outbox.pk) == "sent"
    assert tasks.send_packet(outbox.pk) == "skipped"
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSING
    assert len(sandbox_side.workflows(portal, packet.application_id)) == 1


def test_a_credential_for_a_send_never_recorded_settles_the_event_at_once(
    portal, registrar
):
    event = _submit(registrar, "birth", birth_data())
    packet = event.packets.get()
    outbox = event.outbox_messages.get()
    # A worker sent the packet and died before it recorded MOSIP's answers.
    client = mosip_calls.mosip_client()
    source = config.packet_source()
    mosip_packets.create_packet(
        client,
        queries.create_packet_request_for(
            packet,
            created_at=timezone.now(),
            officer_id=config.mosip_officer_id(event.office),
            source=source,
        ),
    )
    mosip_packets.workflow_instance(
        client,
        registration_id=packet.application_id,
        process=packet.process,
        source=source,
    )
    sandbox_side.wait_until_done(portal, packet.application_id)

    # MOSIP's results arrive while the packet still looks unsent. The hub delivers
    # the workflow result and the credential on two topics, in either order: both
    # must be in before the duplicate is looked for.
    def results_in():
        inbox_process_due()
        packet.refresh_from_db()
        news = InboxEvent.objects.filter(application_id=packet.application_id)
        kinds = set(news.values_list("kind", flat=True))
        both = kinds == {"credential_issued", "workflow_completed"}
        return packet.uin and both and not news.filter(status="pending").exists()

    sandbox_side.wait_for(results_in)
    # The credential proves MOSIP took and processed the packet: the event settles
    # and the send is closed, without sending again.
    event.refresh_from_db()
    outbox.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED, event.status
    assert packet.status == PacketStatus.PROCESSED
    assert outbox.status == OutboxStatus.SENT
    # A workflow result for a packet that looked unsent, or already processed, is
    # news the portal has.
    assert InboxEvent.objects.filter(
        application_id=packet.application_id, status=InboxStatus.DUPLICATE
    ).exists()

    assert tasks.send_packet(outbox.pk) == "skipped"
    assert len(sandbox_side.workflows(portal, packet.application_id)) == 1


def test_mosip_refusing_the_process_needs_attention(portal, registrar):
    ProcessName.objects.update(source="NOSUCHSOURCE")
    event = _submit(registrar, "birth", birth_data())
    assert tasks.send_packet(event.outbox_messages.get().pk) == "failed"
    event.refresh_from_db()
    assert event.status == EventStatus.FAILED
    assert event.last_error_code == "KER-PUT-006"
    assert "packet writer" in event.last_error_message


@pytest.mark.parametrize("mode", ["503", "refuse"])
def test_a_batch_sent_during_an_outage_completes_after_recovery(
    portal, registrar, mode
):
    events = []
    for n in range(6):
        data = distinct_data("birth", n)
        data["child"]["fullName"] = {"eng": f"Outage {mode} {distinct_name(n)}"}
        events.append(_submit(registrar, "birth", data))
    sandbox_side.set_faults(portal, outage={"mode": mode, "until": None})
    assert dispatch() == 6
    for event in events:
        event.refresh_from_db()
        assert event.status == EventStatus.SUBMITTED
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 6
    assert set(OutboxMessage.objects.values_list("last_error_code", flat=True)) == {
        "HTTP 503" if mode == "503" else "MosipUnavailable"
    }
    sandbox_side.clear_faults(portal)
    sandbox_side.wait_for(
        lambda: (
            dispatch() == 0
            and not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()
        ),
        timeout=10,
    )
    for event in events:
        event = deliver_results(portal, event)
        assert event.status == EventStatus.ID_ISSUED, event.last_error_message
        application_id = event.packets.get().application_id
        assert len(sandbox_side.workflows(portal, application_id)) == 1
        assert sandbox_side.stored_packet(portal, application_id, "CRVS_NEW")


def test_admin_actions_send_now_and_look_up_status(portal, registrar, admin_client):
    waiting = _submit(registrar, "birth", birth_data())
    OutboxMessage.objects.filter(event=waiting).update(
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    changelist = "/admin/registrations/vitalevent/"
    with worker_here():
        response = admin_client.post(
            changelist, {"action": "send_now", "_selected_action": [waiting.pk]}
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == EventStatus.PROCESSING
    application_id = waiting.packets.get().application_id
    sandbox_side.wait_until_done(portal, application_id)
    admin_client.post(
        changelist, {"action": "look_up_status", "_selected_action": [waiting.pk]}
    )
    waiting.refresh_from_db()
    assert waiting.status == EventStatus.ID_ISSUED


def test_a_corrected_event_mosip_rejected_is_sent_under_a_new_id_and_processed(
    portal, registrar
):
    data = birth_data()
    data["child"]["fullName"] = {"eng": "Wrong Spelling"}
    event = _submit(registrar, "birth", data)
    rejected_id = event.packets.get().application_id
    sandbox_side.force_outcome(portal, rejected_id, "REJECTED")
    _send_all(event)
    event = deliver_results(portal, event)
    assert event.status == EventStatus.REJECTED
    number = event.registration_number

    data["child"]["fullName"] = {"eng": "Right Spelling"}
    services.event_save_draft(event=event, actor=registrar, data=data)
    event = services.event_correct_and_resubmit(event=event, actor=registrar)
    assert tasks.send_packet(event.outbox_messages.get().pk) == "sent"
    packet = event.packets.get()
    # MOSIP never processes an id twice (a second trigger answers RPR-WIS-001 and
    # nothing happens), so the correction goes under a new id; the number stays.
    assert packet.application_id != rejected_id
    assert [r.application_id for r in packet.retired_ids.all()] == [rejected_id]
    stored = sandbox_side.stored_packet(portal, packet.application_id, "CRVS_NEW")
    assert stored["identity"]["fullName"][0]["value"] == "Right Spelling"
    assert len(sandbox_side.workflows(portal, packet.application_id)) == 1
    assert len(sandbox_side.workflows(portal, rejected_id)) == 1

    event = deliver_results(portal, event)
    assert event.status == EventStatus.ID_ISSUED
    assert event.registration_number == number
    assert event.packets.get().uin
