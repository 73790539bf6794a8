"""Checking the counts against a recount of the events, for a sample of days."""

import contextlib
import datetime
import random

from django.db import connection, transaction
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from apps.registrations.models import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    MeasureChange,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
    VitalEvent,
)
from apps.registrations.rollups.cells import (
    KEY,
    counted,
    local_day,
    month_after,
    week_part_end,
    week_part_start,
)
from apps.registrations.rollups.measures import marks_of

CELL = KEY[1:]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_default_timezone(),
    )


def _sample_days(sample: int, rng: random.Random) -> set[tuple[int, datetime.date]]:
    pairs = sorted(
        set(
            EventCount.objects.exclude(office_id=0)
            .values_list("office_id", "day")
            .distinct()
        )
        | set(
            MeasureCount.objects.exclude(office_id=0)
            .values_list("office_id", "day")
            .distinct()
        )
    )
    chosen = set(rng.sample(pairs, min(sample, len(pairs))))
    # And days of events picked at random, which the counts may lack entirely.
    bounds = VitalEvent.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return chosen
    for _ in range(sample):
        found = (
            VitalEvent.objects.filter(
                pk__gte=rng.randint(bounds["low"], bounds["high"]),
                submitted_at__isnull=False,
            )
            .order_by("pk")
            .values_list("office_id", "submitted_at")
            .first()
        )
        if found:
            chosen.add((found[0], local_day(found[1])))
    return chosen


