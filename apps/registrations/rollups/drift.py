"""Checking the counts against a recount of the events, for a sample of days."""

import contextlib
import datetime
import random

from django.db import connection, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from apps.registrations.models import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    VitalEvent,
)
from apps.registrations.rollups.cells import (
    KEY,
    _day,
    counted,
    week_part_end,
    week_part_start,
)

CELL = KEY[1:]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_default_timezone(),
    )


def _sample_days(sample: int, rng: random.Random) -> set[tuple[int, datetime.date]]:
    pairs = sorted(EventCount.objects.values_list("office_id", "day").distinct())
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
            chosen.add((found[0], _day(found[1])))
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
        for office_id, starts in sorted({(o, week_part_start(d)) for o, d in pairs}):
            differences += _part_differences(office_id, starts)
    return differences
