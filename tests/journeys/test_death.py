"""A person whose birth was registered, and who holds the national ID MOSIP issued
for it, dies: the registrar finds the birth, records the death with the deceased's
UIN, submits it, and watches MOSIP process it until the identity record is updated;
MOSIP's ID repository then holds the death."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.journeys import records
from tests.journeys.steps import complete_steps, sign_in

pytestmark = pytest.mark.browser

IN_FLIGHT = re.compile("^(Submitted|Packet created|Processing in MOSIP)$")


def test_a_registrar_records_the_death_of_an_id_holder(page, live_portal):
    [person] = records.build(live_portal, 'id_holders("Ibrahim Sule/MLE")')
    sign_in(page, "registrar", live_portal.password)

    # The registrar finds the person's birth and the national ID it gave them.
    search = page.get_by_label(re.compile("^Search by name"))
    search.fill("Ibrahim Sule")
    search.press("Enter")
    page.get_by_role("link", name=person["registration_number"], exact=True).click()
    expect(page.locator("#timeline-title .status")).to_have_text("National ID issued")
    uin = page.locator("table.packets tbody tr td").nth(4).locator("code").first
    expect(uin).to_have_text(person["uin"])

    page.get_by_role("link", name="Registrations").click()
    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label("Death").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Death: new draft")).to_be_visible()

    died = datetime.date.today() - datetime.timedelta(days=2)
    complete_steps(
        page,
        {
            "#id_deceased__fullName__eng": "Ibrahim Sule",
            "#id_deceased__uin": person["uin"],
            "#id_deceased__gender": "Male",
            "#id_death__date": died.isoformat(),
            "#id_death__place_type": "Health facility",
            "#id_death__place": "Port Town General Hospital",
            "#id_death__cause": "Pneumonia",
            "#id_death__manner": "Natural causes",
            "#id_informant__full_name": "Hauwa Sule",
            "#id_informant__relationship": "Parent",
        },
    )
    expect(
        page.get_by_role("heading", name="Review the death before submitting")
    ).to_be_visible()
    plan = page.locator("section.notice")
    expect(plan).to_contain_text("CRVS_DEATH")
    expect(plan).to_contain_text("for the Deceased")
    page.get_by_role("button", name="Submit", exact=True).click()

    message = page.get_by_text(re.compile(r"Registered as JOURNEY-\d{4}-\d{6}\."))
    expect(message).to_be_visible()
    number = re.search(r"JOURNEY-\d{4}-\d{6}", message.inner_text()).group(0)
    expect(page.get_by_role("heading", name=f"Death {number}")).to_be_visible()
    status = page.locator("#timeline-title .status")
    expect(status).to_have_text(IN_FLIGHT)
    # The page stays as it is while the timeline follows MOSIP: no reload.
    page.evaluate("window.stillTheSamePage = true")
    expect(status).to_have_text("Identity record updated", timeout=45_000)
    assert page.evaluate("window.stillTheSamePage") is True

    packet = page.locator("table.packets tbody tr")
    expect(packet).to_have_count(1)
    expect(packet).to_contain_text("Deceased")
    expect(packet).to_contain_text("CRVS_DEATH")
    expect(packet).to_contain_text("Processed")
    application_id = packet.locator("code").first.inner_text()
    history = page.locator(".history")
    expect(history).to_contain_text("Processing in MOSIP")
    expect(history.locator("li").last).to_contain_text("Identity record updated")
    expect(history.locator("li").last).to_contain_text("from MOSIP")

    # MOSIP's ID repository: the UIN's record now holds the death.
    record = records.identity(live_portal, person["uin"])
    assert record["status"] == "DEACTIVATED"
    assert record["identity"]["declaredAsDeceased"] == "Y"
    assert record["identity"]["dateOfDeath"] == died.strftime("%Y/%m/%d")
    assert record["identity"]["deathCertificateNumber"] == number
    assert record["history"][-1]["process"] == "CRVS_DEATH"
    assert record["history"][-1]["registrationId"] == application_id
