"""Conformance of the sandbox's WebSub hub with MOSIP's (docs/mosip/onboarding-websub.md §4,
checklist §7 items 8–12), driven over HTTP with a real local subscriber."""

import hashlib
import hmac
import json

import pytest
import requests

from tests.mosip_sandbox.websub_receiver import (
    Receiver,
    mint_token,
    publish,
    set_faults,
    subscribe,
)
from tests.sandbox_process import SandboxProcess
from tests.waiting import wait_until

COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
PARTNER_TOPIC = "crvs-partner/CREDENTIAL_ISSUED"


@pytest.fixture
def receiver():
    subscriber = Receiver()
    yield subscriber
    subscriber.close()


def subscriber_token(url: str) -> str:
    return mint_token(
        url, "service-account-crvs-partner",
        [f"SUBSCRIBE_{COMPLETED}_GENERAL", "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL"],
    )  # fmt: skip


def publisher_token(url: str) -> str:
    return mint_token(
        url, "service-account-mosip-regproc-client",
        [f"PUBLISH_{COMPLETED}_GENERAL", "PUBLISH_CREDENTIAL_ISSUED_ALL_INDIVIDUAL"],
    )  # fmt: skip


def hub_subscriptions(url: str) -> list[dict]:
    return requests.get(f"{url}/sandbox/api/hub/subscriptions", timeout=5).json()[
        "subscriptions"
    ]


def live(url: str, topic: str = COMPLETED) -> bool:
    return any(s["topic"] == topic and not s["halted"] for s in hub_subscriptions(url))


def subscribe_and_wait(url: str, receiver: Receiver, topic: str = COMPLETED, **kw):
    before = len(receiver.gets())
    response = subscribe(url, subscriber_token(url), topic, receiver.url, **kw)
    assert response.status_code == 202
    assert receiver.wait_for(lambda: len(receiver.gets()) > before)
    assert wait_until(lambda: live(url, topic))


def send(url: str, number: int, topic: str = COMPLETED) -> bytes:
    body = json.dumps({"instanceId": f"rid-{number}", "resultCode": "PROCESSED"})
    response = publish(url, publisher_token(url), topic, body.encode())
    assert response.text == "hub.mode=accepted"
    return body.encode()


def delivered_ids(receiver: Receiver) -> list[str]:
    return [json.loads(p.body)["instanceId"] for p in receiver.posts()]


def callbacks(url: str) -> list[str]:
    return [s["callback"] for s in hub_subscriptions(url)]


def test_a_subscription_is_verified_with_the_raw_challenge_and_becomes_active(
    mosip_sandbox, receiver
):
    token = subscriber_token(mosip_sandbox.url)
    response = subscribe(mosip_sandbox.url, token, PARTNER_TOPIC, receiver.url)

    assert response.status_code == 202
    assert receiver.wait_for(lambda: receiver.gets())
    verification = receiver.gets()[0]
    assert verification.path == "/websub/callback"
    assert verification.raw_query.startswith(
        "hub.mode=subscribe&hub.topic=crvs-partner/CREDENTIAL_ISSUED&hub.challenge="
    )
    assert verification.raw_query.endswith("&hub.lease_seconds=864000")
    assert len(verification.query["hub.challenge"]) == 36
    assert wait_until(lambda: live(mosip_sandbox.url, PARTNER_TOPIC))


def test_the_requested_lease_is_echoed_in_the_verification(mosip_sandbox, receiver):
    token = subscriber_token(mosip_sandbox.url)
    subscribe(
        mosip_sandbox.url, token, COMPLETED, receiver.url,
        **{"hub.lease_seconds": "86400"},
    )  # fmt: skip
    assert receiver.wait_for(lambda: receiver.gets())
    assert receiver.gets()[0].query["hub.lease_seconds"] == "86400"


def test_a_wrong_echo_leaves_no_subscription(mosip_sandbox, receiver):
    url = mosip_sandbox.url
    receiver.echo = lambda challenge: challenge + "\n"
    subscribe(url, subscriber_token(url), COMPLETED, receiver.url)
    assert receiver.wait_for(lambda: receiver.gets())

    # A second subscriber, verified after the first answered, then served a message:
    # the hub is past both points where the first could have been stored or served.
    other = Receiver()
    try:
        subscribe_and_wait(url, other)
        send(url, 1)
        other.wait_for_posts(1)
        assert callbacks(url) == [other.url]
        assert receiver.posts() == []
    finally:
        other.close()


