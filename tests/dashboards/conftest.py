"""A small dataset whose every figure was worked out by hand (see test_figures.py).

Events are written as the pipeline leaves them (status, timestamps, history, packets,
outbox rows), since reaching each state through MOSIP is the pipeline's business.
Today is Monday 30 June 2025, 12:00 UTC; the scope is June 2025. Rows written
past the services are then counted for the dashboards as any bulk load is, by
recounting the daily event counts (docs/rollups.md).
"""

import datetime
import itertools

import pytest
import time_machine

from apps.dashboards.models import ExpectedEvents
from apps.registrations.models import (
    EventStatusChange,
    OutboxMessage,
    Packet,
    VitalEvent,
)
from apps.registrations.rollups import rollups_rebuild
from tests.factories import make_user

NOW = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)
JUNE = {"start": "2025-06-01", "end": "2025-06-30"}
_aid = itertools.count(1)

PATHS = {
    "submitted": ["submitted"],
    "packet_created": ["submitted", "packet_created"],
    "processing": ["submitted", "packet_created", "processing"],
    "id_issued": ["submitted", "packet_created", "processing", "id_issued"],
    "record_updated": ["submitted", "packet_created", "processing", "record_updated"],
    "certified": [
        "submitted",
        "packet_created",
        "processing",
        "id_issued",
        "certified",
    ],
    "registered": ["registered"],
}
PACKET_STATUS = {
    "submitted": "pending",
    "packet_created": "created",
    "processing": "processing",
    "id_issued": "processed",
    "record_updated": "processed",
    "certified": "processed",
    "rejected": "rejected",
    "failed": "failed",
}
SUBJECT = {"birth": "child", "death": "deceased", "marriage": "spouse1"}


def at(day, hour=10, minute=0, month=6):
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=datetime.UTC)


def make(
    office,
    number,
    event_type,
    status,
    submitted,
    event_date=None,
    *,
    outcome_hours=None,
    certified=None,
    left_from=None,
    code="",
    no_packet="",
    last_change=None,
    outbox="sent",
):
    event = VitalEvent.objects.create(
        event_type=event_type,
        status=status,
        office=office,
        created_by=office.registrars.first(),
        registration_number=f"{office.code.upper()}-2025-{number:06d}",
        registration_year=2025,
        submitted_at=submitted,
        event_date=event_date,
        outcome_at=(
            submitted + datetime.timedelta(hours=outcome_hours)
            if outcome_hours is not None
            else None
        ),
        certified_at=certified,
        no_packet_reason=no_packet,
        last_error_code=code,
    )
    path = PATHS[left_from] + [status] if left_from else PATHS[status]
    previous = "draft"
    for to_status in ["draft", *path]:
        EventStatusChange.objects.create(
            event=event,
            from_status="" if to_status == "draft" else previous,
            to_status=to_status,
        )
        previous = to_status
    if not no_packet:
        packet = Packet.objects.create(
            event=event,
            subject=SUBJECT[event_type],
            process="CRVS_NEW",
            application_id=f"{next(_aid):029d}",
            centre_id="10001",
            machine_id="10002",
            status=PACKET_STATUS[status],
            result_code=code,
            result_message=f"Message for {code}" if code else "",
            processed_at=(
                submitted + datetime.timedelta(hours=outcome_hours or 1)
                if code
                else None
            ),
        )
        OutboxMessage.objects.create(
            event=event,
            packet=packet,
            kind="send_packet",
            status=outbox,
            next_attempt_at=submitted,
        )
    VitalEvent.objects.filter(pk=event.pk).update(
        updated_at=last_change or (certified or submitted)
    )
    return event


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def dataset(office_a, office_b, registrar, now):
    make_user("registrar", username="bob", office=office_b)
    d = datetime.date
    events = {
        "A1": make(
            office_a, 1, "birth", "id_issued", at(2), d(2025, 5, 20), outcome_hours=2
        ),
        "A2": make(
            office_a,
            2,
            "birth",
            "certified",
            at(3, 9),
            d(2025, 1, 15),
            outcome_hours=4,
            certified=at(10),
        ),
        "A3": make(
            office_a,
            3,
            "birth",
            "rejected",
            at(10, 8),
            d(2023, 6, 1),
            left_from="processing",
            code="PACKET_REJECTED",
            outcome_hours=30,
        ),
        "A4": make(
            office_a,
            4,
            "death",
            "record_updated",
            at(11, 12),
            d(2025, 6, 1),
            outcome_hours=10,
        ),
        "A5": make(
            office_a,
            5,
            "death",
            "failed",
            at(12),
            d(2025, 6, 10),
            left_from="submitted",
            code="KER-PUT-006",
            outbox="failed",
        ),
        "A6": make(
            office_a,
            6,
            "death",
            "registered",
            at(20),
            d(2025, 3, 1),
            no_packet="No UIN to update",
        ),
        "A7": make(
            office_a,
            7,
            "birth",
            "processing",
            at(28),
            d(2025, 6, 25),
            last_change=at(28, 10, 5),
        ),
        "A8": make(
            office_a,
            8,
            "marriage",
            "submitted",
            at(30, 11, 30),
            d(2025, 6, 30),
            outbox="pending",
        ),
        "A9": make(
            office_a,
            9,
            "birth",
            "certified",
            at(20, month=5),
            d(2025, 5, 1),
            outcome_hours=3,
            certified=at(15),
        ),
        "A10": make(
            office_a,
            10,
            "birth",
            "submitted",
            at(29, 9),
            d(2025, 6, 20),
            outbox="failed",
        ),
        "A11": make(
            office_a,
            11,
            "birth",
            "rejected",
            at(15),
            d(2025, 6, 1),
            left_from="processing",
            code="PACKET_REJECTED",
            outcome_hours=20,
        ),
        "B1": make(
            office_b,
            1,
            "birth",
            "certified",
            at(5),
            d(2025, 6, 1),
            outcome_hours=1,
            certified=at(20),
        ),
        "B2": make(
            office_b,
            2,
            "death",
            "rejected",
            at(7),
            d(2025, 6, 2),
            left_from="processing",
            code="RPR-PKR-016",
            outcome_hours=5,
        ),
        "B3": make(office_b, 3, "birth", "processing", at(1), d(2025, 5, 30)),
    }
    # A draft is never counted, whatever its dates.
    VitalEvent.objects.create(
        event_type="birth",
        office=office_a,
        created_by=registrar,
        event_date=d(2025, 6, 2),
    )
    ExpectedEvents.objects.create(
        office=office_a, year=2025, event_type="birth", expected=100
    )
    ExpectedEvents.objects.create(
        office=office_a, year=2025, event_type="death", expected=40
    )
    ExpectedEvents.objects.create(
        office=office_b, year=2025, event_type="birth", expected=80
    )
    rollups_rebuild()
    return events
