"""What the drills do and read inside the live portal (run by `LivePortal.setup`,
never imported by the test process): registrations submitted through the real
services, as a registrar submits them, and the pipeline's state as JSON.
"""

import datetime
import json
import time
from collections import Counter

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.registrations import queries, services
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Packet,
    VitalEvent,
)
from tests.registrations.factories import distinct_data, distinct_name

REGISTRAR = "registrar"
# Where an event stays while its packet waits for MOSIP to take it.
WAITING = (EventStatus.SUBMITTED, EventStatus.PACKET_CREATED)


def _again_after_outage(step, interrupted: list[int]):
    """Run one service call; if the database went away, wait and run it again, as a
    registrar presses the button again after an error page. Each call is one
    transaction, so a call that failed left nothing behind."""
    deadline = time.monotonic() + 120
    while True:
        try:
            return step()
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                raise
            interrupted[0] += 1
            connection.close()
            time.sleep(0.5)  # the registrar's pause before pressing the button again


def _submit(event, registrar) -> None:
    try:
        services.event_submit(event=event, actor=registrar)
    except services.EventStatusError:
        # Submitted already: the commit went through, its answer was lost.
        event.refresh_from_db()
        if event.status == EventStatus.DRAFT:
            raise


def submit_births(count: int, label: str = "Drill") -> None:
    """Submit `count` births, each created, filled in and submitted by the
    registrar through the registration services; prints how many, and how many
    calls had to be made again because the database was away, as JSON."""
    registrar = User.objects.get(username=REGISTRAR)
    interrupted = [0]
    for number in range(count):
        # Born on many different days, as a real batch is, each of its own mother
        # and named as no other child (no digits in names): neither the portal's
        # duplicate checks nor MOSIP's demographic dedupe take one for another.
        born = timezone.localdate() - datetime.timedelta(days=1 + number % 1000)
        data = distinct_data("birth", number, child_born=born.isoformat())
        data["child"]["fullName"] = {"eng": f"{label} {distinct_name(number)}"}
        event = _again_after_outage(
            lambda: services.event_create_draft(actor=registrar, event_type="birth"),
            interrupted,
        )
        event = _again_after_outage(
            lambda event=event, data=data: services.event_save_draft(
                event=event, actor=registrar, data=data
            ),
            interrupted,
        )
        _again_after_outage(lambda event=event: _submit(event, registrar), interrupted)
    print(json.dumps({"submitted": count, "interrupted": interrupted[0]}))


def _counts(rows, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in rows.values(field).annotate(n=Count("id"))}


def state() -> None:
    """The pipeline as the portal sees it, printed as one JSON line: every figure
    read from one snapshot, though the worker keeps changing things meanwhile."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        print(json.dumps(_state()))


def state_when(condition: str, timeout: float) -> None:
    """Wait here, polling the database, until `condition` (a Python expression over
    the state `s`) holds; print {"reached": bool, "state": ...} as one JSON line.
    One process polls, instead of the drill starting one per look."""
    deadline = time.monotonic() + timeout
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            s = _state()
        # The condition is the drill's own code, passed over the command line.
        reached = bool(eval(condition, {}, {"s": s}))
        if reached or time.monotonic() > deadline:
            print(json.dumps({"reached": reached, "state": s}))
            return
        time.sleep(0.5)


def _state() -> dict:
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
    return {
        "events": _counts(events, "status"),
        "outbox": _counts(sends, "status"),
        "pending": pending.count(),
        "pending_errors": _counts(
            pending.exclude(last_error_code=""), "last_error_code"
        ),
        "shown_waiting": shown_waiting,
        # Taken by a worker for a send that has not ended (yet).
        "claimed_unfinished": pending.filter(
            attempts__gt=0, last_error_code=""
        ).count(),
        "retries": (attempts["total"] or 0) - attempts["tried"],
        "with_uin": packets.exclude(uin="").count(),
        # Sends MOSIP answered "already present": it had taken the packet
        # from a send whose answer never reached the portal.
        "already_in_mosip": AuditEvent.objects.filter(
            action="packet.processing", details__already_present=True
        ).count(),
        "application_ids": list(packets.values_list("application_id", flat=True)),
        "packets_per_event": dict(
            Counter(events.annotate(p=Count("packets")).values_list("p", flat=True))
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
