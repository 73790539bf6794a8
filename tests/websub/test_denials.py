"""Issue 18, finding 5: `hub.mode=denied` carries no signature, so it is acted on
only while a subscription request of ours awaits the hub's answer (WebSub §5.2: the
hub may deny a pending request). Any other denial is counted as unverified and
changes nothing: no state, no trouble, no re-subscribe, no audit row."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.websub import services
from apps.websub.models import (
    BadInputCount,
    EventKind,
    Subscription,
    SubscriptionState,
)

pytestmark = pytest.mark.django_db

COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
ALREADY = "Subscriber has already registered with the Hub"


@pytest.fixture
def sub():
    return Subscription.objects.create(
        topic=COMPLETED,
        kind=EventKind.WORKFLOW_COMPLETED,
        callback_url="http://testserver/websub/x/",
        secret="s3cr3t",
        state=SubscriptionState.VERIFIED,
        verified_at=timezone.now() - timedelta(hours=1),
        requested_at=timezone.now() - timedelta(hours=1),
    )


def pending(sub, ago: timedelta = timedelta(seconds=1)) -> None:
    Subscription.objects.filter(pk=sub.pk).update(
        state=SubscriptionState.PENDING, requested_at=timezone.now() - ago
    )


def deny(client, slug: str, reason: str, topic: str = COMPLETED):
    query = urlencode({"hub.mode": "denied", "hub.topic": topic, "hub.reason": reason})
    return client.get(f"/websub/{slug}/?{query}")


def unverified() -> int:
    row = BadInputCount.objects.filter(kind="unverified_denial").first()
    return row.count if row else 0


def snapshot(sub):
    sub.refresh_from_db()
    return (
        sub.state,
        sub.denied_reason,
        sub.denied_at,
        sub.trouble_since,
        sub.hub_holds_previous_secret,
        sub.verified_at,
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "reason", ["I made this up", "Subscriber is not authorized", ALREADY]
)
def test_a_denial_with_no_request_pending_changes_nothing(client, sub, reason):
    # During a rotation, so that even "already registered" would change something.
    Subscription.objects.filter(pk=sub.pk).update(
        previous_secret="old", rotation_started_at=timezone.now()
    )
    before = snapshot(sub)

    response = deny(client, sub.slug, reason)

    assert (response.status_code, response.content) == (200, b"")
    assert snapshot(sub) == before
    assert unverified() == 1
    # Nothing is due because of it: no re-subscribe.
    assert services._due(sub, timezone.now()) == ""


def test_a_denial_for_another_topic_or_an_unknown_callback_changes_nothing(client, sub):
    pending(sub)
    before = snapshot(sub)
    assert deny(client, sub.slug, "no", topic="someone/else").status_code == 200
    assert deny(client, "no-such-callback", "no").status_code == 200
    assert snapshot(sub) == before
    assert unverified() == 2


def test_a_denial_after_the_request_timed_out_changes_nothing(client, sub, settings):
    settings.WEBSUB_PENDING_TIMEOUT_SECONDS = 120
    pending(sub, ago=timedelta(seconds=121))
    before = snapshot(sub)
    assert deny(client, sub.slug, "Subscriber is not authorized").status_code == 200
    assert snapshot(sub) == before
    assert unverified() == 1


def test_a_denial_of_our_pending_request_is_recorded_once(client, sub):
    pending(sub)
    audit_before = AuditEvent.objects.count()

    response = deny(client, sub.slug, "Subscriber is not authorized")

    assert (response.status_code, response.content) == (200, b"")
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.DENIED
    assert sub.denied_reason == "Subscriber is not authorized"
    assert sub.trouble_since is not None
    assert AuditEvent.objects.count() == audit_before + 1
    assert unverified() == 0
    # The request is answered: a second denial is not ours to act on.
    deny(client, sub.slug, "Something else entirely")
    sub.refresh_from_db()
    assert sub.denied_reason == "Subscriber is not authorized"
    assert AuditEvent.objects.count() == audit_before + 1
    assert unverified() == 1


def test_already_registered_while_pending_confirms_the_subscription(client, sub):
    pending(sub)
    assert deny(client, sub.slug, ALREADY).status_code == 200
    sub.refresh_from_db()
    assert sub.state == SubscriptionState.VERIFIED and sub.denied_reason == ""
    assert unverified() == 0


def test_the_admin_page_counts_unverified_denials(client, sub, integration_admin):
    deny(client, sub.slug, "I made this up")
    client.force_login(integration_admin)
    page = client.get("/websub/manage/").content.decode()
    assert 'Denial with no request of ours pending</td><td class="num">1</td>' in page
