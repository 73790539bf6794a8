"""Two national ID holders marry: the registrar records the marriage with both
spouses' UINs, the witnesses and the officiant, submits it, and MOSIP updates each
spouse's identity record with the new marital status. Stock MOSIP has no marriage
process: this deployment has added one (CRVS_MARRIAGE) with the changes the portal
lists, and the integration admin has named it."""

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from tests.journeys import records
from tests.journeys.steps import complete_steps, sign_in

pytestmark = pytest.mark.browser


def _marital_status(record: dict) -> list:
    value = record["identity"]["maritalStatus"]
    return json.loads(value) if isinstance(value, str) else value


PROCESS = "CRVS_MARRIAGE"


def test_a_registrar_registers_the_marriage_of_two_id_holders(page, live_portal):
    live_portal.setup(
        f"portal_setup.marriage_process({PROCESS!r})",
        SANDBOX_URL=live_portal.sandbox_url,
    )
    first, second = records.build(
        live_portal, 'id_holders("Musa Okafor/MLE", "Ruth Adeyemi/FLE")'
    )
    for person in (first, second):
        assert (
            "maritalStatus"
            not in records.identity(live_portal, person["uin"])["identity"]
        )
    sign_in(page, "registrar", live_portal.password)

    page.get_by_role("link", name="Record a new event").click()
    page.get_by_label("Marriage").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Marriage: new draft")).to_be_visible()

    married = datetime.date.today() - datetime.timedelta(days=3)
    complete_steps(
        page,
        {
            "#id_spouse1__fullName__eng": "Musa Okafor",
            "#id_spouse1__uin": first["uin"],
            "#id_spouse2__fullName__eng": "Ruth Adeyemi",
            "#id_spouse2__uin": second["uin"],
            "#id_marriage__date": married.isoformat(),
            "#id_marriage__place": "Port Town Registry Office",
            "#id_marriage__type": "Civil",
            "#id_witnesses__witness1_name": "Peter Eze",
            "#id_witnesses__witness2_name": "Grace Obi",
            "#id_officiant__full_name": "Amos Bako",
            "#id_officiant__title": "Registrar",
        },
    )
    expect(
        page.get_by_role("heading", name="Review the marriage before submitting")
    ).to_be_visible()
    plan = page.locator("section.notice")
    expect(plan).to_contain_text("2 packets are sent to MOSIP")
    expect(plan).to_contain_text(PROCESS)
    expect(page.get_by_text("Amos Bako")).to_be_visible()
    page.get_by_role("button", name="Submit", exact=True).click()

    message = page.get_by_text(re.compile(r"Registered as JOURNEY-\d{4}-\d{6}\."))
    expect(message).to_be_visible()
    number = re.search(r"JOURNEY-\d{4}-\d{6}", message.inner_text()).group(0)
    expect(page.get_by_role("heading", name=f"Marriage {number}")).to_be_visible()
    expect(page.locator("#timeline-title .status")).to_have_text(
        "Identity record updated", timeout=45_000
    )

    # One update packet per spouse, each processed by MOSIP.
    packets = page.locator("table.packets tbody tr")
    expect(packets).to_have_count(2)
    for row, subject in zip(
        packets.all(), ("First spouse", "Second spouse"), strict=True
    ):
        expect(row).to_contain_text(subject)
        expect(row).to_contain_text(PROCESS)
        expect(row).to_contain_text("Processed")
    application_ids = [row.locator("code").first.inner_text() for row in packets.all()]

    # MOSIP's ID repository: both records say married, changed by these packets.
    for person, application_id in zip((first, second), application_ids, strict=True):
        record = records.identity(live_portal, person["uin"])
        assert record["status"] == "ACTIVATED"
        assert {v["value"] for v in _marital_status(record)} == {"MARRIED"}
        assert record["history"][-1]["process"] == PROCESS
        assert record["history"][-1]["registrationId"] == application_id
