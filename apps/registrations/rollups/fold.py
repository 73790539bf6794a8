"""Keeping the counts in step: changes appended by the services, folded into the
daily and week-part counts, or everything recounted from the events.

A service that moves an event appends one change for the cell it leaves (-1) and
one for the cell it joins (+1), in the transaction that moves it
(`rollups_shift`). Appending shares no row between transactions, so a busy
pipeline never waits on the counts. `rollups_fold`, run every few seconds by beat,
deletes a batch of changes and adds their sums into `EventCount` and
`EventCountWeekPart` in one transaction; readers add the changes not yet folded,
so figures are current whatever the fold's delay (docs/rollups.md).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import asdict, replace

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from apps.registrations.models import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    EventStatusChange,
    MeasureChange,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
    VitalEvent,
)
from apps.registrations.rollups import cells, measures
from apps.registrations.rollups.cells import (
    KEY,
    Cell,
    counted,
    counted_query,
    week_part_start,
)

CELL = KEY[1:]  # a cell's columns besides its day
MEASURE = ("office_id", "event_type", "measure", "bin")
COUNTS = (
    EventCountChange,
    EventCount,
    EventCountWeekPart,
    MeasureChange,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
)


def _same(value):
    return value


FOLD_LOCK = 0x726F6C6C  # advisory lock id: one fold at a time (PostgreSQL)


def rollups_shift(before: Cell | None, after: Cell | None) -> None:
    """Count an event in `after` instead of `before` (either may be None), by
    appending the changes; called inside the transaction that changes it."""
    if before == after:
        return
    bare = [None if c is None else replace(c, marks=()) for c in (before, after)]
    if bare[0] != bare[1]:
        EventCountChange.objects.bulk_create(
            EventCountChange(
                **_key(cell), events=n, without_packet=n if cell.without_packet else 0
            )
            for cell, n in ((before, -1), (after, 1))
            if cell is not None
        )
    left = Counter(before.marks if before else ())
    joined = Counter(after.marks if after else ())
    moves = [(before, mark, -n) for mark, n in (left - joined).items()]
    moves += [(after, mark, n) for mark, n in (joined - left).items()]
    MeasureChange.objects.bulk_create(
        MeasureChange(
            day=mark.day,
            office_id=cell.office_id,
            event_type=cell.event_type,
            measure=mark.measure,
            bin=mark.bin,
            events=n,
        )
        for cell, mark, n in moves
    )


def _key(cell: Cell) -> dict:
    values = asdict(cell)
    values.pop("without_packet")
    values.pop("marks")
    return values


# Folding --------------------------------------------------------------------------


def _quoted(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fold_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite runs one writing transaction at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        return cursor.fetchone()[0]


def _take_changes(model: type[Model], columns: tuple, limit: int) -> list[tuple]:
    """Delete up to `limit` of the oldest committed changes and return them.

    One statement deletes and returns the same rows, so a change committed while
    the fold runs is either in this batch or left for the next one, never lost.
    Oldest first: an event's -1 for a cell always comes after its +1 there, so
    folded counts never go below zero.
    """
    q = connection.ops.quote_name
    table = _quoted(model)
    columns = ", ".join(q(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {q('id')} IN "
            f"(SELECT {q('id')} FROM {table} ORDER BY {q('id')} LIMIT %s) "
            f"RETURNING {columns}",
            [limit],
        )
        return cursor.fetchall()


def _summed(changes, day_of=_same, values: int = 2, rest=_same) -> dict:
    """Changes (day, *cell, *values) summed per (day_of(day), *rest(cell))."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * values)
    for change in changes:
        day, cell, added = change[0], change[1:-values], change[-values:]
        if isinstance(day, str):  # SQLite returns dates as text here
            day = datetime.date.fromisoformat(day)
        total = sums[(day_of(day), *rest(cell))]
        for index, n in enumerate(added):
            total[index] += n
    return {key: total for key, total in sums.items() if any(total)}


