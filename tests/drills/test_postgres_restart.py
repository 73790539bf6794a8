"""The portal's PostgreSQL server restarts in the middle of a batch.

The portal runs on a cluster of the drill's own (never the machine's server, which
other tests share). While ~200 births are submitted and sent, the server is
stopped, left down for a few seconds and started again: /healthz reports the
database down meanwhile and ok after; the registrar's submissions that met the
outage are made again; deliveries and sends that failed are retried; every event
gets its national ID, with one packet and one workflow in MOSIP per application id.
"""

import time

import pytest
import requests

from tests.drills.private_postgres import PrivatePostgres, unavailable_reason
from tests.drills.watch import (
    QUICK_QUEUE,
    Submission,
    duplicates,
    sandbox_registrations,
    wait_for,
    wait_until_all_processed,
)

pytestmark = pytest.mark.drill

BIRTHS = 200
DOWN_SECONDS = 4


@pytest.fixture
def private_postgres():
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"no private PostgreSQL cluster: {reason}")
    cluster = PrivatePostgres().init()
    cluster.start()
    yield cluster
    cluster.remove()


def _health(portal) -> tuple[int, bool | None]:
    """/healthz's status code and whether it found the database up (None: no answer)."""
    try:
        response = requests.get(f"{portal.url}/healthz", timeout=5)
    except requests.RequestException:
        return 0, None
    return response.status_code, response.json()["checks"]["database"]["ok"]


def test_a_postgres_restart_mid_batch_loses_nothing_and_sends_each_once(
    private_postgres, drill_portal, drill_report
):
    portal = drill_portal(
        "postgres-restart",
        **QUICK_QUEUE,
        DATABASE_URL=private_postgres.url,
        REGISTRATIONS_SEND_LEASE_SECONDS="5",
        REGISTRATIONS_RETRY_BASE_SECONDS="1",
        REGISTRATIONS_RETRY_MAX_DELAY_SECONDS="4",
        # The hub stops delivering to a callback that failed (the receiver cannot
        # store a delivery without its database); re-subscribing starts it again.
        WEBSUB_RESUBSCRIBE_SECONDS="20",
    )
    assert _health(portal) == (200, True)
    assert (
        portal.setup(
            "from django.db import connection; print(connection.settings_dict['PORT'])"
        )
        .strip()
        .endswith(str(private_postgres.port))
    )
    sandbox = drill_portal.sandbox
    submission = Submission(portal, BIRTHS, "Restart")
    wait_for(
        lambda: sandbox_registrations(sandbox)["workflows"] >= BIRTHS // 4,
        timeout=180,
        interval=0.5,
        what="a third of the births sent",
    )
    workflows_before = sandbox_registrations(sandbox)["workflows"]
    submitting = submission.running()

    private_postgres.stop()
    down = wait_for(
        lambda: (h := _health(portal))[1] is False and h,
        timeout=120,
        interval=0.2,
        what="/healthz reporting the database down",
    )
    assert down[0] == 503, down
    # Part of the scenario: the database stays away this long.
    time.sleep(DOWN_SECONDS)
    private_postgres.start()
    restarted = time.monotonic()
    wait_for(
        lambda: _health(portal) == (200, True),
        timeout=180,
        interval=0.2,
        what="/healthz ok again",
    )
    healthy_after = time.monotonic() - restarted
    submitted = submission.join()
    assert submitted["submitted"] == BIRTHS

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
        "postgres-restart",
        submitted=BIRTHS,
        workflows_before_restart=workflows_before,
        healthz_while_down=down[0],
        seconds_to_healthy_after_start=round(healthy_after, 1),
        still_submitting_at_restart=submitting,
        submissions_made_again=submitted["interrupted"],
        retries=done["retries"],
        already_in_mosip_when_resent=done["already_in_mosip"],
        with_uin=done["with_uin"],
        packets_in_sandbox=held["packets"],
        workflows_in_sandbox=held["workflows"],
        duplicates=sum(len(v) for v in found.values()),
    )
