"""The sandbox's clock: processing delays scale with a speed factor tests can raise."""

import time

from apps.mosip_sandbox.store import get_store

DEFAULT_SPEED = 1.0


def speed() -> float:
    setting = get_store().get("settings", "clock") or {}
    return float(setting.get("speed", DEFAULT_SPEED))


def set_speed(value: float) -> None:
    if value <= 0:
        raise ValueError("speed must be positive")
    get_store().put("settings", "clock", {"speed": float(value)})


def now() -> float:
    """Wall time in seconds; MOSIP's own timestamps follow real time."""
    return time.time()


def due_after(seconds: float) -> float:
    """The wall time at which a delay of `seconds` (at speed 1) has passed."""
    return now() + seconds / speed()
