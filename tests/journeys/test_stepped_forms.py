"""A registrar records a birth, a death, a marriage and a divorce through the stepped
forms, on a phone (390×844) and on a desktop (1366×900): one section per step, the
documents, the review with a change link per section, and the submission. Each step's
screen is kept in var/journeys/forms/<event>-<width>/.

And a birth finished with the connection dropped and restored in the middle of a step:
what was typed offline is kept, said to be kept, and saved into the same draft."""

import datetime
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

VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
SHOTS = ARTIFACTS / "forms"
_DAYS_AGO = datetime.date.today() - datetime.timedelta(days=5)

ANSWERS = {
    "Birth": birth_answers(child="Lina Forms"),
    "Death": {
        "#id_deceased__fullName__eng": "Samuel Forms",
        "#id_deceased__gender": "Male",
        "#id_death__date": _DAYS_AGO.isoformat(),
        "#id_death__place_type": "Home",
        "#id_death__place": "4 Hill Street, Port Town",
        "#id_death__cause": "Heart failure",
        "#id_death__manner": "Natural causes",
        "#id_informant__full_name": "Ada Forms",
        "#id_informant__relationship": "Child",
        "#id_informant__phone": "+961 71 234 567",
    },
    "Marriage": {
        "#id_spouse1__fullName__eng": "Peter Forms",
        "#id_spouse2__fullName__eng": "Mary Forms",
        "#id_marriage__date": _DAYS_AGO.isoformat(),
        "#id_marriage__place": "Port Town Registry Office",
        "#id_marriage__type": "Civil",
        "#id_witnesses__witness1_name": "John Eze",
        "#id_witnesses__witness2_name": "Grace Obi",
        "#id_officiant__full_name": "Amos Bako",
    },
    "Divorce": {
        "#id_spouse1__fullName__eng": "Paul Forms",
        "#id_spouse2__fullName__eng": "Ruth Forms",
        "#id_divorce__court": "Port Town High Court",
        "#id_divorce__decree_number": "HC/2026/118",
        "#id_divorce__decree_date": _DAYS_AGO.isoformat(),
        "#id_divorce__marriage_registration_number": "M/2019/445",
    },
}
# What sets the phone's registration of each kind apart from the desktop's, so that
# the second is not the first registered again (docs/duplicates.md): another child,
# another decree.
OTHER_ON = {
    "phone": {
        "Birth": {"#id_child__fullName__eng": "Karim Steps"},
        "Divorce": {"#id_divorce__decree_number": "HC/2026/119"},
    },
    "desktop": {},
}
DOCUMENTS = {
    "Birth": (("Medical birth notification", "notification.pdf"),),
    "Death": (("Medical certificate of cause of death", "certificate.pdf"),),
    "Marriage": (("Signed marriage record", "record.pdf"),),
    "Divorce": (("Court decree of divorce", "decree.pdf"),),
}


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("kind", ANSWERS)
def test_an_event_is_registered_through_the_stepped_form(
    chromium, live_portal, kind, width
):
    w, h = VIEWPORTS[width]
    context = chromium.new_context(
        base_url=live_portal.url, viewport={"width": w, "height": h}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    shots = SHOTS / f"{kind.lower()}-{width}"
    try:
        sign_in(tab, "registrar", live_portal.password)
        start_event(tab, kind)
        answers = {**ANSWERS[kind], **OTHER_ON[width].get(kind, {})}
        complete_steps(tab, answers, documents=DOCUMENTS[kind], shots=shots)
        # Every section answered is on the review, each with its change link.
        for section in tab.locator("section.summary").all():
            expect(
                section.get_by_role("link", name=re.compile("^Change"))
            ).to_be_visible()
        assert tab.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        number = submit_reviewed(tab)
        expect(tab.get_by_role("heading", name=f"{kind} {number}")).to_be_visible()
        tab.screenshot(path=shots / "99-registered.png", full_page=True)
    finally:
        context.close()


def test_a_change_link_on_the_review_leads_back_to_its_step(page, live_portal):
    sign_in(page, "registrar", live_portal.password)
    start_event(page, "Birth")
    complete_steps(page, birth_answers(child="Omar Change"))
    page.get_by_role("link", name="Change mother").click()
    expect(page.locator("fieldset.section legend")).to_contain_text("Mother")
    page.locator("#id_mother__full_name").fill("Hauwa Changed")
    page.get_by_role("button", name=re.compile("Review and submit$")).click()
    expect(page.get_by_text("Hauwa Changed")).to_be_visible()


def test_a_birth_is_finished_with_the_connection_dropped_and_restored(
    page, live_portal
):
    sign_in(page, "registrar", live_portal.password)
    start_event(page, "Birth")
    draft = re.search(r"/registrations/(\d+)/", page.url).group(1)
    answers = birth_answers(child="Nadia Offline")
    page.locator("#id_child__fullName__eng").fill("Nadia Offline")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=15_000)

    page.context.set_offline(True)
    page.locator("#id_child__fullName__ara").fill("نادية")
    page.locator("#id_child__city__eng").fill("Port Town")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("The connection is lost")
    # "Save and continue" while offline is held back, with the typing kept.
    page.get_by_role("button", name="Save and continue", exact=True).click()
    expect(status).to_contain_text("Press the button again")
    expect(page.locator("#id_child__city__eng")).to_have_value("Port Town")
    page.screenshot(path=ARTIFACTS / "forms-offline.png", full_page=True)

    page.context.set_offline(False)
    expect(status).to_contain_text("Saved at", timeout=20_000)
    # A reload shows what the server holds: everything typed offline.
    page.reload()
    expect(page.locator("#id_child__fullName__ara")).to_have_value("نادية")
    expect(page.locator("#id_child__city__eng")).to_have_value("Port Town")
    answers.pop("#id_child__fullName__eng")
    answers.pop("#id_child__city__eng")
    complete_steps(
        page,
        answers,
        documents=(("Medical birth notification", "notification.pdf"),),
    )
    number = submit_reviewed(page)
    # The same draft became the registration: no second event was created.
    assert re.search(r"/registrations/(\d+)/", page.url).group(1) == draft
    page.goto("/registrations/")
    search = page.get_by_label(re.compile("^Search by name"))
    search.fill("Nadia Offline")
    search.press("Enter")
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr")).to_contain_text(number)
