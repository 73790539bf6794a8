"""A real Celery worker process killed in the middle of sending a packet.

The worker shares the test database, so this runs on PostgreSQL (CI) only; SQLite's
test database lives in the test process's memory.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from django.db import connection
from django.utils import timezone

from apps.registrations import mosip_calls, services
from apps.registrations.models import EventStatus, OutboxMessage, OutboxStatus
from tests.registrations import pipeline_support as sandbox_side
from tests.registrations.factories import birth_data, make_event
from tests.registrations.pipeline_support import (
    deliver_results,
    dispatch,
)

ROOT = Path(__file__).resolve().parent.parent.parent
LEASE_SECONDS = 2

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker process needs a database it can share: PostgreSQL",
)


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture
def worker_env(tmp_path, settings):
    settings.REGISTRATIONS_SEND_LEASE_SECONDS = LEASE_SECONDS
    broker = tmp_path / "broker"
    for folder in ("queue", "processed"):
        (broker / folder).mkdir(parents=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crvs_portal.settings_test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_DIR": str(broker),
        "REGISTRATIONS_SEND_LEASE_SECONDS": str(LEASE_SECONDS),
    }


def _publisher(env, monkeypatch) -> Celery:
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    broker = Path(env["CELERY_BROKER_DIR"])
    # Not the current app: the tasks stay bound to the portal's own app.
    app = Celery(broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
        "store_processed": False,
    }
    return app


def _start_worker(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "crvs_portal", "worker",
         "--pool=solo", "--without-heartbeat", "--without-mingle",
         "--without-gossip", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(
    portal, registrar, worker_env, tmp_path, monkeypatch
):
    data = birth_data()
    data["child"]["fullName"] = {"eng": "Killed Worker Child"}
    event = services.event_submit(
        event=make_event(registrar, "birth", data), actor=registrar
    )
    outbox = event.outbox_messages.get()
    application_id = event.packets.get().application_id
    # MOSIP answers slowly, so the worker is surely mid-call when it dies.
    sandbox_side.set_faults(portal, latency_ms=4000)
    worker = _start_worker(worker_env, tmp_path / "worker.log")
    try:
        _publisher(worker_env, monkeypatch).send_task(
            "apps.registrations.tasks.send_packet", args=[outbox.pk]
        )
        sandbox_side.wait_for(
            lambda: OutboxMessage.objects.get(pk=outbox.pk).attempts == 1, timeout=60
        )
        # Part of the scenario: a moment into MOSIP's 4 s answer, the worker is inside
        # the call when it dies (no marker shows a request in flight).
        time.sleep(1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    outbox.refresh_from_db()
    assert outbox.status == OutboxStatus.PENDING
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED

    sandbox_side.clear_faults(portal)
    mosip_calls.forget_client()
    # Until the dead worker's hold ends, nobody else takes the row.
    assert dispatch() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=LEASE_SECONDS + 1)):
        assert dispatch() == 1
    outbox.refresh_from_db()
    assert (outbox.status, outbox.attempts) == (OutboxStatus.SENT, 2)
    event = deliver_results(portal, event)
    assert event.status == EventStatus.ID_ISSUED
    assert len(sandbox_side.workflows(portal, application_id)) == 1
