"""A registrar has the informant of a birth verified with e-Signet: on the informant
step, "Verify with national ID" takes the browser to MOSIP's e-Signet (the sandbox's
login pages), the informant types their UIN and the one-time code sent to their phone
and agrees to share, and back in the portal the informant's name, date of birth and
UIN are filled in and marked verified (docs/identity-verification.md). Each screen is
kept in var/journeys/esignet/."""

import datetime
import re

import pytest
import requests
from playwright.sync_api import expect

from tests.journeys import records
from tests.journeys.conftest import ARTIFACTS
from tests.journeys.steps import sign_in, start_event

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "esignet"
INFORMANT = "Mariam Verified-Informant"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def sent_otp(live_portal, uin: str) -> str:
    """The one-time code the sandbox's e-Signet "sent" to the informant's phone."""
    response = requests.get(
        f"{live_portal.sandbox_url}/sandbox/api/esignet/otps",
        params={"individualId": uin},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["otps"][0]["otp"]


def test_the_informant_is_verified_with_esignet_and_the_form_filled(page, live_portal):
    # Someone MOSIP issued a national ID to, with a phone for the one-time code.
    (holder,) = records.build(live_portal, f'id_holders("{INFORMANT}/FLE")')
    uin = holder["uin"]
    record = records.identity(live_portal, uin)
    born = datetime.datetime.strptime(
        record["identity"]["dateOfBirth"], "%Y/%m/%d"
    ).date()

    sign_in(page, "registrar", live_portal.password)
    start_event(page, "Birth")
    page.get_by_role("button", name=re.compile(r"^\d+\. Informant")).click()
    expect(page.locator("fieldset.section > legend")).to_contain_text("Informant")
    expect(page.get_by_text("Verified with e-Signet on")).to_have_count(0)
    shot(page, "01-informant-step")

    page.get_by_role("button", name="Verify with national ID").click()
    # e-Signet's own login page, at MOSIP's address.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.url.startswith(f"{live_portal.sandbox_url}/authorize?")
    expect(page.get_by_text("CRVS portal asks you to log in")).to_be_visible()
    shot(page, "02-esignet-login")

    page.get_by_label("UIN or VID").fill(uin)
    page.get_by_role("button", name="Get OTP").click()
    expect(page.get_by_role("heading", name="Enter the OTP")).to_be_visible()
    page.get_by_label("OTP").fill(sent_otp(live_portal, uin))
    shot(page, "03-esignet-otp")
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", name="Share your details")).to_be_visible()
    for claim in ("name", "birthdate", "individual_id"):
        expect(page.get_by_role("listitem").filter(has_text=claim)).to_be_visible()
    shot(page, "04-esignet-consent")
    page.get_by_role("button", name="Allow").click()

    # Back on the portal's informant step, filled from what MOSIP signed.
    expect(page.get_by_text("Verified with e-Signet on")).to_be_visible()
    assert page.url.startswith(live_portal.url)
    expect(page.get_by_text("were filled in from their national ID")).to_be_visible()
    expect(page.locator("#id_informant__full_name")).to_have_value(INFORMANT)
    expect(page.locator("#id_informant__date_of_birth")).to_have_value(born.isoformat())
    expect(page.locator("#id_informant__uin")).to_have_value(uin)
    expect(page.locator(".verified-mark")).to_have_count(3)
    shot(page, "05-informant-verified")

    # The registrar changes the name: that answer is no longer MOSIP's.
    page.locator("#id_informant__full_name").fill("Mariam Someone-Else")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    page.reload()
    expect(page.get_by_text("Verified with e-Signet on")).to_have_count(0)
    expect(page.locator(".verified-mark")).to_have_count(2)
    shot(page, "06-answer-changed")


def test_the_informant_is_verified_on_their_own_phone(page, open_tab, live_portal):
    # The registrar shows a QR code; the informant opens it on their phone, where
    # nobody is signed in to the portal, and logs in to e-Signet there.
    (holder,) = records.build(live_portal, 'id_holders("Yara Phone-Informant/FLE")')
    uin = holder["uin"]

    sign_in(page, "registrar", live_portal.password)
    start_event(page, "Birth")
    page.get_by_role("button", name=re.compile(r"^\d+\. Informant")).click()
    page.get_by_role("button", name="Verify on the informant's phone (QR code)").click()
    expect(
        page.get_by_role("heading", name="Verify on the informant's phone")
    ).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    expect(page.get_by_text("Waiting for the informant")).to_be_visible()
    shot(page, "07-phone-qr")
    phone_url = page.locator("code.phone-url").inner_text()

    phone = open_tab(live_portal)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(phone_url)
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    phone.get_by_label("UIN or VID").fill(uin)
    phone.get_by_role("button", name="Get OTP").click()
    phone.get_by_label("OTP").fill(sent_otp(live_portal, uin))
    phone.get_by_role("button", name="Verify").click()
    phone.get_by_role("button", name="Allow").click()
    expect(
        phone.get_by_role("heading", name="Verified with your national ID")
    ).to_be_visible()
    assert phone.url.startswith(live_portal.url)
    shot(phone, "08-phone-done")

    # The registrar's page notices by itself and returns to the filled step.
    expect(page.get_by_text("were filled in from their national ID")).to_be_visible(
        timeout=20_000
    )
    expect(page.locator("#id_informant__full_name")).to_have_value(
        "Yara Phone-Informant"
    )
    expect(page.locator("#id_informant__uin")).to_have_value(uin)
    expect(page.locator(".verified-mark")).to_have_count(3)
    shot(page, "09-phone-verified")