@contextlib.contextmanager
def _one_snapshot():
    """Every read of the check sees the same moment, so a fold or a move that
    commits meanwhile cannot show up as a difference (PostgreSQL)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Inside a caller's transaction, its isolation stands.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _held(office_id: int, day: datetime.date) -> dict[tuple, list[int]]:
    """The counts of one office and day: folded plus pending changes."""
    held: dict[tuple, list[int]] = {}
    for model in (EventCount, EventCountChange):
        for row in model.objects.filter(office_id=office_id, day=day).values(
            *KEY, "events", "without_packet"
        ):
            total = held.setdefault(tuple(row[k] for k in KEY), [0, 0])
            total[0] += row["events"]
            total[1] += row["without_packet"]
    return {key: total for key, total in held.items() if total != [0, 0]}


def _every_office_differences(day: datetime.date) -> list[dict]:
    """The day's counts for every office together against its offices' counts."""
    total = {
        tuple(row[k] for k in CELL[1:]): (row["events"], row["without_packet"])
        for row in EventCount.objects.filter(office_id=0, day=day).values(
            *CELL[1:], "events", "without_packet"
        )
    }
    added = {
        tuple(row[k] for k in CELL[1:]): (row["events"], row["without_packet"])
        for row in EventCount.objects.filter(day=day)
        .exclude(office_id=0)
        .values(*CELL[1:])
        .annotate(events=Sum("events"), without_packet=Sum("without_packet"))
        .order_by()
    }
    return [
        {
            **dict(zip(KEY, (day, 0, *key), strict=True)),
            "rollup": total.get(key, (0, 0)),
            "events": added.get(key, (0, 0)),
            "every_office": True,
        }
        for key in sorted(total.keys() | added.keys())
        if total.get(key, (0, 0)) != added.get(key, (0, 0))
    ]


def _part_differences(office_id: int, starts: datetime.date) -> list[dict]:
    """The week part starting on `starts` against the daily counts of its days."""
    ends = week_part_end(starts)
    added = {
        tuple(row[k] for k in CELL): (row["events"], row["without_packet"])
        for row in EventCount.objects.filter(
            office_id=office_id, day__range=(starts, ends)
        )
        .values(*CELL)
        .annotate(events=Sum("events"), without_packet=Sum("without_packet"))
    }
    part = {
        tuple(row[k] for k in CELL): (row["events"], row["without_packet"])
        for row in EventCountWeekPart.objects.filter(
            office_id=office_id, starts=starts
        ).values(*CELL, "events", "without_packet")
    }
    return [
        {
            **dict(zip(KEY, (starts, *key), strict=True)),
            "rollup": part.get(key, (0, 0)),
            "events": added.get(key, (0, 0)),
            "week_part": True,
        }
        for key in sorted(part.keys() | added.keys())
        if part.get(key, (0, 0)) != added.get(key, (0, 0))
    ]


def _marks_held(office_id: int, day: datetime.date) -> dict[tuple, int]:
    held: dict[tuple, int] = {}
    for model in (MeasureCount, MeasureChange):
        for row in model.objects.filter(office_id=office_id, day=day).values(
            "event_type", "measure", "bin", "events"
        ):
            key = (row["event_type"], row["measure"], row["bin"])
            held[key] = held.get(key, 0) + row["events"]
    return {key: n for key, n in held.items() if n}


def _marks_recounted(office_id: int, day: datetime.date) -> dict[tuple, int]:
    """The marks the events leave on `day`: those submitted that day, and those
    certified that day."""
    since, until = _midnight(day), _midnight(day + datetime.timedelta(days=1))
    events = VitalEvent.objects.filter(office_id=office_id).exclude(
        submitted_at__isnull=True
    )
    found: dict[tuple, int] = {}
    for event in events.filter(
        Q(submitted_at__gte=since, submitted_at__lt=until)
        | Q(certified_at__gte=since, certified_at__lt=until)
    ):
        submitted = local_day(event.submitted_at)
        for mark in marks_of(event, submitted, local_day):
            if mark.day == day:
                key = (event.event_type, mark.measure, mark.bin)
                found[key] = found.get(key, 0) + 1
    return found


def _mark_differences(office_id: int, day: datetime.date) -> list[dict]:
    """One office and day's marks against a recount; the day's sum over every
    office, and the office's week part and month, against what they add up.
    Those three are named by their first day."""
    differences = []
    held, recounted = _marks_held(office_id, day), _marks_recounted(office_id, day)
    for key in sorted(held.keys() | recounted.keys()):
        if held.get(key, 0) != recounted.get(key, 0):
            differences.append(_mark_difference(office_id, day, key, held, recounted))
    first = day.replace(day=1)
    last = month_after(day) - datetime.timedelta(days=1)
    daily = MeasureCount.objects
    checks = (
        # The day's sum over every office (office 0) against its offices' counts.
        (
            0,
            day,
            daily.filter(office_id=0, day=day),
            daily.filter(day=day).exclude(office_id=0),
        ),
        # The office's week part against its days.
        (
            office_id,
            week_part_start(day),
            MeasureCountWeekPart.objects.filter(
                office_id=office_id, starts=week_part_start(day)
            ),
            daily.filter(
                office_id=office_id,
                day__range=(week_part_start(day), week_part_end(day)),
            ),
        ),
        # The office's month against the days of the month.
        (
            office_id,
            first,
            MeasureCountMonth.objects.filter(office_id=office_id, month=first),
            daily.filter(office_id=office_id, day__range=(first, last)),
        ),
    )
    columns = ("event_type", "measure", "bin")
    for office, starts, total, parts in checks:
        want = {
            tuple(r[c] for c in columns): r["events"]
            for r in total.values(*columns, "events")
        }
        added = {
            tuple(r[c] for c in columns): r["n"]
            for r in parts.values(*columns).annotate(n=Sum("events")).order_by()
        }
        for key in sorted(want.keys() | added.keys()):
            if want.get(key, 0) != added.get(key, 0):
                differences.append(_mark_difference(office, starts, key, want, added))
    return differences


def _mark_difference(office_id, day, key, held, recounted) -> dict:
    return {
        "day": day,
        "office_id": office_id,
        "event_type": key[0],
        "measure": key[1],
        "bin": key[2],
        "rollup": (held.get(key, 0),),
        "events": (recounted.get(key, 0),),
    }


def rollups_drift(
    *, sample: int = 50, seed: int | None = None, days=None
) -> list[dict]:
    """Recount `sample` (office, day) pairs from the events (or the pairs `days`
    names) and return every cell whose count differs: its key, the counts held
    and the events' counts; and every week part that differs from its days.
    Empty when the counts hold."""
    differences = []
    with _one_snapshot():
        pairs = (
            set(days) if days is not None else _sample_days(sample, random.Random(seed))
        )
        for office_id, day in sorted(pairs):
            held = _held(office_id, day)
            events = VitalEvent.objects.filter(
                office_id=office_id,
                submitted_at__gte=_midnight(day),
                submitted_at__lt=_midnight(day + datetime.timedelta(days=1)),
            )
            recounted = {
                tuple(row[k] for k in KEY): [row["events"], row["without_packet"]]
                for row in counted(events)
            }
            for key in sorted(held.keys() | recounted.keys()):
                if held.get(key, [0, 0]) != recounted.get(key, [0, 0]):
                    differences.append(
                        {
                            **dict(zip(KEY, key, strict=True)),
                            "rollup": tuple(held.get(key, (0, 0))),
                            "events": tuple(recounted.get(key, (0, 0))),
                        }
                    )
            differences += _mark_differences(office_id, day)
        for day in sorted({d for _, d in pairs}):
            differences += _every_office_differences(day)
        parts = {(o, week_part_start(d)) for o, d in pairs}
        parts |= {(0, starts) for _, starts in parts}
        for office_id, starts in sorted(parts):
            differences += _part_differences(office_id, starts)
    unique = {repr(sorted(d.items())): d for d in differences}
    return list(unique.values())
