"""Every figure on the hand-built dataset of conftest.py, worked out by hand.

Office A, June 2025 (10 events registered; A9 was registered in May, the draft never):
  A1 birth id_issued 2h, event 13 d before     A7  birth processing, 3 d
  A2 birth certified 10 Jun, 4h, 139 d         A8  marriage submitted, 0 d
  A3 birth rejected in processing, 740 d       A10 birth submitted, 9 d
  A4 death record_updated 10h, 10 d            A11 birth rejected in processing, 14 d
  A5 death failed before its packet, 2 d       (A9 birth registered 20 May, certified 15 Jun)
  A6 death registered without a packet, 111 d
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.dashboards import config, figures, queries
from apps.dashboards.queries.timeliness import latency_from_events
from apps.registrations.models import OutboxMessage
from apps.registrations.rollups import bin_of
from tests.dashboards.conftest import NOW

JUNE = dict(start=datetime.date(2025, 6, 1), end=datetime.date(2025, 6, 30))


@pytest.fixture
def scope(supervisor, dataset):
    return queries.scope_for(supervisor, **JUNE)


def _matrix(rows):
    counts = {}
    for row in rows:
        key = (row["event_type"], row["status"])
        counts[key] = counts.get(key, 0) + row["events"]
    return counts


def test_status_by_type_counts(scope):
    assert _matrix(queries.volumes(scope)) == {
        ("birth", "id_issued"): 1,
        ("birth", "certified"): 1,
        ("birth", "rejected"): 2,
        ("birth", "processing"): 1,
        ("birth", "submitted"): 1,
        ("death", "record_updated"): 1,
        ("death", "failed"): 1,
        ("death", "registered"): 1,
        ("marriage", "submitted"): 1,
    }
    table = figures.status_table(scope, queries.volumes(scope))
    assert table["total"] == 10
    assert table["totals"] == [6, 3, 1, 0]  # birth, death, marriage, divorce


def test_weekly_volumes_start_on_mondays_and_show_quiet_weeks(scope):
    table = figures.volume_table(scope, queries.volumes(scope))
    lines = [(line["period"].isoformat(), line["counts"]) for line in table["lines"]]
    assert lines == [
        ("2025-05-26", [0, 0, 0, 0]),
        ("2025-06-02", [2, 0, 0, 0]),
        ("2025-06-09", [2, 2, 0, 0]),
        ("2025-06-16", [0, 1, 0, 0]),
        ("2025-06-23", [2, 0, 0, 0]),
        ("2025-06-30", [0, 0, 1, 0]),
    ]


def test_daily_and_monthly_volumes(supervisor, dataset):
    daily = queries.scope_for(supervisor, granularity="day", **JUNE)
    by_day = {
        (row["period"].day, row["event_type"]): row["events"]
        for row in queries.volumes(daily)
    }
    assert by_day == {
        (2, "birth"): 1, (3, "birth"): 1, (10, "birth"): 1, (11, "death"): 1,
        (12, "death"): 1, (15, "birth"): 1, (20, "death"): 1, (28, "birth"): 1,
        (29, "birth"): 1, (30, "marriage"): 1,
    }  # fmt: skip
    monthly = queries.scope_for(
        supervisor,
        granularity="month",
        start=datetime.date(2025, 5, 1),
        end=datetime.date(2025, 6, 30),
    )
    table = figures.volume_table(monthly, queries.volumes(monthly))
    assert [(line["period"].month, line["total"]) for line in table["lines"]] == [
        (5, 1),
        (6, 10),
    ]


def test_the_funnel_and_its_drop_off(scope):
    funnel = queries.funnel(scope)
    steps = {
        s["key"]: (s["reached"], s["waiting"], s["turned_down"], s["lost"], s["share"])
        for s in funnel["steps"]
    }
    assert steps == {
        "submitted": (9, 2, 1, 0, 100.0),
        "packet_created": (6, 0, 0, 3, 66.7),
        "processing": (6, 1, 2, 0, 66.7),
        "id": (3, 2, 0, 3, 33.3),
        "certified": (1, 1, 0, 2, 11.1),
    }
    assert funnel["without_packet"] == 1


def test_latency_percentiles_from_the_events(scope):
    exact = latency_from_events(scope)  # what the histograms are checked against
    assert exact["id_n"] == 3  # A1 2h, A2 4h, A4 10h
    assert [round(s / 3600, 2) for s in exact["id_p"]] == [4.0, 8.8, 9.88]
    # 0, 2, 3, 9, 10, 13, 14, 111, 139, 740 days
    assert exact["delay_n"] == 10
    assert [round(d, 2) for d in exact["delay_p"]] == [11.5, 199.1, 685.91]


def test_latency_percentiles_come_within_a_bin_of_the_exact_ones(scope):
    latency = {r["key"]: r for r in queries.latency_and_timeliness(scope)["latency"]}
    to_id = latency["submit_to_id"]
    assert to_id["events"] == 3
    exact_hours = [4.0, 8.8, 9.88]
    for p, hours in zip(("p50", "p90", "p99"), exact_hours, strict=True):
        assert abs(bin_of(to_id[p] * 3600) - bin_of(hours * 3600)) <= 1
        assert to_id[p] == pytest.approx(hours, rel=0.1)
    delay = latency["event_to_registration"]
    assert delay["events"] == 10
    # Under 64 days the bins are single days: exact.
    assert round(delay["p50"], 2) == 11.5
    for p, days in (("p90", 199.1), ("p99", 685.91)):
        assert abs(bin_of(delay[p]) - bin_of(days)) <= 1


def test_timeliness_of_births_and_deaths(scope):
    rows = queries.latency_and_timeliness(scope)["timeliness"]
    got = {
        r["event_type"]: (
            r["within_30_days"],
            r["within_a_year"],
            r["later"],
            r["total"],
        )
        for r in rows
    }
    assert got == {"birth": (4, 1, 1, 6), "death": (2, 1, 0, 3)}
    assert rows[0]["shares"] == [66.7, 16.7, 16.7]


def test_certificates_issued_count_by_certification_date(scope):
    # A2 (registered and certified in June) and A9 (registered in May).
    assert [
        (r["event_type"], r["certificates"]) for r in queries.certificates_issued(scope)
    ] == [("birth", 2)]


def test_error_codes_are_ranked_by_events(scope):
    rows = queries.error_codes(scope)
    assert [(r["result_code"], r["events"], r["packets"]) for r in rows] == [
        ("PACKET_REJECTED", 2, 2),
        ("KER-PUT-006", 1, 1),
    ]
    assert rows[0]["message"] == "Message for PACKET_REJECTED"


def test_error_drill_down_lists_the_events_of_a_code(scope, dataset):
    events = queries.error_events(scope, "PACKET_REJECTED")
    assert [e.registration_number for e in events] == [
        dataset["A11"].registration_number,
        dataset["A3"].registration_number,
    ]
    assert not queries.error_events(scope, "RPR-PKR-016").exists()


def test_stuck_events_by_threshold_oldest_first(scope, dataset):
    stuck = queries.stuck_events(scope, thresholds=config.stuck_thresholds(), now=NOW)
    assert [e.registration_number for e in stuck] == [
        dataset["A7"].registration_number,
        dataset["A10"].registration_number,
    ]


def test_a_stuck_event_carries_the_error_that_kept_its_packet_from_going(
    scope, dataset
):
    # A10's send failed; A7's packet went after a failed try, and waits in MOSIP.
    OutboxMessage.objects.filter(event=dataset["A10"]).update(
        status="pending", last_error_code="HTTP 503"
    )
    OutboxMessage.objects.filter(event=dataset["A7"]).update(last_error_code="HTTP 502")
    stuck = queries.stuck_events(scope, thresholds=config.stuck_thresholds(), now=NOW)
    errors = {e.registration_number: e.send_error for e in stuck}
    assert errors == {
        dataset["A7"].registration_number: None,
        dataset["A10"].registration_number: "HTTP 503",
    }


def test_stuck_thresholds_come_from_settings(scope, dataset, settings):
    settings.DASHBOARDS_STUCK_AFTER_MINUTES = {
        "processing": 3 * 24 * 60,
        "packet_created": 60,
        "submitted": 10,
    }
    stuck = queries.stuck_events(scope, thresholds=config.stuck_thresholds(), now=NOW)
    # A7 has waited 50 hours in processing, now under the limit; A8 30 minutes.
    assert [e.registration_number for e in stuck] == [
        dataset["A10"].registration_number,
        dataset["A8"].registration_number,
    ]


def test_a_state_left_out_of_the_stuck_thresholds_is_never_stuck(settings):
    settings.DASHBOARDS_STUCK_AFTER_MINUTES = {"submitted": 10}
    assert config.stuck_thresholds() == {"submitted": datetime.timedelta(minutes=10)}


def test_completeness_against_expected_events(scope):
    rows = queries.completeness(scope)
    got = [
        (
            r["office"].code,
            r["year"],
            r["event_type"],
            r["expected"],
            r["registered"],
            r["completeness"],
        )
        for r in rows
    ]
    assert got == [
        ("office-a", 2025, "birth", 100, 6, 6.0),
        ("office-a", 2025, "death", 40, 3, 7.5),
    ]


def test_an_event_type_filter_narrows_every_figure(supervisor, dataset):
    deaths = queries.scope_for(supervisor, event_type="death", **JUNE)
    assert sum(r["events"] for r in queries.volumes(deaths)) == 3
    assert [
        r["event_type"] for r in queries.latency_and_timeliness(deaths)["timeliness"]
    ] == ["death"]
    assert [r["result_code"] for r in queries.error_codes(deaths)] == ["KER-PUT-006"]
    assert queries.certificates_issued(deaths) == []
    assert [r["event_type"] for r in queries.completeness(deaths)] == ["death"]


def test_a_national_supervisor_sees_every_office(national_supervisor, dataset):
    scope = queries.scope_for(national_supervisor, **JUNE)
    assert scope.office_ids is None
    assert sum(r["events"] for r in queries.volumes(scope)) == 13
    assert [r["result_code"] for r in queries.error_codes(scope)] == [
        "PACKET_REJECTED", "KER-PUT-006", "RPR-PKR-016",
    ]  # fmt: skip
    assert {r["office"].code for r in queries.completeness(scope)} == {
        "office-a",
        "office-b",
    }


def test_an_office_filter_outside_the_supervisors_offices_is_refused(
    supervisor, office_b, dataset
):
    with pytest.raises(PermissionDenied):
        queries.scope_for(supervisor, office=office_b, **JUNE)


def test_only_supervisors_get_a_scope(registrar, integration_admin):
    for user in (registrar, integration_admin):
        with pytest.raises(PermissionDenied):
            queries.scope_for(user, **JUNE)


def test_a_supervisor_without_offices_sees_nothing(db, dataset):
    from tests.factories import make_user

    lonely = make_user("supervisor", username="lonely")
    scope = queries.scope_for(lonely, **JUNE)
    assert queries.volumes(scope) == []
    assert queries.error_codes(scope) == []
    assert queries.completeness(scope) == []
    latency = queries.latency_and_timeliness(scope)["latency"]
    assert [(r["events"], r["p50"]) for r in latency] == [(0, None), (0, None)]
