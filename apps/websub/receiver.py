"""The delivery path: verify a hub POST and store it once, with as little work as
possible (one cached secret lookup, one HMAC, one INSERT ... ON CONFLICT DO NOTHING).
Everything else happens later, in the worker, from the inbox.

Why each case gets the status it gets. MOSIP's hub treats any non-2xx answer (410
included) or a timeout as a failed delivery: it silently stops delivering to that
subscriber and, when the subscriber is resumed, re-delivers the same message. So a
non-2xx answer to a message the hub really sent blocks every later message behind it
until a re-subscribe, and a message that fails again blocks it for good. The receiver
therefore answers 202 to every delivery it has taken responsibility for:

- verified and new: stored in the inbox, 202;
- verified and already in the inbox (hub duplicate, or a replay of a captured
  delivery): nothing changes, counted, 202 — the hub must move on;
- missing or non-matching signature: 202, held in quarantine, counted. The portal
  cannot tell a forgery from a message the hub signed with a secret it no longer
  shares with us (a rotation, a restored database). Answering non-2xx would let a
  real but unverifiable message halt the real subscription, and a forger learns
  nothing from a 202 it also gets for anything else. Nothing unverified is applied;
  quarantined messages are re-checked against the previous secret during a rotation.
  Only those that may be genuine (a rotation is under way) are held for that; the
  rest is counted and sampled (docs/websub.md). When the subscription already holds
  WEBSUB_QUARANTINE_HELD_LIMIT such deliveries: 503, so the hub keeps this one;
- verified but malformed JSON, not an event of the subscription's kind, or for
  another topic: 202, quarantined, counted. The hub would re-deliver the same bytes
  forever, so a non-2xx answer can never fix it; it can only stop everything else;
- body over WEBSUB_MAX_BODY_BYTES: the body is read to its end (so the hub sees a
  normal answer), its signature checked, only its size and digest kept; 202;
- body over WEBSUB_DRAIN_LIMIT_BYTES (MOSIP's hub never sends that much): 413
  without reading the rest; only an abusive client gets there;
- an unknown callback slug: 410 Gone. No subscription of ours lives there, so a
  hub still delivering to it should drop it (MOSIP halts it), which is what we want.
  Beyond WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE from one client address: 429 with
  Retry-After, without reading the body (apps/websub/ratelimit.py);
- the database is unavailable, or anything else unexpected: 503, never 500. The
  message was not stored, so the hub must keep it: it halts the subscriber and
  re-delivers from this message once the keep-alive re-subscribe resumes it;
- verified only by the previous secret while the hub has refused to adopt the new
  one: stored in the inbox, then 503. That halts the subscriber on purpose: the
  keep-alive flags the trouble and re-subscribes with the new secret, which a halted
  subscriber accepts, and the hub re-delivers this message with the new signature
  (a duplicate the inbox absorbs). Nothing is lost and the rotation completes.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.core.kept import KeptForAWhile
from apps.websub.models import EventKind, InboxEvent, Subscription

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


@dataclass(frozen=True)
class CachedSubscription:
    id: int
    topic: str
    kind: str
    secret: bytes
    previous_secret: bytes | None
    hub_holds_previous_secret: bool


# Every delivery reads its subscription's secrets; a change made in this process is
# seen at once (`forget_cached`), one made in another within
# WEBSUB_SECRET_CACHE_SECONDS.
_subscriptions = KeptForAWhile(lambda: settings.WEBSUB_SECRET_CACHE_SECONDS)


def forget_cached(slug: str | None = None) -> None:
    """Drop the receiver's cached secrets (all of them, or one subscription's)."""
    if slug is None:
        _subscriptions.forget()
    else:
        _subscriptions.forget_key(slug)


def load_subscription(slug: str, *, fresh: bool = False) -> CachedSubscription | None:
    def load() -> CachedSubscription | None:
        sub = (
            Subscription.objects.filter(slug=slug)
            .only(
                "id",
                "topic",
                "kind",
                "secret",
                "previous_secret",
                "hub_holds_previous_secret",
            )
            .first()
        )
        if sub is None:
            return None
        return CachedSubscription(
            id=sub.id,
            topic=sub.topic,
            kind=sub.kind,
            secret=sub.secret.encode("utf-8"),
            previous_secret=sub.previous_secret.encode("utf-8")
            if sub.previous_secret
            else None,
            hub_holds_previous_secret=sub.hub_holds_previous_secret,
        )

    return _subscriptions.get(slug, load, fresh=fresh)


def rotating(sub: CachedSubscription) -> bool:
    """A secret rotation is under way: the previous secret is still accepted."""
    return sub.previous_secret is not None


# Signatures -------------------------------------------------------------------------


def sign(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signed_by(header: str, macs: dict[str, "hmac.HMAC"]) -> str | None:
    """Which secret ("current" or "previous") produced the signature, if any;
    compared in constant time, as lowercase hex."""
    header = header.strip().lower()
    if not header.isascii():
        return None
    given = header.encode("ascii")
    for name, mac in macs.items():
        expected = ("sha256=" + mac.hexdigest()).encode("ascii")
        if hmac.compare_digest(expected, given):
            return name
    return None


def secret_macs(sub: CachedSubscription, body: bytes = b"") -> dict[str, "hmac.HMAC"]:
    """One HMAC per secret the subscription accepts, fed with `body`."""
    macs = {"current": hmac.new(sub.secret, body, hashlib.sha256)}
    if sub.previous_secret:
        macs["previous"] = hmac.new(sub.previous_secret, body, hashlib.sha256)
    return macs


# Reading the body -------------------------------------------------------------------


@dataclass
class Body:
    kept: bytes  # the whole body, or empty when it was too large
    size: int
    sha256: str
    too_large: bool
    over_drain_limit: bool
    macs: dict[str, "hmac.HMAC"]


def read_body(meta, read, sub: CachedSubscription | None) -> Body:
    """Read the body to its end (up to the drain limit), feeding the HMACs as it
    goes; keep it only when it fits the size limit."""
    max_body = settings.WEBSUB_MAX_BODY_BYTES
    drain_limit = settings.WEBSUB_DRAIN_LIMIT_BYTES
    macs = secret_macs(sub) if sub else {}
    digest = hashlib.sha256()
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > drain_limit:
        return Body(b"", declared, "", True, True, macs)
    if 0 < declared <= max_body:
        data = read(declared)
        for mac in macs.values():
            mac.update(data)
        digest.update(data)
        return Body(data, len(data), digest.hexdigest(), False, False, macs)
    kept = bytearray()
    size = 0
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > drain_limit:
            return Body(b"", size, "", True, True, macs)
        for mac in macs.values():
            mac.update(chunk)
        digest.update(chunk)
        if size <= max_body:
            kept += chunk
    too_large = size > max_body
    return Body(
        b"" if too_large else bytes(kept),
        size,
        digest.hexdigest(),
        too_large,
        False,
        macs,
    )


# Content checks ---------------------------------------------------------------------


class Unusable(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def link_topic(link_header: str) -> str | None:
    """The `rel="self"` URL of MOSIP's Link header (no angle brackets)."""
    for part in link_header.split(","):
        target, _, params = part.partition(";")
        if 'rel="self"' in params.replace(" ", "") or "rel=self" in params:
            return target.strip().strip("<>")
    return None


