"""ID schema versions, application ids and registration numbers."""

import datetime
import re

from django.db import transaction
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


def application_id_allocate(
    *, centre_id: str, machine_id: str, at: datetime.datetime
) -> str:
    """Next AID of a centre and machine; the sequence wraps after 99999 like MOSIP's."""
    # Inside a submission no savepoint is needed: any failure rolls it all back.
    with transaction.atomic(savepoint=False):
        counter, _ = ApplicationIdCounter.objects.select_for_update().get_or_create(
            centre_id=centre_id, machine_id=machine_id
        )
        counter.last_value = counter.last_value % AID_SEQUENCE_MAX + 1
        counter.save(update_fields=["last_value"])
    return application_id_format(
        centre_id=centre_id, machine_id=machine_id, sequence=counter.last_value, at=at
    )


def _registration_number_allocate(*, office, year: int) -> str:
    # The counter row is locked until the submitting transaction ends, so two
    # registrars of one office never draw the same number.
    counter, _ = RegistrationNumberCounter.objects.select_for_update().get_or_create(
        office=office, year=year
    )
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{office.code.upper()}-{year}-{counter.last_value:06d}"
