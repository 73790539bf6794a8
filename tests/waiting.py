"""Waiting for something to happen, instead of sleeping for a guessed time.

A wait polls its predicate and returns as soon as it holds, so a generous timeout
costs nothing on a fast machine and spares a slow one a false failure. When it does
not hold in time, the failure says what was awaited and what was last seen.

A check that something did *not* happen waits for a later marker instead (a second,
valid event processed, a log line written after the point where the thing would have
happened); a fixed sleep followed by "nothing changed" passes when the failure is
merely slow.
"""

import inspect
import time
from collections.abc import Callable
from pathlib import Path


def wait_until[T](
    predicate: Callable[[], T],
    timeout: float = 30.0,
    message: str = "",
    interval: float = 0.05,
    observe: Callable[[], object] | None = None,
) -> T:
    """The first true value `predicate` returns; AssertionError past `timeout`,
    showing the last value seen (`observe()` when given, else the predicate's)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            seen = observe() if observe is not None else value
            what = message or _source(predicate)
            raise AssertionError(
                f"not reached in {timeout:g} s: {what}; last observed: {seen!r}"
            )
        time.sleep(interval)


def _source(predicate: Callable) -> str:
    """The predicate's own line, to say what was awaited when no message is given."""
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


class LogMarker:
    """Lines a process writes to its log file from now on."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def new_text(self) -> str:
        if not self.path.exists():
            return ""
        with self.path.open("rb") as log:
            log.seek(self.offset)
            return log.read().decode("utf-8", errors="replace")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` appears in what was written since the marker was set."""
        return wait_until(
            lambda: text in self.new_text() and self.new_text(),
            timeout,
            f"{text!r} in {self.path.name}",
            observe=lambda: self.new_text()[-2000:],
        )
