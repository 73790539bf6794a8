"""A registrar registers a birth, then the same birth again, the child's name typed a
little otherwise: the review shows the first registration beside it as a likely
duplicate. Submitting without a reason is refused at the reason's field; with one,
the birth is registered, and a supervisor finds it among the likely duplicates with
the reason and the first registration. Each screen is kept in
var/journeys/duplicates/."""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import ARTIFACTS
from tests.journeys.steps import (
    birth_answers,
    complete_steps,
    sign_in,
    start_event,
    submit_reviewed,
)

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "duplicates"
NOTIFICATION = (("Medical birth notification", "notification.pdf"),)
# No other journey registers a child named anything like her.
CHILD, CHILD_ARA = "Rukayya Danladi", "رقية دانلادي"
# The same child as the family spelt her the second time: an accent, one "y", and
# the Arabic written with ha for the ta marbuta.
AGAIN, AGAIN_ARA = "Rukáya Danladi", "رقيه دانلادي"
REASON = "Checked with the mother: a second notification for the same child."


def test_the_same_birth_twice_is_shown_as_a_likely_duplicate(
    page, open_tab, live_portal
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, "registrar", live_portal.password)

    start_event(page, "Birth")
    complete_steps(page, birth_answers(CHILD, CHILD_ARA), documents=NOTIFICATION)
    expect(page.get_by_text("may already be registered")).to_have_count(0)
    first = submit_reviewed(page)

    start_event(page, "Birth")
    complete_steps(page, birth_answers(AGAIN, AGAIN_ARA), documents=NOTIFICATION)
    expect(
        page.get_by_role("heading", name="This birth may already be registered")
    ).to_be_visible()
    earlier = page.locator("section.duplicate")
    expect(earlier).to_have_count(1)
    expect(earlier.get_by_role("heading")).to_have_text(f"Birth {first}")
    expect(earlier).to_contain_text("Similar child's name")
    # Side by side: the names as typed each time, and the first one's status.
    child_row = earlier.locator("tr").filter(has_text="Child")
    expect(child_row).to_contain_text(f"{AGAIN} / {AGAIN_ARA}")
    expect(child_row).to_contain_text(f"{CHILD} / {CHILD_ARA}")
    expect(earlier.locator("tr").filter(has_text="Date of birth")).to_contain_text(
        "same"
    )
    expect(earlier.get_by_role("link", name=f"Open {first}")).to_be_visible()
    page.screenshot(path=SHOTS / "01-review-likely-duplicate.png", full_page=True)
    # On a phone the comparison scrolls in its own box, never the page.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    page.screenshot(path=SHOTS / "01-review-on-a-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Submitting without saying why is refused, at the reason's field.
    page.get_by_role("button", name="Submit", exact=True).click()
    reason = page.get_by_label("Why register this event as well?")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_contain_text(
        f"This birth looks like an event already registered ({first})"
    )
    page.screenshot(path=SHOTS / "02-refused-without-a-reason.png", full_page=True)

    reason.fill(REASON)
    second = submit_reviewed(page)
    assert second != first
    flagged = page.locator("section.flagged")
    expect(flagged).to_contain_text("Registered as a likely duplicate")
    expect(flagged).to_contain_text(REASON)
    expect(flagged.get_by_role("link", name=f"Open {first}")).to_be_visible()
    page.screenshot(path=SHOTS / "03-registered-with-the-reason.png", full_page=True)

    supervisor = open_tab(live_portal)
    sign_in(supervisor, "supervisor", live_portal.password)
    supervisor.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name="Likely duplicates"
    ).click()
    expect(
        supervisor.get_by_role("heading", name="Likely duplicates", exact=True)
    ).to_be_visible()
    row = supervisor.locator("tbody tr").filter(has_text=second)
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text("registrar")
    supervisor.screenshot(path=SHOTS / "04-supervisor-list.png", full_page=True)
    row.get_by_role("link", name=second).click()
    expect(supervisor.get_by_role("heading", name=f"Birth {second}")).to_be_visible()
    expect(supervisor.locator(".flag-reason")).to_have_text(REASON)
    expect(
        supervisor.locator("section.duplicate").get_by_role(
            "link", name=re.compile(f"Open {first}")
        )
    ).to_be_visible()
    supervisor.screenshot(path=SHOTS / "05-supervisor-event.png", full_page=True)
