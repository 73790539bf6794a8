"""Pages and CSV exports: what a supervisor sees, and never sees, of other offices."""

import csv
import io

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.dashboards.exports import TABLES
from apps.registrations.models import OutboxMessage
from tests.dashboards.conftest import JUNE
from tests.factories import make_user

PAGES = [
    ("dashboards:overview", {}),
    ("dashboards:errors", {}),
    ("dashboards:error-events", {"code": "PACKET_REJECTED"}),
    ("dashboards:error-events", {"code": "RPR-PKR-016"}),
    ("dashboards:stuck", {}),
    ("dashboards:completeness", {}),
]
EXPORTS = [
    (name, {"code": "RPR-PKR-016"} if name == "error-events" else {}) for name in TABLES
]
# Anything that identifies office B or its events in a page or a file.
OFFICE_B_MARKS = ["OFFICE-B-", "Office B", "office-b", "RPR-PKR-016\n", "RPR-PKR-016,"]


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_body(response))))


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_a_supervisor_of_office_a_never_sees_office_b_in_a_page(
    client, supervisor, dataset, name, kwargs
):
    client.force_login(supervisor)
    for query in (JUNE, {}, {**JUNE, "granularity": "day"}):
        response = client.get(reverse(f"{name}", kwargs=kwargs), query)
        assert response.status_code == 200
        body = _body(response)
        for mark in OFFICE_B_MARKS[:3]:
            assert mark not in body, (name, mark)


@pytest.mark.parametrize("table, extra", EXPORTS)
def test_a_supervisor_of_office_a_never_sees_office_b_in_an_export(
    client, supervisor, national_supervisor, dataset, table, extra
):
    url = reverse("dashboards:export", kwargs={"table": table})
    client.force_login(supervisor)
    own = _body(client.get(url, {**JUNE, **extra}))
    for mark in OFFICE_B_MARKS:
        assert mark not in own, (table, mark)
    # The same export for a national supervisor does hold office B, so the check
    # above looks where office B would be.
    client.force_login(national_supervisor)
    national = _body(client.get(url, {**JUNE, **extra}))
    if table in (
        "volumes",
        "status",
        "funnel",
        "latency",
        "timeliness",
        "certificates",
    ):
        assert national != own, table
    else:
        assert any(mark in national for mark in OFFICE_B_MARKS), table


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_asking_for_another_office_is_a_clear_error_not_its_figures(
    client, supervisor, office_b, dataset, name, kwargs
):
    client.force_login(supervisor)
    response = client.get(reverse(name, kwargs=kwargs), {**JUNE, "office": office_b.pk})
    assert response.status_code == 200
    body = _body(response)
    assert "Select a valid choice" in body
    assert "Correct the filters above" in body
    assert "OFFICE-B-" not in body


