"""Registrar screens of the pipeline: needs attention, notifications, conflicts, clicks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.registrations import pipeline, services
from apps.registrations.forms import flatten
from apps.registrations.models import (
    EventStatus,
    Notification,
    OutboxMessage,
    VitalEvent,
)
from tests.factories import make_user
from tests.registrations.factories import birth_data, distinct_data, make_event

pytestmark = pytest.mark.usefixtures("id_schema")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def _url(name, event):
    return reverse(f"registrations:{name}", kwargs={"pk": event.pk})


def _rejected(registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    outbox = event.outbox_messages.get()
    pipeline.packet_record_created(outbox=outbox)
    pipeline.packet_record_triggered(outbox=outbox)
    pipeline.packet_record_workflow_result(
        application_id=event.packets.get().application_id,
        status="REJECTED",
        codes=["PACKET_REJECTED"],
    )
    event.refresh_from_db()
    return event


def test_a_rejected_event_says_what_needs_attention_in_plain_words(
    signed_in, registrar
):
    event = _rejected(registrar)
    html = signed_in.get(_url("detail", event)).text
    assert "Needs attention" in html
    assert pipeline.PLAIN_WORDS["PACKET_REJECTED"] in html
    assert "<code>PACKET_REJECTED</code>" in html
    assert f'href="{_url("edit", event)}"' in html
    assert "sent by the portal" in html
    assert "from MOSIP · PACKET_REJECTED" in html
    # A final state: the timeline no longer polls.
    assert 'hx-trigger="every' not in html


def test_the_timeline_of_an_event_in_flight_keeps_polling(signed_in, registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 5s"' in response.text
    pipeline.packet_record_created(outbox=event.outbox_messages.get())
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert "Packet created" in response.text


def _id_issued_before_the_credential(registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    outbox = event.outbox_messages.get()
    pipeline.packet_record_created(outbox=outbox)
    pipeline.packet_record_triggered(outbox=outbox)
    pipeline.packet_record_workflow_result(
        application_id=event.packets.get().application_id, status="PROCESSED"
    )
    event.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED
    return event


def test_the_timeline_keeps_polling_until_the_national_id_arrives(signed_in, registrar):
    event = _id_issued_before_the_credential(registrar)
    detail = signed_in.get(_url("detail", event)).text
    assert "National ID issued" in detail
    assert 'hx-trigger="every 5s"' in detail
    assert signed_in.get(_url("timeline", event), headers=HTMX).status_code == 200

    pipeline.packet_record_national_id(
        application_id=event.packets.get().application_id,
        uin="8967519825",
        vid="9275940385379504",
    )
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 286
    assert "UIN <code>8967519825</code>" in response.text
    assert "every 5s" not in response.text


def test_the_timeline_stops_waiting_for_a_national_id_that_never_came(
    signed_in, registrar
):
    event = _id_issued_before_the_credential(registrar)
    VitalEvent.objects.filter(pk=event.pk).update(
        outcome_at=timezone.now() - datetime.timedelta(hours=2)
    )
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 286
    assert "every 5s" not in response.text


def test_the_list_filters_events_needing_attention_and_finds_an_application_id(
    signed_in, registrar
):
    rejected = _rejected(registrar)
    waiting = services.event_submit(
        event=make_event(registrar, "birth", distinct_data("birth", 1)), actor=registrar
    )
    # htmx asks for the results alone (the news above them names events too).
    listed = signed_in.get(
        reverse("registrations:list"), {"status": "needs_attention"}, headers=HTMX
    )
    assert rejected.registration_number in listed.text
    assert waiting.registration_number not in listed.text
    found = signed_in.get(
        reverse("registrations:list"),
        {"q": waiting.packets.get().application_id},
        headers=HTMX,
    )
    assert waiting.registration_number in found.text
    assert rejected.registration_number not in found.text


def test_the_registrar_sees_news_from_mosip_until_marked_read(signed_in, registrar):
    event = _rejected(registrar)
    html = signed_in.get(reverse("registrations:list")).text
    assert "News from MOSIP" in html
    assert f"{event.registration_number} needs attention" in html
    response = signed_in.post(reverse("registrations:notifications-read"))
    assert response.status_code == 302
    assert "News from MOSIP" not in signed_in.get(reverse("registrations:list")).text


def test_news_of_another_registrar_is_not_shown(client, registrar, office_a):
    _rejected(registrar)
    colleague = make_user(username="carl", office=office_a)
    client.force_login(colleague)
    assert "News from MOSIP" not in client.get(reverse("registrations:list")).text
    client.post(reverse("registrations:notifications-read"))
    assert (
        registrar.pk and Notification.objects.filter(read_at__isnull=True).count() == 1
    )


def test_a_double_click_submits_once(signed_in, registrar):
    event = make_event(registrar)
    first = signed_in.post(_url("submit", event))
    second = signed_in.post(_url("submit", event), follow=True)
    assert first.status_code == 302
    assert "already submitted" in second.text
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert list(event.status_changes.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
    ]
    assert OutboxMessage.objects.filter(event=event).count() == 1


def test_two_people_editing_one_draft_are_told_not_overwritten(
    client, registrar, office_a
):
    event = make_event(registrar)
    colleague = make_user(username="carl", office=office_a)
    version = event.draft_version
    client.force_login(colleague)
    saved = client.post(
        _url("autosave", event),
        {"_version": version, "child__fullName__eng": "Carl's spelling"},
        headers=HTMX,
    )
    assert "Saved at" in saved.text
    assert f'value="{version + 1}" hx-swap-oob="true"' in saved.text

    client.force_login(registrar)
    late = client.post(
        _url("autosave", event),
        {"_version": version, "child__fullName__eng": "Alice's spelling"},
        headers=HTMX,
    )
    assert late.status_code == 200
    assert "changed by carl" in late.text
    data = flatten(birth_data())
    data.update({"_version": version, "child__fullName__eng": "Alice again"})
    page = client.post(_url("edit", event), data)
    assert page.status_code == 409
    assert "changed by carl" in page.text
    assert 'value="Alice again"' in page.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Carl's spelling"
