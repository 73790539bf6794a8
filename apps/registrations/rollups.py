"""Counts of submitted events per day (`EventCount`), kept in step with the events.

Every submitted event is counted in exactly one cell: its office, event type, the
day it was submitted (in the portal's time zone), its status, how long after the
event it was registered (`delay_bucket`) and, if MOSIP turned it down, the state it
was turned down in (`left_from`). The dashboards' volume figures read these cells
instead of the events (docs/rollups.md).

The cell changes only when an event is submitted or resubmitted (day, dates,
packets) or moves status; the services that do either call `rollups_shift` in the
same transaction as the change (`history.event_move`, `services.submission`), so a
rolled-back change leaves the counts as they were. Drafts have no submission date
and are never counted. `rollups_rebuild` recounts everything from the events;
`rollups_drift` recounts a sample of (office, day) cells and names the differences.
"""

import datetime
import random
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    Func,
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
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from apps.registrations.models import (
    EventCount,
    EventStatus,
    EventStatusChange,
    VitalEvent,
)

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


def _day(moment: datetime.datetime) -> datetime.date:
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
    day = _day(event.submitted_at)
    return Cell(
        day=day,
        office_id=event.office_id,
        event_type=event.event_type,
        status=event.status,
        delay_bucket=_bucket(day, event.event_date),
        left_from=(came_from or "") if turned_down else "",
        without_packet=bool(event.no_packet_reason),
    )


def rollups_shift(before: Cell | None, after: Cell | None) -> None:
    """Count an event in `after` instead of `before` (either may be None).

    Called inside the transaction that changes the event. The two cells are written
    in a fixed order, so two events crossing between the same cells wait for each
    other instead of deadlocking.
    """
    if before == after:
        return
    changes = [(c, n) for c, n in ((before, -1), (after, 1)) if c is not None]
    for cell, n in sorted(changes):
        _add(cell, n, n if cell.without_packet else 0)


def _key(cell: Cell) -> dict:
    values = asdict(cell)
    values.pop("without_packet")
    return values


def _add(cell: Cell, events: int, without_packet: int) -> None:
    if events > 0:
        _upsert([(_key(cell), events, without_packet)])
        return
    rows = EventCount.objects.filter(**_key(cell))
    rows.update(
        events=F("events") + events, without_packet=F("without_packet") + without_packet
    )
    rows.filter(events__lte=0).delete()


def _upsert(rows: list[tuple[dict, int, int]]) -> None:
    """Add counts to cells, creating the cells that do not exist yet."""
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(EventCount._meta.db_table)
    columns = [*KEY, "events", "without_packet"]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    add = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in columns[-2:])
    params = []
    for key, events, without_packet in rows:
        day = connection.ops.adapt_datefield_value(key["day"])
        params += [day, *(key[c] for c in KEY[1:]), events, without_packet]
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(q(c) for c in KEY)}) DO UPDATE SET {add}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# Counting from the events ---------------------------------------------------------


def counted(events: QuerySet[VitalEvent], history=EventStatusChange) -> list[dict]:
    """`events` grouped into cells, counted by the database: the rows the rollups
    should hold for them (KEY, events, without_packet). `history` is the status
    change model (a migration passes its own)."""
    rows = (
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


def rollups_add(events: QuerySet[VitalEvent], *, batch: int = 1000) -> int:
    """Count `events` (rows just loaded in bulk, never counted) into the rollups."""
    rows = counted(events)
    for start in range(0, len(rows), batch):
        _upsert(
            [
                ({k: row[k] for k in KEY}, row["events"], row["without_packet"])
                for row in rows[start : start + batch]
            ]
        )
    return len(rows)


def _lock_counts() -> None:
    # Services changing events wait at their rollup write until the rebuild commits,
    # and the rebuild waits for those that already wrote one: every change is then
    # either in the recount or applied after it.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(EventCount._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")


def rollups_rebuild(*, batch: int = 5000) -> int:
    """Recount every cell from the events, in one transaction; returns the rows."""
    with transaction.atomic():
        _lock_counts()
        EventCount.objects.all().delete()
        rows = counted(VitalEvent.objects.all())
        EventCount.objects.bulk_create(
            (EventCount(**row) for row in rows), batch_size=batch
        )
    return len(rows)


# Drift ----------------------------------------------------------------------------


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_default_timezone(),
    )


def _sample_days(sample: int, rng: random.Random) -> set[tuple[int, datetime.date]]:
    pairs = sorted(EventCount.objects.values_list("office_id", "day").distinct())
    chosen = set(rng.sample(pairs, min(sample, len(pairs))))
    # And days of events picked at random, which the rollups may lack entirely.
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


def rollups_drift(
    *, sample: int = 50, seed: int | None = None, days=None
) -> list[dict]:
    """Recount `sample` (office, day) pairs from the events (or the (office, day)
    pairs `days` names) and return every cell whose count differs: its key, the
    rollups' counts and the events' counts. Empty when the rollups hold."""
    pairs = set(days) if days is not None else _sample_days(sample, random.Random(seed))
    differences = []
    for office_id, day in sorted(pairs):
        held = {
            tuple(row[k] for k in KEY): (row["events"], row["without_packet"])
            for row in EventCount.objects.filter(office_id=office_id, day=day).values()
        }
        events = VitalEvent.objects.filter(
            office_id=office_id,
            submitted_at__gte=_midnight(day),
            submitted_at__lt=_midnight(day + datetime.timedelta(days=1)),
        )
        recounted = {
            tuple(row[k] for k in KEY): (row["events"], row["without_packet"])
            for row in counted(events)
        }
        for key in sorted(held.keys() | recounted.keys()):
            if held.get(key, (0, 0)) != recounted.get(key, (0, 0)):
                differences.append(
                    {
                        **dict(zip(KEY, key, strict=True)),
                        "rollup": held.get(key, (0, 0)),
                        "events": recounted.get(key, (0, 0)),
                    }
                )
    return differences
