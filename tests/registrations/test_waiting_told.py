"""While MOSIP works, the event page says what is happening and how long it usually
takes, from the office's own recent answers."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.registrations import queries, services
from apps.registrations.models import EventStatus, VitalEvent
from tests.factories import make_user
from tests.registrations.factories import distinct_data, make_event

pytestmark = pytest.mark.usefixtures("id_schema")


_births = itertools.count()


def _birth(registrar):
    """A birth of its own, not the same one again (docs/duplicates.md)."""
    return make_event(registrar, "birth", distinct_data("birth", next(_births)))


def _answered(registrar, hours: float, days_ago: float = 1):
    event = services.event_submit(event=_birth(registrar), actor=registrar)
    submitted = timezone.now() - datetime.timedelta(days=days_ago)
    VitalEvent.objects.filter(pk=event.pk).update(
        status=EventStatus.ID_ISSUED,
        submitted_at=submitted,
        outcome_at=submitted + datetime.timedelta(hours=hours),
    )
    return event


def test_the_usual_answer_time_is_the_offices_recent_median_and_p90(registrar):
    for hours in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):
        _answered(registrar, hours)
    _answered(registrar, 500, days_ago=20)  # too long ago to count
    usual = queries.usual_answer_time(registrar.office_id)
    assert usual["events"] == 10
    assert usual["median_hours"] == pytest.approx(5)
    assert usual["p90_hours"] == pytest.approx(10)


def test_another_offices_answers_do_not_count(registrar, office_b):
    other = make_user("registrar", username="bob", office=office_b)
    _answered(other, 3)
    assert queries.usual_answer_time(registrar.office_id) is None


def test_the_page_of_an_event_mosip_is_processing_says_what_and_how_long(
    client, registrar
):
    for hours in (2, 3, 4):
        _answered(registrar, hours)
    waiting = services.event_submit(event=_birth(registrar), actor=registrar)
    VitalEvent.objects.filter(pk=waiting.pk).update(status=EventStatus.PROCESSING)
    client.force_login(registrar)
    html = client.get(
        reverse("registrations:detail", kwargs={"pk": waiting.pk})
    ).content.decode()
    assert "MOSIP is checking the packet" in html
    assert "in 3 hours (half of them)" in html
    assert "within 4 hours for 9 in 10 (3 events)" in html


def test_a_settled_event_does_not_talk_about_waiting(client, registrar):
    settled = _answered(registrar, 2)
    client.force_login(registrar)
    html = client.get(
        reverse("registrations:detail", kwargs={"pk": settled.pk})
    ).content.decode()
    assert "MOSIP is checking the packet" not in html
    assert "half of them" not in html
