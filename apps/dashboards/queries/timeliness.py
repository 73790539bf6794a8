"""Percentiles of the waits for an ID and for registration, and registration timeliness."""

import math

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from apps.dashboards.queries.scope import Scope, submitted_events
from apps.dashboards.queries.throughput import (
    measure_bins_for,
    share_of,
    volume_rows_for,
)
from apps.dashboards.sql import (
    PERCENTILES,
    PercentileCont,
    Seconds,
    count_rows,
    percentiles_from_counts,
)
from apps.registrations.models import EventStatus, EventType
from apps.registrations.rollups import (
    DELAY,
    ID_WAIT,
    INTEGRAL,
    percentiles,
    registration_delay,
)

S = EventStatus
ID_OUTCOMES = (S.ID_ISSUED, S.RECORD_UPDATED)
TIMELY_TYPES = (EventType.BIRTH, EventType.DEATH)


def _id_wait():
    return Seconds(F("outcome_at"), F("submitted_at"))


def _reached_id() -> Q:
    # A certified event that went through MOSIP reached its ID first.
    return Q(outcome_at__gte=F("submitted_at")) & (
        Q(status__in=ID_OUTCOMES) | Q(status=S.CERTIFIED, no_packet_reason="")
    )


def _interpolated(events: QuerySet, n: int) -> list[float]:
    """percentile_cont by ordered offsets over the annotation `v` of `n` rows."""
    values = events.order_by("v").values_list("v")
    result = []
    for fraction in PERCENTILES:
        position = fraction * (n - 1)
        low = math.floor(position)
        pair = [v for (v,) in values[low : low + 2]]
        high_value = pair[1] if len(pair) > 1 else pair[0]
        result.append(pair[0] + (high_value - pair[0]) * (position - low))
    return result


def latency_and_timeliness(
    scope: Scope, rows: list[dict] | None = None, bins: dict | None = None
) -> dict:
    """Percentiles of the two waits, from the stored histograms of the scope's
    days (`measure_bins_for`; docs/rollups.md, "Measures"), and births and deaths
    by registration delay."""
    rows = volume_rows_for(scope) if rows is None else rows
    bins = measure_bins_for(scope) if bins is None else bins
    figures = {}
    for measure, name in ((ID_WAIT, "id"), (DELAY, "delay")):
        merged: dict[int, int] = {}
        for (found, _event_type), counts in bins.items():
            if found == measure:
                for index, n in counts.items():
                    merged[index] = merged.get(index, 0) + n
        figures[f"{name}_n"] = sum(merged.values())
        figures[f"{name}_p"] = percentiles(
            merged, PERCENTILES, integral=measure in INTEGRAL
        )
    return {
        "latency": _latency_rows(figures),
        "timeliness": _timeliness_rows(scope, rows),
    }


def latency_from_events(scope: Scope) -> dict:
    """The exact percentiles, from the events themselves: what the histograms
    must come within a bin of (the rollup tests compare the two)."""
    dated = Q(event_date__isnull=False, event_date__lte=TruncDate("submitted_at"))
    if connection.vendor == "postgresql":
        figures = submitted_events(scope).aggregate(
            id_n=count_rows(filter=_reached_id()),
            id_p=PercentileCont(_id_wait(), filter=_reached_id()),
            delay_n=count_rows(filter=dated),
            delay_p=PercentileCont(registration_delay(), filter=dated),
        )
        return figures
    delays = (
        submitted_events(scope)
        .filter(dated)
        .annotate(days=registration_delay())
        .values_list("days")
        .annotate(n=Count("*"))
        .order_by()
    )
    figures = {"delay_p": percentiles_from_counts(list(delays))}
    figures["delay_n"] = submitted_events(scope).filter(dated).count()
    figures["id_n"] = submitted_events(scope).filter(_reached_id()).count()
    figures["id_p"] = None
    if figures["id_n"]:
        waits = submitted_events(scope).filter(_reached_id()).annotate(v=_id_wait())
        figures["id_p"] = _interpolated(waits, figures["id_n"])
    return figures


def _latency_rows(figures: dict) -> list[dict]:
    hours = (
        [None] * 3 if figures["id_p"] is None else [s / 3600 for s in figures["id_p"]]
    )
    days = figures["delay_p"] or [None] * 3
    return [
        {
            "key": "submit_to_id",
            "label": _("Submission to national ID"),
            "unit": "hours",
            "events": figures["id_n"],
            "p50": hours[0],
            "p90": hours[1],
            "p99": hours[2],
        },
        {
            "key": "event_to_registration",
            "label": _("Event to registration"),
            "unit": "days",
            "events": figures["delay_n"],
            "p50": days[0],
            "p90": days[1],
            "p99": days[2],
        },
    ]


def _timeliness_rows(scope: Scope, volume_rows: list[dict]) -> list[dict]:
    by_bucket: dict = {}
    for row in volume_rows:
        if row["delay_bucket"] is not None:
            key = (row["event_type"], row["delay_bucket"])
            by_bucket[key] = by_bucket.get(key, 0) + row["events"]
    rows = []
    for event_type in TIMELY_TYPES:
        if scope.event_type and scope.event_type != event_type:
            continue
        counts = [by_bucket.get((event_type, bucket), 0) for bucket in range(3)]
        total = sum(counts)
        rows.append(
            {
                "event_type": event_type,
                "label": EventType(event_type).label,
                "within_30_days": counts[0],
                "within_a_year": counts[1],
                "later": counts[2],
                "total": total,
                "shares": [share_of(n, total) for n in counts],
            }
        )
    return rows
