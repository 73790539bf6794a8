"""What the WebSub drills do and read inside the live portal (run by
`LivePortal.setup`, never imported by the test process): births submitted through
the registration services as a registrar submits them, and what the portal holds
of MOSIP's results (inbox, records, history, audit, subscription health), printed
as one JSON line after `RESULT_MARK`.

The waits poll the portal's own database from one shell, so a drill does not start
a process per look.
"""

import json
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.registrations import services
from apps.registrations.models import (
    EventStatus,
    EventStatusChange,
    Notification,
    NotificationKind,
    Packet,
    VitalEvent,
)
from apps.websub.models import (
    BadInputCount,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
)
from apps.websub.queries import subscription_health
from tests.registrations.factories import distinct_data, distinct_name

# websub_drill.inside() looks for it (the test process never imports this module).
RESULT_MARK = "DRILL-RESULT "
REGISTRAR = "registrar"


def _emit(value) -> None:
    print(RESULT_MARK + json.dumps(value, sort_keys=True, default=str))


def submit_births(count: int, label: str) -> None:
    """Births created, filled in and submitted by the registrar through the
    registration services; their application ids."""
    registrar = User.objects.get(username=REGISTRAR)
    start = VitalEvent.objects.count()
    application_ids = []
    for number in range(start, start + count):
        # Each of its own mother, born on its own day and named as no other child
        # (no digits in names): neither the portal's duplicate checks nor MOSIP's
        # demographic dedupe take one for another.
        born = timezone.localdate() - timedelta(days=1 + number % 1000)
        data = distinct_data("birth", number, child_born=born.isoformat())
        data["child"]["fullName"] = {"eng": f"{label} {distinct_name(number)}"}
        event = services.event_create_draft(actor=registrar, event_type="birth")
        event = services.event_save_draft(event=event, actor=registrar, data=data)
        event = services.event_submit(event=event, actor=registrar)
        application_ids += [p.application_id for p in event.packets.all()]
    _emit(application_ids)


def _per(rows, field: str) -> dict[str, int]:
    return {
        str(row[field]): row["n"] for row in rows.values(field).annotate(n=Count("id"))
    }


def _most(rows, field: str) -> int:
    """The largest number of rows that share one value of `field` (0 if none)."""
    counted = rows.values(field).annotate(n=Count("id")).aggregate(most=Max("n"))
    return counted["most"] or 0


def _audit(action: str):
    return AuditEvent.objects.filter(action=action)


def _state() -> dict:
    events = VitalEvent.objects.exclude(status=EventStatus.DRAFT)
    packets = Packet.objects.filter(event__in=events)
    issued = EventStatusChange.objects.filter(to_status=EventStatus.ID_ISSUED)
    notified = Notification.objects.filter(kind=NotificationKind.ID_ISSUED)
    inbox = InboxEvent.objects.all()
    uins = list(packets.exclude(uin="").values_list("uin", flat=True))
    return {
        "events": _per(events, "status"),
        "packets": packets.count(),
        "with_uin": len(uins),
        "distinct_uins": len(set(uins)),
        # Each "ID issued" moment, per event: its history row, audit entry and the
        # registrar's notification.
        "id_issued_changes": issued.count(),
        "id_issued_changes_most": _most(issued, "event_id"),
        "id_issued_audit": _audit("event.id_issued").count(),
        "id_issued_audit_most": _most(_audit("event.id_issued"), "target_id"),
        "national_id_audit": _audit("packet.national_id_recorded").count(),
        "national_id_audit_most": _most(
            _audit("packet.national_id_recorded"), "target_id"
        ),
        "id_issued_notifications": notified.count(),
        "id_issued_notifications_most": _most(notified, "event_id"),
        "inbox": {
            kind: _per(inbox.filter(kind=kind), "status")
            for kind in inbox.values_list("kind", flat=True).distinct()
        },
        "inbox_rows": inbox.count(),
        "inbox_most_per_key": _most(inbox, "key"),
        "bad_inputs": dict(BadInputCount.objects.values_list("kind", "count")),
        "quarantine": _per(QuarantinedDelivery.objects.all(), "reason"),
        "resubscribes": _audit("websub.subscription_requested").count(),
        "resubscribe_reasons": dict(
            Counter(
                entry.details.get("reason", "")
                for entry in _audit("websub.subscription_requested")
            )
        ),
        "keep_alive_due_in": _keep_alive_due_in(),
        "health": subscription_health(),
    }


def _keep_alive_due_in() -> float | None:
    """Seconds until the keep-alive re-subscribes the first subscription on its
    schedule (negative when overdue)."""
    requested = Subscription.objects.aggregate(first=Min("requested_at"))["first"]
    if requested is None:
        return None
    due = requested + timedelta(seconds=settings.WEBSUB_RESUBSCRIBE_SECONDS)
    return round((due - timezone.now()).total_seconds(), 1)


def state() -> None:
    _emit(_state())


def _settled(expected: int) -> bool:
    events = VitalEvent.objects.exclude(status=EventStatus.DRAFT)
    return (
        events.count() >= expected
        and events.filter(status=EventStatus.ID_ISSUED).count() == events.count()
        and not Packet.objects.filter(event__in=events, uin="").exists()
    )


def wait_settled(expected: int, timeout: float = 100) -> None:
    """Wait until `expected` births are ID issued with a UIN each, watching the
    subscription health meanwhile; the state, the health details seen and how
    long it took."""
    started = time.monotonic()
    seen: list[str] = []
    while True:
        health = subscription_health()
        detail = "ok" if health["ok"] else health["detail"]
        if not seen or seen[-1] != detail:
            seen.append(detail)
        if _settled(expected) or time.monotonic() - started > timeout:
            break
        time.sleep(0.25)
    _emit(
        {
            **_state(),
            "settled": _settled(expected),
            "health_seen": seen,
            "seconds": round(time.monotonic() - started, 1),
        }
    )


def received_order(kind: str) -> None:
    """The application ids of one kind of delivery, in the order they arrived."""
    _emit(
        list(
            InboxEvent.objects.filter(kind=kind)
            .order_by("id")
            .values_list("application_id", flat=True)
        )
    )


def subscriptions() -> None:
    """Each subscription's topic, kind, callback and secret, for a drill that
    forges deliveries (and checks the secrets never reach the logs)."""
    _emit(
        [
            {
                "kind": sub.kind,
                "topic": sub.topic,
                "callback_url": sub.callback_url,
                "secret": sub.secret,
            }
            for sub in Subscription.objects.order_by("kind")
        ]
    )


def records() -> None:
    """Everything a delivery could change about the records, row by row: the inbox,
    the events, their packets, history, notifications, and the audit trail apart
    from the subscriptions' own entries (the keep-alive writes those on its
    schedule)."""
    _emit(
        {
            "inbox": list(
                InboxEvent.objects.order_by("id").values_list(
                    "id", "key", "status", "attempts", "application_id"
                )
            ),
            "events": list(
                VitalEvent.objects.order_by("id").values_list(
                    "id", "status", "outcome_at", "last_error_code"
                )
            ),
            "packets": list(
                Packet.objects.order_by("id").values_list(
                    "application_id", "status", "uin", "vid", "result_code"
                )
            ),
            "history": EventStatusChange.objects.count(),
            "notifications": Notification.objects.count(),
            "audit": list(
                AuditEvent.objects.exclude(action__startswith="websub.subscription_")
                .order_by("id")
                .values_list("id", "action", "target_id")
            ),
        }
    )
