"""Seeding a database: offices, owners and counters around the generated rows."""

from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Office, Role, User
from apps.dashboards.seeding.generator import EventGenerator
from apps.dashboards.seeding.writers import BulkWriter, CopyWriter
from apps.registrations.models import (
    EventCount,
    EventCountWeekPart,
    EventStatusChange,
    MeasureCount,
    MeasureCountMonth,
    OutboxMessage,
    Packet,
    RegistrationNumberCounter,
    VitalEvent,
)
from apps.registrations.rollups import rollups_rebuild


class SeedingError(Exception):
    """The seeding cannot start; the message says why."""


def seed_events(
    count: int,
    *,
    days: int = 730,
    offices: int = 0,
    seed: int = 1,
    batch: int = 20000,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Seed `count` events over the last `days` days, creating offices until there
    are `offices`; `progress` hears the number of events written after each batch."""
    if count < 1 or days < 1:
        raise SeedingError("COUNT and --days must be positive.")
    _ensure_offices(offices)
    office_list = list(Office.objects.filter(is_active=True).order_by("pk"))
    if not office_list:
        raise SeedingError("There are no offices; pass --offices N to create some.")
    creators = {office.pk: _creator(office).pk for office in office_list}
    counters = {
        (office_id, year): last
        for office_id, year, last in RegistrationNumberCounter.objects.values_list(
            "office_id", "year", "last_value"
        )
    }
    first_id = (VitalEvent.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    first_id = max(first_id, (Packet.objects.aggregate(m=Max("pk"))["m"] or 0) + 1)
    generator = EventGenerator(
        offices=office_list, creators=creators, now=timezone.now(), days=days,
        seed=seed, first_id=first_id, counters=counters,
    )  # fmt: skip
    writer = CopyWriter() if connection.vendor == "postgresql" else BulkWriter()
    with transaction.atomic():
        writer.start()
        for done in range(1, count + 1):
            event, histories, packet, outbox = generator.event()
            writer.add("event", event)
            for row in histories:
                writer.add("history", row)
            if packet:
                writer.add("packet", packet)
                writer.add("outbox", outbox)
            if done % batch == 0:
                writer.flush()
                if progress:
                    progress(done)
        writer.flush()
        writer.finish()
        _save_counters(generator.counters)
    _after_load()


def _after_load():
    """What follows every load: fresh planner statistics for the tables it filled,
    then the dashboards' counts, recounted from the events (loaded past the
    services, which count as they go; docs/rollups.md)."""
    with connection.cursor() as cursor:
        for model in (VitalEvent, EventStatusChange, Packet, OutboxMessage):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    rollups_rebuild()
    with connection.cursor() as cursor:
        for model in (EventCount, EventCountWeekPart, MeasureCount, MeasureCountMonth):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _ensure_offices(wanted):
    existing = Office.objects.count()
    for n in range(existing + 1, wanted + 1):
        account_services.office_create(
            code=f"district-{n:03d}",
            name=f"District {n} Registry Office",
            region=f"Region {1 + n % 5}",
        )


def _creator(office):
    user = (
        User.objects.filter(role=Role.REGISTRAR, office=office).order_by("pk").first()
    )
    if user is None:
        # An account that cannot sign in: it only owns the seeded events.
        user = User.objects.create(
            username=f"seed-{office.code}",
            role=Role.REGISTRAR,
            office=office,
            is_active=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _save_counters(counters):
    for (office_id, year), last in counters.items():
        RegistrationNumberCounter.objects.update_or_create(
            office_id=office_id, year=year, defaults={"last_value": last}
        )
