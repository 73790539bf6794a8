"""Initial state of a fresh (or freshly reset) sandbox.

Modules register seed functions; they run in registration order when the store is empty,
and again after a reset. Each must be idempotent.
"""

from collections.abc import Callable

_seeders: list[Callable[[], None]] = []


def register(fn: Callable[[], None]) -> Callable[[], None]:
    _seeders.append(fn)
    return fn


def run_all() -> None:
    for fn in _seeders:
        fn()
