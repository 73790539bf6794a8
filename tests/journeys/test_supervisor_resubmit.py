"""MOSIP was down when a birth was submitted, and the send has been failing for two
hours: a supervisor finds the event on the stuck list, resubmits it once MOSIP is
back, and it goes through to a national ID under the same application id."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.journeys import records
from tests.journeys.steps import sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def mosip_down(live_portal):
    """MOSIP's services answer 503 (the sandbox is shared by every journey: the
    outage ends by itself within minutes, and is cleared after the test whatever
    happened)."""
    records.set_faults(live_portal, outage={"mode": "503", "until": time.time() + 300})
    yield
    records.clear_faults(live_portal)


def test_a_supervisor_resubmits_an_event_stuck_by_an_outage(
    mosip_down, page, open_tab, live_portal
):
    stuck = records.build(live_portal, 'stuck_birth("Tunde Bakare")')
    number = stuck["registration_number"]
    # MOSIP is back; the send would only be retried when the backoff says.
    records.clear_faults(live_portal)

    sign_in(page, "supervisor", live_portal.password)
    page.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name="Stuck events"
    ).click()
    expect(page.get_by_role("heading", name="Stuck events")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Birth")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("2\xa0hours")
    # Why it is stuck: the send's last error.
    expect(row.locator("code")).to_have_text("HTTP 503")

    row.get_by_role("button", name=f"Resubmit {number}").click()
    expect(page.get_by_text(f"{number}: 1 packet(s) queued again.")).to_be_visible()

    # The dispatcher sends it on its next round; once MOSIP has it, it is no longer
    # waiting too long.
    def off_the_stuck_list() -> bool:
        if not page.locator("tbody tr").filter(has_text=number).count():
            return True
        page.get_by_role("navigation", name="Dashboards").get_by_role(
            "link", name="Stuck events"
        ).click()
        expect(page.get_by_role("heading", name="Stuck events")).to_be_visible()
        return not page.locator("tbody tr").filter(has_text=number).count()

    wait_until(off_the_stuck_list, 120, "the event left the stuck list", interval=2)

    # The office's registrar finds it through, with the national ID.
    registrar = open_tab(live_portal)
    sign_in(registrar, "registrar", live_portal.password)
    search = registrar.get_by_label(re.compile("^Search by name"))
    search.fill(number)
    search.press("Enter")
    registrar.get_by_role("link", name=number, exact=True).click()
    expect(registrar.locator("#timeline-title .status")).to_have_text(
        "National ID issued", timeout=60_000
    )
    # The status refreshes in place; the packets table as the page is loaded.
    registrar.reload()
    packet = registrar.locator("table.packets tbody tr")
    expect(packet).to_have_count(1)
    expect(packet.locator("code").first).to_have_text(stuck["application_id"])
    expect(packet).to_contain_text("Processed")
    expect(packet).to_contain_text(re.compile(r"UIN \d{10}"))
