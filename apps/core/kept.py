"""Values a process reads on every request or task and an admin changes rarely.

The one in-process cache of the portal: each use says how long its values stay
true (a number of seconds, or a function that reads a setting each time) and how
many it keeps at most.
"""

import math
import time
from collections.abc import Callable, Hashable
from typing import Any


class KeptForAWhile:
    """Each value kept `seconds` after it was read; a missing one (None) is never
    kept, so a setting that appears is seen at once. `forget` (also usable as a
    signal receiver) drops them all, for changes made in this process; `forget_key`
    drops one. Past `most` values, all are dropped before the next is kept."""

    def __init__(
        self, seconds: float | Callable[[], float] = math.inf, *, most: int = 1000
    ):
        self.seconds = seconds
        self.most = most
        self._values: dict[Hashable, tuple[float, Any]] = {}

    def _lifetime(self) -> float:
        return self.seconds() if callable(self.seconds) else self.seconds

    def get(self, key: Hashable, load: Callable[[], Any], *, fresh=False) -> Any:
        """The kept value of `key`, else (or when `fresh`) `load()`'s, then kept."""
        now = time.monotonic()
        kept = self._values.get(key)
        if not fresh and kept is not None and now - kept[0] < self._lifetime():
            return kept[1]
        value = load()
        if value is None:
            self._values.pop(key, None)
            return None
        if key not in self._values and len(self._values) >= self.most:
            self._values.clear()
        self._values[key] = (now, value)
        return value

    def forget(self, **kwargs) -> None:
        self._values.clear()

    def forget_key(self, key: Hashable) -> None:
        self._values.pop(key, None)
