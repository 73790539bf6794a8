"""National ID checks against the running sandbox over HTTP: the portal onboarded
as an IDA partner through its services (`onboarded_sandbox`), identities issued by
registering births through the pipeline, the registrar's form checking them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.registrations import services
from apps.registrations.models import EventStatus, IdCheck
from tests.registrations.factories import birth_data, death_data, make_event
from tests.registrations.pipeline_support import (
    clear_faults,
    deliver_results,
    set_faults,
)

HTMX = {"HX-Request": "true"}
BORN = timezone.localdate() - datetime.timedelta(days=4)


def _send_all(event):
    from apps.registrations import tasks

    for outbox in event.outbox_messages.all():
        tasks.send_packet(outbox.pk)


def issued(registrar, sandbox, name="Amina Yusuf Haddad", gender="FLE") -> str:
    """A baby girl MOSIP issued a UIN to: her birth registered and processed."""
    data = birth_data(child_born=BORN.isoformat())
    data["child"]["fullName"] = {"eng": name}
    data["child"]["gender"] = gender
    data["mother"].pop("uin")
    event = services.event_submit(
        event=make_event(registrar, "birth", data), actor=registrar
    )
    _send_all(event)
    event = deliver_results(sandbox, event)
    assert event.status == EventStatus.ID_ISSUED, event.last_error_message
    return event.packets.get().uin


def death_of(registrar, number, *, name="Amina Yusuf Haddad", born=BORN, gender="FLE"):
    data = death_data(deceased_uin=number)
    data["deceased"].update(
        fullName={"eng": name}, dateOfBirth=born.isoformat(), gender=gender
    )
    data["death"]["date"] = timezone.localdate().isoformat()
    return make_event(registrar, "death", data)


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def leave_uin(client, event):
    return client.post(
        reverse("registrations:validate", kwargs={"pk": event.pk}),
        {"_question": "deceased__uin"},
        headers=HTMX,
    )


def test_a_matching_uin_verifies_and_mismatches_are_named(portal, registrar, signed_in):
    number = issued(registrar, portal)
    event = death_of(registrar, number)
    assert "Verified with MOSIP" in leave_uin(signed_in, event).text
    check = IdCheck.objects.get(event=event)
    assert check.outcome == "verified" and check.auth_token and check.transaction_id

    wrong_name = death_of(registrar, number, name="Amina Haddad")
    response = leave_uin(signed_in, wrong_name)
    assert "Does not match" in response.text and "name in English" in response.text
    assert IdCheck.objects.get(event=wrong_name).mismatches == [
        {"attribute": "name", "language": "eng", "held": True}
    ]

    wrong_dob = death_of(registrar, number, born=BORN - datetime.timedelta(days=1))
    response = leave_uin(signed_in, wrong_dob)
    assert "Does not match" in response.text and "date of birth" in response.text
    with pytest.raises(services.EventIdCheckBlocked):
        services.event_submit(event=wrong_dob, actor=registrar)


def test_a_deactivated_uin_is_refused_for_a_death(portal, registrar, signed_in):
    number = issued(registrar, portal)
    first = services.event_submit(event=death_of(registrar, number), actor=registrar)
    _send_all(first)
    first = deliver_results(portal, first)
    assert first.status == EventStatus.RECORD_UPDATED, first.last_error_message

    again = death_of(registrar, number)
    response = leave_uin(signed_in, again)
    assert "Deactivated" in response.text
    assert IdCheck.objects.get(event=again).error_codes == ["IDA-MLC-022"]
    with pytest.raises(services.EventIdCheckBlocked, match="deactivated"):
        services.event_submit(event=again, actor=registrar)
    review = signed_in.get(reverse("registrations:review", kwargs={"pk": again.pk}))
    assert "This death cannot be submitted yet" in review.text


def test_a_tampered_answer_is_refused_and_nothing_is_recorded(
    portal, registrar, signed_in
):
    number = issued(registrar, portal)
    event = death_of(registrar, number)
    set_faults(portal, ida={"tamper_response_signature": True})
    response = leave_uin(signed_in, event)
    assert "could not be trusted" in response.text
    assert not IdCheck.objects.filter(event=event).exists()
    clear_faults(portal)
    assert "Verified with MOSIP" in leave_uin(signed_in, event).text


def test_mosip_down_lets_the_registrar_go_on_and_marks_the_event(
    portal, registrar, signed_in
):
    number = issued(registrar, portal)
    event = death_of(registrar, number)
    set_faults(portal, ida={"unavailable": True})
    response = leave_uin(signed_in, event)
    assert "MOSIP unreachable" in response.text and "You may go on" in response.text
    assert IdCheck.objects.get(event=event).outcome == "unreachable"
    event = services.event_submit(event=event, actor=registrar)
    assert event.status == EventStatus.SUBMITTED
    page = signed_in.get(reverse("registrations:detail", kwargs={"pk": event.pk}))
    assert "ID not verified" in page.text
