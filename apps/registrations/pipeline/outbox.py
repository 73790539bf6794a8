"""The outbox: claiming rows for a send, retry timing, transient and permanent failures."""

import datetime

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.audit.services import audit_record
from apps.core.backoff import backoff_seconds
from apps.registrations import config
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
)
from apps.registrations.pipeline.state import event_settle_failure, locked_event
from apps.registrations.pipeline.words import plain_words

# The task is found by name in Celery's registry: the task module sits above the
# pipeline (it sends through it).
SEND_PACKET_TASK = "apps.registrations.tasks.send_packet"


def outbox_enqueue_send(outbox_id: int) -> None:
    """Queue the send of one outbox row once the row is committed (the back office's
    "send now"); if queueing fails the row stays pending and the dispatch beat sends it."""
    send = current_app.signature(SEND_PACKET_TASK, args=(outbox_id,))
    transaction.on_commit(send.delay, robust=True)


# Retry timing ---------------------------------------------------------------------


def retry_delay_seconds(attempts: int) -> float:
    """The wait before the next send of a row that failed `attempts` times."""
    return backoff_seconds(
        attempts,
        base=config.retry_base_seconds(),
        cap=config.retry_max_delay_seconds(),
    )


# Outbox ---------------------------------------------------------------------------


def outbox_claim(*, outbox_id: int, now=None) -> OutboxMessage | None:
    """Take a due outbox row for one send, or None if it is not due or is taken.

    The claim is a lease: the row's next attempt moves past the send's time limit,
    so no other worker takes it meanwhile, and a worker that dies mid-send leaves a
    row that falls due again by itself.
    """
    now = now or timezone.now()
    # One conditional update takes the lease: of two claims, the second waits for the
    # first and then finds the row no longer due.
    taken = OutboxMessage.objects.filter(
        pk=outbox_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + datetime.timedelta(seconds=config.send_lease_seconds()),
        updated_at=timezone.now(),
    )
    if not taken:
        return None
    return OutboxMessage.objects.select_related("packet__event__office").get(
        pk=outbox_id
    )


def outbox_claim_batch(*, limit: int | None = None, now=None) -> list[OutboxMessage]:
    """Take up to `limit` due rows, oldest first, for one send run; each under the
    lease `outbox_claim` takes, so no other run sends it meanwhile.

    On PostgreSQL, rows another run is taking at the same moment are skipped rather
    than waited for (FOR UPDATE SKIP LOCKED), so runs side by side take different
    rows; SQLite lets one writer in at a time (transactions begin IMMEDIATE), so
    there the claims simply follow each other.
    """
    now = now or timezone.now()
    limit = limit or config.send_batch_size()
    lease_until = now + datetime.timedelta(seconds=config.send_lease_seconds())
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # The rows stay locked until commit: nobody changes them in between.
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1,
            next_attempt_at=lease_until,
            updated_at=timezone.now(),
        )
    return list(
        OutboxMessage.objects.select_related("packet__event__office")
        .filter(pk__in=ids)
        .order_by("id")
    )


def outbox_due_count(*, now=None) -> int:
    """How many rows are due to be sent (none of them being sent now)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).count()


def outbox_renew_leases(
    *, outboxes: list[OutboxMessage], now=None
) -> list[OutboxMessage]:
    """Hold a run's claimed rows, not yet sent, for another full lease; a row whose
    lease ended and that another run took meanwhile is left out (it is theirs).

    A run's rows all hold the same lease (`next_attempt_at`): a row still showing it
    is still this run's.
    """
    if not outboxes:
        return []
    now = now or timezone.now()
    held_until = outboxes[0].next_attempt_at
    lease_until = now + datetime.timedelta(seconds=config.send_lease_seconds())
    with transaction.atomic():
        held = set(
            OutboxMessage.objects.select_for_update(of=("self",))
            .filter(
                pk__in=[o.pk for o in outboxes],
                status=OutboxStatus.PENDING,
                next_attempt_at=held_until,
            )
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=held).update(
            next_attempt_at=lease_until, updated_at=timezone.now()
        )
    kept = [o for o in outboxes if o.pk in held]
    for outbox in kept:
        outbox.next_attempt_at = lease_until
    return kept


def outbox_release(*, outbox: OutboxMessage) -> None:
    """Give a claimed row back untouched (the send could not start); not if its
    lease ended and another run took it meanwhile."""
    OutboxMessage.objects.filter(
        pk=outbox.pk,
        status=OutboxStatus.PENDING,
        next_attempt_at=outbox.next_attempt_at,
    ).update(next_attempt_at=timezone.now(), attempts=max(0, outbox.attempts - 1))


def outbox_retry_now(*, outbox: OutboxMessage, actor=None) -> OutboxMessage:
    """Make a pending row due at once (back office: "send now")."""
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.next_attempt_at = timezone.now()
        outbox.save(update_fields=["next_attempt_at", "updated_at"])
        audit_record(
            actor=actor,
            action="outbox.retry_now",
            target=outbox.event,
            details={"outbox_id": outbox.pk},
        )
        outbox_enqueue_send(outbox.pk)
    return outbox


def outbox_record_transient_failure(
    *, outbox: OutboxMessage, code: str, message: str, now=None
) -> OutboxMessage:
    """MOSIP could not take the packet now: try again later, or give up past the horizon."""
    now = now or timezone.now()
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.failing_since = outbox.failing_since or now
        outbox.last_error_code = code[:60]
        outbox.last_error = message[:500]
        horizon = datetime.timedelta(seconds=config.retry_horizon_seconds())
        if now - outbox.failing_since >= horizon:
            outbox.save(
                update_fields=["failing_since", "last_error_code", "last_error"]
            )
            return _outbox_give_up(
                outbox, code="RETRIES_EXHAUSTED", detail=f"{code}: {message}"
            )
        outbox.next_attempt_at = now + datetime.timedelta(
            seconds=retry_delay_seconds(outbox.attempts)
        )
        outbox.save(
            update_fields=[
                "failing_since",
                "last_error_code",
                "last_error",
                "next_attempt_at",
                "updated_at",
            ]
        )
    return outbox


def outbox_record_permanent_failure(
    *, outbox: OutboxMessage, code: str, message: str
) -> OutboxMessage:
    """MOSIP refused the packet for good: stop, and tell the registrar why."""
    with transaction.atomic():
        outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
        if outbox.status != OutboxStatus.PENDING:
            return outbox
        outbox.last_error_code = code[:60]
        outbox.last_error = message[:500]
        outbox.save(update_fields=["last_error_code", "last_error"])
        return _outbox_give_up(outbox, code=code, detail=message)


def _outbox_give_up(outbox: OutboxMessage, *, code: str, detail: str):
    outbox.status = OutboxStatus.FAILED
    outbox.save(update_fields=["status", "updated_at"])
    packet = Packet.objects.select_for_update().get(pk=outbox.packet_id)
    packet.status = PacketStatus.FAILED
    packet.result_code = code[:60]
    packet.result_message = plain_words(code, detail)[:500]
    packet.save(update_fields=["status", "result_code", "result_message", "updated_at"])
    event = locked_event(packet.event_id)
    audit_record(
        actor=None,
        action="packet.send_failed",
        target=event,
        details={"application_id": packet.application_id, "code": code},
    )
    event_settle_failure(event, EventStatus.FAILED, code, plain_words(code, detail))
    return outbox
