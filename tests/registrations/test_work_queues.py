"""The registrar's work queues: what waits for which work, counted, and drafts that can
be thrown away without losing the register's trail."""

import datetime
import itertools

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.registrations import queries, services
from apps.registrations.models import EventStatus, VitalEvent
from tests.factories import make_user
from tests.registrations.factories import distinct_data, make_event

pytestmark = pytest.mark.usefixtures("id_schema")
_couples = itertools.count()


def _with_status(registrar, status, **fields):
    event = make_event(registrar, "marriage", distinct_data("marriage", next(_couples)))
    if status != EventStatus.DRAFT:
        event = services.event_submit(event=event, actor=registrar)
        VitalEvent.objects.filter(pk=event.pk).update(status=status, **fields)
    return event


@pytest.fixture
def office_events(registrar):
    now = timezone.now()
    return {
        "draft": _with_status(registrar, EventStatus.DRAFT),
        "rejected": _with_status(registrar, EventStatus.REJECTED),
        "failed": _with_status(registrar, EventStatus.FAILED),
        "processing": _with_status(registrar, EventStatus.PROCESSING),
        "id_issued": _with_status(registrar, EventStatus.ID_ISSUED),
        "registered": _with_status(registrar, EventStatus.REGISTERED),
        "certified_now": _with_status(
            registrar, EventStatus.CERTIFIED, certified_at=now
        ),
        "certified_long_ago": _with_status(
            registrar,
            EventStatus.CERTIFIED,
            certified_at=now - datetime.timedelta(days=90),
        ),
    }


def test_each_queue_holds_and_counts_its_events(registrar, office_events):
    visible = queries.events_visible_to(registrar)
    expected = {
        "in_progress": {"draft"},
        "attention": {"rejected", "failed"},
        "sent": {"processing"},
        "to_certify": {"id_issued", "registered"},
        "certified": {"certified_now"},
    }
    counts = {c["queue"].key: c["count"] for c in queries.work_queue_counts(visible)}
    for key, names in expected.items():
        listed = set(queries.events_matching(visible, queue=key))
        assert listed == {office_events[n] for n in names}, key
        assert counts[key] == len(names), key


def test_another_offices_events_are_in_no_queue(registrar, office_b, office_events):
    other = make_user("registrar", username="bob", office=office_b)
    make_event(other, "birth")
    visible = queries.events_visible_to(registrar)
    counts = {c["queue"].key: c["count"] for c in queries.work_queue_counts(visible)}
    assert counts["in_progress"] == 1


def test_the_list_shows_the_queues_with_counts(client, registrar, office_events):
    client.force_login(registrar)
    body = client.get(reverse("registrations:list"), {"queue": "attention"})
    html = body.content.decode()
    assert 'aria-label="Work queues"' in html
    assert 'Requires attention <span class="count">2</span>' in html
    assert office_events["rejected"].registration_number in html
    assert office_events["registered"].registration_number not in html


def test_an_unknown_queue_is_ignored_not_an_error(client, registrar, office_events):
    client.force_login(registrar)
    response = client.get(reverse("registrations:list"), {"queue": "nonsense"})
    assert response.status_code == 200


def test_a_registrar_discards_a_draft_after_confirming(client, registrar):
    draft = make_event(registrar, "birth")
    client.force_login(registrar)
    url = reverse("registrations:discard", kwargs={"pk": draft.pk})

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert VitalEvent.objects.filter(pk=draft.pk).exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not VitalEvent.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(
        action="event.draft_discarded",
        actor=registrar,
        target_type=ContentType.objects.get_for_model(VitalEvent),
        target_id=str(draft.pk),
    ).exists()


def test_a_registered_event_cannot_be_discarded(client, registrar):
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)):
        event = _with_status(registrar, EventStatus.REGISTERED)
    client.force_login(registrar)
    response = client.post(reverse("registrations:discard", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    assert VitalEvent.objects.filter(pk=event.pk).exists()


def test_another_offices_draft_cannot_be_discarded(client, registrar, office_b):
    other = make_user("registrar", username="bob", office=office_b)
    draft = make_event(other, "birth")
    client.force_login(registrar)
    response = client.post(reverse("registrations:discard", kwargs={"pk": draft.pk}))
    assert response.status_code == 404
    assert VitalEvent.objects.filter(pk=draft.pk).exists()