def _every_office(cell: tuple) -> tuple:
    return (0, *cell[1:])


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# Where changes are added up: each table (by name in `MODELS`), the column its
# period starts in, how a change's day maps to that period; the cell's columns and
# the summed values.
CELL_COUNTS = (
    (("EventCount", "day", _same), ("EventCountWeekPart", "starts", week_part_start)),
    CELL,
    ("events", "without_packet"),
)
MEASURE_COUNTS = (
    (
        ("MeasureCount", "day", _same),
        ("MeasureCountWeekPart", "starts", week_part_start),
        ("MeasureCountMonth", "month", _month),
    ),
    MEASURE,
    ("events",),
)


def _spread(changes, counts, models: dict):
    """Changes (day, *cell, *values) summed for each table of `counts`, once per
    office and once for every office together (office 0)."""
    tables, cell, values = counts
    for name, column, day_of in tables:
        for rest in (_same, _every_office):
            sums = _summed(changes, day_of, values=len(values), rest=rest)
            yield models[name], (column, *cell), values, sums


def _add_into(
    model: type[Model],
    sums: dict,
    columns: tuple,
    values: tuple,
    batch: int = 500,
):
    """Add `sums` into `model`'s counts, creating cells that do not exist yet and
    deleting those that empty."""
    q = connection.ops.quote_name
    table = _quoted(model)
    columns = [*columns, *values]
    names = [q(model._meta.get_field(c).column) for c in columns]
    added = names[-len(values) :]
    add = ", ".join(f"{n} = {table}.{n} + excluded.{n}" for n in added)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    emptied = []
    # In key order, so two folds could never wait on each other crosswise.
    items = sorted(sums.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            params = []
            for (day, *cell), total in chunk:
                params += [connection.ops.adapt_datefield_value(day), *cell, *total]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES {', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({', '.join(names[: -len(values)])}) DO UPDATE SET {add} "
                f"RETURNING {q('id')}, {q('events')}",
                params,
            )
            emptied += [pk for pk, events in cursor.fetchall() if events == 0]
    if emptied:
        model.objects.filter(pk__in=emptied).delete()


def rollups_fold(*, limit: int = 20_000) -> int:
    """Fold up to `limit` pending changes into the counts; returns how many.

    Does nothing while another fold runs (PostgreSQL's advisory lock), and
    nothing is lost if it stops halfway: the deletion and the additions commit
    together.
    """
    with transaction.atomic():
        if not _fold_lock():
            return 0
        changes = _take_changes(
            EventCountChange, (*KEY, "events", "without_packet"), limit
        )
        for model, columns, values, sums in _spread(changes, CELL_COUNTS, MODELS):
            _add_into(model, sums, columns, values)
        marks = _take_changes(MeasureChange, ("day", *MEASURE, "events"), limit)
        for model, columns, values, sums in _spread(marks, MEASURE_COUNTS, MODELS):
            _add_into(model, sums, columns, values)
    return len(changes) + len(marks)


def rollups_fold_all() -> int:
    """Fold every pending change, batch after batch (after a long pause of beat)."""
    folded = total = rollups_fold()
    while folded:
        folded = rollups_fold()
        total += folded
    return total


# Rebuilding -----------------------------------------------------------------------


def _lock_counts() -> None:
    # Services moving events wait at their change's append until the rebuild
    # commits, and the rebuild waits for those that already appended one: every
    # change is then either in the recount or appended after it.
    if connection.vendor == "postgresql":
        tables = ", ".join(_quoted(m) for m in COUNTS)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def _insert_counted_in_the_database(m: dict) -> None:
    """PostgreSQL: recount with INSERT … SELECT, never moving rows through Python
    (ten million events group into a few million cells)."""
    q = connection.ops.quote_name
    events = m["VitalEvent"].objects.all()
    with timezone.override(timezone.get_default_timezone()):
        query = counted_query(events, m["EventStatusChange"]).query
        sql, params = query.sql_with_params()
    daily, parts = _quoted(m["EventCount"]), _quoted(m["EventCountWeekPart"])
    cell = ", ".join(q(c) for c in CELL)
    sums = f"{q('events')}, {q('without_packet')}"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"INSERT INTO {daily} ({q('day')}, {cell}, {sums}) "
            f"SELECT day, office_id, event_type, status, bucket, came_from, "
            f"events, without_packet FROM ({sql}) AS counted",
            params,
        )
        cursor.execute(
            f"INSERT INTO {daily} ({q('day')}, {cell}, {sums}) "
            f"SELECT {q('day')}, 0, {cell.split(', ', 1)[1]}, "
            f"SUM({q('events')}), SUM({q('without_packet')}) FROM {daily} "
            f"GROUP BY {q('day')}, {cell.split(', ', 1)[1]}"
        )
        cursor.execute(
            f"INSERT INTO {parts} ({q('starts')}, {cell}, {sums}) "
            f"SELECT GREATEST(date_trunc('week', {q('day')}), "
            f"date_trunc('month', {q('day')}))::date, {cell}, "
            f"SUM({q('events')}), SUM({q('without_packet')}) FROM {daily} "
            f"GROUP BY 1, {cell}"
        )


