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
    return get_store().keys_due(COLLECTION, now=clock.now(), speed=clock.speed())


def remove(workflow_key: str) -> None:
    get_store().delete(COLLECTION, workflow_key)
