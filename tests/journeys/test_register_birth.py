"""A registrar records a birth with its evidence, reviews it, submits it, and finds it
registered under the office's number."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.journeys.steps import sign_in
from tests.registrations.factories import PDF_BYTES

pytestmark = pytest.mark.browser

AFTER_SUBMIT = re.compile(
    "Submitted|Packet created|Processing in MOSIP|National ID issued|Certified"
)


def test_a_registrar_registers_a_birth_with_a_document(page, live_portal):
    sign_in(page, "registrar", live_portal.password)
    expect(page.get_by_role("heading", name="Registrations")).to_be_visible()

    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label("Birth").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Birth: new draft")).to_be_visible()

    # The evidence first: attaching reloads the page on the documents section.
    page.locator("#id_kind").select_option(label="Medical birth notification")
    page.locator("#id_file").set_input_files(
        {"name": "notification.pdf", "mimeType": "application/pdf",
         "buffer": PDF_BYTES}
    )  # fmt: skip
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("Document attached.")).to_be_visible()

    born = datetime.date.today() - datetime.timedelta(days=20)
    answers = {
        "#id_child__fullName__eng": "Amina Bello",
        "#id_child__fullName__ara": "أمينة بيلو",
        "#id_child__dateOfBirth": born.isoformat(),
        "#id_child__addressLine1__eng": "12 Market Road",
        "#id_child__city__eng": "Port Town",
        "#id_child__zone__eng": "Ward 4",
        "#id_child__province__eng": "Lakeside",
        "#id_child__region__eng": "North",
        "#id_birth__place": "Port Town General Hospital",
        "#id_mother__full_name": "Hauwa Bello",
        "#id_informant__full_name": "Hauwa Bello",
    }
    for field, value in answers.items():
        page.locator(field).fill(value)
    page.locator("#id_child__gender").select_option(label="Female")
    page.locator("#id_birth__place_type").select_option(label="Health facility")
    page.locator("#id_informant__relationship").select_option(label="Mother")
    # Saved as typed, in the background (htmx sends the CSRF token in a header).
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    page.get_by_role("button", name="Save and review").click()

    expect(
        page.get_by_role("heading", name="Review the birth before submitting")
    ).to_be_visible()
    expect(page.get_by_text("CRVS_NEW")).to_be_visible()
    expect(page.get_by_text("Amina Bello")).to_be_visible()
    expect(page.get_by_text("Medical birth notification")).to_be_visible()
    page.get_by_role("button", name="Submit", exact=True).click()

    message = page.get_by_text(re.compile(r"Registered as JOURNEY-\d{4}-\d{6}\."))
    expect(message).to_be_visible()
    number = re.search(r"JOURNEY-\d{4}-\d{6}", message.inner_text()).group(0)
    expect(page.get_by_role("heading", name=f"Birth {number}")).to_be_visible()
    status = page.locator("#timeline-title .status")
    expect(status).to_have_text(AFTER_SUBMIT)
    expect(page.locator(".history")).to_contain_text("Submitted")
    expect(page.locator(".history")).to_contain_text("by registrar")
    # One packet for the child, under the birth process, with its application id.
    packet = page.locator("table.packets tbody tr")
    expect(packet).to_have_count(1)
    expect(packet).to_contain_text("CRVS_NEW")
    expect(packet.locator("code")).to_have_text(re.compile(r"^\d{29}$"))

    # The registrar finds it again in the office's list by its number.
    page.get_by_role("link", name="Registrations").click()
    page.get_by_label(re.compile("^Search by registration number")).fill(number)
    page.get_by_label(re.compile("^Search by registration number")).press("Enter")
    expect(page.get_by_role("link", name=re.compile(number))).to_be_visible()
    page.get_by_role("link", name=re.compile(number)).click()
    expect(page.get_by_role("heading", name=f"Birth {number}")).to_be_visible()
    # The evidence comes back only as a download, never shown raw in the browser.
    with page.expect_download() as download:
        page.get_by_role("link", name="Medical birth notification").click()
    assert download.value.suggested_filename == "birth_notification.pdf"
