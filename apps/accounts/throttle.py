"""Sign-in throttling that a stranger cannot turn against someone else
(docs/security/sign-in.md).

Failed sign-ins are counted per (username, client address) and per client address:

- a pair past half of LOGIN_FAILURE_LIMIT must wait a doubling delay
  (LOGIN_SLOWDOWN_SECONDS, 2×, 4×, …) before its next try, and is locked once it
  reaches the limit;
- an address is locked once it reaches LOGIN_ADDRESS_FAILURE_LIMIT failures over any
  usernames (password spraying), a limit high enough for an office behind one NAT.

Nothing is counted per username alone, so failures from one address never stop the
right password from another. Counters, delays and locks live in the cache (Redis in
production, shared by every web process); each lock or wait holds the time it ends,
so a refusal can say when to come back (`Retry-After`) without sleeping a thread.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PAIR = "pair"
ADDRESS = "address"
LOCKED = "locked"
SLOW_DOWN = "slow_down"


@dataclass(frozen=True)
class Refusal:
    reason: str  # LOCKED or SLOW_DOWN
    retry_after: int  # whole seconds


@dataclass(frozen=True)
class NewLock:
    scope: str  # PAIR or ADDRESS
    username: str  # "" for an address lock
    client_address: str
    locked_until: float  # a Unix time


def _digest(value: str) -> str:
    # Hashed so cache keys hold no usernames or addresses in clear.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _subject(scope: str, username: str, address: str) -> str:
    if scope == PAIR:
        pair = f"{username.strip().lower()}\n{address}"
        return f"{PAIR}:{_digest(pair)}"
    return f"{ADDRESS}:{_digest(address)}"


def _failures_key(subject: str) -> str:
    return f"sign-in:failures:{subject}"


def _lock_key(subject: str) -> str:
    return f"sign-in:locked-until:{subject}"


def _wait_key(subject: str) -> str:
    return f"sign-in:wait-until:{subject}"


def _slowdown_from() -> int:
    # The failure count from which each further try waits: half the limit.
    return max(1, settings.LOGIN_FAILURE_LIMIT // 2)


def refusal(*, username: str, client_ip: str) -> Refusal | None:
    """Why this attempt may not have its password checked now, if it may not."""
    pair = _subject(PAIR, username, client_ip)
    address = _subject(ADDRESS, "", client_ip)
    keys = [_lock_key(pair), _lock_key(address), _wait_key(pair)]
    values = cache.get_many(keys)
    now = time.time()
    locked_until = max(
        values.get(_lock_key(pair), 0), values.get(_lock_key(address), 0)
    )
    if locked_until > now:
        return Refusal(LOCKED, math.ceil(locked_until - now))
    wait_until = values.get(_wait_key(pair), 0)
    if wait_until > now:
        return Refusal(SLOW_DOWN, math.ceil(wait_until - now))
    return None


def _count(subject: str) -> int:
    key = _failures_key(subject)
    # add() is a no-op when the key exists, so the window starts at the first
    # failure; incr() is atomic on Redis and on the local-memory cache.
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        return 1


def _lock(subject: str, now: float) -> float | None:
    """Start a lock; None when one already holds (another process started it)."""
    until = now + settings.LOGIN_LOCKOUT_SECONDS
    if cache.add(_lock_key(subject), until, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        return until
    return None


def record_failure(*, username: str, client_ip: str) -> list[NewLock]:
    """Count one failed sign-in; return the locks it started (for the record)."""
    now = time.time()
    new_locks = []
    pair = _subject(PAIR, username, client_ip)
    pair_failures = _count(pair)
    if pair_failures >= settings.LOGIN_FAILURE_LIMIT:
        if until := _lock(pair, now):
            new_locks.append(NewLock(PAIR, username.strip(), client_ip, until))
    elif pair_failures >= _slowdown_from() and settings.LOGIN_SLOWDOWN_SECONDS > 0:
        delay = settings.LOGIN_SLOWDOWN_SECONDS * 2 ** (
            pair_failures - _slowdown_from()
        )
        cache.set(_wait_key(pair), now + delay, timeout=math.ceil(delay))
    address = _subject(ADDRESS, "", client_ip)
    if _count(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        if until := _lock(address, now):
            new_locks.append(NewLock(ADDRESS, "", client_ip, until))
    return new_locks


def clear_failures(*, username: str, client_ip: str) -> None:
    """After a success: the pair starts afresh. The address keeps its count, or a
    sprayer holding one real account could reset it at will."""
    pair = _subject(PAIR, username, client_ip)
    cache.delete_many([_failures_key(pair), _wait_key(pair)])


def lift(*, scope: str, username: str, client_ip: str) -> None:
    """Forget the lock, the wait and the count of a pair or an address."""
    subject = _subject(scope, username, client_ip)
    cache.delete_many([_failures_key(subject), _lock_key(subject), _wait_key(subject)])
