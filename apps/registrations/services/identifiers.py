"""ID schema versions, application ids and registration numbers."""

import datetime
import re

from django.db import connection
from django.utils import timezone

from apps.registrations.models import (
    ApplicationIdCounter,
    IdSchemaVersion,
    RegistrationNumberCounter,
)
from apps.registrations.schema import parse_id_schema
from apps.registrations.services.common import AID_SEQUENCE_MAX


def id_schema_record(
    *, version: str, schema_json: str, fetched_at: datetime.datetime | None = None
) -> IdSchemaVersion:
    """Keep an ID schema MOSIP published, after checking it can be read."""
    parse_id_schema(schema_json, version=version)
    float(version)  # packet manager parses schemaVersion as a number (§3.2)
    return IdSchemaVersion.objects.create(
        version=version,
        schema_json=schema_json,
        fetched_at=fetched_at or timezone.now(),
    )


# Identifiers ----------------------------------------------------------------------


def application_id_format(
    *, centre_id: str, machine_id: str, sequence: int, at: datetime.datetime
) -> str:
    """29-digit AID: centre (5) + machine (5) + sequence (5) + UTC yyyyMMddHHmmss (§4)."""
    if not (
        re.fullmatch(r"[0-9]{5}", centre_id) and re.fullmatch(r"[0-9]{5}", machine_id)
    ):
        raise ValueError("MOSIP centre and machine ids are 5 digits each.")
    if not 0 < sequence <= AID_SEQUENCE_MAX:
        raise ValueError("The AID sequence runs from 1 to 99999.")
    stamp = at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return f"{centre_id}{machine_id}{sequence:05d}{stamp}"


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


def _registration_number_allocate(*, office, year: int) -> str:
    # Called last in a submission: the counter row is locked until it commits.
    value = _counter_next(
        RegistrationNumberCounter,
        {"office": office.pk, "year": year},
        "{current} + 1",
    )
    return f"{office.code.upper()}-{year}-{value:06d}"
