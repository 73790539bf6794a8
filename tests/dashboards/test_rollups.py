"""The event counts the dashboards read equal a recount from the events, after a
month of submissions, status moves, late MOSIP results, a correction and its
resubmission and a discarded draft, all through the real services: with every
change still pending, partly folded and wholly folded, over whole week parts and
the days at either end."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.dashboards import queries
from apps.dashboards.queries.throughput import (
    certificates_from_events,
    volume_rows_for,
    volume_rows_from_events,
)
from apps.dashboards.queries.timeliness import latency_from_events
from apps.registrations import pipeline, services
from apps.registrations.models import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    EventStatus,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
)
from apps.registrations.rollups import (
    bin_of,
    reads,
    rollups_drift,
    rollups_fold,
    rollups_fold_all,
    rollups_rebuild,
    week_part_end,
    week_part_start,
)
from tests.factories import make_user
from tests.registrations.factories import distinct_data, load_id_schema, make_event

UTC = datetime.UTC


def at(day, hour=10, minute=0):
    return datetime.datetime(2025, 6, day, hour, minute, tzinfo=UTC)


def _submit(event, when, **kwargs):
    with time_machine.travel(when, tick=False):
        return services.event_submit(event=event, actor=event.created_by, **kwargs)


def _send(event, when):
    with time_machine.travel(when, tick=False):
        for outbox in event.outbox_messages.filter(status="pending"):
            claimed = pipeline.outbox_claim(outbox_id=outbox.pk)
            pipeline.packet_record_created(outbox=claimed)
            pipeline.packet_record_triggered(outbox=claimed)


def _result(event, status, when, codes=()):
    with time_machine.travel(when, tick=False):
        packet = event.packets.exclude(status="withdrawn").get()
        pipeline.packet_record_workflow_result(
            application_id=packet.application_id,
            status=status,
            codes=list(codes),
            now=when,
        )
    event.refresh_from_db()
    return event


def _rows(rows):
    """Volume rows in one order, a missing left-from state read as none."""
    return sorted(
        (
            r["period"],
            r["event_type"],
            r["status"],
            -1 if r["delay_bucket"] is None else r["delay_bucket"],
            r["left_from"] or "",
            r["events"],
            r["without_packet"],
        )
        for r in rows
    )


def _within_a_bin(row, exact, unit):
    """Each percentile read from the histograms lies in the exact one's bin or
    the next (`unit`: seconds per unit shown)."""
    if exact is None:
        assert row["p50"] is None
        return
    for p, value in zip(("p50", "p90", "p99"), exact, strict=True):
        assert abs(bin_of(row[p] * unit) - bin_of(value)) <= 1, (p, row[p], value)


def _cells(every_office=False):
    """The daily counts of each office (or of every office together) once every
    pending change is folded."""
    rollups_fold_all()
    rows = EventCount.objects.all()
    rows = rows.filter(office_id=0) if every_office else rows.exclude(office_id=0)
    return sorted(
        rows.values_list(
            "day",
            "office_id",
            "event_type",
            "status",
            "delay_bucket",
            "left_from",
            "events",
            "without_packet",
        )
    )


@pytest.fixture
def zone():
    return "UTC"


@pytest.fixture
def month(db, settings, zone, office_a, office_b, registrar):
    """A June of work in two offices, in the portal's time zone `zone`; returns the
    events by name."""
    settings.TIME_ZONE = zone
    load_id_schema()
    bob = make_user("registrar", username="bob", office=office_b)
    e = {}
    n = iter(range(1, 100))

    def draft(who, kind="birth", **fields):
        return make_event(who, kind, distinct_data(kind, next(n), **fields))

    # Births sent, processed and certified later; one answered days later.
    e["issued"] = _submit(draft(registrar, child_born="2025-05-30"), at(2))
    _send(e["issued"], at(2, 10, 5))
    _result(e["issued"], "PROCESSED", at(2, 14))
    with time_machine.travel(at(9), tick=False):
        services.event_mark_certified(
            event=e["issued"], actor=registrar, certificate_number="C-1"
        )
    e["late"] = _submit(draft(registrar, child_born="2023-01-02"), at(3, 23, 30))
    _send(e["late"], at(3, 23, 40))
    with time_machine.travel(at(12), tick=False):
        pipeline.packet_record_national_id(
            application_id=e["late"].packets.get().application_id,
            uin="2345678901",
            now=at(12),
        )
    # Rejected a week later, corrected and resubmitted, then processed.
    e["corrected"] = _submit(draft(registrar, child_born="2025-06-01"), at(4))
    _send(e["corrected"], at(4, 10, 5))
    _result(e["corrected"], "REJECTED", at(11), ["RPR-PKR-016"])
    services.event_save_draft(
        event=e["corrected"],
        actor=registrar,
        data=distinct_data("birth", next(n), child_born="2025-06-01"),
    )
    with time_machine.travel(at(16), tick=False):
        services.event_correct_and_resubmit(event=e["corrected"], actor=registrar)
    _send(e["corrected"], at(16, 11))
    _result(e["corrected"], "PROCESSED", at(17))
    # Failed before it was ever sent on, and left failed.
    e["failed"] = _submit(draft(registrar, "death"), at(5, 8))
    with time_machine.travel(at(5, 9), tick=False):
        pipeline.packet_record_created(
            outbox=pipeline.outbox_claim(outbox_id=e["failed"].outbox_messages.get().pk)
        )
    _result(e["failed"], "FAILED", at(6), ["RPR-RCT-001"])
    # Rejected and still waiting for its correction.
    e["rejected"] = _submit(draft(bob), at(6, 7))
    _send(e["rejected"], at(6, 8))
    _result(e["rejected"], "REJECTED", at(20), ["RPR-PKR-016"])
    # A marriage with no MOSIP process: registered without a packet, then certified.
    e["marriage"] = _submit(draft(registrar, "marriage"), at(7))
    with time_machine.travel(at(8), tick=False):
        services.event_mark_certified(
            event=e["marriage"], actor=registrar, certificate_number="C-2"
        )
    # Still waiting at the month's end, in either office; a supervisor pushes one.
    e["waiting"] = _submit(draft(bob, child_born="2024-12-01"), at(29, 22, 15))
    e["processing"] = _submit(draft(registrar, "death"), at(30, 1))
    _send(e["processing"], at(30, 2))
    with time_machine.travel(at(30, 9), tick=False):
        services.event_resubmit(
            event=e["waiting"], actor=make_user("supervisor", office=office_b)
        )
    # A draft written and thrown away, and one never submitted.
    discarded = draft(registrar)
    services.event_discard_draft(event=discarded, actor=registrar)
    draft(registrar)
    return e


def _scopes(office_a):
    june = {"start": datetime.date(2025, 6, 1), "end": datetime.date(2025, 6, 30)}
    for granularity in ("day", "week", "month"):
        yield queries.Scope(None, granularity=granularity, **june)
    # Whole week parts in the middle, days of parts cut at either end.
    for granularity in ("week", "month"):
        yield queries.Scope(
            None,
            start=datetime.date(2025, 5, 28),
            end=datetime.date(2025, 7, 3),
            granularity=granularity,
        )
        yield queries.Scope(
            None,
            start=datetime.date(2025, 6, 5),
            end=datetime.date(2025, 6, 25),
            granularity=granularity,
        )
    yield queries.Scope((office_a.pk,), granularity="week", **june)
    yield queries.Scope(None, event_type="birth", granularity="day", **june)
    yield queries.Scope(
        None,
        start=datetime.date(2025, 6, 4),
        end=datetime.date(2025, 6, 16),
        granularity="day",
    )


# Late evenings in UTC are the next day in Nairobi; early mornings the day before
# in Lima: the days counted follow the portal's time zone.
@pytest.mark.parametrize("zone", ["UTC", "Africa/Nairobi", "America/Lima"])
def test_every_figure_read_from_the_counts_equals_a_recount(office_a, month):
    e = dict(month)
    for event in e.values():
        event.refresh_from_db()
    assert e["issued"].status == EventStatus.CERTIFIED
    assert e["late"].status == EventStatus.ID_ISSUED
    assert e["corrected"].status == EventStatus.ID_ISSUED
    assert e["failed"].status == EventStatus.FAILED
    assert e["rejected"].status == EventStatus.REJECTED
    assert e["marriage"].status == EventStatus.CERTIFIED
    assert e["marriage"].no_packet_reason
    pending = EventCountChange.objects.count()
    assert pending > 20  # every move so far is an appended change
    for fold in (lambda: None, lambda: rollups_fold(limit=pending // 2), _cells):
        fold()
        for scope in _scopes(office_a):
            counted = volume_rows_for(scope)
            recounted = volume_rows_from_events(scope)
            assert _rows(counted) == _rows(recounted), scope
            assert queries.volumes(scope) == queries.volumes(scope, recounted)
            assert queries.funnel(scope) == queries.funnel(scope, recounted)
            assert (
                queries.latency_and_timeliness(scope)["timeliness"]
                == queries.latency_and_timeliness(scope, recounted)["timeliness"]
            )
            exact = latency_from_events(scope)
            latency = {
                r["key"]: r for r in queries.latency_and_timeliness(scope)["latency"]
            }
            assert latency["submit_to_id"]["events"] == exact["id_n"], scope
            assert latency["event_to_registration"]["events"] == exact["delay_n"]
            _within_a_bin(latency["submit_to_id"], exact["id_p"], 3600)
            _within_a_bin(latency["event_to_registration"], exact["delay_p"], 1)
            assert queries.certificates_issued(scope) == certificates_from_events(scope)
        assert rollups_drift(sample=500, seed=1) == []
    assert not EventCountChange.objects.exists()


def _parts():
    return sorted(
        EventCountWeekPart.objects.values_list(
            "starts", "office_id", "event_type", "status", "delay_bucket",
            "left_from", "events", "without_packet",
        )
    )  # fmt: skip


def test_the_services_leave_the_rows_a_rebuild_makes(month):
    kept, national, kept_parts = _cells(), _cells(every_office=True), _parts()
    assert sum(row[6] for row in kept) == 8  # every submitted event, once
    assert sum(row[6] for row in national) == 8  # and once for every office
    assert sum(row[6] for row in kept_parts) == 16  # each office's, every office's
    assert all(row[6] > 0 for row in kept + national + kept_parts)  # none emptied
    assert rollups_rebuild() == len(kept) + len(national)
    assert (_cells(), _cells(every_office=True), _parts()) == (
        kept,
        national,
        kept_parts,
    )


def test_a_rebuild_takes_the_pending_changes_with_it(month):
    assert EventCountChange.objects.exists()
    rollups_rebuild()
    assert not EventCountChange.objects.exists()
    assert rollups_drift(sample=100, seed=4) == []


def test_a_late_result_moves_the_count_within_its_submission_day(month):
    rollups_fold_all()
    day = datetime.date(2025, 6, 6)
    counts = EventCount.objects.exclude(office_id=0)
    rejected = counts.get(day=day, status="rejected")
    assert (rejected.events, rejected.left_from) == (1, "processing")
    failed = counts.get(status="failed")
    assert (failed.day, failed.left_from) == (
        datetime.date(2025, 6, 5),
        "packet_created",
    )
    # The corrected event counts on the day it was resubmitted, no longer on the 4th.
    assert not EventCount.objects.filter(day=datetime.date(2025, 6, 4)).exists()
    assert counts.get(day=datetime.date(2025, 6, 16)).status == "id_issued"


def test_the_drift_check_names_a_wrong_count(month, capsys):
    rollups_fold_all()
    call_command("rebuild_rollups", "--check", "--sample", "100", "--seed", "3")
    assert "hold" in capsys.readouterr().out
    counts = EventCount.objects.exclude(office_id=0)
    counts.filter(status="rejected").update(events=5)
    counts.filter(status="failed").delete()
    differences = [d for d in rollups_drift(sample=100, seed=3) if "status" in d]
    assert sorted(
        (d["status"], d["rollup"], d["events"], "week_part" in d, d["office_id"] == 0)
        for d in differences
    ) == [
        ("failed", (0, 0), (1, 0), False, False),
        ("failed", (1, 0), (0, 0), False, True),  # every office's still holds it
        ("failed", (1, 0), (0, 0), True, False),  # and the office's week part
        ("rejected", (1, 0), (5, 0), False, True),
        ("rejected", (1, 0), (5, 0), True, False),
        ("rejected", (5, 0), (1, 0), False, False),
    ]
    with pytest.raises(CommandError, match="6 event count"):
        call_command("rebuild_rollups", "--check", "--sample", "100", "--seed", "3")
    call_command("rebuild_rollups")
    assert rollups_drift(sample=100, seed=3) == []


def test_a_refused_submission_counts_nothing(registrar, month):
    kept = _cells()
    twin = make_event(registrar, "birth", month["issued"].data)  # the same child
    with pytest.raises(services.DuplicateReasonRequiredError):
        _submit(twin, at(30, 10))
    assert _cells() == kept


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_a_rebuild_keep_every_count(registrar):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite locks whole tables; needs a file or Postgres")
    load_id_schema()
    events = [
        services.event_submit(
            event=make_event(registrar, "birth", distinct_data("birth", n)),
            actor=registrar,
        )
        for n in range(8)
    ]
    errors = []

    def run(work):
        try:
            work()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def move(event, result):
        outbox = pipeline.outbox_claim(outbox_id=event.outbox_messages.get().pk)
        pipeline.packet_record_created(outbox=outbox)
        pipeline.packet_record_triggered(outbox=outbox)
        pipeline.packet_record_workflow_result(
            application_id=event.packets.get().application_id, status=result
        )

    works = [
        (lambda e=e, r=r: move(e, r))
        for e, r in zip(events, ["PROCESSED", "REJECTED"] * 4, strict=True)
    ]
    works.insert(4, rollups_rebuild)
    for position in (2, 6, 9):
        works.insert(position, rollups_fold_all)
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted((c[3], c[5], c[6]) for c in _cells()) == [
        ("id_issued", "", 4),
        ("rejected", "processing", 4),
    ]
    assert rollups_drift(sample=20, seed=1) == []


def test_the_day_is_the_portals_whatever_zone_is_active(registrar, month):
    event = make_event(registrar, "birth", distinct_data("birth", 50))
    with timezone.override("Asia/Tokyo"):  # 20:00 UTC is the next day in Tokyo
        _submit(event, at(30, 20))
        assert rollups_drift(sample=100, seed=2) == []
    rollups_fold_all()
    assert EventCount.objects.filter(day=datetime.date(2025, 6, 30)).exists()
    assert not EventCount.objects.filter(day=datetime.date(2025, 7, 1)).exists()


def test_the_drift_check_names_a_wrong_histogram_bin(month):
    rollups_fold_all()
    assert rollups_drift(sample=100, seed=5) == []
    certified = MeasureCount.objects.filter(measure="certified").exclude(office_id=0)
    certified.filter(day=datetime.date(2025, 6, 9)).update(events=3)
    differences = rollups_drift(sample=100, seed=5)
    assert {
        (d["measure"], d["office_id"], d["rollup"], d["events"]) for d in differences
    } >= {
        ("certified", month["issued"].office_id, (3,), (1,)),  # against the events
        ("certified", 0, (1,), (3,)),  # the day's sum over every office
        ("certified", month["issued"].office_id, (1,), (3,)),  # part and month
    }
    assert len([d for d in differences if d["measure"] == "certified"]) == 4
    rollups_rebuild()
    assert rollups_drift(sample=100, seed=5) == []


def test_a_rebuild_bins_every_wait_as_the_services_did(month):
    rollups_fold_all()
    kept = sorted(
        MeasureCount.objects.values_list(
            "day", "office_id", "event_type", "measure", "bin", "events"
        )
    )
    months = sorted(
        MeasureCountMonth.objects.values_list(
            "month", "office_id", "event_type", "measure", "bin", "events"
        )
    )
    parts = sorted(
        MeasureCountWeekPart.objects.values_list(
            "starts", "office_id", "event_type", "measure", "bin", "events"
        )
    )
    measures = {row[3] for row in kept}
    assert measures == {"delay", "id_wait", "certified"}
    rollups_rebuild()
    assert kept == sorted(
        MeasureCount.objects.values_list(
            "day", "office_id", "event_type", "measure", "bin", "events"
        )
    )
    assert months == sorted(
        MeasureCountMonth.objects.values_list(
            "month", "office_id", "event_type", "measure", "bin", "events"
        )
    )
    assert parts == sorted(
        MeasureCountWeekPart.objects.values_list(
            "starts", "office_id", "event_type", "measure", "bin", "events"
        )
    )


@given(
    start=st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)),
    length=st.integers(0, 400),
)
def test_ranges_split_into_whole_parts_and_months_and_the_days_between(start, length):
    end = start + datetime.timedelta(days=length)
    everyday = {start + datetime.timedelta(days=n) for n in range(length + 1)}
    parts, edges = reads._split(start, end)
    covered = [d for first, last in edges for d in _days(first, last)]
    if parts:
        starts = [p for p in _days(*parts) if week_part_start(p) == p]
        for p in starts:
            days = list(_days(p, week_part_end(p)))
            assert len({d.isocalendar()[:2] for d in days}) == 1  # one week
            assert len({(d.year, d.month) for d in days}) == 1  # one month
            covered += days
    assert sorted(covered) == sorted(everyday)  # every day once
    months, edges = reads._months(start, end)
    covered = [d for first, last in edges for d in _days(first, last)]
    if months:
        covered += [
            d
            for d in _days(months[0], end)
            if d.replace(day=1) <= months[1] and d.replace(day=1) >= months[0]
        ]
    assert sorted(covered) == sorted(everyday)


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)
