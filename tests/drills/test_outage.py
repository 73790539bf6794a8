"""MOSIP goes down in the middle of 500 submissions and comes back.

The sandbox first drops connections ("refuse": a dead node), then answers 503 (an
ingress with no healthy pod). Meanwhile the registrar's events wait, retried, and
never fail; once MOSIP is back every one of them gets its national ID, and MOSIP
holds exactly one packet and one workflow per application id.
"""

import pytest
import requests

from tests.drills.watch import (
    QUICK_QUEUE,
    Submission,
    duplicates,
    portal_state_when,
    sandbox_registrations,
    wait_for,
    wait_until_all_processed,
)

pytestmark = pytest.mark.drill

BIRTHS = 500


def _outage(sandbox, mode: str | None) -> None:
    outage = {"mode": mode, "until": None} if mode else None
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"outage": outage}, timeout=5
    ).raise_for_status()


def _workflows(sandbox) -> int:
    return sandbox_registrations(sandbox)["workflows"]


def test_an_outage_mid_batch_queues_the_rest_and_sends_each_once_after(
    drill_portal, drill_report
):
    portal = drill_portal(
        "outage",
        **QUICK_QUEUE,
        REGISTRATIONS_RETRY_BASE_SECONDS="1",
        REGISTRATIONS_RETRY_MAX_DELAY_SECONDS="4",
    )
    sandbox = drill_portal.sandbox
    submission = Submission(portal, BIRTHS, "Outage")
    wait_for(
        lambda: _workflows(sandbox) >= BIRTHS // 3,
        timeout=180,
        interval=0.5,
        what="a third of the births sent",
    )
    _outage(sandbox, "refuse")
    assert submission.join()["submitted"] == BIRTHS

    # Every send still queued meets the dead node once, and is put back to wait.
    during = portal_state_when(
        portal,
        "s['pending'] and sum(s['pending_errors'].values()) == s['pending']",
        timeout=300,
        what="every queued send tried once",
    )
    sent_before = _workflows(sandbox)
    assert sent_before < BIRTHS
    assert during["pending"] == BIRTHS - sent_before, during
    assert during["pending_errors"].get("MosipUnavailable"), during
    assert during["events"].get("failed", 0) == 0, during
    waiting = during["events"].get("submitted", 0) + during["events"].get(
        "packet_created", 0
    )
    assert waiting == during["pending"], during
    assert during["shown_waiting"] == during["pending"], during

    # A node that answers 503 instead: the retries keep coming, and keep waiting.
    _outage(sandbox, "503")
    still = portal_state_when(
        portal,
        "s['pending_errors'].get('HTTP 503')",
        timeout=180,
        what="retries answered 503",
    )
    assert still["pending"] == during["pending"], still
    assert still["events"].get("failed", 0) == 0, still
    assert still["shown_waiting"] == still["pending"], still
    assert still["retries"] > during["retries"], still
    assert _workflows(sandbox) == sent_before

    _outage(sandbox, None)
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
        "outage",
        submitted=BIRTHS,
        sent_before_outage=sent_before,
        queued_during_outage=during["pending"],
        retries=done["retries"],
        with_uin=done["with_uin"],
        packets_in_sandbox=held["packets"],
        workflows_in_sandbox=held["workflows"],
        duplicates=sum(len(v) for v in found.values()),
    )
