"""Work waiting for the reprocessor or for its next stage.

An entry keeps when it was scheduled and its delay at speed 1; it is due once that
delay, divided by the clock's current speed, has passed. Raising the speed therefore
also hurries work that was already waiting.
"""

from apps.mosip_sandbox import clock
from apps.mosip_sandbox.store import get_store

COLLECTION = "workflow_queue"


def schedule(workflow_key: str, delay_seconds: float) -> None:
    get_store().put(
        COLLECTION,
        workflow_key,
        {"key": workflow_key, "at": clock.now(), "delay": float(delay_seconds)},
    )


def due() -> list[str]:
    entries = get_store().all(COLLECTION)
    if not entries:
        return []
    now, speed = clock.now(), clock.speed()
    ready = [e for e in entries if e["at"] + e["delay"] / speed <= now]
    return [e["key"] for e in sorted(ready, key=lambda e: e["at"] + e["delay"] / speed)]


def remove(workflow_key: str) -> None:
    get_store().delete(COLLECTION, workflow_key)
