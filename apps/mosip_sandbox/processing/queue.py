"""Work waiting for the reprocessor or for its next stage, by due time."""

from apps.mosip_sandbox import clock
from apps.mosip_sandbox.store import get_store

COLLECTION = "workflow_queue"


def schedule(workflow_key: str, delay_seconds: float) -> None:
    get_store().put(
        COLLECTION,
        workflow_key,
        {"key": workflow_key, "due": clock.due_after(delay_seconds)},
    )


def due() -> list[str]:
    now = clock.now()
    entries = get_store().all(COLLECTION)
    return [
        e["key"] for e in sorted(entries, key=lambda e: e["due"]) if e["due"] <= now
    ]


def remove(workflow_key: str) -> None:
    get_store().delete(COLLECTION, workflow_key)
