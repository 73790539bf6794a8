"""Writers that store generated rows: COPY on PostgreSQL, bulk_create elsewhere."""

import contextlib
import datetime
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

from django.db import connection

from apps.dashboards.seeding import schema
from apps.dashboards.seeding.generator import (
    EVENT_COLUMNS,
    HISTORY_COLUMNS,
    OUTBOX_COLUMNS,
    PACKET_COLUMNS,
)
from apps.registrations.models import (
    EventStatusChange,
    OutboxMessage,
    Packet,
    VitalEvent,
)


@contextlib.contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create keep the given timestamps instead of stamping 'now'."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        text = text.replace(char, escaped)
    return text


def _line(row) -> str:
    """One line of COPY text. str() of the generated values (numbers, dates, ISO
    timestamps, plain words) is already what COPY reads; only text holding COPY's
    own separators, which generated rows never do, needs the value-by-value path."""
    nulls = row.count(None)
    values = ["\\N" if value is None else value for value in row] if nulls else row
    line = "\t".join(map(str, values))
    if (
        line.count("\\") != nulls
        or line.count("\t") != len(row) - 1
        or "\n" in line
        or "\r" in line
    ):
        line = "\t".join(map(_copy_value, row))
    return line


def _copy(raw_connection, batch):
    with raw_connection.cursor() as cursor:
        for sql, text in batch:
            with cursor.copy(sql) as copy:
                copy.write(text)


# Events before the rows that point at them, packets before outbox rows.
TABLES = {
    "event": (VitalEvent, EVENT_COLUMNS),
    "packet": (Packet, PACKET_COLUMNS),
    "history": (EventStatusChange, HISTORY_COLUMNS),
    "outbox": (OutboxMessage, OUTBOX_COLUMNS),
}


class CopyWriter:
    """Streams rows into PostgreSQL with COPY, one text buffer per table and batch.

    A batch goes out on a second thread while the next one is generated: the thread
    mostly waits on the socket, which leaves the interpreter to the generator, and
    PostgreSQL stores one batch while Python builds the next.
    """

    def __init__(self):
        self.lines = {name: [] for name in TABLES}
        self.sender = ThreadPoolExecutor(max_workers=1)
        self.sending = None

    def start(self):
        with connection.cursor() as cursor:
            # One transaction holds the whole load; none of it is worth a flush to
            # disk before the end, and the index builds at the end want memory.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        self.deferred = schema.defer(
            [model._meta.db_table for model, _ in TABLES.values()]
        )

    def add(self, name, row):
        self.lines[name].append(_line(row) + self.suffixes[name])

    @cached_property
    def suffixes(self):
        """COPY skips Django's field defaults (and a blank text field's ""), so
        every NOT NULL column the seeder does not fill gets its default written out."""
        return {
            name: "".join("\t" + _copy_value(value) for value in defaults) + "\n"
            for name, (_, defaults) in self.defaults.items()
        }

    @cached_property
    def defaults(self):
        defaults = {}
        for name, (model, columns) in TABLES.items():
            extra = [
                f
                for f in model._meta.concrete_fields
                if f.column not in columns and not f.null and not f.primary_key
            ]
            defaults[name] = (
                [f.column for f in extra],
                [f.get_default() for f in extra],
            )
        return defaults

    def flush(self):
        batch = []
        for name in TABLES:
            if self.lines[name]:
                model, columns = TABLES[name]
                columns = [*columns, *self.defaults[name][0]]
                sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                batch.append((sql, "".join(self.lines[name])))
                self.lines[name] = []
        self._wait()
        # The thread uses the psycopg connection itself: Django's connection object
        # belongs to this thread, which leaves the database alone until _wait().
        self.sending = self.sender.submit(_copy, connection.connection, batch)

    def _wait(self):
        if self.sending is not None:
            self.sending.result()  # raises what the COPY raised
            self.sending = None

    def finish(self):
        self._wait()
        self.sender.shutdown()
        schema.restore(self.deferred)
        with connection.cursor() as cursor:
            for model in (VitalEvent, Packet):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )


class BulkWriter:
    def __init__(self):
        self.rows = {name: [] for name in TABLES}

    def start(self):
        pass

    def add(self, name, row):
        self.rows[name].append(row)

    def flush(self):
        plan = [
            ("event", VitalEvent, EVENT_COLUMNS),
            ("packet", Packet, PACKET_COLUMNS),
            ("history", EventStatusChange, HISTORY_COLUMNS),
            ("outbox", OutboxMessage, OUTBOX_COLUMNS),
        ]
        with _explicit_timestamps(VitalEvent, Packet, EventStatusChange, OutboxMessage):
            for name, model, columns in plan:
                objects = [
                    model(**dict(zip(columns, row, strict=True)))
                    for row in self.rows[name]
                ]
                model.objects.bulk_create(objects, batch_size=500)
                self.rows[name] = []

    def finish(self):
        pass
