"""Which cell an event is counted in: from one event in memory (`cell_of`), or
for many events at once in the database (`counted`)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from apps.registrations.models import (
    EventStatus,
    EventStatusChange,
    VitalEvent,
)
from apps.registrations.rollups.measures import marks_of

TURNED_DOWN = (EventStatus.REJECTED, EventStatus.FAILED)
NO_DELAY = -1  # no event date, or an event date after the registration
KEY = ("day", "office_id", "event_type", "status", "delay_bucket", "left_from")


class Days(Func):
    """Whole days from the second date to the first."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, conn, **extra):
        if conn.vendor == "postgresql":
            extra.update(template="(%(expressions)s)", arg_joiner=" - ")
        else:
            extra.update(
                template="CAST(julianday(%(expressions)s) AS INTEGER)",
                arg_joiner=") - julianday(",
            )
        return super().as_sql(compiler, conn, **extra)


def registration_delay():
    """Days from the event to its registration, in the portal's time zone."""
    return Days(TruncDate("submitted_at"), F("event_date"))


def delay_bucket(none=None):
    """0: registered within 30 days of the event, 1: within a year, 2: later;
    `none` when there is no event date or it comes after the registration."""
    delay = registration_delay()
    return Case(
        When(
            Q(event_date__isnull=True) | Q(event_date__gt=TruncDate("submitted_at")),
            then=Value(none),
        ),
        When(LessThanOrEqual(delay, 30), then=Value(0)),
        When(LessThanOrEqual(delay, 365), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def left_from(history=EventStatusChange):
    """For a rejected or failed event with a packet, the state MOSIP turned it down
    in: the state before the last move into its current one."""
    last_change = Subquery(
        history.objects.filter(event=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-id")
        .values("from_status")[:1]
    )
    return Case(
        When(Q(status__in=TURNED_DOWN, no_packet_reason=""), then=last_change),
        default=Value(""),
    )


# One event's cell -----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Cell:
    day: datetime.date
    office_id: int
    event_type: str
    status: str
    delay_bucket: int
    left_from: str
    without_packet: bool
    # Its marks in the wait histograms and certificates issued (measures.py).
    marks: tuple = ()


def local_day(moment: datetime.datetime) -> datetime.date:
    # The portal's time zone, whatever zone a request may have switched to.
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _bucket(day: datetime.date, event_date: datetime.date | None) -> int:
    if event_date is None or event_date > day:
        return NO_DELAY
    delay = (day - event_date).days
    return 0 if delay <= 30 else 1 if delay <= 365 else 2


def cell_of(event: VitalEvent, *, came_from: str | None = None) -> Cell | None:
    """The cell `event` is counted in as it stands in memory; None if not submitted.

    `came_from` is the state it moved out of to reach its current one, when the
    caller knows it; otherwise it is read from the history, and only for an event
    MOSIP turned down.
    """
    if event.submitted_at is None:
        return None
    turned_down = event.status in TURNED_DOWN and not event.no_packet_reason
    if turned_down and came_from is None:
        came_from = (
            EventStatusChange.objects.filter(event=event, to_status=event.status)
            .order_by("-id")
            .values_list("from_status", flat=True)
            .first()
        )
    day = local_day(event.submitted_at)
    return Cell(
        day=day,
        office_id=event.office_id,
        event_type=event.event_type,
        status=event.status,
        delay_bucket=_bucket(day, event.event_date),
        left_from=(came_from or "") if turned_down else "",
        without_packet=bool(event.no_packet_reason),
        marks=marks_of(event, day, local_day),
    )


# Week parts -----------------------------------------------------------------------


def week_part_start(day: datetime.date) -> datetime.date:
    """The first day of `day`'s week part: its Monday, or the 1st of its month if
    the week began in the month before."""
    return max(day - datetime.timedelta(days=day.weekday()), day.replace(day=1))


def week_part_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s week part: its Sunday, or the last of its month."""
    next_monday = day + datetime.timedelta(days=7 - day.weekday())
    return min(next_monday, month_after(day)) - datetime.timedelta(days=1)


def month_after(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# Counting from the events ---------------------------------------------------------


def counted_query(events: QuerySet[VitalEvent], history=EventStatusChange):
    """`events` grouped into cells by the database, as values rows (day, office_id,
    event_type, status, bucket, came_from, events, without_packet). Compile it in
    the portal's time zone: its days are that zone's. `history` is the status
    change model (a migration passes its own)."""
    return (
        events.exclude(submitted_at__isnull=True)
        .annotate(
            day=TruncDate("submitted_at"),
            bucket=delay_bucket(none=NO_DELAY),
            came_from=Coalesce(left_from(history), Value("")),
        )
        .values("day", "office_id", "event_type", "status", "bucket", "came_from")
        .annotate(
            events=Count("*"),
            without_packet=Count(Value(1), filter=~Q(no_packet_reason="")),
        )
        .order_by()
    )


def counted(events: QuerySet[VitalEvent], history=EventStatusChange) -> list[dict]:
    """`events` grouped into cells and counted: the rows the counts should hold
    for them (KEY, events, without_packet)."""
    rows = counted_query(events, history)
    with timezone.override(timezone.get_default_timezone()):
        rows = list(rows)  # dates of the portal's time zone, as `_day` takes them
    return [
        {
            **{k: row[k] for k in ("day", "office_id", "event_type", "status")},
            "delay_bucket": row["bucket"],
            "left_from": row["came_from"],
            "events": row["events"],
            "without_packet": row["without_packet"],
        }
        for row in rows
    ]
