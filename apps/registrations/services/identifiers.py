"""Application ids and registration numbers."""

import datetime

from django.db import connection

from apps.mosip.application_ids import AID_SEQUENCE_MAX, application_id_format
from apps.registrations.models import (
    ApplicationIdCounter,
    RegistrationNumberCounter,
)


def _counter_next(model, key: dict, next_value: str) -> int:
    """Advance a counter row in one statement (created at 1 if missing) and return
    its new value; `next_value` is SQL with `{current}` for the row's last value.
    The row stays locked until the transaction ends, so concurrent submissions never
    draw the same value; one statement keeps that lock short."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in key]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}, last_value) "
        f"VALUES ({', '.join(['%s'] * len(key))}, 1) "
        f"ON CONFLICT ({', '.join(columns)}) "
        f"DO UPDATE SET last_value = "
        f"{next_value.format(current=quote(meta.db_table) + '.last_value')} "
        "RETURNING last_value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(key.values()))
        return cursor.fetchone()[0]


def application_id_allocate(
    *, centre_id: str, machine_id: str, at: datetime.datetime
) -> str:
    """Next AID of a centre and machine; the sequence wraps after 99999 like MOSIP's."""
    sequence = _counter_next(
        ApplicationIdCounter,
        {"centre_id": centre_id, "machine_id": machine_id},
        # %% is SQL's modulo once the parameters are bound.
        "{current} %% " + str(AID_SEQUENCE_MAX) + " + 1",
    )
    return application_id_format(
        centre_id=centre_id, machine_id=machine_id, sequence=sequence, at=at
    )


def registration_number_allocate(*, office, year: int) -> str:
    # Called last in a submission: the counter row is locked until it commits.
    value = _counter_next(
        RegistrationNumberCounter,
        {"office": office.pk, "year": year},
        "{current} + 1",
    )
    return f"{office.code.upper()}-{year}-{value:06d}"
