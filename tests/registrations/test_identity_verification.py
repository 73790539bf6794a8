"""The informant verified with e-Signet, over HTTP against the sandbox
(docs/identity-verification.md): the answers filled from verified claims, the mark
that follows them, and every refusal, with nothing recorded that e-Signet did not
sign for this login."""

import html
import re

import pytest
import requests
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.registrations.models import IdentityVerification
from apps.registrations.services import event_save_draft, identity
from tests.factories import make_user
from tests.registrations.esignet_login import UIN, VID, informant_in_mosip, log_in
from tests.registrations.factories import birth_data, death_data, make_event

NAME = "Amina Yusuf Haddad"


def set_fault(sandbox, **esignet) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"esignet": esignet}, timeout=10
    ).raise_for_status()


@pytest.fixture
def sandbox(onboarded_sandbox):
    informant_in_mosip(onboarded_sandbox.url)
    return onboarded_sandbox


@pytest.fixture
def browser(registrar):
    client = Client()
    client.force_login(registrar)
    return client


@pytest.fixture
def birth(registrar, sandbox):
    return make_event(registrar, "birth", birth_data())


def start(browser, event) -> str:
    """The registrar presses "Verify with national ID" and the portal's next page
    hands the browser on to e-Signet; e-Signet's authorize URL."""
    response = browser.post(reverse("registrations:identity-start", args=[event.pk]))
    assert response.status_code == 302
    page = browser.get(response["Location"]).content.decode()
    found = re.search(r'<a class="button" href="([^"]+)">Continue to e-Signet', page)
    authorize = html.unescape(found[1])
    assert f'content="0; url={found[1]}"' in page
    return authorize


def come_back(browser, callback: str):
    """e-Signet sends the browser back; the page the registrar lands on."""
    response = browser.get(callback)
    assert response.status_code == 302
    return response, html.unescape(browser.get(response["Location"]).content.decode())


def test_the_informant_logs_in_and_their_answers_are_filled_and_marked(
    browser, birth, sandbox
):
    authorize = start(browser, birth)
    assert authorize.startswith(f"{sandbox.url}/authorize?")

    response, page = come_back(browser, log_in(authorize))

    assert response["Location"].endswith(
        f"/registrations/{birth.pk}/edit/?step=informant"
    )
    birth.refresh_from_db()
    informant = birth.data["informant"]
    assert informant["full_name"] == NAME
    assert informant["date_of_birth"] == "1990-04-12"  # IDA's 1990/04/12, as ISO
    assert informant["uin"] == UIN
    assert informant["relationship"] == birth_data()["informant"]["relationship"]
    verification = IdentityVerification.objects.get(event=birth)
    assert verification.issuer == f"{sandbox.url}/v1/esignet"
    # e-Signet's subject names the person for this portal only, never by the UIN.
    assert len(verification.subject) == 36 and UIN not in verification.subject
    assert verification.claims["individual_id"] == UIN
    assert verification.filled == {
        "full_name": NAME, "date_of_birth": "1990-04-12", "uin": UIN,
    }  # fmt: skip
    assert "Verified with e-Signet on" in page
    assert page.count("verified-mark") == 3
    assert "were filled in from their national ID" in page


def test_changing_a_verified_answer_drops_the_mark(browser, birth, registrar):
    come_back(browser, log_in(start(browser, birth)))
    birth.refresh_from_db()
    data = {**birth.data, "informant": {**birth.data["informant"], "full_name": "X"}}
    event_save_draft(event=birth, actor=registrar, data=data)

    page = browser.get(
        reverse("registrations:edit", args=[birth.pk]) + "?step=informant"
    ).content.decode()
    assert "Verified with e-Signet on" not in page
    assert page.count("verified-mark") == 2  # date of birth and UIN still as filled
    birth.refresh_from_db()
    assert identity.verification_current(birth) is None
    detail = browser.get(reverse("registrations:detail", args=[birth.pk]))
    assert "Changed since" in detail.content.decode()


def test_a_death_informant_gets_the_answers_its_step_asks(browser, registrar, sandbox):
    death = make_event(registrar, "death", death_data())
    come_back(browser, log_in(start(browser, death)))
    death.refresh_from_db()
    assert death.data["informant"]["full_name"] == NAME
    assert death.data["informant"]["uin"] == UIN
    assert "date_of_birth" not in IdentityVerification.objects.get().filled


