"""The back office signs in to the Django admin and opens a registered divorce: it is
shown, never editable, and there is no way to delete it, not even by typing the delete
page's address or posting to it; a birth still in draft can be discarded. Each step's
screen is kept in var/journeys/back-office/."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.journeys import records
from tests.journeys.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "back-office"
EVENTS = "/admin/registrations/vitalevent/"
# The registered event's facts as the back office sees them, each read-only.
FACTS = [
    "status", "event_type", "registration_number", "office", "subject_name",
    "event_date", "data",
]  # fmt: skip


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _post(page: Page, path: str, form: dict):
    """A form post as the signed-in browser would send it, with its CSRF token."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(
        path,
        form={"csrfmiddlewaretoken": token, **form},
        headers={"Referer": page.url},
        max_redirects=0,
    )


def test_the_back_office_cannot_delete_or_edit_a_registered_event(page, live_portal):
    live_portal.setup("portal_setup.back_office()")
    events = records.build(live_portal, "back_office_events()")
    registered, draft = events["registered"], events["draft"]
    number = registered["registration_number"]

    # The back office signs in through the portal's sign-in page.
    page.goto("/admin/")
    page.get_by_label("Username").fill("backoffice")
    page.get_by_label("Password").fill(live_portal.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    _shot(page, "01-signed-in")

    # The list offers the pipeline's actions, but no deleting.
    page.get_by_role("link", name="Vital events").click()
    actions = page.locator("select[name=action] option")
    expect(actions.filter(has_text="Send waiting packets to MOSIP now")).to_have_count(
        1
    )
    expect(actions.filter(has_text=re.compile("delete", re.I))).to_have_count(0)
    row = page.locator("#result_list tbody tr").filter(has_text=number)
    expect(row).to_contain_text(registered["status"])
    _shot(page, "02-events-without-a-delete-action")

    # The registered event: every fact shown, none editable, nothing to delete it with.
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name="View vital event")).to_be_visible()
    form = page.locator("#vitalevent_form")
    for fact in FACTS:
        expect(form.locator(f".field-{fact} .readonly")).to_have_count(1)
        expect(form.locator(f"[name={fact}]")).to_have_count(0)
    expect(form.locator(".field-registration_number .readonly")).to_have_text(number)
    expect(form.locator("input[type=submit], button[type=submit]")).to_have_count(0)
    expect(page.locator("a.deletelink")).to_have_count(0)
    _shot(page, "03-registered-event-read-only")

    # Typing the delete page's address, or posting to it or to the change page, is
    # refused.
    change = f"{EVENTS}{registered['pk']}/change/"
    delete = f"{EVENTS}{registered['pk']}/delete/"
    refused = page.goto(delete)
    assert refused.status == 403
    expect(
        page.get_by_role("heading", name="You are not allowed to do this")
    ).to_be_visible()
    _shot(page, "04-delete-address-refused")
    assert _post(page, delete, {"post": "yes"}).status == 403
    assert (
        _post(page, change, {"status": "draft", "event_date": "1999-01-01"}).status
        == 403
    )
    page.goto(change)
    expect(page.locator(".field-registration_number .readonly")).to_have_text(number)
    expect(page.locator(".field-status .readonly")).to_have_text(registered["status"])
    _shot(page, "05-registered-event-unchanged")

    # A draft was never registered: the back office finds it among the drafts and
    # may discard it.
    page.goto(EVENTS)
    page.locator("#changelist-filter").get_by_role(
        "link", name="Draft", exact=True
    ).click()
    page.locator("#result_list").get_by_role(
        "link", name=draft["label"], exact=True
    ).click()
    expect(page.get_by_role("heading", name="View vital event")).to_be_visible()
    page.locator("a.deletelink").click()
    expect(page.get_by_role("heading", name="Delete", exact=True)).to_be_visible()
    expect(page.locator("#content")).to_contain_text(
        f"Are you sure you want to delete the vital event “{draft['label']}”?"
    )
    _shot(page, "06-draft-discard-confirmation")
    page.get_by_role("button", name=re.compile("^Yes, I.m sure$")).click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"“{draft['label']}” was deleted successfully"
    )
    _shot(page, "07-draft-discarded")
    # Back on the admin's start (the back office cannot change events, so Django
    # does not return it to their list): the draft is gone, the registered event not.
    page.get_by_role("link", name="Vital events").first.click()
    listed = page.locator("#result_list")
    expect(listed.get_by_role("link", name=draft["label"], exact=True)).to_have_count(0)
    expect(listed.get_by_role("link", name=number, exact=True)).to_have_count(1)
    _shot(page, "08-events-after-the-discard")