@pytest.mark.parametrize("table, extra", EXPORTS)
def test_an_export_for_another_office_is_refused(
    client, supervisor, office_b, dataset, table, extra
):
    client.force_login(supervisor)
    url = reverse("dashboards:export", kwargs={"table": table})
    response = client.get(url, {**JUNE, **extra, "office": office_b.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_supervisor_cannot_resubmit_another_offices_event(
    client, supervisor, dataset
):
    client.force_login(supervisor)
    response = client.post(
        reverse("dashboards:resubmit", kwargs={"pk": dataset["B3"].pk})
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="event.requeued").exists()


def test_the_overview_shows_the_hand_counted_figures(client, supervisor, dataset):
    client.force_login(supervisor)
    body = _body(client.get(reverse("dashboards:overview"), JUNE))
    assert '<span class="n">10</span> events registered' in body
    assert '<span class="n">3</span> national IDs issued or updated' in body
    assert '<span class="n">2</span> certificates issued' in body
    assert "<svg" in body and "<table" in body
    # From the histograms: 4 h and 8.8 h read within a 10% band, 11.5 days exactly.
    assert "3.9 hours" in body and "8.8 hours" in body and "11.5 days" in body
    assert "within 10% of the exact figure" in body


def test_the_overview_refreshes_its_figures_through_htmx(client, supervisor, dataset):
    client.force_login(supervisor)
    response = client.get(
        reverse("dashboards:overview"), JUNE, headers={"HX-Request": "true"}
    )
    body = _body(response)
    assert body.lstrip().startswith('<div id="figures"')
    assert "<html" not in body
    assert 'hx-trigger="every 60s"' in body


@pytest.mark.parametrize("name, kwargs", PAGES)
def test_every_page_has_an_empty_state(client, db, name, kwargs):
    lonely = make_user("supervisor", username="lonely")
    client.force_login(lonely)
    response = client.get(reverse(name, kwargs=kwargs), JUNE)
    assert response.status_code == 200
    assert 'class="empty"' in _body(response)


@pytest.mark.parametrize("table, extra", EXPORTS)
def test_every_export_of_nothing_is_a_header_only_or_zero_file(
    client, db, table, extra
):
    lonely = make_user("supervisor", username="lonely")
    client.force_login(lonely)
    response = client.get(
        reverse("dashboards:export", kwargs={"table": table}), {**JUNE, **extra}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0]  # the header
    numbers = [
        cell for row in rows[1:] for cell in row if cell.replace(".", "").isdigit()
    ]
    assert all(float(n) == 0 for n in numbers), (table, rows)


def test_the_stuck_export_streams_the_stuck_events(client, supervisor, dataset):
    client.force_login(supervisor)
    response = client.get(reverse("dashboards:export", kwargs={"table": "stuck"}))
    assert response.streaming
    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [
        "OFFICE-A-2025-000007",
        "OFFICE-A-2025-000010",
    ]
    assert rows[1][6] == "49.9"  # hours since 28 June 10:05


def test_the_stuck_list_pages_by_the_page_size_setting(
    client, supervisor, dataset, settings
):
    client.force_login(supervisor)
    settings.DASHBOARDS_PAGE_SIZE = 1

    first = _body(client.get(reverse("dashboards:stuck")))
    second = _body(client.get(reverse("dashboards:stuck"), {"page": 2}))

    assert "OFFICE-A-2025-000007" in first and "OFFICE-A-2025-000010" not in first
    assert "Page 1 of 2" in first
    assert "OFFICE-A-2025-000010" in second and "OFFICE-A-2025-000007" not in second

    settings.DASHBOARDS_PAGE_SIZE = 2
    whole = _body(client.get(reverse("dashboards:stuck")))
    assert "OFFICE-A-2025-000007" in whole and "OFFICE-A-2025-000010" in whole
    assert "Page 1 of" not in whole


def test_the_stuck_list_and_export_say_why_the_packet_did_not_go(
    client, supervisor, dataset
):
    OutboxMessage.objects.filter(event=dataset["A10"]).update(
        status="pending", last_error_code="HTTP 503"
    )
    client.force_login(supervisor)
    page = _body(client.get(reverse("dashboards:stuck")))
    assert "<code>HTTP 503</code>" in page
    rows = _csv(client.get(reverse("dashboards:export", kwargs={"table": "stuck"})))
    assert {row[0]: row[7] for row in rows[1:]} == {
        "OFFICE-A-2025-000007": "",
        "OFFICE-A-2025-000010": "HTTP 503",
    }


def test_the_volumes_export_holds_the_grouped_rows(client, supervisor, dataset):
    client.force_login(supervisor)
    response = client.get(
        reverse("dashboards:export", kwargs={"table": "volumes"}),
        {**JUNE, "granularity": "week"},
    )
    rows = _csv(response)
    assert rows[0] == [
        "period_start",
        "event_type",
        "status",
        "events",
        "without_mosip_packet",
    ]
    assert ["2025-06-16", "death", "registered", "1", "1"] in rows
    assert sum(int(row[3]) for row in rows[1:]) == 10


def test_bad_filters_are_explained(client, supervisor, dataset):
    client.force_login(supervisor)
    body = _body(
        client.get(
            reverse("dashboards:overview"),
            {"start": "2025-07-01", "end": "2025-06-01"},
        )
    )
    assert "The start date is after the end date." in body
    body = _body(
        client.get(
            reverse("dashboards:overview"),
            {"start": "2020-01-01", "end": "2025-06-01", "granularity": "day"},
        )
    )
    assert "Group a range longer than a year by week or month." in body
    response = client.get(
        reverse("dashboards:export", kwargs={"table": "volumes"}), {"start": "soon"}
    )
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_an_unknown_table_is_not_found(client, supervisor):
    client.force_login(supervisor)
    assert (
        client.get(
            reverse("dashboards:export", kwargs={"table": "secrets"})
        ).status_code
        == 404
    )


def test_resubmitting_a_stuck_event_queues_it_and_says_so(
    client, supervisor, dataset, now
):
    client.force_login(supervisor)
    event = dataset["A10"]
    response = client.post(
        reverse("dashboards:resubmit", kwargs={"pk": event.pk}), {"query": "office="}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:stuck") + "?office="
    row = OutboxMessage.objects.get(event=event)
    assert (row.status, row.next_attempt_at) == ("pending", now)
    assert AuditEvent.objects.get(action="event.requeued").actor == supervisor
    page = _body(client.get(response["Location"]))
    assert "OFFICE-A-2025-000010: 1 packet(s) queued again." in page


def test_resubmitting_an_event_with_nothing_to_send_says_why(
    client, supervisor, dataset
):
    client.force_login(supervisor)
    response = client.post(
        reverse("dashboards:resubmit", kwargs={"pk": dataset["A7"].pk}), follow=True
    )
    assert "has no unsent work to retry" in _body(response)
    assert not AuditEvent.objects.filter(action="event.requeued").exists()


def test_an_event_that_is_not_stuck_cannot_be_resubmitted_here(
    client, supervisor, dataset
):
    client.force_login(supervisor)
    response = client.post(
        reverse("dashboards:resubmit", kwargs={"pk": dataset["A8"].pk})
    )
    assert response.status_code == 404


def test_the_error_drill_down_shows_each_events_packet(client, supervisor, dataset):
    client.force_login(supervisor)
    body = _body(
        client.get(
            reverse("dashboards:error-events", kwargs={"code": "PACKET_REJECTED"}), JUNE
        )
    )
    assert "OFFICE-A-2025-000003" in body and "OFFICE-A-2025-000011" in body
    assert "OFFICE-A-2025-000005" not in body
    assert dataset["A3"].packets.get().application_id in body


def test_the_supervisor_lands_on_the_dashboard(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == reverse("dashboards:overview")


def test_a_national_supervisor_sees_office_b_in_the_lists(
    client, national_supervisor, dataset
):
    # The marks the isolation tests look for do show up where office B is visible.
    client.force_login(national_supervisor)
    stuck = _body(client.get(reverse("dashboards:stuck")))
    assert "OFFICE-B-2025-000003" in stuck and "Office B" in stuck
    codes = _body(
        client.get(
            reverse("dashboards:error-events", kwargs={"code": "RPR-PKR-016"}), JUNE
        )
    )
    assert "OFFICE-B-2025-000002" in codes