def test_a_login_with_a_vid_fills_no_uin(browser, birth):
    come_back(browser, log_in(start(browser, birth), VID))
    birth.refresh_from_db()
    assert birth.data["informant"]["full_name"] == NAME
    assert birth.data["informant"].get("uin", "") != VID
    assert "uin" not in IdentityVerification.objects.get().filled


# Refusals: a clear message on the informant step, nothing filled, nothing recorded.


def refused(browser, birth, callback: str) -> str:
    before = dict(birth.data)
    response, page = come_back(browser, callback)
    assert response["Location"].endswith(
        f"/registrations/{birth.pk}/edit/?step=informant"
    )
    assert not IdentityVerification.objects.filter(event=birth).exists()
    birth.refresh_from_db()
    assert birth.data == before
    assert "Verified with e-Signet on" not in page
    return page


@pytest.mark.parametrize(
    ("tamper", "reason", "check"),
    [
        ("id_token_wrong_key", "identity token's signature does not verify",
         "bad_signature"),
        ("id_token_expired", "has expired", "expired"),
        ("userinfo_wrong_key", "identity details' signature does not verify",
         "bad_signature"),
        ("userinfo_altered", "identity details' signature does not verify",
         "bad_signature"),
    ],
)  # fmt: skip
def test_a_forged_or_expired_answer_is_refused(
    browser, birth, sandbox, tamper, reason, check
):
    authorize = start(browser, birth)
    set_fault(sandbox, tamper=tamper)
    page = refused(browser, birth, log_in(authorize))
    assert "could not be trusted" in page and reason in page
    # The audit trail keeps the refusal and why, no personal data.
    audited = AuditEvent.objects.get(action="event.identity_verification_refused")
    assert audited.details == {"reason": f"proof:{check}"}


def test_a_replayed_id_token_is_refused_by_its_nonce(
    browser, birth, registrar, sandbox
):
    earlier = make_event(registrar, "birth", birth_data())
    come_back(browser, log_in(start(browser, earlier)))
    authorize = start(browser, birth)
    set_fault(sandbox, tamper="id_token_replayed")
    page = refused(browser, birth, log_in(authorize))
    assert "belongs to another login" in page


def test_a_state_that_was_not_started_here_is_refused(browser, birth):
    start(browser, birth)
    page = refused(browser, birth, f"{reverse('registrations:identity-callback')}"
                   "?state=made-up&code=whatever")  # fmt: skip
    assert "does not belong to a verification started here" in page


def test_the_handover_page_serves_only_a_login_this_registrar_started(
    browser, birth, office_a
):
    authorize = start(browser, birth)
    state = re.search(r"state=([^&]+)", authorize)[1]
    handover = reverse("registrations:identity-continue", args=[birth.pk, state])
    assert browser.get(handover).status_code == 200
    other = Client()
    other.force_login(make_user(Role.REGISTRAR, username="carol", office=office_a))
    response = other.get(handover, follow=True)
    assert "That verification has ended" in response.content.decode()
    assert "Continue to e-Signet" not in response.content.decode()


def test_the_same_answer_twice_is_refused(browser, birth):
    callback = log_in(start(browser, birth))
    come_back(browser, callback)
    verified = IdentityVerification.objects.get()
    response, page = come_back(browser, callback)
    assert "or was used already" in page
    assert list(IdentityVerification.objects.all()) == [verified]


def test_another_registrars_session_cannot_use_the_login(browser, birth, office_a):
    callback = log_in(start(browser, birth))
    other = Client()
    other.force_login(make_user(Role.REGISTRAR, username="bob", office=office_a))
    response = other.get(callback)
    assert response.status_code == 302
    assert not IdentityVerification.objects.exists()


def test_the_informant_declining_to_share_is_refused(browser, birth):
    page = refused(browser, birth, log_in(start(browser, birth), allow=False))
    assert "declined to share" in page


def test_esignet_down_is_said_at_the_start_and_at_the_return(browser, birth, sandbox):
    set_fault(sandbox, down=True)
    response = browser.post(
        reverse("registrations:identity-start", args=[birth.pk]), follow=True
    )
    assert "e-Signet cannot be reached" in response.content.decode()

    set_fault(sandbox, down=False)
    callback = log_in(start(browser, birth))
    set_fault(sandbox, down=True)
    page = refused(browser, birth, callback)
    assert "e-Signet cannot be reached" in page
