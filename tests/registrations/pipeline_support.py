"""Watching and steering the sandbox's side of the pipeline, over its test API.

The portal itself is connected through onboarding (`onboarded_sandbox`) and reaches
the sandbox only through apps.mosip.
"""

import contextlib
import json

import pytest
import requests

from apps.registrations import mosip_calls, tasks
from apps.websub.processing import inbox_process_due
from crvs_portal.celery import app as celery_app
from tests.mosip_sandbox import packet_helpers as helpers
from tests.waiting import wait_until

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


def registrations(sandbox) -> dict:
    """How many packets and workflows the sandbox holds, in all."""
    body = requests.get(f"{sandbox.url}/sandbox/api/registrations", timeout=10).json()
    return {"packets": body["packets"], "workflows": body["workflows"]}


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


def wait_for(predicate, timeout=60.0, interval=0.1):
    return wait_until(predicate, timeout, interval=interval)


def force_outcome(sandbox, application_id, outcome) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/outcomes",
        json={"registrationId": application_id, "outcome": outcome},
        timeout=5,
    ).raise_for_status()


@pytest.fixture
def portal(onboarded_sandbox, settings):
    onboarded_sandbox.set_speed(1000)
    # Each test onboards afresh, with a new client secret.
    mosip_calls.forget_client()
    settings.REGISTRATIONS_RETRY_BASE_SECONDS = 0.01
    settings.REGISTRATIONS_RETRY_MAX_DELAY_SECONDS = 0.02
    yield onboarded_sandbox
    clear_faults(onboarded_sandbox)


@contextlib.contextmanager
def worker_here():
    """Tasks queued meanwhile run here, as a worker would run them."""
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = False


def dispatch() -> int:
    """The dispatch beat, and the sends it queues."""
    with worker_here():
        return tasks.dispatch_due_outbox()


def deliver_results(sandbox, event):
    """Wait for MOSIP's results to come back over WebSub: the hub delivers them to
    the live portal's receiver, and the inbox sweep (a beat task) applies them
    through the handlers the registrations app registered."""
    for packet in event.packets.all():
        wait_until_done(sandbox, packet.application_id)

    def settled():
        inbox_process_due()
        event.refresh_from_db()
        births_have_uin = all(
            p.uin for p in event.packets.filter(subject="child", status="processed")
        )
        return event.is_settled and births_have_uin

    wait_for(settled, timeout=60, interval=0.2)
    return event
