"""Internal event bus: processing publishes here, the hub delivers to subscribers.

Each message is appended to the `hub_messages` log with its topic and the exact body
bytes (as text) that the hub will send, so a signature covers what is delivered.
"""

import json
from typing import Any

from apps.mosip_sandbox.store import get_store


def publish(topic: str, payload: dict[str, Any] | str, publisher: str = "mosip") -> int:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return get_store().append(
        "hub_messages", {"topic": topic, "body": body, "publisher": publisher}
    )
