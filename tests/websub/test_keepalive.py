"""Keep-alive after signs of trouble, denials, the bounded quarantine and its
re-check, the beat tasks and the readiness check."""

import hashlib
import hmac
import json

import pytest
import requests
from django.conf import settings as django_settings
from django.utils import timezone

from apps.onboarding.readiness import registered_checks, run_check
from apps.websub import quarantine, tasks
from apps.websub.models import (
    BadInputCount,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
    SubscriptionState,
)
from tests.websub.conftest import COMPLETED, hub_live, rid, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(sub, body: bytes, signature: str):
    return requests.post(
        sub.callback_url,
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature": signature},
        timeout=10,
    )


def body_for(n: int) -> bytes:
    return json.dumps({"instanceId": rid(n), "resultCode": "PROCESSED"}).encode()


def test_the_beat_runs_the_sweep_and_the_keep_alive():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    tasks_scheduled = {entry["task"] for entry in schedule.values()}
    assert "apps.websub.tasks.sweep_inbox" in tasks_scheduled
    assert "apps.websub.tasks.keep_subscriptions_alive" in tasks_scheduled


def test_a_failed_verification_brings_a_re_subscribe_before_the_schedule(
    portal, hub, settings
):
    sub = portal["workflow_completed"]
    requested_at = sub.requested_at
    # Not due by the schedule: nothing happens.
    assert tasks.keep_subscriptions_alive.apply().get()["requested"] == 0

    post(sub, body_for(1), signed("forged", body_for(1)))
    sub.refresh_from_db()
    assert sub.trouble_since is not None

    settings.WEBSUB_TROUBLE_RETRY_SECONDS = 0
    assert tasks.keep_subscriptions_alive.apply().get()["requested"] == 1
    sub.refresh_from_db()
    assert sub.requested_at > requested_at and sub.trouble_since is None
    # The hub still has it live: "already registered" confirms it.
    assert wait_until(
        lambda: Subscription.objects.get(pk=sub.pk).state == SubscriptionState.VERIFIED
    )
    assert hub_live(hub.url, COMPLETED)


def test_a_denial_is_recorded_with_its_reason_and_retried(portal, settings):
    sub = portal["workflow_completed"]
    # A request of ours awaits the hub's answer (WebSub §5.2: it may deny it).
    Subscription.objects.filter(pk=sub.pk).update(
        state=SubscriptionState.PENDING, requested_at=timezone.now()
    )
    response = requests.get(
        f"{sub.callback_url}?hub.mode=denied&hub.topic={COMPLETED}"
        "&hub.reason=Subscriber is not authorized",
        timeout=10,
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.DENIED
    assert sub.denied_reason == "Subscriber is not authorized"
    assert sub.denied_at is not None

    settings.WEBSUB_TROUBLE_RETRY_SECONDS = 0
    assert tasks.keep_subscriptions_alive.apply().get()["requested"] == 1
    assert wait_until(
        lambda: Subscription.objects.get(pk=sub.pk).state == SubscriptionState.VERIFIED
    )


def test_the_quarantine_keeps_only_the_newest_junk(portal, settings):
    # No rotation under way: a forgery is junk, of which a sample is kept.
    settings.WEBSUB_QUARANTINE_SAMPLE = 3
    sub = portal["workflow_completed"]
    for n in range(5):
        assert post(sub, body_for(n), signed("forged", body_for(n))).status_code == 202
    held = [
        json.loads(body)["instanceId"]
        for body in QuarantinedDelivery.objects.values_list("body", flat=True)
    ]
    assert held == [rid(4), rid(3), rid(2)]
    assert BadInputCount.objects.get(kind="bad_signature").count == 5


def test_held_deliveries_signed_with_the_previous_secret_are_released(portal):
    sub = portal["workflow_completed"]
    old_secret = "the-secret-the-hub-still-had"
    post(sub, body_for(1), signed(old_secret, body_for(1)))
    assert InboxEvent.objects.count() == 0
    # The rotation it belonged to becomes known: the old secret is the previous one.
    Subscription.objects.filter(pk=sub.pk).update(previous_secret=old_secret)
    assert quarantine.quarantine_recheck() == 1
    (event,) = InboxEvent.objects.all()
    assert json.loads(event.body)["instanceId"] == rid(1)
    assert QuarantinedDelivery.objects.get().status == "released"
    # Released once only.
    assert quarantine.quarantine_recheck() == 0


def test_subscription_health_is_on_the_readiness_page(portal, settings):
    (check,) = [c for c in registered_checks() if c.key == "websub"]
    assert run_check(check).ok
    Subscription.objects.filter(topic=COMPLETED).update(
        state=SubscriptionState.DENIED, denied_reason="Subscriber is not authorized"
    )
    outcome = run_check(check)
    assert not outcome.ok and "Subscriber is not authorized" in outcome.reason
