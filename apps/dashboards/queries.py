"""Every read behind the supervisor dashboards, and who may read what.

Access is decided once, in `scope_for`: a supervisor sees the offices they oversee, a
national supervisor sees every office, nobody else sees anything. Every figure below
starts from `_events(scope)`, so no query can reach an office outside the scope.

Figures are aggregated in the database (GROUP BY with date truncation, conditional
counts, percentiles); Python only reshapes the few rows that come back. Percentiles
use PostgreSQL's `percentile_cont`; other databases get the same interpolation from
ordered offsets.
"""

import contextlib
import datetime
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    ExtractYear,
    TruncDate,
    TruncDay,
    TruncMonth,
    TruncWeek,
)
from django.db.models.lookups import LessThanOrEqual
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Office
from apps.accounts.queries import offices_visible_to
from apps.dashboards.models import ExpectedEvents
from apps.dashboards.sql import (
    PERCENTILES,
    Days,
    PercentileCont,
    Seconds,
    count_rows,
    percentiles_from_counts,
)
from apps.registrations.models import (
    EventStatus,
    EventStatusChange,
    EventType,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)

S = EventStatus
TRUNCATE = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# States an event waits in while the pipeline works; anything else has settled.
PIPELINE_STATUSES = (S.SUBMITTED, S.PACKET_CREATED, S.PROCESSING)
ID_OUTCOMES = (S.ID_ISSUED, S.RECORD_UPDATED)
TURNED_DOWN = (S.REJECTED, S.FAILED)
TIMELY_TYPES = (EventType.BIRTH, EventType.DEATH)


