"""The sandbox's hub delivers to the live portal over HTTP: subscriptions verified,
deliveries stored once, applied from the inbox, status sent back to MOSIP."""

import json

import pytest
import requests

from apps.websub import processing, services, tasks
from apps.websub.models import (
    BadInputCount,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
    SubscriptionState,
)
from tests.websub.conftest import (
    COMPLETED,
    CREDENTIAL_TOPIC,
    PARTNER,
    hub_halted,
    hub_live,
    issue_credential,
    publish_result,
    rid,
    set_faults,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def inbox_count(kind=None) -> int:
    events = InboxEvent.objects.all()
    return (events.filter(kind=kind) if kind else events).count()


def counted(kind: str) -> int:
    row = BadInputCount.objects.filter(kind=kind).first()
    return row.count if row else 0


def issued_status(url: str, application_id: str) -> str:
    credentials = requests.get(f"{url}/sandbox/api/credentials/issued", timeout=5)
    # The stock digital-card partner is requested too (and fails in the sandbox).
    (record,) = [
        c
        for c in credentials.json()["credentials"]
        if c["registrationId"] == application_id and c["partnerId"] == PARTNER
    ]
    return record["status"]


def test_subscriptions_are_verified_with_their_own_secret_and_callback(portal, hub):
    credential, workflow = portal["credential_issued"], portal["workflow_completed"]
    assert credential.topic == CREDENTIAL_TOPIC and workflow.topic == COMPLETED
    assert credential.secret != workflow.secret
    assert credential.callback_url != workflow.callback_url
    assert credential.callback_url.endswith(f"/websub/{credential.slug}/")
    assert credential.verified_at is not None
    # Stored encrypted: the column never holds the secret itself.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM websub_subscription WHERE id = %s", [credential.pk]
        )
        (stored,) = cursor.fetchone()
    assert credential.secret not in stored


def test_a_credential_and_a_result_are_applied_and_served_back(
    portal, hub, credential_partner, records
):
    issue_credential(hub.url, rid(1), uin="2345678901", vid="5432109876543210")
    publish_result(hub.url, rid(1))
    assert wait_until(lambda: inbox_count() == 2)

    processing.inbox_process_due()

    assert records.national_ids == {rid(1): ("2345678901", "5432109876543210")}
    assert records.results == {rid(1): "PROCESSED"}
    assert set(InboxEvent.objects.values_list("status", flat=True)) == {"applied"}
    credential = InboxEvent.objects.get(kind="credential_issued")
    assert credential.ack_status == "served" and credential.ack_sent_at is not None
    # MOSIP's credential request now carries the portal's status (requestId matched).
    assert wait_until(lambda: issued_status(hub.url, rid(1)) == "served")


def test_duplicate_deliveries_are_stored_and_applied_once(portal, hub, records):
    set_faults(hub.url, duplicate_rate=1.0)
    for n in range(3):
        publish_result(hub.url, rid(n))
    assert wait_until(lambda: counted("duplicate") >= 3)
    set_faults(hub.url, duplicate_rate=0.0)
    assert inbox_count() == 3

    processing.inbox_process_due()
    processing.inbox_process_due()
    assert records.results == {rid(n): "PROCESSED" for n in range(3)}
    assert records.calls == 3


def test_reordered_deliveries_are_all_applied(portal, hub, records, settings):
    publish_result(hub.url, rid(0))
    assert wait_until(lambda: inbox_count() == 1)
    # Four results wait at a halted hub, then go out pairwise swapped on resume.
    set_faults(hub.url, halt_subscribers=True)
    publish_result(hub.url, rid(1))
    assert wait_until(lambda: hub_halted(hub.url, COMPLETED))
    for n in range(2, 5):
        publish_result(hub.url, rid(n), "PROCESSED" if n % 2 else "REJECTED")
    set_faults(hub.url, halt_subscribers=False, reorder=True)
    settings.WEBSUB_RESUBSCRIBE_SECONDS = 0
    services.subscriptions_keep_alive()
    assert wait_until(lambda: inbox_count() == 5)
    set_faults(hub.url, reorder=False)
    delivered = [
        json.loads(body)["instanceId"]
        for body in InboxEvent.objects.order_by("id").values_list("body", flat=True)
    ]
    assert sorted(delivered) == [rid(n) for n in range(5)]
    assert delivered != [rid(n) for n in range(5)]  # they did arrive out of order

    processing.inbox_process_due()
    assert records.results == {
        rid(n): "PROCESSED" if n % 2 or n == 0 else "REJECTED" for n in range(5)
    }


