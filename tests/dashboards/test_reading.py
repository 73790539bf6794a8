"""Pages a supervisor reads without a legend: links to events, words for durations."""

import csv
import io

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.dashboards.conftest import JUNE


@pytest.mark.parametrize(
    "value, unit, words",
    [
        (None, "hours", "—"),
        (0.005, "hours", "under a minute"),
        (0.1, "hours", "6 minutes"),
        (1 / 60, "hours", "1 minute"),
        (1.0, "hours", "1 hour"),
        (3.25, "hours", "3.2 hours"),
        (47, "hours", "47 hours"),
        (72, "hours", "3 days"),
        (0.5, "days", "12 hours"),
        (1, "days", "24 hours"),
        (12.5, "days", "12.5 days"),
    ],
)
def test_durations_read_in_the_unit_that_fits(value, unit, words):
    rendered = Template("{% load durations %}{{ v|duration:u }}").render(
        Context({"v": value, "u": unit})
    )
    assert rendered == words


def test_the_waiting_times_are_in_words_not_fractions_of_hours(
    client, supervisor, dataset
):
    client.force_login(supervisor)
    body = client.get(reverse("dashboards:overview"), JUNE).content.decode()
    latency = body[body.index('id="latency-h"') : body.index('id="timely-h"')]
    assert " hours</td>" in latency or " minutes</td>" in latency
    assert "0.1 hours" not in latency


def test_the_funnel_says_what_its_columns_count(client, supervisor, dataset):
    client.force_login(supervisor)
    body = client.get(reverse("dashboards:overview"), JUNE).content.decode()
    assert "Lost since previous stage" not in body
    assert "Reached the previous stage, not this one" in body


def test_rejected_events_link_to_a_page_of_their_own(client, supervisor, dataset):
    client.force_login(supervisor)
    rejected = dataset["A3"]
    listing = client.get(
        reverse("dashboards:error-events", kwargs={"code": "PACKET_REJECTED"}), JUNE
    ).content.decode()
    link = reverse("dashboards:event", kwargs={"pk": rejected.pk})
    assert f'href="{link}"' in listing

    page = client.get(link)
    body = page.content.decode()
    assert page.status_code == 200
    assert rejected.registration_number in body
    assert rejected.packets.get().application_id in body
    assert "PACKET_REJECTED" in body


def test_a_supervisor_cannot_open_another_offices_event(client, supervisor, dataset):
    client.force_login(supervisor)
    foreign = dataset["B1"]
    response = client.get(reverse("dashboards:event", kwargs={"pk": foreign.pk}))
    assert response.status_code == 404


def test_a_registrar_cannot_open_the_supervisor_event_page(client, registrar, dataset):
    client.force_login(registrar)
    response = client.get(reverse("dashboards:event", kwargs={"pk": dataset["A3"].pk}))
    assert response.status_code == 403


def test_csv_waiting_times_are_rounded(client, supervisor, dataset):
    client.force_login(supervisor)
    response = client.get(
        reverse("dashboards:export", kwargs={"table": "latency"}), JUNE
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    figures = [cell for row in rows[1:] for cell in row[3:] if cell]
    assert figures
    for cell in figures:
        assert len(cell.partition(".")[2]) <= 2, cell


def test_the_header_menu_and_the_tabs_share_one_order(client, supervisor, dataset):
    client.force_login(supervisor)
    body = client.get(reverse("dashboards:overview"), JUNE).content.decode()
    header = body[body.index('aria-label="Main"') :]
    tabs = body[body.index('aria-label="Dashboards"') :]
    order = [reverse("dashboards:errors"), reverse("dashboards:stuck")]
    assert header.index(order[0]) < header.index(order[1])
    assert tabs.index(order[0]) < tabs.index(order[1])