def test_a_subscription_without_a_secret_is_verified_but_never_stored(
    mosip_sandbox, receiver
):
    token = subscriber_token(mosip_sandbox.url)
    response = subscribe(mosip_sandbox.url, token, COMPLETED, receiver.url, secret=None)

    assert response.status_code == 202
    assert receiver.wait_for(lambda: receiver.gets())
    other = Receiver()
    try:
        # Verified after the first: once it is stored, the first would have been.
        subscribe_and_wait(mosip_sandbox.url, other)
        assert callbacks(mosip_sandbox.url) == [other.url]
    finally:
        other.close()


def test_a_subscribe_without_the_cookie_is_denied_with_500(mosip_sandbox, receiver):
    token = subscriber_token(mosip_sandbox.url)
    response = requests.post(
        f"{mosip_sandbox.url}/hub",
        data={"hub.mode": "subscribe", "hub.topic": COMPLETED,
              "hub.callback": receiver.url, "hub.secret": "s"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )  # fmt: skip

    assert response.status_code == 500
    assert response.text.startswith("hub.mode=denied&hub.reason=")
    # A valid subscription afterwards: its verification is the only call the
    # subscriber gets, so the denied one was never verified.
    subscribe_and_wait(mosip_sandbox.url, receiver)
    assert [r.query["hub.mode"] for r in receiver.received] == ["subscribe"]


def test_a_forged_token_is_denied(mosip_sandbox, receiver):
    token = subscriber_token(mosip_sandbox.url)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = subscribe(mosip_sandbox.url, forged, COMPLETED, receiver.url)
    assert response.status_code == 500
    assert response.text.startswith("hub.mode=denied")


def test_an_individual_topic_of_another_partner_is_denied(mosip_sandbox, receiver):
    token = subscriber_token(mosip_sandbox.url)
    response = subscribe(
        mosip_sandbox.url, token, "other-partner/CREDENTIAL_ISSUED", receiver.url
    )

    assert response.status_code == 500
    assert response.text == "hub.mode=denied&hub.reason=Subscriber is not authorized"


def test_a_general_topic_needs_its_general_role(mosip_sandbox, receiver):
    token = mint_token(
        mosip_sandbox.url, "crvs-partner", ["SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL"]
    )
    response = subscribe(mosip_sandbox.url, token, COMPLETED, receiver.url)
    assert response.status_code == 500


def test_a_duplicate_live_subscription_gets_a_denied_notification(
    mosip_sandbox, receiver
):
    subscribe_and_wait(mosip_sandbox.url, receiver)
    token = subscriber_token(mosip_sandbox.url)
    assert (
        subscribe(mosip_sandbox.url, token, COMPLETED, receiver.url).status_code == 202
    )

    assert receiver.wait_for(lambda: len(receiver.gets()) == 2)
    denial = receiver.gets()[1]
    assert denial.query == {
        "hub.mode": "denied",
        "hub.topic": COMPLETED,
        "hub.reason": "Subscriber has already registered with the Hub",
    }


def test_a_delivery_is_signed_over_the_exact_bytes_with_the_link_header(
    mosip_sandbox, receiver
):
    subscribe_and_wait(mosip_sandbox.url, receiver, PARTNER_TOPIC, secret="k3y")
    published = {"publisher": "CREDENTIAL_SERVICE", "event": {"id": "e-1", "n": [1, 2]}}
    token = publisher_token(mosip_sandbox.url)
    publish(mosip_sandbox.url, token, PARTNER_TOPIC, json.dumps(published).encode())

    (delivery,) = receiver.wait_for_posts(1)
    expected = hmac.new(b"k3y", delivery.body, hashlib.sha256).hexdigest()
    assert delivery.headers["X-Hub-Signature"] == f"sha256={expected}"
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["Link"] == (
        f'{mosip_sandbox.url}/hub; rel="hub", {PARTNER_TOPIC}; rel="self"'
    )
    assert json.loads(delivery.body) == published


def test_the_hub_re_serialises_the_published_json(mosip_sandbox, receiver):
    subscribe_and_wait(mosip_sandbox.url, receiver)
    token = publisher_token(mosip_sandbox.url)
    publish(mosip_sandbox.url, token, COMPLETED, b'{ "b" : 1,"a":[true, null] }')

    (delivery,) = receiver.wait_for_posts(1)
    assert delivery.body == b'{"b":1, "a":[true, null]}'


def test_a_failed_delivery_halts_the_subscriber_until_it_re_subscribes(
    mosip_sandbox, receiver
):
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    send(url, 1)
    receiver.wait_for_posts(1)
    receiver.statuses = [500]
    send(url, 2)
    receiver.wait_for_posts(2)
    send(url, 3)
    # The consumer halts after the failed delivery and sends nothing more.
    assert wait_until(lambda: not live(url), message="the subscriber halted")
    assert delivered_ids(receiver) == ["rid-1", "rid-2"]

    subscribe_and_wait(url, receiver)
    receiver.wait_for_posts(4)
    assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-2", "rid-3"]


def test_any_subscription_change_restarts_a_halted_subscriber(mosip_sandbox, receiver):
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    send(url, 1)
    receiver.wait_for_posts(1)
    receiver.statuses = [503]
    send(url, 2)
    receiver.wait_for_posts(2)
    assert wait_until(lambda: not live(url))

    other = Receiver()
    try:
        subscribe_and_wait(url, other, PARTNER_TOPIC)
        receiver.wait_for_posts(3)
        assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-2"]
    finally:
        other.close()


def test_a_new_subscription_gets_nothing_published_before_it(mosip_sandbox, receiver):
    send(mosip_sandbox.url, 1)
    subscribe_and_wait(mosip_sandbox.url, receiver)
    send(mosip_sandbox.url, 2)
    send(mosip_sandbox.url, 3)
    # Deliveries go out in order: had rid-1 been due, it would have come first.
    receiver.wait_for_posts(2)
    assert delivered_ids(receiver) == ["rid-2", "rid-3"]


def test_a_first_delivery_that_fails_is_lost_when_the_consumer_restarts(
    mosip_sandbox, receiver
):
    # A consumer group that never committed restarts at the end of the log.
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    receiver.statuses = [500]
    send(url, 1)
    receiver.wait_for_posts(1)
    assert wait_until(lambda: not live(url))

    subscribe_and_wait(url, receiver)
    send(url, 2)
    send(url, 3)
    # Deliveries go out in order: a resent rid-1 would have come before rid-2.
    receiver.wait_for_posts(3)
    assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-3"]


def test_a_delivery_that_times_out_is_retried_then_halts(mosip_sandbox, receiver):
    # The client retries transport failures 3 times, so a slow subscriber gets the
    # same message four times before the hub gives up on it.
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    send(url, 1)
    receiver.wait_for_posts(1)
    mosip_sandbox.set_speed(100)
    requests.post(
        f"{url}/sandbox/api/documents",
        json={"collection": "settings", "key": "hub",
              "doc": {"delivery_timeout_seconds": 0.3}},
        timeout=5,
    ).raise_for_status()  # fmt: skip
    receiver.delay_seconds = 0.6
    send(url, 2)

    assert wait_until(lambda: not live(url))
    assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-2", "rid-2", "rid-2"]


def test_the_duplicate_switch_delivers_each_message_twice(mosip_sandbox, receiver):
    subscribe_and_wait(mosip_sandbox.url, receiver)
    set_faults(mosip_sandbox.url, duplicate_rate=1)
    send(mosip_sandbox.url, 1)

    first, second = receiver.wait_for_posts(2)
    assert first.body == second.body
    assert first.headers["X-Hub-Signature"] == second.headers["X-Hub-Signature"]
    assert delivered_ids(receiver) == ["rid-1", "rid-1"]


def test_the_reorder_switch_swaps_adjacent_deliveries(mosip_sandbox, receiver):
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    send(url, 1)
    receiver.wait_for_posts(1)
    receiver.statuses = [500]
    send(url, 2)
    receiver.wait_for_posts(2)
    send(url, 3)
    assert wait_until(lambda: not live(url))
    set_faults(url, reorder=True)

    subscribe_and_wait(url, receiver)
    receiver.wait_for_posts(4)
    assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-3", "rid-2"]


def test_the_halt_switch_halts_subscribers_which_stay_halted(mosip_sandbox, receiver):
    url = mosip_sandbox.url
    # A subscriber of another topic, which gets no message while the switch is on.
    witness = Receiver()
    try:
        subscribe_and_wait(url, witness, PARTNER_TOPIC)
        subscribe_and_wait(url, receiver)
        send(url, 1)
        receiver.wait_for_posts(1)
        set_faults(url, halt_subscribers=True)
        send(url, 2)
        assert wait_until(lambda: not live(url))
        set_faults(url, halt_subscribers=False)
        # The hub delivers again once the switch is off, but not to the halted one.
        send(url, 9, PARTNER_TOPIC)
        witness.wait_for_posts(1)
        assert delivered_ids(receiver) == ["rid-1"]
        assert not live(url)

        subscribe_and_wait(url, receiver)
        receiver.wait_for_posts(2)
        assert delivered_ids(receiver) == ["rid-1", "rid-2"]
    finally:
        witness.close()


def test_a_restart_resumes_a_halted_subscriber(tmp_path, receiver):
    first = SandboxProcess(tmp_path).start()
    try:
        subscribe_and_wait(first.url, receiver)
        send(first.url, 1)
        receiver.wait_for_posts(1)
        receiver.statuses = [500]
        send(first.url, 2)
        receiver.wait_for_posts(2)
        assert wait_until(lambda: not live(first.url))
    finally:
        first.stop()
    second = SandboxProcess(tmp_path).start()
    try:
        receiver.wait_for_posts(3)
        assert delivered_ids(receiver) == ["rid-1", "rid-2", "rid-2"]
    finally:
        second.stop()


def test_an_unsubscribe_is_verified_and_ends_deliveries(mosip_sandbox, receiver):
    url = mosip_sandbox.url
    subscribe_and_wait(url, receiver)
    token = subscriber_token(url)
    response = subscribe(url, token, COMPLETED, receiver.url, mode="unsubscribe")

    assert response.status_code == 202
    assert receiver.wait_for(lambda: len(receiver.gets()) == 2)
    assert receiver.gets()[1].query["hub.mode"] == "unsubscribe"
    assert "hub.lease_seconds" not in receiver.gets()[1].query
    assert wait_until(lambda: hub_subscriptions(url) == [])


def test_publish_is_accepted_or_denied_by_role(mosip_sandbox):
    url = mosip_sandbox.url
    allowed = mint_token(
        url,
        "service-account-crvs-partner",
        ["PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL"],
    )
    refused = mint_token(url, "service-account-crvs-partner", ["REGISTRATION_OFFICER"])
    body = b'{"publisher":"CRVS","event":{"requestId":"r-1","status":"served"}}'

    accepted = publish(url, allowed, "CREDENTIAL_STATUS_UPDATE", body)
    denied = publish(url, refused, "CREDENTIAL_STATUS_UPDATE", body)

    assert (accepted.status_code, accepted.text) == (200, "hub.mode=accepted")
    assert (denied.status_code, denied.text) == (
        200,
        "hub.mode=denied&hub.reason=Publisher is not authorized",
    )
    events = requests.get(
        f"{url}/sandbox/api/events", params={"topic": "CREDENTIAL_STATUS_UPDATE"},
        timeout=5,
    ).json()["events"]  # fmt: skip
    assert [e["body"] for e in events] == [body.decode()]


def test_publishing_to_a_partner_topic_needs_the_all_individual_role(mosip_sandbox):
    url = mosip_sandbox.url
    individual = mint_token(url, "crvs-partner", ["PUBLISH_CREDENTIAL_ISSUED_GENERAL"])
    response = publish(url, individual, PARTNER_TOPIC, b"{}")
    assert response.text == "hub.mode=denied&hub.reason=Publisher is not authorized"


def test_registering_a_topic_twice_is_denied_with_200(mosip_sandbox):
    token = publisher_token(mosip_sandbox.url)
    form = {"hub.mode": "register", "hub.topic": COMPLETED}
    headers = {"Cookie": f"Authorization={token}"}
    first = requests.post(f"{mosip_sandbox.url}/hub", data=form, headers=headers)
    second = requests.post(f"{mosip_sandbox.url}/hub", data=form, headers=headers)

    assert (first.status_code, first.text) == (200, "hub.mode=accepted")
    assert (second.status_code, second.text) == (
        200,
        "hub.mode=denied&hub.reason=Topic has already registered with the Hub",
    )


def test_a_subscribe_without_a_callback_is_a_bad_request(mosip_sandbox):
    token = subscriber_token(mosip_sandbox.url)
    response = requests.post(
        f"{mosip_sandbox.url}/hub",
        data={"hub.mode": "subscribe", "hub.topic": COMPLETED},
        headers={"Cookie": f"Authorization={token}"},
        timeout=5,
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_an_unknown_mode_is_a_bad_request(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}/hub", data={"hub.mode": "nonsense"}, timeout=5
    )
    assert response.status_code == 400
    assert response.text == "The request does not include valid `hub.mode` form param."
