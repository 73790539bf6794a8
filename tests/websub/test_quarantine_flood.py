"""Issue 18, finding 2: an anonymous flood cannot empty the quarantine.

Deliveries that may be genuine (for a subscription of ours: signed with its secret
but unusable, or unverifiable while a secret rotation is under way) are held and never
pushed out by junk; junk is counted, and only a small sample of it is kept; POSTs to
unknown callbacks are rate-limited per client address. Requests go through the
Django view (the same `delivery.deliver` as the lean WSGI entry, also checked)."""

import hashlib
import hmac
import io
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from apps.websub import quarantine, receiver
from apps.websub.models import (
    BadInputCount,
    EventKind,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
    SubscriptionState,
)
from crvs_portal.wsgi import application

pytestmark = pytest.mark.django_db

COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
# The secret the hub signed with before a rotation we only half know about.
HUBS_OLD_SECRET = "the-secret-the-hub-still-had"


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def result(n: int) -> bytes:
    return json.dumps({"instanceId": f"rid-{n}", "resultCode": "PROCESSED"}).encode()


def counted(kind: str) -> int:
    row = BadInputCount.objects.filter(kind=kind).first()
    return row.count if row else 0


@pytest.fixture
def subs():
    receiver.forget_cached()
    rotating = Subscription.objects.create(
        topic=COMPLETED,
        kind=EventKind.WORKFLOW_COMPLETED,
        callback_url="http://testserver/websub/r/",
        secret="the-new-secret",
        previous_secret="the-previous-secret",
        state=SubscriptionState.VERIFIED,
    )
    steady = Subscription.objects.create(
        topic="partner/CREDENTIAL_ISSUED",
        kind=EventKind.CREDENTIAL_ISSUED,
        callback_url="http://testserver/websub/s/",
        secret="steady-secret",
        state=SubscriptionState.VERIFIED,
    )
    yield {"rotating": rotating, "steady": steady}
    receiver.forget_cached()


def post(client, slug: str, body: bytes, signature=None, address="192.0.2.1"):
    extra = {"REMOTE_ADDR": address}
    if signature is not None:
        extra["HTTP_X_HUB_SIGNATURE"] = signature
    return client.post(
        f"/websub/{slug}/", data=body, content_type="application/json", **extra
    )


