"""Every bad input changes no record, is counted, is visible to admins, and never
gets a 500. Deliveries come from the sandbox's hub or, for forgeries, straight to
the live portal over HTTP."""

import hashlib
import hmac
import json
import uuid

import pytest
import requests
from django.db import DatabaseError

from apps.websub import processing, receiver
from apps.websub.models import (
    BadInputCount,
    InboxEvent,
    InboxStatus,
    QuarantinedDelivery,
)
from tests.websub.conftest import (
    COMPLETED,
    CREDENTIAL_TOPIC,
    issue_credential,
    publish_raw,
    publish_result,
    rid,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def counted(kind: str) -> int:
    row = BadInputCount.objects.filter(kind=kind).first()
    return row.count if row else 0


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(sub, body: bytes, signature: str | None = None, link: str | None = None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature"] = signature
    headers["Link"] = link or f'http://hub/hub; rel="hub", {sub.topic}; rel="self"'
    return requests.post(sub.callback_url, data=body, headers=headers, timeout=30)


def result_body(application_id: str) -> bytes:
    return json.dumps(
        {"instanceId": application_id, "resultCode": "PROCESSED"}
    ).encode()


def state(records):
    return (
        records.snapshot(),
        list(InboxEvent.objects.values_list("key", "status")),
    )


def admin_page(client, integration_admin, name="websub:subscriptions") -> str:
    from django.urls import reverse

    client.force_login(integration_admin)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "case",
    ["forged", "missing", "uppercase-algorithm-wrong-secret"],
)
def test_a_delivery_without_a_valid_signature_changes_nothing(
    portal, records, case, client, integration_admin
):
    sub = portal["workflow_completed"]
    body = result_body(rid(1))
    before = state(records)
    signature = {
        "forged": signed("not-the-secret", body),
        "missing": None,
        "uppercase-algorithm-wrong-secret": signed("x", body).upper(),
    }[case]

    response = post(sub, body, signature)

    assert response.status_code == 202
    processing.inbox_process_due()
    assert state(records) == before
    kind = "missing_signature" if case == "missing" else "bad_signature"
    assert counted(kind) == 1
    (held,) = QuarantinedDelivery.objects.all()
    assert held.reason == kind and held.body == body.decode()
    page = admin_page(client, integration_admin, "websub:quarantine")
    assert held.get_reason_display() in page


def test_a_correct_signature_in_upper_case_hex_is_accepted(portal, records):
    sub = portal["workflow_completed"]
    body = result_body(rid(1))
    response = post(sub, body, signed(sub.secret, body).upper())
    assert response.status_code == 202
    assert InboxEvent.objects.count() == 1


@pytest.mark.parametrize("where", ["link", "body"])
def test_a_delivery_for_another_topic_changes_nothing(portal, records, where):
    sub = portal["credential_issued"]
    event = {
        "publisher": "CREDENTIAL_SERVICE",
        "topic": "other-partner/CREDENTIAL_ISSUED" if where == "body" else sub.topic,
        "event": {"id": str(uuid.uuid4()), "data": {"registrationId": rid(1)}},
    }
    body = json.dumps(event).encode()
    link = (
        'http://hub/hub; rel="hub", other-partner/CREDENTIAL_ISSUED; rel="self"'
        if where == "link"
        else None
    )
    before = state(records)
    assert post(sub, body, signed(sub.secret, body), link).status_code == 202
    assert state(records) == before
    assert counted("wrong_topic") == 1
    held = QuarantinedDelivery.objects.get()
    assert held.reason == "wrong_topic" and held.signature_valid


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"event": {}}', b""])
def test_malformed_content_changes_nothing(portal, records, body):
    sub = portal["credential_issued"]
    before = state(records)
    assert post(sub, body, signed(sub.secret, body)).status_code == 202
    assert state(records) == before
    assert counted("malformed") == 1
    assert QuarantinedDelivery.objects.get().reason == "malformed"


def test_a_10_mb_body_is_read_but_not_kept(portal, records, settings):
    sub = portal["workflow_completed"]
    body = b'{"instanceId": "' + b"9" * (10 * 1024 * 1024) + b'", "resultCode": "X"}'
    before = state(records)
    response = post(sub, body, signed(sub.secret, body))
    assert response.status_code == 202
    assert state(records) == before
    assert counted("too_large") == 1
    held = QuarantinedDelivery.objects.get()
    assert held.reason == "too_large" and held.signature_valid
    assert held.body == "" and held.body_size == len(body)
    assert held.body_sha256 == hashlib.sha256(body).hexdigest()


