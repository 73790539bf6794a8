"""A per-address budget for POSTs to callbacks that do not exist.

MOSIP's hub only ever delivers to callbacks we gave it, so a stream of POSTs to
unknown slugs is a scan or a flood. Each client address gets
WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE of them per clock minute; beyond that the receiver
answers 429 with Retry-After, without reading the body. The counts live in Django's
cache (CACHE_URL), so every web process of a deployment shares them when the cache
is shared (Redis, Memcached); with the default local-memory cache each process
counts on its own.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from apps.core.client_address import from_meta as client_address_from_meta

WINDOW_SECONDS = 60


def client_address(meta) -> str:
    # Read as the sign-in throttle reads it, behind TRUSTED_PROXY_COUNT proxies.
    return client_address_from_meta(meta) or "unknown"


def unknown_callback_retry_after(address: str) -> int:
    """Count one POST to an unknown callback from `address`: 0 when it is within
    the budget, else the seconds until the next window opens."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"websub-unknown-callback:{digest}:{window}"
    cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * WINDOW_SECONDS)
        count = 1
    if count <= settings.WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
