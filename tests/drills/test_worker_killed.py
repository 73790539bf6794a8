"""The Celery worker is killed (SIGKILL, as the OOM killer would) in the middle of a
batch, while its sends wait on MOSIP, and started again.

Sends the dead worker had taken fall due again once its hold on them ends, tasks it
had not run are lost with it and the dispatch beat queues their rows again; MOSIP
may already have taken some of what the dead worker sent, and seeing it again does
no harm. Every event gets its national ID, with one packet and one workflow in MOSIP
per application id.
"""

import time

import pytest
import requests

from tests.drills.watch import (
    QUICK_QUEUE,
    Submission,
    duplicates,
    portal_state,
    sandbox_registrations,
    wait_for,
    wait_until_all_processed,
)

pytestmark = pytest.mark.drill

BIRTHS = 200
LEASE_SECONDS = 5


def _latency(sandbox, ms: int) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"latency_ms": ms}, timeout=5
    ).raise_for_status()


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_each_once(
    drill_portal, drill_report
):
    portal = drill_portal(
        "worker-killed",
        **QUICK_QUEUE,
        REGISTRATIONS_SEND_LEASE_SECONDS=str(LEASE_SECONDS),
        REGISTRATIONS_RETRY_BASE_SECONDS="1",
        REGISTRATIONS_RETRY_MAX_DELAY_SECONDS="4",
    )
    sandbox = drill_portal.sandbox
    submission = Submission(portal, BIRTHS, "Killed")
    wait_for(
        lambda: sandbox_registrations(sandbox)["workflows"] >= BIRTHS // 3,
        timeout=180,
        interval=0.5,
        what="a third of the births sent",
    )
    # MOSIP answers slowly now, so the worker is surely mid-call when it dies.
    _latency(sandbox, 1500)
    # Part of the scenario: a moment into MOSIP's 1.5 s answers, the sends are in
    # flight when the worker dies.
    time.sleep(1)
    portal.kill("worker")
    # What the dead worker had sent lands in MOSIP all the same, once the slow
    # answers already under way have run their 1.5 s.
    time.sleep(2)
    _latency(sandbox, 0)
    held_at_kill = sandbox_registrations(sandbox)
    at_kill = portal_state(portal)
    # Rows the dead worker had taken and not finished, and packets MOSIP stored
    # whose workflow the dead worker never got to trigger.
    assert at_kill["claimed_unfinished"] >= 1, at_kill
    assert at_kill["events"].get("failed", 0) == 0, at_kill
    half_sent = [r for r in held_at_kill["registrations"] if r["workflows"] == 0]
    portal.restart("worker")
    assert submission.join()["submitted"] == BIRTHS

    done = wait_until_all_processed(portal, sandbox, BIRTHS, timeout=400)
    held = sandbox_registrations(sandbox)
    found = duplicates(done, held)

    assert done["events"] == {"id_issued": BIRTHS}, done["events"]
    assert done["outbox"] == {"sent": BIRTHS}, done["outbox"]
    assert done["with_uin"] == BIRTHS
    assert not any(found.values()), found
    assert len(held["registrations"]) == BIRTHS
    assert all(r["packets"] == 1 and r["workflows"] == 1 for r in held["registrations"])
    assert (held["packets"], held["workflows"]) == (BIRTHS, BIRTHS)
    drill_report(
        "worker-killed",
        submitted=BIRTHS,
        workflows_before_kill=held_at_kill["workflows"],
        sends_in_flight_at_kill=at_kill["claimed_unfinished"],
        packets_without_workflow_at_kill=len(half_sent),
        retries=done["retries"],
        already_in_mosip_when_resent=done["already_in_mosip"],
        with_uin=done["with_uin"],
        packets_in_sandbox=held["packets"],
        workflows_in_sandbox=held["workflows"],
        duplicates=sum(len(v) for v in found.values()),
    )
