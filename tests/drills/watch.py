"""Watching a drill from the test process: the portal's pipeline state (read inside
the portal by drill_setup.state) and what the sandbox holds, over its test API."""

import json
import threading
from collections import Counter

import requests

from tests.journeys.live import LivePortal
from tests.waiting import wait_until

FINISHED = ("PROCESSED", "REJECTED", "FAILED")
# The worker looks for new tasks in the broker's folder often, as a server-backed
# broker would hand them over at once.
QUICK_QUEUE = {"CELERY_BROKER_POLLING_INTERVAL": "0.05"}


def portal_state(portal: LivePortal) -> dict:
    out = portal.setup("from tests.drills import drill_setup; drill_setup.state()")
    return json.loads(out.strip().splitlines()[-1])


def portal_state_when(
    portal: LivePortal, condition: str, timeout: float, what: str = ""
) -> dict:
    """The portal's state once `condition`, a Python expression over the state `s`,
    holds; the wait runs inside the portal (drill_setup.state_when)."""
    out = portal.setup(
        "from tests.drills import drill_setup; "
        f"drill_setup.state_when({condition!r}, {timeout})",
        timeout=timeout + 120,
    )
    result = json.loads(out.strip().splitlines()[-1])
    assert result["reached"], (
        f"not reached in {timeout:g} s: {what or condition}; "
        f"last observed: {result['state']}"
    )
    return result["state"]


def sandbox_registrations(sandbox) -> dict:
    response = requests.get(f"{sandbox.url}/sandbox/api/registrations", timeout=30)
    response.raise_for_status()
    return response.json()


def wait_for(predicate, timeout: float, interval: float = 1.0, what: str = ""):
    """The first true value `predicate` returns; AssertionError past `timeout`."""
    return wait_until(predicate, timeout, what, interval)


class Submission:
    """Births submitted inside the portal in the background, while the test watches
    and breaks things."""

    def __init__(self, portal: LivePortal, count: int, label: str = "Drill"):
        self.count = count
        self.error: BaseException | None = None
        self.output = ""
        call = f"from tests.drills import drill_setup; drill_setup.submit_births({count}, {label!r})"

        def run():
            try:
                self.output = portal.setup(call)
            except BaseException as exc:  # noqa: BLE001 - reported by join()
                self.error = exc

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def running(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float = 300) -> dict:
        """{"submitted": n, "interrupted": calls made again after a database error}"""
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the submission did not finish"
        if self.error:
            raise self.error
        return json.loads(self.output.strip().splitlines()[-1])


def wait_until_all_processed(portal, sandbox, count: int, timeout: float) -> dict:
    """Wait until the sandbox finished `count` workflows and the portal holds a UIN
    for every packet; the portal's state then."""
    wait_for(
        lambda: (
            sum(
                sandbox_registrations(sandbox)["workflowStatuses"].get(s, 0)
                for s in FINISHED
            )
            >= count
        ),
        timeout,
        interval=1,
        what=f"{count} workflows finished in the sandbox",
    )
    # The credentials follow the workflows through the hub and the inbox sweep.
    return portal_state_when(
        portal,
        f"s['with_uin'] >= {count}",
        timeout,
        f"{count} national IDs in the portal",
    )


def duplicates(state: dict, registrations: dict) -> dict:
    """Every way one registration could have reached MOSIP more than once."""
    rows = registrations["registrations"]
    ids = state["application_ids"]
    used = Counter(ids)
    return {
        "ids_with_more_than_one_packet": [
            r["registrationId"] for r in rows if r["packets"] > 1
        ],
        "ids_with_more_than_one_workflow": [
            r["registrationId"] for r in rows if r["workflows"] > 1
        ],
        "ids_the_portal_does_not_know": sorted(
            {r["registrationId"] for r in rows} - set(ids)
        ),
        "application_ids_used_twice": sorted(i for i, n in used.items() if n > 1),
        "events_with_more_than_one_packet": {
            k: v for k, v in state["packets_per_event"].items() if k != "1"
        },
    }
