"""Watching and steering the sandbox's side of the pipeline, over its test API.

The portal itself is connected through onboarding (`onboarded_sandbox`) and reaches
the sandbox only through apps.mosip.
"""

import json
import time

import requests

from tests.mosip_sandbox import packet_helpers as helpers

COMPLETED_TOPIC = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"


def set_faults(sandbox, **switches) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json=switches, timeout=5
    ).raise_for_status()


def clear_faults(sandbox) -> None:
    requests.delete(f"{sandbox.url}/sandbox/api/faults", timeout=5).raise_for_status()


def workflows(sandbox, application_id) -> list[dict]:
    return requests.get(
        f"{sandbox.url}/sandbox/api/workflows",
        params={"registrationId": application_id},
        timeout=10,
    ).json()["workflows"]


def stored_packet(sandbox, application_id, process) -> dict | None:
    response = requests.get(
        f"{sandbox.url}/sandbox/api/packets",
        params={"id": application_id, "source": "CRVS1", "process": process},
        timeout=10,
    )
    return response.json() if response.ok else None


def wait_until_done(sandbox, application_id, timeout=30.0) -> dict:
    return helpers.wait_until_done(sandbox, application_id, timeout=timeout)


def completed_events(sandbox, application_id) -> list[dict]:
    """WORKFLOW_COMPLETED events the sandbox published for an application id."""
    events = requests.get(
        f"{sandbox.url}/sandbox/api/events",
        params={"topic": COMPLETED_TOPIC},
        timeout=10,
    ).json()["events"]
    bodies = [json.loads(e["body"]) for e in events]
    return [
        body.get("event", body)
        for body in bodies
        if body.get("event", body).get("instanceId") == application_id
    ]


def wait_for(predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def force_outcome(sandbox, application_id, outcome) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/outcomes",
        json={"registrationId": application_id, "outcome": outcome},
        timeout=5,
    ).raise_for_status()
