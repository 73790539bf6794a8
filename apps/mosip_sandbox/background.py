"""Work the sandbox does on its own, like MOSIP's stages and its hub's consumers.

Modules register tick functions; the sandbox command runs each in its own thread,
calling it every `interval` seconds. A tick must be short and safe to repeat.
"""

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
_tickers: list[tuple[str, Callable[[], None], float]] = []


def register(name: str, interval: float = 0.1):
    def decorator(fn: Callable[[], None]):
        _tickers.append((name, fn, interval))
        return fn

    return decorator


def start(stop: threading.Event) -> list[threading.Thread]:
    threads = []
    for name, fn, interval in _tickers:

        def loop(fn=fn, interval=interval, name=name):
            while not stop.is_set():
                try:
                    fn()
                except Exception:
                    log.exception("sandbox background task %s failed", name)
                stop.wait(interval)

        thread = threading.Thread(target=loop, name=f"sandbox-{name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def run_once() -> None:
    """Run every tick once (used by tests that run the sandbox in-process)."""
    for _, fn, _ in _tickers:
        fn()


def sleep(seconds: float) -> None:
    time.sleep(seconds)
