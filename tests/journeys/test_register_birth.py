"""A registrar records a birth with its evidence, reviews it, submits it, and finds it
registered under the office's number."""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.steps import register_birth, sign_in

pytestmark = pytest.mark.browser

AFTER_SUBMIT = re.compile(
    "Submitted|Packet created|Processing in MOSIP|National ID issued|Certified"
)


def test_a_registrar_registers_a_birth_with_a_document(page, live_portal):
    sign_in(page, "registrar", live_portal.password)
    expect(page.get_by_role("heading", name="Registrations")).to_be_visible()

    number = register_birth(page)
    status = page.locator("#timeline-title .status")
    expect(status).to_have_text(AFTER_SUBMIT)
    expect(page.locator(".history")).to_contain_text("Submitted")
    expect(page.locator(".history")).to_contain_text("by registrar")
    # One packet for the child, under the birth process, with its application id.
    packet = page.locator("table.packets tbody tr")
    expect(packet).to_have_count(1)
    expect(packet).to_contain_text("CRVS_NEW")
    # (The first column: the national ID, once it arrives, is in code too.)
    expect(packet.locator("td").first.locator("code")).to_have_text(
        re.compile(r"^\d{29}$")
    )

    # The registrar finds it again in the office's list by its number.
    page.get_by_role("link", name="Registrations").click()
    page.get_by_label(re.compile("^Search by name")).fill(number)
    page.get_by_label(re.compile("^Search by name")).press("Enter")
    expect(page.get_by_role("link", name=re.compile(number))).to_be_visible()
    page.get_by_role("link", name=re.compile(number)).click()
    expect(page.get_by_role("heading", name=f"Birth {number}")).to_be_visible()
    # The evidence comes back only as a download, never shown raw in the browser.
    with page.expect_download() as download:
        page.get_by_role("link", name="Medical birth notification").click()
    assert download.value.suggested_filename == "birth_notification.pdf"
