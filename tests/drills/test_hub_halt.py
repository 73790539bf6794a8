"""Drill: MOSIP's hub halts the portal's subscriptions while a batch of births is
being processed, and says nothing, as it does after one failed delivery. Results
pile up at the hub; the status search (reconcile beat) finds results that were never
delivered, so readiness shows the trouble; the beat's scheduled re-subscribe resumes
delivery with nobody doing anything, the hub re-delivers from where it stopped, and
every birth gets its UIN, applied once."""

import threading
import time

import pytest

from tests.drills.websub_drill import (
    QUICK_BROKER,
    hub_subscriptions,
    inside,
    set_faults,
    undelivered,
    wait_until,
)

pytestmark = pytest.mark.drill

BIRTHS = 50
RESUBSCRIBE_SECONDS = 50
# The halt must last long enough for the status search to notice it.
SHORTEST_HALT_SECONDS = 10


def test_a_halted_hub_is_resumed_by_the_scheduled_resubscribe(
    drill_portal, drill_report
):
    portal = drill_portal(
        "hub-halt",
        WEBSUB_RESUBSCRIBE_SECONDS=str(RESUBSCRIBE_SECONDS),
        REGISTRATIONS_RECONCILE_AFTER_SECONDS="3",
        CELERY_BEAT_INTERVALS=(
            "websub-keep-alive=2,registrations-reconcile-processing=2,"
            "websub-sweep-inbox=1"
        ),
        **QUICK_BROKER,
    )
    sandbox = drill_portal.sandbox.url

    # One birth through first, so each subscription has a delivered message to
    # resume from (a consumer group that never committed starts at the log's end).
    inside(portal, "submit_births(1, 'Before')")
    before = inside(portal, "wait_settled(1, timeout=240)")
    assert before["settled"] and before["health"]["ok"], before
    assert all(sub["committed"] for sub in hub_subscriptions(sandbox, portal))

    set_faults(sandbox, halt_subscribers=True)
    outcome: dict = {}

    def births_while_halted():
        try:
            outcome.update(
                inside(
                    portal,
                    f"submit_births({BIRTHS}, 'Halted'); "
                    f"websub_setup.wait_settled({BIRTHS + 1}, timeout=300)",
                )
            )
        except Exception as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    submitting = threading.Thread(target=births_while_halted)
    submitting.start()
    # The hub halts each subscriber at its next message; it stays halted after the
    # switch is off, as a real halt does.
    halted = wait_until(
        lambda: all(sub["halted"] for sub in hub_subscriptions(sandbox, portal)),
        timeout=180,
    )
    set_faults(sandbox, halt_subscribers=False)
    assert halted, hub_subscriptions(sandbox, portal)
    during = inside(portal, "state()")
    assert during["inbox_rows"] == before["inbox_rows"]
    assert during["keep_alive_due_in"] >= SHORTEST_HALT_SECONDS, during

    # Watch the hub only: what piles up while halted, and when it resumes.
    piled, halted_since = 0, time.monotonic()
    while submitting.is_alive():
        subs = hub_subscriptions(sandbox, portal)
        if not any(sub["halted"] for sub in subs):
            break
        piled = max(piled, undelivered(sandbox, portal))
        time.sleep(0.5)  # a sample every half second of what the hub holds back
    halt_seconds = time.monotonic() - halted_since
    submitting.join()
    assert "error" not in outcome, outcome.get("error")
    after = outcome
    assert after["settled"], after
    assert piled > 0

    # Readiness showed the trouble while the hub held the results back.
    assert any("never delivered" in seen for seen in after["health_seen"]), after
    # The scheduled re-subscribe brought the hub back, and all it held arrived.
    keep_alives = after["resubscribe_reasons"].get("keep-alive", 0) - before[
        "resubscribe_reasons"
    ].get("keep-alive", 0)
    assert keep_alives >= 2
    assert wait_until(lambda: undelivered(sandbox, portal) == 0, timeout=120)
    final = inside(portal, "state()")
    assert wait_until(lambda: inside(portal, "state()")["health"]["ok"], timeout=120)

    # Every birth has its own UIN, recorded once; each event was ID issued once.
    total = BIRTHS + 1
    assert final["events"] == {"id_issued": total}
    assert final["packets"] == final["with_uin"] == final["distinct_uins"] == total
    assert final["national_id_audit"] == total
    assert final["national_id_audit_most"] == 1
    assert final["id_issued_changes"] == total
    assert final["id_issued_changes_most"] == 1
    assert final["inbox"]["credential_issued"] == {"applied": total}
    assert final["inbox_most_per_key"] == 1

    drill_report(
        "hub-halt",
        births=total,
        halted_deliveries=piled,
        halt_seconds=round(halt_seconds, 1),
        resubscribe_due_at_halt=during["keep_alive_due_in"],
        resubscribes=final["resubscribes"] - before["resubscribes"],
        delivered_after=final["inbox_rows"] - during["inbox_rows"],
        with_uin=final["with_uin"],
        health_seen=" | ".join(after["health_seen"]),
    )