# Access ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a supervisor asked to see, already limited to what they may see."""

    office_ids: tuple[int, ...] | None  # None: every office (national supervisor)
    start: datetime.date
    end: datetime.date  # inclusive
    event_type: str = ""
    granularity: str = "week"

    @property
    def since(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        return _midnight(self.end + datetime.timedelta(days=1))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def scope_for(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    office: Office | None = None,
    event_type: str = "",
    granularity: str = "week",
) -> Scope:
    """The scope `user` may see; 403 for anyone but a supervisor or a foreign office."""
    if not (user.is_authenticated and user.is_supervisor):
        raise PermissionDenied
    visible = offices_visible_to(user)
    if office is not None:
        if not visible.filter(pk=office.pk).exists():
            raise PermissionDenied
        office_ids = (office.pk,)
    elif user.is_national_supervisor:
        office_ids = None
    else:
        office_ids = tuple(visible.values_list("pk", flat=True))
    return Scope(office_ids, start, end, event_type, granularity)


def _offices(scope: Scope, field: str = "office_id") -> Q:
    return Q() if scope.office_ids is None else Q(**{f"{field}__in": scope.office_ids})


def _events(scope: Scope) -> QuerySet[VitalEvent]:
    """Events of the scope's offices and type, whatever their dates."""
    events = VitalEvent.objects.filter(_offices(scope))
    if scope.event_type:
        events = events.filter(event_type=scope.event_type)
    return events


def _submitted(scope: Scope) -> QuerySet[VitalEvent]:
    """Events of the scope registered (submitted) within its dates."""
    return _events(scope).filter(
        submitted_at__gte=scope.since, submitted_at__lt=scope.until
    )


# Expressions ----------------------------------------------------------------------


def _registration_delay():
    """Days from the event to its registration, in the portal's time zone."""
    return Days(TruncDate("submitted_at"), F("event_date"))


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


# Volumes --------------------------------------------------------------------------


@contextlib.contextmanager
def _analytics():
    """Room for the sorts and hashes of a dashboard's aggregates (PostgreSQL).

    The default work_mem (4 MB) sends a quarter's grouping to disk; the raised
    limit holds for this transaction only.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def _delay_bucket():
    """0: registered within 30 days of the event, 1: within a year, 2: later."""
    delay = _registration_delay()
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


def _volume_rows(scope: Scope) -> list[dict]:
    """Events per period, type, status, registration delay and, for those turned
    down, the state they were turned down in: one pass, a few hundred rows."""
    rows = (
        _submitted(scope)
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
    for row in _volume_rows(scope) if rows is None else rows:
        key = (row["period"], row["event_type"], row["status"])
        line = merged.setdefault(
            key,
            {"period": key[0], "event_type": key[1], "status": key[2]}
            | {"events": 0, "without_packet": 0},
        )
        line["events"] += row["events"]
        line["without_packet"] += row["without_packet"]
    return [merged[key] for key in sorted(merged)]


def overview(scope: Scope) -> dict:
    """Everything the main dashboard shows, read in one short transaction."""
    with _analytics():
        rows = _volume_rows(scope)
        return {
            "volumes": volumes(scope, rows),
            "funnel": funnel(scope, rows),
            **latency_and_timeliness(scope, rows),
            "certificates": certificates_issued(scope),
        }


# Funnel ---------------------------------------------------------------------------


FUNNEL = (
    ("submitted", "Submitted"),
    ("packet_created", "Packet created"),
    ("processing", "Processing in MOSIP"),
    ("id", "ID issued or record updated"),
    ("certified", "Certified"),
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
    for row in _volume_rows(scope) if volume_rows is None else volume_rows:
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
        step["share"] = _share(step["reached"], first)
    return {"steps": steps, "without_packet": without_packet}


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(100.0 * part / whole, 1)


# Latency and timeliness -----------------------------------------------------------


def latency_and_timeliness(scope: Scope, rows: list[dict] | None = None) -> dict:
    """Percentiles of the two waits, and births and deaths by registration delay.

    PostgreSQL computes both sets of percentiles in one pass with percentile_cont.
    Elsewhere, registration delays (whole days) come exactly from a count per day,
    and waits for an ID from ordered offsets.
    """
    rows = _volume_rows(scope) if rows is None else rows
    dated = Q(event_date__isnull=False, event_date__lte=TruncDate("submitted_at"))
    delay_n = sum(row["events"] for row in rows if row["delay_bucket"] is not None)
    if connection.vendor == "postgresql":
        figures = _submitted(scope).aggregate(
            id_n=count_rows(filter=_reached_id()),
            id_p=PercentileCont(_id_wait(), filter=_reached_id()),
            delay_p=PercentileCont(_registration_delay(), filter=dated),
        )
    else:
        delays = (
            _submitted(scope)
            .filter(dated)
            .annotate(days=_registration_delay())
            .values_list("days")
            .annotate(n=Count("*"))
            .order_by()
        )
        figures = {"delay_p": percentiles_from_counts(list(delays))}
        figures["id_n"] = _submitted(scope).filter(_reached_id()).count()
        figures["id_p"] = None
        if figures["id_n"]:
            waits = _submitted(scope).filter(_reached_id()).annotate(v=_id_wait())
            figures["id_p"] = _interpolated(waits, figures["id_n"])
    figures["delay_n"] = delay_n
    return {
        "latency": _latency_rows(figures),
        "timeliness": _timeliness_rows(scope, rows),
    }


def _latency_rows(figures: dict) -> list[dict]:
    hours = (
        [None] * 3 if figures["id_p"] is None else [s / 3600 for s in figures["id_p"]]
    )
    days = figures["delay_p"] or [None] * 3
    return [
        {
            "key": "submit_to_id",
            "label": "Submission to national ID",
            "unit": "hours",
            "events": figures["id_n"],
            "p50": hours[0],
            "p90": hours[1],
            "p99": hours[2],
        },
        {
            "key": "event_to_registration",
            "label": "Event to registration",
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
                "shares": [_share(n, total) for n in counts],
            }
        )
    return rows


# Certificates ---------------------------------------------------------------------


def certificates_issued(scope: Scope) -> list[dict]:
    """Events first certified within the scope's dates, by event type."""
    rows = (
        _events(scope)
        .filter(certified_at__gte=scope.since, certified_at__lt=scope.until)
        .values("event_type")
        .annotate(certificates=Count("*"))
        .order_by("event_type")
    )
    return [{**row, "label": EventType(row["event_type"]).label} for row in rows]


# MOSIP errors ---------------------------------------------------------------------


def _failed_packets(scope: Scope) -> QuerySet[Packet]:
    return Packet.objects.filter(
        event__in=_submitted(scope),
        status__in=[PacketStatus.REJECTED, PacketStatus.FAILED],
    ).exclude(result_code="")


def error_codes(scope: Scope) -> list[dict]:
    """MOSIP result codes of packets now rejected or failed, most events first."""
    return list(
        _failed_packets(scope)
        .values("result_code")
        .annotate(
            events=Count("event_id", distinct=True),
            packets=Count("*"),
            message=Max("result_message"),
            first_seen=Min("processed_at"),
            last_seen=Max("processed_at"),
        )
        .order_by("-events", "result_code")
    )


def error_events(scope: Scope, code: str) -> QuerySet[VitalEvent]:
    """The scope's events with a packet turned down under `code`."""
    packets = _failed_packets(scope).filter(result_code=code)
    return (
        _submitted(scope)
        .filter(pk__in=packets.values("event_id"))
        .select_related("office")
        .order_by("-submitted_at", "-pk")
    )


def error_packets(events: list[VitalEvent], code: str) -> dict[int, Packet]:
    """The packet carrying `code` for each listed event."""
    packets = Packet.objects.filter(event__in=events, result_code=code)
    return {packet.event_id: packet for packet in packets.order_by("id")}


# Stuck events ---------------------------------------------------------------------


def stuck_events(
    scope: Scope, *, thresholds: dict[str, datetime.timedelta], now=None
) -> QuerySet[VitalEvent]:
    """Events waiting on the pipeline longer than their state's threshold, oldest first.

    The wait is measured from the event's last change (`updated_at`); every status
    change saves the event. The scope's dates do not apply: a stuck event is stuck
    whenever it was registered. `send_error` is why its unsent work did not go: the
    last error code of an outbox row not sent yet (the event's own error fields are
    only filled once it has left the pipeline).
    """
    now = now or timezone.now()
    waiting = Q()
    for status in PIPELINE_STATUSES:
        waiting |= Q(status=status, updated_at__lt=now - thresholds[status])
    send_errors = (
        OutboxMessage.objects.filter(event=OuterRef("pk"))
        .exclude(status=OutboxStatus.SENT)
        .exclude(last_error_code="")
        .order_by("-updated_at", "-pk")
        .values("last_error_code")[:1]
    )
    return (
        _events(scope)
        .filter(waiting)
        .annotate(send_error=Subquery(send_errors))
        .select_related("office")
        .order_by("updated_at", "pk")
    )


def stuck_event_for(user, pk: int, *, thresholds, now=None) -> VitalEvent:
    """A stuck event the user may act on; 404 for anything else."""
    scope = scope_for(user, start=datetime.date.min, end=datetime.date.max)
    event = stuck_events(scope, thresholds=thresholds, now=now).filter(pk=pk).first()
    if event is None:
        raise Http404("No such stuck event.")
    return event


# Completeness ---------------------------------------------------------------------


def completeness(scope: Scope) -> list[dict]:
    """Registered ÷ expected events per office and year, where expectations exist."""
    expected = ExpectedEvents.objects.filter(
        _offices(scope), year__gte=scope.start.year, year__lte=scope.end.year
    ).select_related("office")
    if scope.event_type:
        expected = expected.filter(event_type=scope.event_type)
    expected = list(expected.order_by("-year", "office__name", "event_type"))
    if not expected:
        return []
    counts = (
        _events(scope)
        .filter(
            event_type__in=[e.event_type for e in expected],
            office_id__in={e.office_id for e in expected},
            event_date__gte=datetime.date(min(e.year for e in expected), 1, 1),
            event_date__lte=datetime.date(max(e.year for e in expected), 12, 31),
        )
        .exclude(submitted_at__isnull=True)
        .annotate(year=ExtractYear("event_date"))
        .values("office_id", "event_type", "year")
        .annotate(events=Count("*"))
    )
    registered = {
        (row["office_id"], row["event_type"], row["year"]): row["events"]
        for row in counts
    }
    return [
        {
            "office": e.office,
            "year": e.year,
            "event_type": e.event_type,
            "label": e.get_event_type_display(),
            "expected": e.expected,
            "registered": registered.get((e.office_id, e.event_type, e.year), 0),
            "completeness": _share(
                registered.get((e.office_id, e.event_type, e.year), 0), e.expected
            ),
        }
        for e in expected
    ]
