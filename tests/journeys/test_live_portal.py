"""The journeys' live portal is the real thing: its worker runs the tasks its other
processes enqueue, through the broker and the database, nothing eager."""

import pytest
import requests
from playwright.sync_api import expect

from tests.journeys.steps import sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.browser


def test_a_task_sent_from_another_process_runs_in_the_worker(live_portal):
    live_portal.setup(
        "from apps.core.models import Heartbeat; Heartbeat.objects.all().delete()"
    )
    before = requests.get(f"{live_portal.url}/healthz", timeout=5).json()
    assert before["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}

    live_portal.setup(
        "from apps.core.tasks import record_heartbeat; record_heartbeat.delay()"
    )

    def worker_check() -> dict:
        health = requests.get(f"{live_portal.url}/healthz", timeout=5).json()
        return health["checks"]["worker"]

    wait_until(lambda: worker_check()["ok"], timeout=60, observe=worker_check)
    live_portal.check_alive()


def test_a_fresh_portal_is_empty_until_set_up(fresh_portal, open_tab):
    portal = fresh_portal("fresh")
    tab = open_tab(portal)
    tab.goto("/sign-in/")
    tab.get_by_label("Username").fill("registrar")
    tab.get_by_label("Password").fill(portal.password)
    tab.get_by_role("button", name="Sign in").click()
    expect(
        tab.get_by_text("Please enter a correct username and password")
    ).to_be_visible()

    portal.setup("portal_setup.people()")
    sign_in(tab, "registrar", portal.password)
    expect(tab.get_by_role("heading", name="Registrations")).to_be_visible()


def test_the_live_portal_is_onboarded_and_every_readiness_check_holds(live_portal):
    out = live_portal.manage("mosip_check")
    assert "FAIL" not in out, out
    assert out.count("OK") >= 11, out
