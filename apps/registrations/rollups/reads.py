"""Reading the counts for a range of days: whole week parts from
`EventCountWeekPart`, the days at either end from `EventCount`, and the changes
not folded yet, in one statement so a fold committing meanwhile is seen either
wholly or not at all (docs/rollups.md)."""

import datetime

from django.db.models import DateField, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from apps.registrations.models import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    MeasureChange,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
)
from apps.registrations.rollups.cells import (
    NO_DELAY,
    month_after,
    week_part_end,
    week_part_start,
)

TRUNCATE = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
GROUPS = ("period", "event_type", "status", "delay_bucket", "left_from")


def _split(start: datetime.date, end: datetime.date):
    """The days from `start` to `end` as (first, last) of the whole week parts
    inside, or None, and the (first, last) day ranges left at either end."""
    parts, edges = [], []
    day = start
    while day <= end:
        last = week_part_end(day)
        if day == week_part_start(day) and last <= end:
            parts.append(day)
        else:
            edges.append((day, min(last, end)))
        day = min(last, end) + datetime.timedelta(days=1)
    return (parts[0], parts[-1]) if parts else None, edges


def _grouped(rows: QuerySet, day_column: str, granularity: str) -> QuerySet:
    return (
        rows.annotate(
            period=TRUNCATE[granularity](day_column, output_field=DateField())
        )
        .values(*GROUPS)
        .annotate(events=Sum("events"), without_packet=Sum("without_packet"))
        .order_by()
    )


def counts_between(
    start: datetime.date,
    end: datetime.date,
    *,
    granularity: str,
    office_ids: tuple[int, ...] | None = None,
    event_type: str = "",
) -> list[dict]:
    """Submitted events per period, event type, status, registration delay
    (None without one) and the state MOSIP turned them down in, from `start` to
    `end` inclusive, for the given offices (None: all) and event type."""
    kind = Q(event_type=event_type) if event_type else Q()
    # Every office: the counts kept for all of them together (office 0).
    counted = kind & (
        Q(office_id=0) if office_ids is None else Q(office_id__in=office_ids)
    )
    pending = kind & (Q() if office_ids is None else Q(office_id__in=office_ids))
    if granularity == "day":
        parts, edges = None, [(start, end)]
    else:
        parts, edges = _split(start, end)
    queries = [
        _grouped(
            EventCountChange.objects.filter(pending, day__range=(start, end)),
            "day",
            granularity,
        )
    ]
    if edges:
        days = Q()
        for first, last in edges:
            days |= Q(day__range=(first, last))
        queries.append(
            _grouped(EventCount.objects.filter(counted, days), "day", granularity)
        )
    if parts:
        queries.append(
            _grouped(
                EventCountWeekPart.objects.filter(counted, starts__range=parts),
                "starts",
                granularity,
            )
        )
    merged: dict[tuple, dict] = {}
    for row in queries[0].union(*queries[1:], all=True):
        key = tuple(row[g] for g in GROUPS)
        line = merged.setdefault(key, {**row, "events": 0, "without_packet": 0})
        line["events"] += row["events"]
        line["without_packet"] += row["without_packet"]
    return [
        line | {"delay_bucket": None} if line["delay_bucket"] == NO_DELAY else line
        for line in merged.values()
        if line["events"]
    ]


# Measures -------------------------------------------------------------------------


def _months(start: datetime.date, end: datetime.date):
    """The (first, last) first days of the whole months from `start` to `end`, or
    None, and the day ranges left at either end."""
    first = start if start.day == 1 else month_after(start)
    after = end + datetime.timedelta(days=1)
    stop = after if after.day == 1 else after.replace(day=1)
    if first >= stop:
        return None, [(start, end)]
    edges = [(start, first - datetime.timedelta(days=1))] if start < first else []
    if stop <= end:
        edges.append((stop, end))
    last_month = (stop - datetime.timedelta(days=1)).replace(day=1)
    return (first, last_month), edges


def measures_between(
    start: datetime.date,
    end: datetime.date,
    *,
    office_ids: tuple[int, ...] | None = None,
    event_type: str = "",
) -> dict[tuple[str, str], dict[int, int]]:
    """Per (measure, event type), the events in each bin from `start` to `end`
    inclusive, for the given offices (None: all): whole months from the monthly
    counts, whole week parts outside them from the week-part counts, the days
    left at either end from the daily ones, and the changes not folded yet, in
    one statement."""
    kind = Q(event_type=event_type) if event_type else Q()
    counted = Q(office_id=0) if office_ids is None else Q(office_id__in=office_ids)
    pending = Q() if office_ids is None else Q(office_id__in=office_ids)
    months, month_edges = _months(start, end)
    # Outside whole months: whole week parts, then single days.
    parts, edges = [], []
    for first, last in month_edges:
        whole, days = _split(first, last)
        parts += [whole] if whole else []
        edges += days

    def grouped(rows):
        return (
            rows.values("measure", "event_type", "bin")
            .annotate(n=Sum("events"))
            .order_by()
        )

    queries = [
        grouped(MeasureChange.objects.filter(kind, pending, day__range=(start, end)))
    ]
    if edges:
        days = Q()
        for first, last in edges:
            days |= Q(day__range=(first, last))
        queries.append(grouped(MeasureCount.objects.filter(kind, counted, days)))
    if parts:
        starts = Q()
        for first, last in parts:
            starts |= Q(starts__range=(first, last))
        queries.append(
            grouped(MeasureCountWeekPart.objects.filter(kind, counted, starts))
        )
    if months:
        queries.append(
            grouped(
                MeasureCountMonth.objects.filter(kind, counted, month__range=months)
            )
        )
    bins: dict[tuple[str, str], dict[int, int]] = {}
    for row in queries[0].union(*queries[1:], all=True):
        found = bins.setdefault((row["measure"], row["event_type"]), {})
        found[row["bin"]] = found.get(row["bin"], 0) + row["n"]
    return bins
