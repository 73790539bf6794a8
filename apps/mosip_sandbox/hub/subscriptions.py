"""Topics and subscriptions, kept the way MOSIP's hub and consolidator keep them.

A subscription is *live* while its consumer runs. A failed delivery drops it from
the live set (the record stays, halted); every change to the subscriber list, and
every sandbox start, restarts all halted consumers from their last committed
message (docs/mosip/onboarding-websub.md §4.4).

Each subscription is one Kafka consumer group without `offsetReset`, i.e. Kafka's
`latest`: a group that has never committed starts at the end of the log whenever
its consumer starts. So a new subscription gets nothing published before it, and a
subscription whose very first delivery failed loses that message on restart.
"""

import logging
import threading
import time
import uuid
from typing import Any

import requests

from apps.mosip_sandbox import clock, seed
from apps.mosip_sandbox.hub import wire
from apps.mosip_sandbox.store import get_store

log = logging.getLogger(__name__)

TOPICS = "hub_topics"
SUBSCRIPTIONS = "hub_subscriptions"
# Before answering, Ballerina sends the 202; the verification GET follows it.
VERIFICATION_DELAY_SECONDS = 0.05
# websub-service.toml: 3 retries, 3 s apart, back-off x2, at most 20 s apart.
RETRY_COUNT = 3
RETRY_INTERVAL_SECONDS = 3.0
RETRY_BACKOFF = 2.0
RETRY_MAX_INTERVAL_SECONDS = 20.0
HTTP_TIMEOUT_SECONDS = 60.0


@seed.register
def new_epoch() -> None:
    """Mark a fresh (or reset) state, so a verification that began before a reset
    cannot add its subscription to the state after it."""
    get_store().put("settings", "hub_epoch", {"id": uuid.uuid4().hex})


def epoch() -> str | None:
    return (get_store().get("settings", "hub_epoch") or {}).get("id")


def subscriber_id(topic: str, callback: str) -> str:
    return wire.sanitize_topic(f"{topic}:::{callback}")


def log_end() -> int:
    """The position a `latest` consumer starts from: nothing stored so far."""
    row = get_store().conn.execute("SELECT COALESCE(MAX(seq), 0) FROM docs").fetchone()
    return int(row[0])


# Topics ---------------------------------------------------------------------------


def topic_exists(topic: str) -> bool:
    return get_store().get(TOPICS, wire.sanitize_topic(topic)) is not None


def ensure_topic(topic: str) -> None:
    """Topics are created on first subscribe or publish (hub_service.bal)."""
    get_store().insert(TOPICS, wire.sanitize_topic(topic), {"topic": topic})


def register_topic(topic: str) -> bool:
    return get_store().insert(TOPICS, wire.sanitize_topic(topic), {"topic": topic})


def deregister_topic(topic: str) -> bool:
    return get_store().delete(TOPICS, wire.sanitize_topic(topic))


# Subscriptions --------------------------------------------------------------------


def get(key: str) -> dict[str, Any] | None:
    return get_store().get(SUBSCRIPTIONS, key)


def is_live(topic: str, callback: str) -> bool:
    doc = get(subscriber_id(topic, callback))
    return doc is not None and not doc["halted"]


def _start_consumer(doc: dict[str, Any]) -> None:
    doc["halted"] = False
    doc["run"] = uuid.uuid4().hex
    doc["position"] = doc["committed"] if doc["committed"] is not None else log_end()


def _restart_halted() -> None:
    """startMissingSubscribers: every record without a running consumer gets one."""
    store = get_store()
    for doc in store.all(SUBSCRIPTIONS):
        if doc["halted"]:
            _start_consumer(doc)
            store.put(SUBSCRIPTIONS, doc["id"], doc)


def add_verified(message: dict[str, Any]) -> None:
    """onSubscriptionIntentVerified, then the consolidator: the record is replaced
    (new secret and lease), its consumer group and committed offset are kept."""
    store = get_store()
    key = subscriber_id(message["topic"], message["callback"])
    with store.transaction():
        existing = store.get(SUBSCRIPTIONS, key)
        doc = {
            "id": key,
            "topic": message["topic"],
            "callback": message["callback"],
            "secret": message["secret"],
            "lease_seconds": message["lease_seconds"],
            "hub": message["hub"],
            "subscriber": message["subscriber"],
            "verified_at": time.time(),
            "group": existing["group"] if existing else f"{key}:::{time.monotonic()}",
            "committed": existing["committed"] if existing else None,
            "halted": True,
            "run": None,
            "position": None,
        }
        if existing and not existing["halted"]:
            doc.update(halted=False, run=existing["run"], position=existing["position"])
        else:
            _start_consumer(doc)
        store.put(SUBSCRIPTIONS, key, doc)
        _restart_halted()