def test_a_credential_and_its_result_apply_in_either_order(
    portal, hub, credential_partner, records
):
    publish_result(hub.url, rid(7))
    assert wait_until(lambda: inbox_count() == 1)
    processing.inbox_process_due()
    issue_credential(hub.url, rid(7), uin="1111111111", vid="2222222222222222")
    assert wait_until(lambda: inbox_count() == 2)
    processing.inbox_process_due()
    assert records.results == {rid(7): "PROCESSED"}
    assert records.national_ids == {rid(7): ("1111111111", "2222222222222222")}


def test_a_halted_subscriber_is_resumed_by_the_scheduled_resubscribe(
    portal, hub, records, settings
):
    publish_result(hub.url, rid(0))
    assert wait_until(lambda: inbox_count() == 1)
    set_faults(hub.url, halt_subscribers=True)
    publish_result(hub.url, rid(1))
    assert wait_until(lambda: hub_halted(hub.url, COMPLETED))
    set_faults(hub.url, halt_subscribers=False)
    publish_result(hub.url, rid(2))
    publish_result(hub.url, rid(3))
    # The hub still delivers to the credential subscriber, not to the halted one.
    issue_credential(hub.url, rid(9), uin="1111111111", vid="2222222222222222")
    assert wait_until(lambda: inbox_count("credential_issued") == 1)
    assert inbox_count("workflow_completed") == 1

    # Nothing looks wrong from the portal's side; the schedule alone brings it back.
    settings.WEBSUB_RESUBSCRIBE_SECONDS = 0
    result = tasks.keep_subscriptions_alive.apply().get()
    assert result["requested"] == 2

    assert wait_until(lambda: inbox_count("workflow_completed") == 4)
    assert hub_live(hub.url, COMPLETED)
    tasks.sweep_inbox.apply()
    assert records.results == {rid(n): "PROCESSED" for n in range(4)}
    assert Subscription.objects.get(topic=COMPLETED).state == SubscriptionState.VERIFIED


def test_a_keep_alive_of_a_live_subscriber_confirms_it(portal, hub, settings):
    settings.WEBSUB_RESUBSCRIBE_SECONDS = 0
    verified_at = portal["workflow_completed"].verified_at
    services.subscriptions_keep_alive()
    sub = Subscription.objects.get(topic=COMPLETED)
    # The hub answers "already registered": alive, nothing else changes.
    assert wait_until(
        lambda: (
            Subscription.objects.get(topic=COMPLETED).state
            == SubscriptionState.VERIFIED
        )
    )
    sub.refresh_from_db()
    assert sub.verified_at == verified_at
    assert sub.denied_reason == ""
    assert QuarantinedDelivery.objects.count() == 0


def test_secret_rotation_mid_stream_loses_nothing(portal, hub, records, settings):
    settings.WEBSUB_TROUBLE_RETRY_SECONDS = 0
    old_secret = portal["workflow_completed"].secret
    publish_result(hub.url, rid(0))
    assert wait_until(lambda: inbox_count() == 1)

    sub = services.subscription_rotate_secret(portal["workflow_completed"].pk)
    assert sub.secret != old_secret and sub.previous_secret == old_secret
    # The hub delivers to a live subscriber with the secret it has: it refuses the
    # re-subscribe, so the old secret stays accepted.
    assert wait_until(
        lambda: Subscription.objects.get(pk=sub.pk).hub_holds_previous_secret
    )
    publish_result(hub.url, rid(1))
    # Stored, then the hub is halted on purpose and the keep-alive moves it over.
    assert wait_until(lambda: inbox_count() == 2)
    assert wait_until(lambda: hub_halted(hub.url, COMPLETED))
    services.subscriptions_keep_alive()
    assert wait_until(lambda: hub_live(hub.url, COMPLETED))
    assert wait_until(lambda: counted("duplicate") == 1)  # rid(1) again, new secret
    sub.refresh_from_db()
    assert not sub.hub_holds_previous_secret

    publish_result(hub.url, rid(2))
    assert wait_until(lambda: inbox_count() == 3)
    assert QuarantinedDelivery.objects.count() == 0

    # A keep-alive now finds it live with the new secret, not the old one.
    settings.WEBSUB_RESUBSCRIBE_SECONDS = 0
    assert services.subscriptions_keep_alive()["requested"] == 2
    assert wait_until(
        lambda: Subscription.objects.get(pk=sub.pk).state == SubscriptionState.VERIFIED
    )
    sub.refresh_from_db()
    assert not sub.hub_holds_previous_secret

    settings.WEBSUB_ROTATION_GRACE_SECONDS = 0
    services.subscriptions_keep_alive()
    sub.refresh_from_db()
    assert sub.previous_secret == "" and sub.rotation_started_at is None

    processing.inbox_process_due()
    assert records.results == {rid(n): "PROCESSED" for n in range(3)}
