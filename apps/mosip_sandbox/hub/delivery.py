"""Content distribution: one consumer thread per live subscription, like the hub's
`pollForNewUpdates` strand per Kafka consumer group (docs/mosip/onboarding-websub.md §4.2, §4.4).

Each consumer reads its topic from `hub_messages` in order and POSTs one message at
a time. A 2xx commits it. Anything else — another status, 410 included, or a
transport failure after the client's retries — halts the consumer without a word
to the subscriber; the message is delivered again once the consumer restarts.

Fault switches (store document `settings`/`faults`):
- `duplicate_rate` (0..1): a delivered message is sent again before it is committed.
- `reorder`: two pending messages go out swapped, committed after both.
- `halt_subscribers`: every consumer halts at its next message, as if the delivery
  had failed (the test hook of docs/mosip/onboarding-websub.md §6 item 12); it stays halted as a real one would.
Delivery knobs (document `settings`/`hub`): `delivery_timeout_seconds` (60, as
MOSIP's MESSAGE_DELIVERY_TIMEOUT).
"""

import hashlib
import hmac
import logging
import random
import threading
import time
from typing import Any

import requests

from apps.mosip_sandbox import background
from apps.mosip_sandbox.hub import subscriptions, wire
from apps.mosip_sandbox.store import get_store

log = logging.getLogger(__name__)

POLL_INTERVAL_SECONDS = 0.1
SCAN_BATCH = 200
_threads: dict[str, threading.Thread] = {}
_booted = threading.Event()
_lock = threading.Lock()


def signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def wire_body(stored: str) -> bytes | None:
    """What the hub sends for a stored message; None when it cannot read it as
    JSON, in which case MOSIP's hub logs an error and skips it."""
    try:
        return wire.ballerina_json(wire.parse_json(stored)).encode("utf-8")
    except ValueError:
        return None


def _faults() -> dict[str, Any]:
    return get_store().get("settings", "faults") or {}


def _timeout() -> float:
    settings = get_store().get("settings", "hub") or {}
    return float(
        settings.get("delivery_timeout_seconds", subscriptions.HTTP_TIMEOUT_SECONDS)
    )


def _deliver(sub: dict[str, Any], body: bytes) -> bool:
    headers = {
        "Content-Type": "application/json",
        "Link": wire.link_header(sub["hub"], sub["topic"]),
        "X-Hub-Signature": signature(sub["secret"], body),
    }
    try:
        response = subscriptions.send(
            "POST", sub["callback"], _timeout(), data=body, headers=headers
        )
    except requests.RequestException:
        return False
    return 200 <= response.status_code < 300


class Consumer:
    def __init__(self, sub: dict[str, Any]):
        self.key = sub["id"]
        self.run = sub["run"]
        self.kafka_topic = wire.sanitize_topic(sub["topic"])
        self.scanned = sub["position"]

    def current(self) -> dict[str, Any] | None:
        sub = subscriptions.get(self.key)
        if sub is None or sub["run"] != self.run or sub["halted"]:
            return None
        return sub

    def pending(self, limit: int) -> list[tuple[int, bytes]]:
        """The next messages of this topic after the scan position."""
        found: list[tuple[int, bytes]] = []
        while len(found) < limit:
            entries = get_store().after("hub_messages", self.scanned, SCAN_BATCH)
            if not entries:
                break
            for seq, doc in entries:
                if wire.sanitize_topic(doc["topic"]) != self.kafka_topic:
                    continue
                body = wire_body(doc["body"])
                if body is None:
                    log.error("hub message %s is not JSON; skipped", seq)
                    continue
                found.append((seq, body))
                if len(found) == limit:
                    return found
            self.scanned = entries[-1][0]
        return found

    def loop(self) -> None:
        while True:
            sub = self.current()
            if sub is None:
                return
            if not subscriptions.topic_exists(sub["topic"]):
                subscriptions.halt(self.key, self.run)
                return
            faults = _faults()
            batch = self.pending(2)
            if not batch:
                time.sleep(POLL_INTERVAL_SECONDS)
                continue
            if faults.get("halt_subscribers"):
                subscriptions.halt(self.key, self.run)
                return
            batch = (
                batch[::-1] if faults.get("reorder") and len(batch) == 2 else batch[:1]
            )
            if not self.send_all(sub, batch, float(faults.get("duplicate_rate") or 0)):
                subscriptions.halt(self.key, self.run)
                return
            last = max(seq for seq, _ in batch)
            if not subscriptions.commit(self.key, self.run, last):
                return
            self.scanned = last

    def send_all(self, sub, batch, duplicate_rate: float) -> bool:
        for _, body in batch:
            copies = 2 if random.random() < duplicate_rate else 1
            for _ in range(copies):
                if not _deliver(sub, body):
                    return False
        return True


def _run_consumer(sub: dict[str, Any]) -> None:
    try:
        Consumer(sub).loop()
    except Exception:
        log.exception("hub consumer for %s stopped", sub["id"])
        subscriptions.halt(sub["id"], sub["run"])


@background.register("hub-delivery", interval=0.1)
def start_consumers() -> None:
    """Start a consumer for each live subscription that has none in this process.
    The first run in a process is a hub start: every subscription resumes."""
    if not _booted.is_set():
        subscriptions.restart_all()
        _booted.set()
    with _lock:
        for run in [r for r, t in _threads.items() if not t.is_alive()]:
            del _threads[run]
        for sub in get_store().all(subscriptions.SUBSCRIPTIONS):
            if sub["halted"] or not sub["run"] or sub["run"] in _threads:
                continue
            thread = threading.Thread(
                target=_run_consumer,
                args=(sub,),
                name=f"sandbox-hub-consumer-{sub['run'][:8]}",
                daemon=True,
            )
            _threads[sub["run"]] = thread
            thread.start()
