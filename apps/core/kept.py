"""Values a process reads on every request or task and an admin changes rarely."""

import time
from collections.abc import Callable, Hashable
from typing import Any


class KeptForAWhile:
    """Each value kept `seconds` after it was read; a missing one (None) is never
    kept, so a setting that appears is seen at once. `forget` (also usable as a
    signal receiver) drops them all, for changes made in this process."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._values: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        now = time.monotonic()
        kept = self._values.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        value = load()
        if value is not None:
            self._values[key] = (now, value)
        return value

    def forget(self, **kwargs) -> None:
        self._values.clear()
