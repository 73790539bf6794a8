"""Histograms of the dashboards' waits, and certificates issued, counted per office
and day like the cells (docs/rollups.md, "Measures").

Each submitted event leaves *marks*: its registration delay in days and, once MOSIP
issued its national ID or updated its record, its wait for that in seconds, both in
a bin of its submission day; and, once certified, a mark on its certification day.
Percentiles come from adding up the bins of a range.

Bins are exact below 64 (one per whole day, or per second) and 10% wide above,
so a percentile read from them lies in the same bin as the exact one, or the next.
"""

import bisect
import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from apps.registrations.models import (
    EventStatus,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
    VitalEvent,
)

EXACT = 64
RATIO = 1.1
# Lower edges of the bins: 0, 1, … 63, then 64 × 1.1^k up to past a century in
# seconds. The database bins with the same edges (width_bucket), so a rebuild
# puts every value in the bin the services did.
EDGES: tuple[float, ...] = (*map(float, range(EXACT)),) + tuple(
    EXACT * RATIO**k for k in range(math.ceil(math.log(4e9 / EXACT, RATIO)))
)
DELAY, ID_WAIT, CERTIFIED = "delay", "id_wait", "certified"
INTEGRAL = {DELAY}  # whole days: an exact bin holds one value
ID_OUTCOMES = (EventStatus.ID_ISSUED, EventStatus.RECORD_UPDATED)


def bin_of(value: float) -> int:
    return max(0, bisect.bisect_right(EDGES, value) - 1)


def bin_bounds(index: int) -> tuple[float, float]:
    low = EDGES[index]
    return low, EDGES[index + 1] if index + 1 < len(EDGES) else low * RATIO


@dataclass(frozen=True, order=True)
class Mark:
    measure: str
    day: datetime.date
    bin: int


def reached_id(event: VitalEvent) -> bool:
    """MOSIP issued the ID or updated the record, after this submission; a
    certified event that went through MOSIP did so first."""
    return (
        event.outcome_at is not None
        and event.outcome_at >= event.submitted_at
        and (
            event.status in ID_OUTCOMES
            or (event.status == EventStatus.CERTIFIED and not event.no_packet_reason)
        )
    )


def marks_of(event: VitalEvent, day: datetime.date, local_day) -> tuple[Mark, ...]:
    """The marks of a submitted event whose submission day is `day`;
    `local_day` turns a moment into its day in the portal's time zone."""
    marks = []
    if event.event_date is not None and event.event_date <= day:
        marks.append(Mark(DELAY, day, bin_of((day - event.event_date).days)))
    if reached_id(event):
        wait = (event.outcome_at - event.submitted_at).total_seconds()
        marks.append(Mark(ID_WAIT, day, bin_of(wait)))
    if event.certified_at is not None:
        marks.append(Mark(CERTIFIED, local_day(event.certified_at), 0))
    return tuple(sorted(marks))


def percentiles(
    bins: dict[int, int], fractions, *, integral: bool
) -> list[float] | None:
    """percentile_cont over the values the bins hold. An integral measure's
    exact bins give exact values; elsewhere a bin's values are taken as spread
    evenly across it."""
    total = sum(bins.values())
    if not total:
        return None
    ordered = sorted((b, n) for b, n in bins.items() if n)

    def value_at(rank: int) -> float:
        seen = 0
        for index, n in ordered:
            if rank < seen + n:
                low, high = bin_bounds(index)
                if integral and index < EXACT:
                    return low
                return low + (high - low) * (rank - seen + 0.5) / n
            seen += n
        raise IndexError(rank)

    result = []
    for fraction in fractions:
        position = fraction * (total - 1)
        low = math.floor(position)
        first = value_at(low)
        second = value_at(min(low + 1, total - 1))
        result.append(first + (second - first) * (position - low))
    return result


# Recounting in the database (PostgreSQL) ------------------------------------------


def insert_counted_in_the_database(
    event_model=VitalEvent,
    daily_model=MeasureCount,
    part_model=MeasureCountWeekPart,
    month_model=MeasureCountMonth,
) -> None:
    """Recount every event's marks into the daily counts, then the sums over all
    offices, over week parts and over months, with INSERT … SELECT."""
    q = connection.ops.quote_name
    events = q(event_model._meta.db_table)
    daily, months = q(daily_model._meta.db_table), q(month_model._meta.db_table)
    parts = q(part_model._meta.db_table)
    columns = "day, office_id, event_type, measure, bin, events"
    zone = settings.TIME_ZONE
    params = {
        "zone": zone,
        "edges": list(EDGES),
        "outcomes": [str(s) for s in ID_OUTCOMES],
        "certified": str(EventStatus.CERTIFIED),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH e AS (
                SELECT office_id, event_type, status, no_packet_reason, event_date,
                       submitted_at, outcome_at, certified_at,
                       (submitted_at AT TIME ZONE %(zone)s)::date AS day
                FROM {events} WHERE submitted_at IS NOT NULL
            )
            INSERT INTO {daily} ({columns})
            SELECT day, office_id, event_type, '{DELAY}',
                   width_bucket((day - event_date)::float8, %(edges)s::float8[]) - 1,
                   count(*)
            FROM e WHERE event_date <= day GROUP BY 1, 2, 3, 5
            UNION ALL
            SELECT day, office_id, event_type, '{ID_WAIT}',
                   width_bucket(extract(epoch FROM outcome_at - submitted_at)::float8,
                                %(edges)s::float8[]) - 1,
                   count(*)
            FROM e
            WHERE outcome_at >= submitted_at
              AND (status = ANY(%(outcomes)s)
                   OR (status = %(certified)s AND no_packet_reason = ''))
            GROUP BY 1, 2, 3, 5
            UNION ALL
            SELECT (certified_at AT TIME ZONE %(zone)s)::date, office_id, event_type,
                   '{CERTIFIED}', 0, count(*)
            FROM e WHERE certified_at IS NOT NULL GROUP BY 1, 2, 3
            """,
            params,
        )
        cursor.execute(
            f"INSERT INTO {daily} ({columns}) "
            f"SELECT day, 0, event_type, measure, bin, SUM(events) FROM {daily} "
            f"GROUP BY day, event_type, measure, bin"
        )
        cursor.execute(
            f"INSERT INTO {months} (month, office_id, event_type, measure, bin, events) "
            f"SELECT date_trunc('month', day)::date, office_id, event_type, measure, "
            f"bin, SUM(events) FROM {daily} GROUP BY 1, 2, 3, 4, 5"
        )
        cursor.execute(
            f"INSERT INTO {parts} (starts, office_id, event_type, measure, bin, events) "
            f"SELECT GREATEST(date_trunc('week', day), date_trunc('month', day))::date, "
            f"office_id, event_type, measure, bin, SUM(events) FROM {daily} "
            f"GROUP BY 1, 2, 3, 4, 5"
        )
