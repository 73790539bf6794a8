"""Drill: MOSIP's hub delivers every result twice, and pending pairs out of order,
while a batch of births goes through. Every result is applied exactly once: one UIN
per child, one "ID issued" history row, audit entry and notification per event, and
each second copy counted as a duplicate, never applied."""

import json
from collections import Counter

import pytest

from tests.drills.websub_drill import (
    COMPLETED,
    QUICK_BROKER,
    hub_subscriptions,
    inside,
    published,
    set_faults,
    undelivered,
    wait_until,
)

pytestmark = pytest.mark.drill

BIRTHS = 100


def test_duplicate_and_reordered_deliveries_are_applied_once(
    drill_portal, drill_report
):
    portal = drill_portal(
        "duplicate-reordered",
        CELERY_BEAT_INTERVALS="websub-sweep-inbox=1",
        **QUICK_BROKER,
    )
    sandbox = drill_portal.sandbox
    set_faults(sandbox.url, duplicate_rate=1.0, reorder=True)

    application_ids = inside(portal, f"submit_births({BIRTHS}, 'Twice')")
    assert len(set(application_ids)) == BIRTHS

    settled = inside(portal, f"wait_settled({BIRTHS}, timeout=300)")
    assert settled["settled"], settled
    # The last copies may still be on their way when the last record settles.
    assert wait_until(lambda: undelivered(sandbox.url, portal) == 0, timeout=120)
    set_faults(sandbox.url, duplicate_rate=0.0, reorder=False)
    state = inside(portal, "state()")

    # What the hub published for the portal: a result and a credential per birth.
    results = published(sandbox.url, COMPLETED)
    assert len(results) == BIRTHS
    topics = {sub["topic"] for sub in hub_subscriptions(sandbox.url, portal)}
    assert len(topics) == 2 and COMPLETED in topics
    messages = sum(len(published(sandbox.url, topic)) for topic in topics)
    assert messages == 2 * BIRTHS

    # Stored once each; every second copy counted as a duplicate.
    assert state["inbox_rows"] == messages
    assert state["inbox_most_per_key"] == 1
    duplicates = state["bad_inputs"].get("duplicate", 0)
    assert duplicates == messages
    # Applied once: the rest were already recorded by the other kind of result
    # (a credential settles its packet before a late workflow result, and back).
    statuses = Counter()
    for by_status in state["inbox"].values():
        statuses.update(by_status)
    assert set(statuses) <= {"applied", "duplicate"}, state["inbox"]
    assert state["inbox"]["credential_issued"] == {"applied": BIRTHS}

    # One UIN per child, one "ID issued" moment per event, certificate-ready once.
    assert state["events"] == {"id_issued": BIRTHS}
    assert state["packets"] == state["with_uin"] == state["distinct_uins"] == BIRTHS
    assert state["id_issued_changes"] == BIRTHS
    assert state["id_issued_changes_most"] == 1
    assert state["id_issued_audit"] == BIRTHS
    assert state["id_issued_audit_most"] == 1
    assert state["national_id_audit"] == BIRTHS
    assert state["national_id_audit_most"] == 1
    assert state["id_issued_notifications"] == BIRTHS
    assert state["id_issued_notifications_most"] == 1

    # The hub really did swap pending pairs: results reached the inbox in another
    # order than MOSIP published them.
    bodies = [json.loads(m["body"]) for m in results]
    order = [body.get("event", body)["instanceId"] for body in bodies]
    received = inside(portal, "received_order('workflow_completed')")
    assert sorted(received) == sorted(order)
    swapped = sum(1 for a, b in zip(order, received, strict=True) if a != b)
    assert swapped > 0

    drill_report(
        "duplicate-reordered",
        births=BIRTHS,
        deliveries_received=state["inbox_rows"] + duplicates,
        duplicates_ignored=duplicates,
        already_recorded=statuses.get("duplicate", 0),
        applied=statuses["applied"],
        out_of_order=swapped,
        with_uin=state["with_uin"],
        seconds_to_settle=settled["seconds"],
    )
