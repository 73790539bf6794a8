"""WebSub settings, each with its default; override any of them in settings."""

from django.conf import settings

DEFAULTS = {
    # Largest delivery body kept; MOSIP's own events are a few kilobytes.
    "WEBSUB_MAX_BODY_BYTES": 1024 * 1024,
    # Beyond this the receiver stops reading and answers 413 (see receiver.py).
    "WEBSUB_DRAIN_LIMIT_BYTES": 32 * 1024 * 1024,
    # Quarantine (docs/websub.md): deliveries that may be genuine, held per
    # subscription and never dropped to make room; beyond this many new ones get 503.
    "WEBSUB_QUARANTINE_HELD_LIMIT": 1000,
    # Junk (unknown callbacks, forgeries, ...): only the newest few per reason are
    # kept as a sample; every one is counted.
    "WEBSUB_QUARANTINE_SAMPLE": 20,
    # POSTs to unknown callbacks allowed per client address and minute; beyond: 429.
    "WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE": 30,
    # Keep-alive: every subscription is requested again this often.
    "WEBSUB_RESUBSCRIBE_SECONDS": 6 * 3600,
    # After a sign of trouble, the earliest next re-subscribe.
    "WEBSUB_TROUBLE_RETRY_SECONDS": 60,
    # A subscription still pending this long is in trouble.
    "WEBSUB_PENDING_TIMEOUT_SECONDS": 120,
    # How long the previous secret stays valid once the hub has verified the new one.
    "WEBSUB_ROTATION_GRACE_SECONDS": 3600,
    # Hub lease asked for (MOSIP never expires leases; its default is 864000).
    "WEBSUB_LEASE_SECONDS": 864000,
    # Inbox processing: attempts before an event is marked failed, and batch size.
    "WEBSUB_MAX_ATTEMPTS": 8,
    "WEBSUB_SWEEP_BATCH": 200,
    # How long the receiver trusts its cached copy of a subscription's secrets.
    "WEBSUB_SECRET_CACHE_SECONDS": 5.0,
    # Public base URL of this portal as the hub reaches it, e.g. https://crvs.example.org
    "WEBSUB_CALLBACK_BASE_URL": "",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