def held_deliveries(client, subs) -> list[int]:
    """Two deliveries that may be genuine: one unverifiable during the rotation,
    one signed with our secret but malformed."""
    rotating = subs["rotating"]
    body = result(1)
    answer = post(client, rotating.slug, body, signed(HUBS_OLD_SECRET, body))
    assert answer.status_code == 202
    bad = b"{not json"
    answer = post(client, rotating.slug, bad, signed(rotating.secret, bad))
    assert answer.status_code == 202
    held = list(
        QuarantinedDelivery.objects.filter(possibly_genuine=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert len(held) == 2
    return held


def test_a_thousand_junk_posts_leave_held_deliveries_in_place(client, subs, settings):
    settings.WEBSUB_QUARANTINE_SAMPLE = 5
    held = held_deliveries(client, subs)
    steady = subs["steady"]

    statuses = []
    for n in range(1000):
        body = result(n)
        if n % 4 == 0:  # unknown callbacks, each from its own address
            address = f"198.51.{n // 250}.{n % 250}"
            statuses.append(post(client, f"junk-{n}", body, "sha256=00", address))
        elif n % 4 == 1:  # no signature, to a real callback
            statuses.append(post(client, steady.slug, body))
        elif n % 4 == 2:  # forged, no rotation under way
            statuses.append(post(client, steady.slug, body, signed("guess", body)))
        else:  # not even JSON, no signature, to an unknown callback
            address = f"203.0.{n // 250}.{n % 250}"
            statuses.append(post(client, f"junk-{n}", b"\xff", None, address))
    assert {r.status_code for r in statuses} == {202, 410}

    # The held deliveries are all still there, and still held.
    kept = QuarantinedDelivery.objects.filter(id__in=held, status="held")
    assert sorted(kept.values_list("id", flat=True)) == held
    # Every junk post is counted...
    assert counted("unknown_subscription") == 500
    assert counted("missing_signature") == 250
    assert counted("bad_signature") == 250 + 1  # and the held one
    # ...but only a sample of each reason is kept.
    junk = QuarantinedDelivery.objects.filter(possibly_genuine=False)
    assert junk.filter(reason="unknown_subscription").count() == 5
    assert junk.filter(reason="missing_signature").count() == 5
    assert junk.filter(reason="bad_signature").count() == 5
    assert QuarantinedDelivery.objects.count() == 2 + 15
    # The newest are the ones sampled.
    newest = junk.filter(reason="bad_signature").order_by("-id").first()
    assert json.loads(newest.body)["instanceId"] == "rid-998"

    # The held one is released once its secret becomes known.
    Subscription.objects.filter(pk=subs["rotating"].pk).update(
        previous_secret=HUBS_OLD_SECRET
    )
    assert quarantine.quarantine_recheck() == 1
    assert json.loads(InboxEvent.objects.get().body)["instanceId"] == "rid-1"


def test_junk_never_becomes_held(client, subs):
    """What cannot be genuine is sampled however it arrives."""
    steady, rotating = subs["steady"], subs["rotating"]
    body = result(1)
    post(client, "no-such-callback", body, signed(steady.secret, body))
    post(client, steady.slug, body, signed("guess", body))  # no rotation
    post(client, rotating.slug, body)  # no signature: nothing to check later
    assert not QuarantinedDelivery.objects.filter(possibly_genuine=True).exists()
    assert QuarantinedDelivery.objects.count() == 3


def test_held_deliveries_beyond_the_limit_are_left_with_the_hub(client, subs, settings):
    settings.WEBSUB_QUARANTINE_HELD_LIMIT = 2
    held = held_deliveries(client, subs)
    body = result(7)
    rotating = subs["rotating"]

    response = post(client, rotating.slug, body, signed(HUBS_OLD_SECRET, body))

    # Not kept, so the hub must keep it: 503 (it re-delivers after a re-subscribe).
    assert response.status_code == 503
    assert counted("quarantine_full") == 1
    assert (
        list(QuarantinedDelivery.objects.order_by("id").values_list("id", flat=True))
        == held
    )


@time_machine.travel(datetime(2026, 12, 7, 12, 0, 10, tzinfo=UTC), tick=False)
def test_unknown_callbacks_are_rate_limited_per_address(client, subs, settings):
    settings.WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE = 3
    body = b"{}"
    answers = [post(client, f"scan-{n}", body, "sha256=00") for n in range(5)]

    assert [r.status_code for r in answers] == [410, 410, 410, 429, 429]
    assert answers[3]["Retry-After"] == "50"  # the next minute opens at 12:01:00
    assert counted("rate_limited") == 2
    assert counted("unknown_subscription") == 3
    assert QuarantinedDelivery.objects.count() == 3
    # Another address has its own budget; real callbacks have no such limit.
    assert post(client, "scan-9", body, "sha256=00", "192.0.2.2").status_code == 410
    steady = subs["steady"]
    assert post(client, steady.slug, body, signed("x", body)).status_code == 202
    # The next minute, the first address may try again.
    with time_machine.travel(datetime(2026, 12, 7, 12, 1, 0, tzinfo=UTC)):
        assert post(client, "scan-10", body, "sha256=00").status_code == 410


def test_the_lean_wsgi_entry_answers_429_with_retry_after(subs, settings):
    settings.WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE = 1
    seen = []

    def start_response(status, headers):
        seen.append((status, dict(headers)))

    for _ in range(2):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/websub/scan/",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "192.0.2.9",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": "2",
            "wsgi.input": io.BytesIO(b"{}"),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        b"".join(application(environ, start_response))
    assert seen[0][0] == "410 Gone"
    status, headers = seen[1]
    assert status == "429 Too Many Requests"
    assert 1 <= int(headers["Retry-After"]) <= 60


def test_the_admin_pages_show_the_counts_and_what_is_kept(
    client, subs, settings, integration_admin
):
    settings.WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE = 2
    settings.WEBSUB_QUARANTINE_SAMPLE = 1
    held_deliveries(client, subs)
    for n in range(4):
        post(client, f"scan-{n}", b"{}", "sha256=00")

    client.force_login(integration_admin)
    page = client.get(reverse("websub:subscriptions")).content.decode()
    assert (
        'Unknown callback, refused by the rate limit (429)</td><td class="num">2</td>'
        in page
    )
    assert 'Unknown callback</td><td class="num">2</td>' in page
    assert "Quarantine: 2 held because they may be genuine" in page
    assert "1 kept as a sample of the rest" in page
    quarantine = client.get(reverse("websub:quarantine")).content.decode()
    assert quarantine.count("held: may be genuine") == 2
    assert quarantine.count("<td>sample</td>") == 1
