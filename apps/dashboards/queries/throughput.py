"""Events per period, type and status, the registration funnel and certificates issued."""

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncDay, TruncMonth, TruncWeek
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from apps.dashboards.queries.scope import Scope, scoped_events, submitted_events
from apps.dashboards.sql import Days, count_rows
from apps.registrations.models import EventStatus, EventStatusChange, EventType

S = EventStatus
TRUNCATE = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
TURNED_DOWN = (S.REJECTED, S.FAILED)


def registration_delay():
    """Days from the event to its registration, in the portal's time zone."""
    return Days(TruncDate("submitted_at"), F("event_date"))


def _delay_bucket():
    """0: registered within 30 days of the event, 1: within a year, 2: later."""
    delay = registration_delay()
    return Case(
        When(
            Q(event_date__isnull=True) | Q(event_date__gt=TruncDate("submitted_at")),
            then=Value(None),
        ),
        When(LessThanOrEqual(delay, 30), then=Value(0)),
        When(LessThanOrEqual(delay, 365), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def volume_rows_for(scope: Scope) -> list[dict]:
    """Events per period, type, status, registration delay and, for those turned
    down, the state they were turned down in: one pass, a few hundred rows."""
    rows = (
        submitted_events(scope)
        .annotate(
            period=TRUNCATE[scope.granularity](
                "submitted_at", output_field=DateField()
            ),
            delay_bucket=_delay_bucket(),
            left_from=_left_from(),
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


def _left_from():
    """For a rejected or failed event with a packet, the state MOSIP turned it down in."""
    last_change = Subquery(
        EventStatusChange.objects.filter(
            event=OuterRef("pk"), to_status=OuterRef("status")
        )
        .order_by("-id")
        .values("from_status")[:1]
    )
    return Case(
        When(Q(status__in=TURNED_DOWN, no_packet_reason=""), then=last_change),
        default=Value(""),
    )


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


def certificates_issued(scope: Scope) -> list[dict]:
    """Events first certified within the scope's dates, by event type."""
    rows = (
        scoped_events(scope)
        .filter(certified_at__gte=scope.since, certified_at__lt=scope.until)
        .values("event_type")
        .annotate(certificates=Count("*"))
        .order_by("event_type")
    )
    return [{**row, "label": EventType(row["event_type"]).label} for row in rows]
