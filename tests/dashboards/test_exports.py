"""Event exports read page by page by key: every row once, in order, header first."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.dashboards.queries import keyset
from tests.dashboards.conftest import JUNE, at, make

STUCK_URL = reverse("dashboards:export", kwargs={"table": "stuck"})
ERRORS_URL = reverse("dashboards:export", kwargs={"table": "error-events"})


@pytest.fixture
def pages_of_three(monkeypatch):
    monkeypatch.setattr(keyset, "PAGE_ROWS", 3)


def _read(response) -> tuple[list[list[str]], int]:
    """The CSV rows and how many queries streaming them took."""
    with CaptureQueriesContext(connection) as queries:
        body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body))), len(queries)


def test_the_stuck_export_pages_through_ties_without_losing_or_repeating_an_event(
    client, supervisor, registrar, office_a, now, pages_of_three
):
    # Ten events stuck in three states since two moments: each state is read on its
    # own, and ties on the moment cross page ends within and between the states.
    states = ["submitted", "packet_created", "processing"]
    events = [
        make(
            office_a, n, "birth", states[n % 3], at(20),
            datetime.date(2025, 6, 1), last_change=at(24 + n % 2),
        )
        for n in range(1, 11)
    ]  # fmt: skip
    # Oldest change first, then by id: the even numbers changed an hour earlier.
    expected = [f"OFFICE-A-2025-{n:06d}" for n in (2, 4, 6, 8, 10, 1, 3, 5, 7, 9)]
    assert sorted(expected) == sorted(e.registration_number for e in events)
    client.force_login(supervisor)
    rows, queries = _read(client.get(STUCK_URL))
    assert [row[0] for row in rows[1:]] == expected
    assert queries == 6  # a full page of 3 then an empty one, for each state


def test_the_stuck_list_pages_merge_the_states_oldest_first(
    client, supervisor, registrar, office_a, now, settings
):
    states = ["submitted", "packet_created", "processing"]
    for n in range(1, 11):
        make(
            office_a, n, "birth", states[n % 3], at(20),
            datetime.date(2025, 6, 1), last_change=at(24 + n % 2),
        )  # fmt: skip
    expected = [f"OFFICE-A-2025-{n:06d}" for n in (2, 4, 6, 8, 10, 1, 3, 5, 7, 9)]
    settings.DASHBOARDS_PAGE_SIZE = 3
    client.force_login(supervisor)
    shown = []
    for page in (1, 2, 3, 4):
        response = client.get(reverse("dashboards:stuck"), {"page": page})
        assert response.context["page"].paginator.count == 10
        shown += [e.registration_number for e in response.context["page"]]
    assert shown == expected  # every event once, oldest change first, ties by id


def test_the_error_events_export_pages_newest_first_through_ties(
    client, supervisor, registrar, office_a, now, pages_of_three
):
    events = [
        make(
            office_a, n, "death", "rejected", at(10 + n % 2),
            datetime.date(2025, 6, 1), left_from="processing",
            code="PACKET_REJECTED", outcome_hours=5,
        )
        for n in range(1, 8)
    ]  # fmt: skip
    # Latest registration first, then by id: the odd numbers came an hour later.
    expected = [f"OFFICE-A-2025-{n:06d}" for n in (7, 5, 3, 1, 6, 4, 2)]
    assert sorted(expected) == sorted(e.registration_number for e in events)
    client.force_login(supervisor)
    rows, queries = _read(client.get(ERRORS_URL, {**JUNE, "code": "PACKET_REJECTED"}))
    assert [row[0] for row in rows[1:]] == expected
    assert queries == 3  # pages of 3, 3 and 1


@pytest.mark.parametrize(
    "url, query, header",
    [
        (
            STUCK_URL,
            {},
            "registration_number,event_type,office,status,submitted_at,"
            "last_change_at,waiting_hours,last_error_code",
        ),
        (
            ERRORS_URL,
            {**JUNE, "code": "PACKET_REJECTED"},
            "registration_number,event_type,office,status,submitted_at,code",
        ),
        (
            reverse("dashboards:export", kwargs={"table": "errors"}),
            JUNE,
            "code,events,packets,message,first_seen,last_seen",
        ),
    ],
)
def test_an_export_sends_its_header_before_any_query(
    client, supervisor, dataset, django_assert_num_queries, url, query, header
):
    client.force_login(supervisor)
    response = client.get(url, query)
    chunks = iter(response.streaming_content)
    with django_assert_num_queries(0):
        first = next(chunks)
    assert first.decode() == header + "\r\n"
    assert re.search(rb"OFFICE-A-2025-|PACKET_REJECTED", b"".join(chunks))
