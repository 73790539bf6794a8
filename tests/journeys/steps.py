"""Steps several journeys share, done the way a user does them."""

import datetime
import re

from playwright.sync_api import Page, expect

from tests.registrations.factories import PDF_BYTES

REGISTRATION_NUMBER = re.compile(r"JOURNEY-\d{4}-\d{6}")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def register_birth(
    page: Page, child: str = "Amina Bello", child_ara: str = "أمينة بيلو"
) -> str:
    """From the registrar's list: record a birth with its medical notification,
    review it and submit it; ends on the event's page. The registration number."""
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
        "#id_child__fullName__eng": child,
        "#id_child__fullName__ara": child_ara,
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
    expect(page.get_by_text(child)).to_be_visible()
    expect(page.get_by_text("Medical birth notification")).to_be_visible()
    page.get_by_role("button", name="Submit", exact=True).click()

    message = page.get_by_text(
        re.compile(rf"Registered as {REGISTRATION_NUMBER.pattern}\.")
    )
    expect(message).to_be_visible()
    number = REGISTRATION_NUMBER.search(message.inner_text()).group(0)
    expect(page.get_by_role("heading", name=f"Birth {number}")).to_be_visible()
    return number