def _insert_counted_in_python(m: dict) -> None:
    rows = counted(m["VitalEvent"].objects.all(), m["EventStatusChange"])
    rows = [
        (*(row[k] for k in KEY), row["events"], row["without_packet"]) for row in rows
    ]
    _bulk_insert(_spread(rows, CELL_COUNTS, m))


def _insert_marks_in_python(m: dict) -> None:
    marks = []
    submitted = m["VitalEvent"].objects.exclude(submitted_at__isnull=True).only(
        "office_id", "event_type", "status", "no_packet_reason", "event_date",
        "submitted_at", "outcome_at", "certified_at",
    )  # fmt: skip
    for event in submitted.iterator():
        day = cells.local_day(event.submitted_at)
        marks += [
            (mark.day, event.office_id, event.event_type, mark.measure, mark.bin, 1)
            for mark in measures.marks_of(event, day, cells.local_day)
        ]
    _bulk_insert(_spread(marks, MEASURE_COUNTS, m))


def _bulk_insert(spread) -> None:
    for model, columns, values, sums in spread:
        model.objects.bulk_create(
            (
                model(
                    **dict(zip(columns, key, strict=True)),
                    **dict(zip(values, total, strict=True)),
                )
                for key, total in sums.items()
            ),
            batch_size=2000,
        )


MODELS = {
    model.__name__: model
    for model in (
        VitalEvent,
        EventStatusChange,
        EventCount,
        EventCountWeekPart,
        MeasureCount,
        MeasureCountWeekPart,
        MeasureCountMonth,
    )
}


def count_everything(models: dict | None = None) -> None:
    """Fill the empty count tables from the events: in the database on
    PostgreSQL, in Python elsewhere. `models` maps the names in `MODELS` to the
    models to use (the upgrade that added the counts passes its own)."""
    m = models or MODELS
    if connection.vendor == "postgresql":
        _insert_counted_in_the_database(m)
        measures.insert_counted_in_the_database(
            m["VitalEvent"],
            m["MeasureCount"],
            m["MeasureCountWeekPart"],
            m["MeasureCountMonth"],
        )
    else:
        _insert_counted_in_python(m)
        _insert_marks_in_python(m)


def rollups_rebuild() -> int:
    """Recount every cell from the events in one transaction, dropping the pending
    changes the recount already includes; returns the daily rows."""
    with transaction.atomic():
        _lock_counts()
        for model in COUNTS:
            model.objects.all()._raw_delete(model.objects.db)
        count_everything()
        return EventCount.objects.count()
