"""Events per period, type and status, the registration funnel and certificates issued.

Volumes, the status table, the funnel and timeliness read the event counts
(apps/registrations/rollups), not the events: a year is at most a few hundred
thousand counts whatever the number of events (docs/rollups.md).
"""

from django.db.models import Count, DateField, Q
from django.utils.translation import gettext_lazy as _

from apps.dashboards.queries.scope import (
    Scope,
    scoped_events,
    submitted_events,
)
from apps.dashboards.sql import count_rows
from apps.registrations.models import EventStatus, EventType
from apps.registrations.rollups import (
    CERTIFIED,
    counts_between,
    delay_bucket,
    left_from,
    measures_between,
)
from apps.registrations.rollups import TRUNCATE as TRUNCATE
from apps.registrations.rollups import TURNED_DOWN as TURNED_DOWN

S = EventStatus


def volume_rows_for(scope: Scope) -> list[dict]:
    """Events per period, type, status, registration delay and, for those turned
    down, the state they were turned down in: summed from the counts."""
    return counts_between(
        scope.start,
        scope.end,
        granularity=scope.granularity,
        office_ids=scope.office_ids,
        event_type=scope.event_type,
    )


def volume_rows_from_events(scope: Scope) -> list[dict]:
    """The same rows counted from the events themselves: what the daily counts must
    add up to (the rollup tests compare the two)."""
    rows = (
        submitted_events(scope)
        .annotate(
            period=TRUNCATE[scope.granularity](
                "submitted_at", output_field=DateField()
            ),
            delay_bucket=delay_bucket(),
            left_from=left_from(),
        )
        .values("period", "event_type", "status", "delay_bucket", "left_from")
        .annotate(
            events=Count("*"),
            without_packet=count_rows(filter=~Q(no_packet_reason="")),
        )
        .order_by()
    )
    return list(rows)


def volumes(scope: Scope, rows: list[dict] | None = None) -> list[dict]:
    """Events registered per period, event type and current status."""
    merged: dict = {}
    for row in volume_rows_for(scope) if rows is None else rows:
        key = (row["period"], row["event_type"], row["status"])
        line = merged.setdefault(
            key,
            {"period": key[0], "event_type": key[1], "status": key[2]}
            | {"events": 0, "without_packet": 0},
        )
        line["events"] += row["events"]
        line["without_packet"] += row["without_packet"]
    return [merged[key] for key in sorted(merged)]


# Funnel ---------------------------------------------------------------------------


FUNNEL = (
    ("submitted", _("Submitted")),
    ("packet_created", _("Packet created")),
    ("processing", _("Processing in MOSIP")),
    ("id", _("ID issued or record updated")),
    ("certified", _("Certified")),
)
_STAGE_OF_STATUS = {
    S.SUBMITTED: 0,
    S.PACKET_CREATED: 1,
    S.PROCESSING: 2,
    S.ID_ISSUED: 3,
    S.RECORD_UPDATED: 3,
    S.CERTIFIED: 4,
}


def funnel(scope: Scope, volume_rows: list[dict] | None = None) -> dict:
    """How far the events registered in the scope got, and where the rest stopped.

    An event reached a stage if it is there now or went further; a rejected or failed
    event reached the stage it was in when MOSIP turned it down.
    """
    at_stage = [0] * len(FUNNEL)
    without_packet = 0
    turned_down: dict[int, int] = {}
    for row in volume_rows_for(scope) if volume_rows is None else volume_rows:
        without_packet += row["without_packet"]
        stage = _STAGE_OF_STATUS.get(row["status"])
        if stage is not None:
            at_stage[stage] += row["events"] - row["without_packet"]
        elif row["left_from"]:
            stage = _STAGE_OF_STATUS.get(row["left_from"], 0)
            turned_down[stage] = turned_down.get(stage, 0) + row["events"]
    steps, reached_before = [], None
    for index, (key, label) in enumerate(FUNNEL):
        reached = sum(at_stage[index:]) + sum(
            n for stage, n in turned_down.items() if stage >= index
        )
        steps.append(
            {
                "key": key,
                "label": label,
                "reached": reached,
                "waiting": at_stage[index],
                "turned_down": turned_down.get(index, 0),
                "lost": 0 if reached_before is None else reached_before - reached,
            }
        )
        reached_before = reached
    first = steps[0]["reached"]
    for step in steps:
        step["share"] = share_of(step["reached"], first)
    return {"steps": steps, "without_packet": without_packet}


def share_of(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


# Certificates ---------------------------------------------------------------------


def measure_bins_for(scope: Scope) -> dict:
    """The histograms of the waits and the certificates issued in the scope."""
    return measures_between(
        scope.start,
        scope.end,
        office_ids=scope.office_ids,
        event_type=scope.event_type,
    )


def certificates_issued(scope: Scope, bins: dict | None = None) -> list[dict]:
    """Events first certified within the scope's dates, by event type, from the
    certificates counted per day (docs/rollups.md, "Measures")."""
    bins = measure_bins_for(scope) if bins is None else bins
    counts = {
        event_type: sum(found.values())
        for (measure, event_type), found in bins.items()
        if measure == CERTIFIED and sum(found.values())
    }
    return [
        {"event_type": t, "certificates": counts[t], "label": EventType(t).label}
        for t in sorted(counts)
    ]


def certificates_from_events(scope: Scope) -> list[dict]:
    """The same counted from the events (the rollup tests compare the two)."""
    rows = (
        scoped_events(scope)
        .filter(certified_at__gte=scope.since, certified_at__lt=scope.until)
        .values("event_type")
        .annotate(certificates=Count("*"))
        .order_by("event_type")
    )
    return [{**row, "label": EventType(row["event_type"]).label} for row in rows]
