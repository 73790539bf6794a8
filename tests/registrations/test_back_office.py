"""The back office (Django admin) looks at the register but cannot rewrite or lose it."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from apps.audit.models import AuditEvent
from apps.registrations import pipeline, services
from apps.registrations.models import EventStatus, Packet, PacketStatus, VitalEvent
from tests.registrations.factories import attach_pdf, birth_data, make_event, uin

pytestmark = pytest.mark.usefixtures("id_schema")
SUBMIT_TIME = datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)
CHANGELIST = "/admin/registrations/vitalevent/"


@pytest.fixture
def back_office(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def _submitted(registrar, event_type, data=None):
    event = make_event(registrar, event_type, data)
    with time_machine.travel(SUBMIT_TIME, tick=False):
        return services.event_submit(event=event, actor=registrar)


def _certified(registrar):
    event = _submitted(registrar, "marriage")
    assert event.status == EventStatus.REGISTERED
    return services.event_mark_certified(
        event=event, actor=registrar, certificate_number="MC-2025-0001"
    )


def test_a_registered_marriage_cannot_be_deleted(back_office, registrar):
    event = _submitted(registrar, "marriage")
    assert event.status == EventStatus.REGISTERED

    page = back_office.get(f"{CHANGELIST}{event.pk}/delete/")
    posted = back_office.post(f"{CHANGELIST}{event.pk}/delete/", {"post": "yes"})
    bulk = back_office.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk]}
    )

    assert page.status_code == 403
    assert posted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert "delete_selected" not in back_office.get(CHANGELIST).content.decode()
    assert VitalEvent.objects.filter(pk=event.pk).exists()


def test_a_certified_events_facts_cannot_be_edited(back_office, registrar):
    event = _certified(registrar)
    before = VitalEvent.objects.values().get(pk=event.pk)

    page = back_office.get(f"{CHANGELIST}{event.pk}/change/")
    posted = back_office.post(
        f"{CHANGELIST}{event.pk}/change/",
        {
            "event_date": "1999-01-01",
            "outcome_at_0": "1999-01-01",
            "outcome_at_1": "00:00",
            "certified_at_0": "1999-01-01",
            "certified_at_1": "00:00",
            "status": EventStatus.DRAFT,
        },
    )

    assert page.status_code == 200  # the back office may look
    html = page.content.decode()
    for field in ("event_date", "outcome_at", "certified_at", "status", "data"):
        assert f'name="{field}"' not in html
        assert f'name="{field}_0"' not in html
    assert posted.status_code == 403
    assert VitalEvent.objects.values().get(pk=event.pk) == before


def test_a_draft_is_discarded_with_its_documents_and_the_audit_trail_keeps_it(
    back_office, registrar, staff_user, django_capture_on_commit_callbacks
):
    draft = make_event(registrar, "birth")
    document = attach_pdf(draft)
    storage, name = document.file.storage, document.file.name

    page = back_office.get(f"{CHANGELIST}{draft.pk}/delete/")
    with django_capture_on_commit_callbacks(execute=True):
        response = back_office.post(f"{CHANGELIST}{draft.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert not VitalEvent.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(name)
    discarded = AuditEvent.objects.get(
        action="event.draft_discarded",
        target_type=ContentType.objects.get_for_model(VitalEvent),
        target_id=str(draft.pk),
    )
    assert discarded.actor == staff_user
    assert discarded.details["event_type"] == "birth"
    assert discarded.details["documents"] == 1


def test_discarding_anything_but_a_draft_is_refused_by_the_service(registrar):
    event = _submitted(registrar, "marriage")
    with pytest.raises(services.EventStatusError):
        services.event_discard_draft(event=event, actor=registrar)
    assert VitalEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("model", ["packet", "outboxmessage", "eventdocument"])
def test_pipeline_records_cannot_be_deleted_or_edited(back_office, registrar, model):
    draft = make_event(registrar, "birth")
    attach_pdf(draft)
    with time_machine.travel(SUBMIT_TIME, tick=False):
        event = services.event_submit(event=draft, actor=registrar)
    row = {
        "packet": event.packets.get,
        "outboxmessage": event.outbox_messages.get,
        "eventdocument": event.documents.get,
    }[model]()
    url = f"/admin/registrations/{model}/{row.pk}/"

    assert back_office.get(f"{url}delete/").status_code == 403
    assert back_office.post(f"{url}change/", {}).status_code == 403
    assert back_office.get(f"{url}change/").status_code == 200


def test_events_are_found_by_name_and_uin_and_packets_show_the_uin(
    back_office, registrar
):
    event = _submitted(registrar, "birth")
    packet = event.packets.get()
    national_id = uin("987654321")
    Packet.objects.filter(pk=packet.pk).update(uin=national_id)

    by_name = back_office.get(CHANGELIST, {"q": "Amina Bello"}).content.decode()
    by_uin = back_office.get(CHANGELIST, {"q": national_id}).content.decode()
    nobody = back_office.get(CHANGELIST, {"q": "Nobody Here"}).content.decode()
    packets = back_office.get("/admin/registrations/packet/").content.decode()

    assert event.registration_number in by_name
    assert event.registration_number in by_uin
    assert event.registration_number not in nobody
    assert national_id in packets


def test_a_processed_packet_reads_as_success(registrar):
    event = _submitted(registrar, "birth", birth_data())
    packet = event.packets.get()
    Packet.objects.filter(pk=packet.pk).update(status=PacketStatus.PROCESSING)

    pipeline.packet_record_workflow_result(
        application_id=packet.application_id, status="PROCESSED"
    )

    packet.refresh_from_db()
    assert packet.status == PacketStatus.PROCESSED
    assert packet.result_message == "MOSIP processed the packet."
