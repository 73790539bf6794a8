"""A registrar types a name in English, moves to the Arabic box and types on at once:
the English box's check comes back and is shown without touching the Arabic box, so
no keystroke is lost however fast the typing."""

import pytest
from playwright.sync_api import expect

from tests.journeys.steps import sign_in

pytestmark = pytest.mark.browser


def test_checking_one_language_leaves_the_other_box_alone(page, live_portal):
    sign_in(page, "registrar", live_portal.password)
    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label("Birth").check()
    page.get_by_role("button", name="Start").click()
    english = page.locator("#id_child__fullName__eng")
    arabic = page.locator("#id_child__fullName__ara")

    english.fill("Am")  # too short for MOSIP: its check answers with an error
    # The Arabic box as it is before the check: a replaced box loses the marker.
    arabic.evaluate("box => { box.dataset.sameBox = 'yes'; }")
    with page.expect_response(lambda r: "/validate/" in r.url):
        arabic.focus()  # leaving the English box sends its check
        page.keyboard.type("أمينة")
    expect(page.locator("#id_child__fullName__eng-error")).to_contain_text(
        "3 to 50 characters"
    )
    assert arabic.evaluate("box => box.dataset.sameBox") == "yes"
    expect(arabic).to_have_value("أمينة")
    expect(arabic).to_be_focused()
