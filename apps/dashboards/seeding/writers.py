"""Writers that store generated rows: COPY on PostgreSQL, bulk_create elsewhere."""

import contextlib
import datetime
import io
from functools import cached_property

from django.db import connection

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
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class CopyWriter:
    """Streams rows into PostgreSQL with COPY, one text buffer per batch."""

    def __init__(self):
        self.buffers = {
            name: io.StringIO() for name in ("event", "history", "packet", "outbox")
        }

    def add(self, name, row):
        row = (*row, *self.defaults[name][1])
        self.buffers[name].write("\t".join(map(_copy_value, row)) + "\n")

    @cached_property
    def defaults(self):
        """COPY skips Django's field defaults (and a blank text field's ""), so
        every NOT NULL column the seeder does not fill gets its default written out."""
        tables = {
            "event": (VitalEvent, EVENT_COLUMNS),
            "history": (EventStatusChange, HISTORY_COLUMNS),
            "packet": (Packet, PACKET_COLUMNS),
            "outbox": (OutboxMessage, OUTBOX_COLUMNS),
        }
        defaults = {}
        for name, (model, columns) in tables.items():
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
        tables = {
            "event": (VitalEvent, EVENT_COLUMNS),
            "history": (EventStatusChange, HISTORY_COLUMNS),
            "packet": (Packet, PACKET_COLUMNS),
            "outbox": (OutboxMessage, OUTBOX_COLUMNS),
        }
        with connection.cursor() as cursor:
            for name in ("event", "packet", "history", "outbox"):
                model, columns = tables[name]
                columns = [*columns, *self.defaults[name][0]]
                data = self.buffers[name].getvalue()
                if not data:
                    continue
                sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    copy.write(data)
                self.buffers[name] = io.StringIO()

    def finish(self):
        with connection.cursor() as cursor:
            for model in (VitalEvent, Packet):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )


class BulkWriter:
    def __init__(self):
        self.rows = {name: [] for name in ("event", "history", "packet", "outbox")}

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