def inbox_key(sub: CachedSubscription, body: bytes, link: str) -> tuple[str, str]:
    """(inbox key, application id) of a verified body; Unusable otherwise."""
    try:
        content = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unusable("malformed", "body is not UTF-8 JSON") from exc
    topic = link_topic(link) if link else None
    if topic is not None and topic != sub.topic:
        raise Unusable("wrong_topic", "Link names another topic")
    if not isinstance(content, dict):
        raise Unusable("malformed", "body is not a JSON object")
    if sub.kind == EventKind.CREDENTIAL_ISSUED:
        event = content.get("event")
        if "topic" in content and content["topic"] != sub.topic:
            raise Unusable("wrong_topic", "event names another topic")
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            raise Unusable("malformed", "not a MOSIP event (no event.id)")
        if not event["id"] or len(event["id"]) > 150 or "\x00" in event["id"]:
            raise Unusable("malformed", "unusable event.id")
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        application_id = str(data.get("registrationId") or "")
        return f"event:{event['id']}", application_id.replace("\x00", "")[:64]
    instance = content.get("instanceId")
    if not isinstance(instance, str) or not content.get("resultCode"):
        raise Unusable("malformed", "not a workflow result (instanceId, resultCode)")
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    return digest, instance.replace("\x00", "")[:64]


# Storing ----------------------------------------------------------------------------

_INSERT = None


def _insert_sql() -> str:
    global _INSERT
    if _INSERT is None:
        table = connection.ops.quote_name(InboxEvent._meta.db_table)
        _INSERT = (
            f"INSERT INTO {table} (subscription_id, kind, key, body, received_at, "
            "status, attempts, next_attempt_at, application_id, detail, ack_status) "
            "VALUES (%s, %s, %s, %s, %s, 'pending', 0, %s, %s, '', '') "
            "ON CONFLICT (key) DO NOTHING"
        )
    return _INSERT


def store(sub: CachedSubscription, key: str, body: bytes, application_id: str) -> bool:
    """Insert the delivery once; False when the key was already in the inbox."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(),
            [sub.id, sub.kind, key, body.decode("utf-8"), now, now, application_id],
        )
        return cursor.rowcount == 1