def remove(topic: str, callback: str) -> None:
    store = get_store()
    with store.transaction():
        store.delete(SUBSCRIPTIONS, subscriber_id(topic, callback))
        _restart_halted()


def halt(key: str, run: str) -> None:
    store = get_store()
    with store.transaction():
        doc = store.get(SUBSCRIPTIONS, key)
        if doc and doc["run"] == run:
            doc.update(halted=True, run=None)
            store.put(SUBSCRIPTIONS, key, doc)


def commit(key: str, run: str, seq: int) -> bool:
    """Record a delivered message; False when this consumer is no longer current."""
    store = get_store()
    with store.transaction():
        doc = store.get(SUBSCRIPTIONS, key)
        if not doc or doc["run"] != run:
            return False
        doc.update(committed=seq, position=seq)
        store.put(SUBSCRIPTIONS, key, doc)
        return True


def restart_all() -> None:
    """A hub restart: every consumer starts again from its committed message."""
    store = get_store()
    with store.transaction():
        for doc in store.all(SUBSCRIPTIONS):
            _start_consumer(doc)
            store.put(SUBSCRIPTIONS, doc["id"], doc)


# Talking to subscribers -----------------------------------------------------------


def retry_delays() -> list[float]:
    delays, interval = [], RETRY_INTERVAL_SECONDS
    for _ in range(RETRY_COUNT):
        delays.append(min(interval, RETRY_MAX_INTERVAL_SECONDS) / clock.speed())
        interval *= RETRY_BACKOFF
    return delays


def send(method: str, url: str, timeout: float, **kwargs) -> requests.Response:
    """One HTTP call with the hub client's retries on transport failures only;
    a status code, whatever it is, is an answer."""
    delays = retry_delays()
    while True:
        try:
            return requests.request(
                method, url, timeout=timeout, allow_redirects=False, **kwargs
            )
        except requests.RequestException:
            if not delays:
                raise
            time.sleep(delays.pop(0))


def _later(fn, *args) -> None:
    def run():
        time.sleep(VERIFICATION_DELAY_SECONDS)
        try:
            fn(*args)
        except Exception:
            log.exception("intent verification failed")

    threading.Thread(target=run, name="sandbox-hub-verify", daemon=True).start()


def _notify(callback: str, params: list[tuple[str, str | None]]) -> str | None:
    """GET the callback; the body text, or None when it could not be reached."""
    try:
        response = send(
            "GET", wire.notification_url(callback, params), HTTP_TIMEOUT_SECONDS
        )
    except requests.RequestException:
        return None
    return response.content.decode("utf-8", errors="replace")


def verify_subscription_later(message: dict[str, Any]) -> None:
    _later(_verify_subscription, {**message, "epoch": epoch()})


def _verify_subscription(message: dict[str, Any]) -> None:
    topic, callback = message["topic"], message["callback"]
    ensure_topic(topic)
    if is_live(topic, callback):
        _notify(
            callback,
            [
                ("hub.mode", "denied"),
                ("hub.topic", topic),
                ("hub.reason", "Subscriber has already registered with the Hub"),
            ],
        )
        return
    challenge = str(uuid.uuid4())
    body = _notify(
        callback,
        [
            ("hub.mode", "subscribe"),
            ("hub.topic", topic),
            ("hub.challenge", challenge),
            ("hub.lease_seconds", str(message["lease_seconds"])),
        ],
    )
    # Only the body counts, whatever the status (subscription.bal).
    if body != challenge:
        return
    if message["secret"] is None:
        # The hub casts hub.secret to a string when it stores the subscription;
        # without one the verified subscription is never stored (§4.2).
        return
    if message["epoch"] == epoch():
        add_verified(message)


def verify_unsubscription_later(message: dict[str, Any]) -> None:
    _later(_verify_unsubscription, {**message, "epoch": epoch()})


def _verify_unsubscription(message: dict[str, Any]) -> None:
    topic, callback = message["topic"], message["callback"]
    reason = None
    if not topic_exists(topic):
        reason = f"Topic [{topic}] is not registered with the Hub"
    elif not is_live(topic, callback):
        # A halted subscriber is not in the hub's cache either.
        reason = (
            f"Could not find a valid subscriber for Topic [{topic}] "
            f"and Callback [{callback}]"
        )
    if reason:
        _notify(
            callback,
            [("hub.mode", "denied"), ("hub.topic", topic), ("hub.reason", reason)],
        )
        return
    challenge = str(uuid.uuid4())
    body = _notify(
        callback,
        [
            ("hub.mode", "unsubscribe"),
            ("hub.topic", topic),
            ("hub.challenge", challenge),
        ],
    )
    if body == challenge and message["epoch"] == epoch():
        remove(topic, callback)
