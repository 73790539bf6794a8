"""Writes for subscriptions and intent verification (the quarantine and bad-input
counts are in apps/websub/quarantine.py).

Keep-alive: MOSIP's hub stops delivering to a subscriber after one failed delivery and
never says so; it resumes (re-delivering from the failed message) when the subscriber
list changes, e.g. when that very subscriber subscribes again. So every subscription
is requested again on a schedule (WEBSUB_RESUBSCRIBE_SECONDS) and sooner after any
sign of trouble (a denial, a verification that never came, a delivery that failed
verification, a hub call that failed, a status search that found a result we never
got).
A live subscriber's re-subscribe is answered with a denial "already registered",
which confirms it is alive.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.websub import receiver, remote
from apps.websub.models import (
    BadInputKind,
    EventKind,
    InboxEvent,
    Subscription,
    SubscriptionState,
    new_secret,
    new_slug,
)
from apps.websub.quarantine import bad_input_count, quarantine_recheck

log = logging.getLogger(__name__)

ALREADY_REGISTERED = "Subscriber has already registered with the Hub"
WORKFLOW_COMPLETED_TOPIC = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"


def default_topics(partner_id: str) -> dict[str, str]:
    return {
        EventKind.CREDENTIAL_ISSUED: f"{partner_id}/CREDENTIAL_ISSUED",
        EventKind.WORKFLOW_COMPLETED: WORKFLOW_COMPLETED_TOPIC,
    }


def callback_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/websub/{slug}/"


# Subscriptions ----------------------------------------------------------------------


def subscriptions_ensure(
    *,
    base_url: str | None = None,
    partner_id: str | None = None,
    topics: dict[str, str] | None = None,
    actor=None,
) -> list[Subscription]:
    """Make sure each topic has a subscription, and ask the hub for each one that is
    not verified. `topics` maps kind to topic (default: the credential partner's
    CREDENTIAL_ISSUED and the workflow-completed topic); `base_url` is this portal's
    public URL as the hub reaches it (default WEBSUB_CALLBACK_BASE_URL)."""
    base_url = base_url or settings.WEBSUB_CALLBACK_BASE_URL
    if not base_url:
        raise ValueError("the portal's public base URL (WEBSUB_CALLBACK_BASE_URL)")
    if topics is None:
        partner = partner_id or getattr(remote.credential_partner(), "partner_id", "")
        if not partner:
            raise ValueError("no credential partner id to subscribe with")
        topics = default_topics(partner)
    subscriptions = []
    for kind, topic in topics.items():
        with transaction.atomic():
            sub = Subscription.objects.select_for_update().filter(topic=topic).first()
            if sub is None:
                slug = new_slug()
                sub = Subscription.objects.create(
                    topic=topic,
                    kind=kind,
                    slug=slug,
                    callback_url=callback_url(base_url, slug),
                    secret=new_secret(),
                )
                audit_record(
                    actor=actor, action="websub.subscription_created", target=sub
                )
            elif sub.callback_url != callback_url(base_url, sub.slug):
                sub.callback_url = callback_url(base_url, sub.slug)
                sub.save(update_fields=["callback_url"])
        if sub.state != SubscriptionState.VERIFIED or sub.trouble_since:
            subscription_request(sub.pk, actor=actor, reason="ensure")
            sub.refresh_from_db()
        subscriptions.append(sub)
    return subscriptions


def subscription_request(subscription_id: int, *, actor=None, reason: str = "") -> bool:
    """Ask the hub to (re-)subscribe: the subscription becomes pending, so that only
    the verification that follows is answered. True when the hub took the request."""
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription_id)
        sub.state = SubscriptionState.PENDING
        sub.requested_at = timezone.now()
        sub.save(update_fields=["state", "requested_at"])
        audit_record(
            actor=actor,
            action="websub.subscription_requested",
            target=sub,
            details={"reason": reason},
        )
    try:
        remote.hub_subscribe(
            sub.topic, sub.callback_url, sub.secret, settings.WEBSUB_LEASE_SECONDS
        )
    except remote.HubCallFailed as exc:
        Subscription.objects.filter(pk=sub.pk).update(
            last_request_error=str(exc)[:500],
            trouble_since=timezone.now(),
            trouble_reason="the hub could not be asked",
        )
        log.warning("subscribe for subscription %s failed: %s", sub.pk, exc)
        return False
    Subscription.objects.filter(pk=sub.pk).update(
        last_request_error="", trouble_since=None, trouble_reason=""
    )
    return True


def subscription_confirm(slug: str, topic: str, challenge: str) -> str | None:
    """Intent verification: the challenge to echo, only for a pending subscription
    of this topic; None (and counted) otherwise."""
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(slug=slug).first()
        if (
            sub is None
            or sub.state != SubscriptionState.PENDING
            or sub.topic != topic
            or not challenge
        ):
            bad_input_count(BadInputKind.REFUSED_VERIFICATION)
            return None
        sub.state = SubscriptionState.VERIFIED
        sub.verified_at = timezone.now()
        sub.denied_reason = ""
        # The hub stores the secret of the request it verifies: ours, the current one.
        sub.hub_holds_previous_secret = False
        sub.save(
            update_fields=[
                "state",
                "verified_at",
                "denied_reason",
                "hub_holds_previous_secret",
            ]
        )
        audit_record(actor=None, action="websub.subscription_verified", target=sub)
    receiver.forget_cached(slug)
    return challenge


def subscription_record_denial(slug: str, topic: str, reason: str) -> bool:
    """The hub's `hub.mode=denied` notification (WebSub §5.2). It carries no
    signature, so anyone could send it: it is acted on only while a subscription
    request of ours for this callback and topic awaits the hub's answer (see
    `awaiting_answer`); otherwise it is counted as an unverified denial and changes
    nothing. True when it was acted on.

    "Already registered" means the hub delivers to this callback already: alive,
    with the secret it had."""
    reason = (reason or "no reason given")[:500]
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(slug=slug).first()
        if sub is None or not awaiting_answer(sub, topic, timezone.now()):
            bad_input_count(BadInputKind.UNVERIFIED_DENIAL)
            return False
        if reason.startswith(ALREADY_REGISTERED):
            sub.state = SubscriptionState.VERIFIED
            sub.verified_at = sub.verified_at or timezone.now()
            # During a rotation the hub keeps the old secret, unless it already
            # verified a subscribe with the new one.
            sub.hub_holds_previous_secret = bool(sub.previous_secret) and not (
                sub.verified_at
                and sub.rotation_started_at
                and sub.verified_at >= sub.rotation_started_at
            )
            sub.denied_reason = ""
        else:
            sub.state = SubscriptionState.DENIED
            sub.denied_reason = reason
            sub.denied_at = timezone.now()
            sub.trouble_since = sub.trouble_since or timezone.now()
            sub.trouble_reason = "denied by the hub"
        sub.save()
        audit_record(
            actor=None,
            action="websub.subscription_denied",
            target=sub,
            details={"reason": reason},
        )
    receiver.forget_cached(slug)
    return True


def awaiting_answer(sub: Subscription, topic: str, now) -> bool:
    """Whether a subscription request of ours for `topic` at this callback is still
    waiting for the hub's answer: sent (state pending) no longer ago than
    WEBSUB_PENDING_TIMEOUT_SECONDS (after that the keep-alive asks again)."""
    timeout = timedelta(seconds=settings.WEBSUB_PENDING_TIMEOUT_SECONDS)
    return (
        sub.topic == topic
        and sub.state == SubscriptionState.PENDING
        and sub.requested_at is not None
        and now - sub.requested_at <= timeout
    )


def subscription_rotate_secret(subscription_id: int, *, actor=None) -> Subscription:
    """Start a secret rotation: a new secret, the old one kept as previous (still
    accepted) until the hub has adopted the new one, then a re-subscribe with it."""
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription_id)
        sub.previous_secret = sub.secret
        sub.secret = new_secret()
        sub.rotation_started_at = timezone.now()
        sub.hub_holds_previous_secret = False
        sub.save()
        audit_record(actor=actor, action="websub.secret_rotated", target=sub)
    receiver.forget_cached(sub.slug)
    subscription_request(sub.pk, actor=actor, reason="secret rotation")
    sub.refresh_from_db()
    return sub


def subscription_flag_trouble(subscription_id: int, reason: str) -> None:
    """Note a sign that the hub may have stopped delivering (kept at the first one);
    the keep-alive re-subscribes soon after."""
    Subscription.objects.filter(pk=subscription_id, trouble_since=None).update(
        trouble_since=timezone.now(), trouble_reason=reason[:200]
    )


def subscriptions_flag_trouble(reason: str) -> None:
    """For other apps (e.g. a reconcile that found a result never delivered)."""
    Subscription.objects.filter(trouble_since=None).update(
        trouble_since=timezone.now(), trouble_reason=reason[:200]
    )


def subscriptions_flag_missed_results(application_ids: list[str]) -> int:
    """The status search found MOSIP's final result for these application ids; each
    whose result the hub never delivered is a sign it stopped delivering. Returns
    how many were never delivered."""
    delivered = set(
        InboxEvent.objects.filter(
            kind=EventKind.WORKFLOW_COMPLETED, application_id__in=application_ids
        ).values_list("application_id", flat=True)
    )
    missed = len(set(application_ids) - delivered)
    if missed:
        log.warning("%s results found by status search were never delivered", missed)
        subscriptions_flag_trouble(
            "results found by status search were never delivered"
        )
    return missed


def _due(sub: Subscription, now) -> str:
    """Why this subscription should be requested again now, or ''."""
    if sub.requested_at is None:
        return "never requested"
    since = now - sub.requested_at
    retry = timedelta(seconds=settings.WEBSUB_TROUBLE_RETRY_SECONDS)
    if sub.state == SubscriptionState.PENDING and since >= timedelta(
        seconds=settings.WEBSUB_PENDING_TIMEOUT_SECONDS
    ):
        return "verification never came"
    if sub.trouble_since and since >= retry:
        return sub.trouble_reason or "trouble"
    if sub.state == SubscriptionState.DENIED and since >= retry:
        return "denied"
    if since >= timedelta(seconds=settings.WEBSUB_RESUBSCRIBE_SECONDS):
        return "keep-alive"
    return ""


def subscriptions_keep_alive() -> dict[str, int]:
    """Beat: re-subscribe what is due, finish rotations, re-check the quarantine."""
    now = timezone.now()
    requested = finished = 0
    for sub in Subscription.objects.all():
        reason = _due(sub, now)
        if reason:
            subscription_request(sub.pk, reason=reason)
            requested += 1
        if sub.previous_secret and _rotation_finished(sub, now):
            Subscription.objects.filter(pk=sub.pk).update(
                previous_secret="", rotation_started_at=None
            )
            receiver.forget_cached(sub.slug)
            finished += 1
    released = quarantine_recheck()
    return {
        "requested": requested,
        "rotations_finished": finished,
        "released": released,
    }


def _rotation_finished(sub: Subscription, now) -> bool:
    grace = timedelta(seconds=settings.WEBSUB_ROTATION_GRACE_SECONDS)
    return (
        not sub.hub_holds_previous_secret
        and sub.state == SubscriptionState.VERIFIED
        and sub.verified_at is not None
        and sub.rotation_started_at is not None
        and sub.verified_at >= sub.rotation_started_at
        and now - sub.verified_at >= grace
    )
