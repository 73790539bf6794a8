"""What the drills do and read inside the live portal (run by `LivePortal.setup`,
never imported by the test process): registrations submitted through the real
services, as a registrar submits them, and the pipeline's state as JSON.
"""

import json
import string
from collections import Counter

from django.db.models import Count, Q, Sum

from apps.accounts.models import User
from apps.registrations import queries, services
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Packet,
    VitalEvent,
)
from tests.registrations.factories import birth_data

REGISTRAR = "registrar"
# Where an event stays while its packet waits for MOSIP to take it.
WAITING = (EventStatus.SUBMITTED, EventStatus.PACKET_CREATED)


def _letters(number: int) -> str:
    """A number spelled in letters (names hold no digits), "Ba", "Bb", ...: each
    child gets a name of its own, so MOSIP's demographic dedupe matches none."""
    letters = ""
    number += 26
    while number:
        number, digit = divmod(number, 26)
        letters = string.ascii_lowercase[digit] + letters
    return letters.capitalize()


def submit_births(count: int, label: str = "Drill") -> None:
    """Submit `count` births, each created, filled in and submitted by the
    registrar through the registration services; prints how many."""
    registrar = User.objects.get(username=REGISTRAR)
    for number in range(count):
        data = birth_data()
        data["child"]["fullName"] = {"eng": f"{label} {_letters(number)} Child"}
        event = services.event_create_draft(actor=registrar, event_type="birth")
        event = services.event_save_draft(event=event, actor=registrar, data=data)
        services.event_submit(event=event, actor=registrar)
    print(count)


def _counts(rows, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id"))}


def state() -> None:
    """The pipeline as the portal sees it, printed as one JSON line."""
    events = VitalEvent.objects.exclude(status=EventStatus.DRAFT)
    sends = OutboxMessage.objects.all()
    pending = sends.filter(status=OutboxStatus.PENDING)
    attempts = sends.aggregate(
        total=Sum("attempts"), tried=Count("id", filter=Q(attempts__gt=0))
    )
    # What the event page shows the registrar: a packet waiting for MOSIP, with
    # the reason of its last failed try.
    shown_waiting = sum(
        1
        for event in events.filter(status__in=WAITING)
        for packet in queries.packets_with_sending(event)
        if packet.waiting and packet.waiting.last_error_code
    )
    packets = Packet.objects.filter(event__in=events)
    print(
        json.dumps(
            {
                "events": _counts(events, "status"),
                "outbox": _counts(sends, "status"),
                "pending": pending.count(),
                "pending_errors": _counts(
                    pending.exclude(last_error_code=""), "last_error_code"
                ),
                "shown_waiting": shown_waiting,
                "retries": (attempts["total"] or 0) - attempts["tried"],
                "with_uin": packets.exclude(uin="").count(),
                "application_ids": list(
                    packets.values_list("application_id", flat=True)
                ),
                "packets_per_event": dict(
                    Counter(
                        events.annotate(p=Count("packets")).values_list("p", flat=True)
                    )
                ),
                "waiting_event_ids": list(
                    events.filter(
                        status__in=WAITING,
                        outbox_messages__status=OutboxStatus.PENDING,
                    )
                    .exclude(outbox_messages__last_error_code="")
                    .values_list("pk", flat=True)[:5]
                ),
            }
        )
    )
