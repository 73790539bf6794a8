"""Reads for the WebSub pages and for readiness."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.websub.models import (
    BadInputCount,
    BadInputKind,
    InboxEvent,
    InboxStatus,
    QuarantinedDelivery,
    QuarantineReason,
    QuarantineStatus,
    Subscription,
    SubscriptionState,
)


def subscription_health() -> dict:
    """{"ok": bool, "detail": str, "subscriptions": [...]}: ok when there is at
    least one subscription and every one is verified, untroubled and requested
    within twice the keep-alive interval."""
    now = timezone.now()
    stale_after = timedelta(seconds=2 * settings.WEBSUB_RESUBSCRIBE_SECONDS)
    items, problems = [], []
    for sub in Subscription.objects.all():
        issue = ""
        if sub.state == SubscriptionState.DENIED:
            issue = _("denied: %(reason)s") % {"reason": sub.denied_reason}
        elif sub.state == SubscriptionState.PENDING:
            issue = _("waiting for the hub's verification")
        elif sub.trouble_since:
            issue = _("re-subscribing: %(reason)s") % {"reason": sub.trouble_reason}
        elif sub.requested_at is None or now - sub.requested_at > stale_after:
            issue = _("not renewed on schedule (is the beat running?)")
        items.append({"topic": sub.topic, "state": sub.state, "issue": issue})
        if issue:
            problems.append(f"{sub.topic}: {issue}")
    if not items:
        return {"ok": False, "detail": _("no subscriptions"), "subscriptions": []}
    detail = "; ".join(problems) or ngettext(
        "%(count)s subscriptions verified",
        "%(count)s subscriptions verified",
        len(items),
    ) % {"count": len(items)}
    return {"ok": not problems, "detail": detail, "subscriptions": items}


def readiness_check() -> tuple[bool, str]:
    health = subscription_health()
    return health["ok"], health["detail"]


def subscriptions_with_counts():
    return Subscription.objects.annotate(
        received=Count("events"),
        pending=Count("events", filter=Q(events__status=InboxStatus.PENDING)),
        last_received_at=Max("events__received_at"),
    ).order_by("topic")


def bad_input_counts() -> list[dict]:
    stored = {row.kind: row for row in BadInputCount.objects.all()}
    return [
        {
            "kind": kind,
            "label": label,
            "count": stored[kind].count if kind in stored else 0,
            "last_seen_at": stored[kind].last_seen_at if kind in stored else None,
        }
        for kind, label in BadInputKind.choices
    ]


def quarantine(reason: str = ""):
    items = QuarantinedDelivery.objects.select_related("subscription").defer("body")
    if reason in QuarantineReason.values:
        items = items.filter(reason=reason)
    return items.order_by("-id")


def quarantine_reasons():
    return QuarantineReason.choices


def quarantine_summary() -> dict:
    """What the quarantine keeps: deliveries held because they may be genuine (by
    status), and the sample of junk, with its size per reason."""
    rows = QuarantinedDelivery.objects.values("possibly_genuine", "status").annotate(
        n=Count("id")
    )
    summary = {"held": 0, "released": 0, "sample": 0}
    for row in rows:
        if not row["possibly_genuine"]:
            summary["sample"] += row["n"]
        elif row["status"] == QuarantineStatus.HELD:
            summary["held"] += row["n"]
        else:
            summary["released"] += row["n"]
    summary["sample_per_reason"] = settings.WEBSUB_QUARANTINE_SAMPLE
    summary["held_limit"] = settings.WEBSUB_QUARANTINE_HELD_LIMIT
    return summary


def quarantine_held_count() -> int:
    return QuarantinedDelivery.objects.filter(status=QuarantineStatus.HELD).count()


# Inbox events the worker could not apply, listed on the "Unapplied events" page.
UNAPPLIED = (
    InboxStatus.ORPHAN,
    InboxStatus.FAILED,
    InboxStatus.UNDECRYPTABLE,
    InboxStatus.INVALID,
)


def orphans():
    return (
        InboxEvent.objects.filter(status__in=UNAPPLIED)
        .select_related("subscription")
        .defer("body")
        .order_by("-id")
    )


def websub_summary() -> dict:
    """WebSub at a glance: the subscriptions' health (`subscription_health`), when
    the hub last delivered an event, how many events wait in the inbox to be applied,
    how many could not be applied, and how many deliveries quarantine holds because
    they may be genuine. Reads only indexed rows, however long the inbox's history."""
    counts = InboxEvent.objects.filter(
        status__in=[InboxStatus.PENDING, *UNAPPLIED]
    ).aggregate(
        waiting=Count("pk", filter=Q(status=InboxStatus.PENDING)),
        unapplied=Count("pk", filter=Q(status__in=UNAPPLIED)),
    )
    # Events are stored as they arrive: the newest id is the last one received.
    last = InboxEvent.objects.order_by("-id").values_list("received_at", flat=True)
    return {
        "health": subscription_health(),
        "last_received_at": last.first(),
        "waiting": counts["waiting"],
        "unapplied": counts["unapplied"],
        "quarantine_held": quarantine_held_count(),
    }
