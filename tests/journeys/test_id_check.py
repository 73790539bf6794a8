"""The death of the wrong person is stopped at the UIN field: a registrar records the
death of "Georges Élie Khoury, born 1948" with the UIN MOSIP issued to a baby girl,
Amina Yusuf Haddad, 4 days old. Leaving the UIN field, MOSIP's ID Authentication says
it does not match; the review refuses to submit without a supervisor's decision, and
the supervisor's dashboard lists the death waiting for it. Each screen is kept in
var/journeys/idcheck/."""

import pytest
from playwright.sync_api import Page, expect

from tests.journeys import records
from tests.journeys.conftest import ARTIFACTS
from tests.journeys.steps import complete_steps, sign_in, start_event

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "idcheck"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_death_of_the_wrong_person_is_stopped_at_the_uin_field(page, live_portal):
    [baby] = records.build(
        live_portal, 'id_holders("Amina Yusuf Haddad/FLE", days_old=4)'
    )
    sign_in(page, "registrar", live_portal.password)
    start_event(page, "Death")

    page.locator("#id_deceased__fullName__eng").fill("Georges Élie Khoury")
    uin = page.locator("#id_deceased__uin")
    uin.fill(baby["uin"])
    uin.press("Tab")
    outcome = page.locator("#idcheck-deceased")
    expect(outcome).to_contain_text("Does not match", timeout=15_000)
    expect(outcome).to_contain_text("name in English")
    expect(outcome).to_contain_text("without a supervisor's decision")
    _shot(page, "01-uin-does-not-match")

    # The date of birth typed too: checked again, both named.
    born = page.locator("#id_deceased__dateOfBirth")
    born.fill("1948-05-02")
    # Tab moves between a date input's parts: the registrar clicks the next field.
    page.locator("#id_deceased__gender").click()
    expect(outcome).to_contain_text("date of birth", timeout=15_000)
    _shot(page, "02-name-and-date-of-birth")

    complete_steps(
        page,
        {
            "#id_deceased__gender": "Male",
            "#id_death__date": "2025-01-02",
            "#id_death__place_type": "Home",
            "#id_death__place": "4 Cedar Street, Port Town",
            "#id_death__cause": "Heart failure",
            "#id_death__manner": "Natural causes",
            "#id_informant__full_name": "Rania Khoury",
            "#id_informant__relationship": "Spouse",
        },
        shots=SHOTS / "steps",
    )
    blocked = page.locator("#id-check-blocked")
    expect(blocked).to_contain_text("This death cannot be submitted yet")
    expect(blocked).to_contain_text("does not match MOSIP's record")
    expect(page.get_by_role("button", name="Submit", exact=True)).to_have_count(0)
    expect(page.locator(".id-checks")).to_contain_text("Does not match")
    _shot(page, "03-review-refuses")

    # The supervisor sees the death waiting for a decision.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "supervisor", live_portal.password)
    page.goto("/dashboards/")
    waiting = page.get_by_text("1 death waiting for your decision")
    expect(waiting).to_be_visible()
    page.locator(".notice.bad").get_by_role("link").first.click()
    expect(
        page.get_by_role("heading", name="Allow this death to be submitted?")
    ).to_be_visible()
    _shot(page, "04-supervisor-decides")
