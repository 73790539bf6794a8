"""Lock-out after repeated failed sign-ins, counted per username and per client address.

Counters live in the cache (Redis in production, so every web process sees the same
counts); a successful sign-in clears the username's counter.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    # Hashed so cache keys hold no usernames or addresses in clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(username: str, client_ip: str) -> list[str]:
    return [_key("user", username), _key("ip", client_ip)]


def is_locked_out(*, username: str, client_ip: str) -> bool:
    counts = cache.get_many(_keys(username, client_ip)).values()
    return any(count >= settings.LOGIN_FAILURE_LIMIT for count in counts)


def record_failure(*, username: str, client_ip: str) -> None:
    for key in _keys(username, client_ip):
        # add() is a no-op when the key exists, so the lock-out window starts at the
        # first failure; incr() is atomic on Redis and on the local-memory cache.
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(*, username: str) -> None:
    cache.delete(_key("user", username))