def test_a_body_beyond_the_drain_limit_is_refused_without_reading(portal, settings):
    settings.WEBSUB_DRAIN_LIMIT_BYTES = 1024 * 1024
    sub = portal["workflow_completed"]
    body = b"x" * (2 * 1024 * 1024)
    try:
        response = post(sub, body, signed(sub.secret, body))
        assert response.status_code == 413
    except requests.ConnectionError:
        pass  # the server may close before the client has sent it all
    assert InboxEvent.objects.count() == 0
    assert counted("too_large") == 1


def test_a_replayed_delivery_changes_nothing(portal, hub, records):
    sub = portal["workflow_completed"]
    publish_result(hub.url, rid(3))
    assert wait_until(lambda: InboxEvent.objects.count() == 1)
    processing.inbox_process_due()
    before = state(records)
    stored = InboxEvent.objects.get().body.encode()

    for _ in range(3):
        assert post(sub, stored, signed(sub.secret, stored)).status_code == 202
    processing.inbox_process_due()

    assert state(records) == before
    assert records.calls == 1
    assert counted("duplicate") == 3


def test_an_unknown_application_id_is_kept_as_an_orphan(
    portal, hub, credential_partner, records, client, integration_admin
):
    issue_credential(hub.url, "99999999999999999999999999999", "3333333333", "4" * 16)
    publish_result(hub.url, "99999999999999999999999999998")
    assert wait_until(lambda: InboxEvent.objects.count() == 2)
    processing.inbox_process_due()

    assert records.snapshot() == ({}, {})
    assert set(InboxEvent.objects.values_list("status", flat=True)) == {"orphan"}
    assert counted("unknown_application") == 2
    credential = InboxEvent.objects.get(kind="credential_issued")
    assert credential.ack_status == "serving_error_sending_back"
    assert credential.ack_sent_at is not None
    page = admin_page(client, integration_admin, "websub:orphans")
    assert "99999999999999999999999999998" in page

    # Once the record exists, an admin applies it again.
    records.known.add("99999999999999999999999999998")
    workflow = InboxEvent.objects.get(kind="workflow_completed")
    assert processing.inbox_retry(workflow.pk)
    processing.inbox_process_due()
    assert records.results == {"99999999999999999999999999998": "PROCESSED"}


def test_a_credential_that_does_not_decrypt_changes_nothing(
    portal, hub, credential_partner, records
):
    transaction_id = str(uuid.uuid4())
    publish_raw(
        hub.url,
        CREDENTIAL_TOPIC,
        {
            "publisher": "CREDENTIAL_SERVICE",
            "topic": CREDENTIAL_TOPIC,
            "event": {
                "id": str(uuid.uuid4()),
                "transactionId": transaction_id,
                "data": {"registrationId": rid(1), "credential": "VkVSX1IyZ2FyYmFnZQ"},
            },
        },
    )
    assert wait_until(lambda: InboxEvent.objects.count() == 1)
    processing.inbox_process_due()

    assert records.snapshot() == ({}, {})
    event = InboxEvent.objects.get()
    assert event.status == InboxStatus.UNDECRYPTABLE
    assert counted("undecryptable") == 1
    assert event.ack_status == "serving_error_decrypt" and event.ack_sent_at
    updates = requests.get(
        f"{hub.url}/sandbox/api/credential-status-updates", timeout=5
    ).json()["updates"]
    assert [u["event"]["status"] for u in updates] == ["serving_error_decrypt"]
    assert updates[0]["event"]["requestId"] == transaction_id


def test_a_delivery_to_an_unknown_callback_is_gone(portal, live_server):
    response = requests.post(
        f"{live_server.url}/websub/no-such-subscription/",
        data=b"{}",
        headers={"X-Hub-Signature": "sha256=00"},
        timeout=10,
    )
    assert response.status_code == 410
    assert counted("unknown_subscription") == 1


def test_a_verification_for_a_subscription_not_pending_is_refused(portal):
    sub = portal["workflow_completed"]
    response = requests.get(
        f"{sub.callback_url}?hub.mode=subscribe&hub.topic={COMPLETED}"
        "&hub.challenge=abc&hub.lease_seconds=10",
        timeout=10,
    )
    assert response.status_code == 404 and response.text == ""
    assert counted("refused_verification") == 1


def test_a_database_failure_is_503_never_500(portal, monkeypatch):
    sub = portal["workflow_completed"]

    def broken(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(receiver, "store", broken)
    body = result_body(rid(1))
    assert post(sub, body, signed(sub.secret, body)).status_code == 503


def test_counts_of_each_kind_are_shown_to_admins(
    portal, records, client, integration_admin
):
    sub = portal["workflow_completed"]
    body = result_body(rid(1))
    post(sub, body, signed("forged", body))
    post(sub, body, signed("forged", body))
    page = admin_page(client, integration_admin)
    assert 'Forged or stale signature</td><td class="num">2</td>' in page
    assert 'Malformed JSON</td><td class="num">0</td>' in page
