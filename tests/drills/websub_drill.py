"""The WebSub drills' side of the test process: running websub_setup inside the live
portal, and watching and steering the sandbox's hub over its test API."""

import json

import requests

from tests import waiting
from tests.journeys.live import LivePortal

COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
# The worker looks for new tasks this often (seconds), so sends keep up with births.
QUICK_BROKER = {"CELERY_BROKER_POLLING_INTERVAL": "0.1"}
# What websub_setup prints before its one JSON line (its RESULT_MARK).
RESULT_MARK = "DRILL-RESULT "


def inside(portal: LivePortal, call: str):
    """Run `websub_setup.<call>` inside the portal; what it emitted. A process of
    the portal that died fails the drill here, with the end of its log."""
    portal.check_alive()
    out = portal.setup(f"from tests.drills import websub_setup; websub_setup.{call}")
    marked = [line for line in out.splitlines() if line.startswith(RESULT_MARK)]
    assert marked, f"no result from {call}:\n{out[-2000:]}"
    return json.loads(marked[-1][len(RESULT_MARK) :])


def set_faults(sandbox_url: str, **switches) -> None:
    requests.post(
        f"{sandbox_url}/sandbox/api/faults", json=switches, timeout=5
    ).raise_for_status()


def hub_subscriptions(sandbox_url: str, portal: LivePortal) -> list[dict]:
    """The hub's subscriber entries whose callback is this portal's."""
    found = requests.get(f"{sandbox_url}/sandbox/api/hub/subscriptions", timeout=5)
    return [
        sub
        for sub in found.json()["subscriptions"]
        if sub["callback"].startswith(portal.url)
    ]


def published(sandbox_url: str, topic: str) -> list[dict]:
    """Messages published to a topic, oldest first (every page)."""
    messages, after = [], 0
    while True:
        page = requests.get(
            f"{sandbox_url}/sandbox/api/events",
            params={"topic": topic, "after": after},
            timeout=10,
        ).json()["events"]
        if not page:
            return messages
        messages += page
        after = page[-1]["seq"]


def undelivered(sandbox_url: str, portal: LivePortal) -> int:
    """Messages of the portal's topics the hub has not delivered (committed) yet."""
    return sum(
        sum(
            1
            for m in published(sandbox_url, sub["topic"])
            if m["seq"] > (sub["committed"] or 0)
        )
        for sub in hub_subscriptions(sandbox_url, portal)
    )


def wait_until(condition, timeout: float, step: float = 0.5):
    return waiting.wait_until(condition, timeout, interval=step)
