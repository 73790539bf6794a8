"""The informant verified on their own phone, over HTTP against the sandbox
(docs/identity-verification.md): the QR code's address sends the phone to e-Signet,
the callback finishes the login in the phone's browser (no registrar session there),
and the registrar's page, polling, lands on the informant step with the answers."""

import html
import re
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.registrations.models import IdentityVerification, PhoneLogin
from tests.factories import make_user
from tests.registrations.esignet_login import UIN, informant_in_mosip, log_in
from tests.registrations.factories import birth_data, make_event

NAME = "Amina Yusuf Haddad"


@pytest.fixture
def sandbox(onboarded_sandbox):
    informant_in_mosip(onboarded_sandbox.url)
    return onboarded_sandbox


@pytest.fixture
def registrar_browser(registrar):
    client = Client()
    client.force_login(registrar)
    return client


@pytest.fixture
def birth(registrar, sandbox):
    return make_event(registrar, "birth", birth_data())


def show_qr(registrar_browser, event) -> tuple[str, str]:
    """The registrar presses "Verify on the informant's phone": (the address the QR
    code holds, the page's status URL)."""
    response = registrar_browser.post(
        reverse("registrations:identity-phone-start", args=[event.pk])
    )
    assert response.status_code == 302, response.content[:2000]
    page = html.unescape(registrar_browser.get(response["Location"]).content.decode())
    assert "<svg" in page and "QR code" in page
    phone_url = re.search(r'<code class="phone-url">([^<]+)</code>', page)[1]
    status_url = re.search(r'hx-get="([^"]+/status/)"', page)[1]
    return phone_url, status_url


def phone_scans(phone: Client, phone_url: str) -> str:
    """The phone opens the QR code's address; e-Signet's authorize URL."""
    response = phone.get(urlsplit(phone_url).path)
    assert response.status_code == 302
    return response["Location"]


def test_the_informant_logs_in_on_their_phone_and_the_registrar_sees_the_answers(
    registrar_browser, birth, sandbox
):
    phone_url, status_url = show_qr(registrar_browser, birth)
    waiting = registrar_browser.get(status_url, HTTP_HX_REQUEST="true")
    assert "Waiting for the informant" in waiting.content.decode()

    phone = Client()  # nobody signed in on the informant's phone
    authorize = phone_scans(phone, phone_url)
    assert authorize.startswith(f"{sandbox.url}/authorize?")
    done = phone.get(log_in(authorize))

    assert done.status_code == 200
    assert "Verified with your national ID" in done.content.decode()
    assert NAME not in done.content.decode()  # nothing personal on the phone's page
    birth.refresh_from_db()
    assert birth.data["informant"]["full_name"] == NAME
    assert birth.data["informant"]["uin"] == UIN
    verification = IdentityVerification.objects.get(event=birth)
    assert verification.verified_by == birth.created_by
    login = PhoneLogin.objects.get(event=birth)
    assert login.outcome == PhoneLogin.Outcome.VERIFIED
    assert login.verification == verification

    finished = registrar_browser.get(status_url, HTTP_HX_REQUEST="true")
    assert finished.status_code == 204
    assert finished["HX-Redirect"].endswith(
        f"/registrations/{birth.pk}/edit/?step=informant"
    )
    step = html.unescape(
        registrar_browser.get(finished["HX-Redirect"]).content.decode()
    )
    assert "were filled in from their national ID" in step
    assert step.count("verified-mark") == 3
    assert AuditEvent.objects.filter(
        action="event.identity_verified", target_id=str(birth.pk)
    ).exists()


def test_the_qr_code_serves_once(registrar_browser, birth, sandbox):
    phone_url, _ = show_qr(registrar_browser, birth)
    phone = Client()
    callback = log_in(phone_scans(phone, phone_url))
    assert "Verified" in phone.get(callback).content.decode()

    # The same code scanned again, and e-Signet's answer replayed: both refused.
    again = phone.get(urlsplit(phone_url).path)
    assert again.status_code == 200
    assert "used already or has expired" in again.content.decode()
    replayed = phone.get(callback).content.decode()
    assert "Not verified" in replayed and "used already" in replayed
    assert IdentityVerification.objects.filter(event=birth).count() == 1


def test_a_refusal_on_the_phone_reaches_the_registrar(
    registrar_browser, birth, sandbox
):
    phone_url, status_url = show_qr(registrar_browser, birth)
    phone = Client()
    done = phone.get(log_in(phone_scans(phone, phone_url), allow=False))
    assert "Not verified" in done.content.decode()
    assert "declined to share" in done.content.decode()

    finished = registrar_browser.get(status_url, HTTP_HX_REQUEST="true")
    step = html.unescape(
        registrar_browser.get(finished["HX-Redirect"]).content.decode()
    )
    assert "declined to share their details" in step
    assert not IdentityVerification.objects.filter(event=birth).exists()
    birth.refresh_from_db()
    assert birth.data["informant"].get("uin", "") != UIN


def test_a_forged_id_token_on_the_phone_records_nothing(
    registrar_browser, birth, sandbox
):
    requests.post(
        f"{sandbox.url}/sandbox/api/faults",
        json={"esignet": {"tamper": "id_token_wrong_key"}},
        timeout=10,
    ).raise_for_status()
    phone_url, status_url = show_qr(registrar_browser, birth)
    phone = Client()
    done = phone.get(log_in(phone_scans(phone, phone_url))).content.decode()
    assert "could not be trusted" in done
    assert not IdentityVerification.objects.filter(event=birth).exists()
    assert PhoneLogin.objects.get(event=birth).outcome == PhoneLogin.Outcome.REFUSED


def test_another_registrar_cannot_follow_the_login(registrar_browser, birth, sandbox):
    _, status_url = show_qr(registrar_browser, birth)
    other = make_user(Role.REGISTRAR, office=birth.office)
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(status_url).status_code == 404
