"""Registrar certificate actions on the event page, and the public verify page."""

import io

import pytest
import segno
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.certificates import services
from apps.certificates.models import Certificate
from tests.certificates.factories import certifiable_event, submitted_event
from tests.factories import make_office, make_user


@pytest.fixture
def event(registrar):
    return certifiable_event(registrar)


def _issue_url(event):
    return reverse("certificates:issue", kwargs={"pk": event.pk})


def test_the_event_page_offers_the_first_issue(client, registrar, event):
    client.force_login(registrar)
    page = client.get(reverse("registrations:detail", kwargs={"pk": event.pk}))
    assert b"Issue certificate" in page.content
    assert _issue_url(event).encode() in page.content


def test_the_event_page_says_why_not_yet(client, registrar):
    event = submitted_event(registrar, "death")
    client.force_login(registrar)
    page = client.get(reverse("registrations:detail", kwargs={"pk": event.pk}))
    assert b"Issue certificate" not in page.content
    assert b"MOSIP has not finished processing it yet." in page.content


def test_the_section_polls_until_mosip_has_answered(client, registrar):
    from tests.certificates.factories import record_mosip_outcome

    event = submitted_event(registrar, "death")
    client.force_login(registrar)
    url = reverse("certificates:section", kwargs={"pk": event.pk})
    page = client.get(reverse("registrations:detail", kwargs={"pk": event.pk}))
    assert f'hx-get="{url}"'.encode() in page.content

    waiting = client.get(url, headers={"HX-Request": "true"})
    assert waiting.status_code == 200
    assert b"<html" not in waiting.content
    assert b"hx-trigger" in waiting.content

    record_mosip_outcome(event)
    ready = client.get(url, headers={"HX-Request": "true"})
    assert ready.status_code == 286  # htmx stops polling
    assert b"Issue certificate" in ready.content
    assert b"hx-trigger" not in ready.content


def test_issuing_from_the_event_page(client, registrar, event):
    client.force_login(registrar)
    response = client.post(_issue_url(event), {"kind": "original"}, follow=True)
    certificate = Certificate.objects.get(event=event)
    assert certificate.number.encode() + b" is ready to print" in response.content
    download = reverse(
        "certificates:download",
        kwargs={"pk": event.pk, "certificate_pk": certificate.pk},
    )
    assert download.encode() in response.content
    assert b"Reason for the reprint" in response.content
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_reprint_without_a_reason_is_refused(client, registrar, event):
    services.certificate_issue(event=event, actor=registrar)
    client.force_login(registrar)
    response = client.post(
        _issue_url(event), {"kind": "reprint", "reason": ""}, follow=True
    )
    assert b"Give the reason for the reprint." in response.content
    assert Certificate.objects.count() == 1
    client.post(_issue_url(event), {"kind": "reprint", "reason": "Damaged by water"})
    assert Certificate.objects.filter(kind="reprint").get().reason == "Damaged by water"


def test_another_offices_registrar_sees_nothing(client, registrar, event):
    certificate = services.certificate_issue(event=event, actor=registrar)
    other = make_user("registrar", office=make_office())
    client.force_login(other)
    kwargs = {"pk": event.pk}
    assert client.post(_issue_url(event), {"kind": "copy"}).status_code == 404
    assert client.get(reverse("certificates:preview", kwargs=kwargs)).status_code == 404
    download = reverse(
        "certificates:download", kwargs={**kwargs, "certificate_pk": certificate.pk}
    )
    assert client.get(download).status_code == 404
    assert Certificate.objects.count() == 1


def test_the_preview_shows_the_certificate_without_a_code(client, registrar, event):
    client.force_login(registrar)
    page = client.get(reverse("certificates:preview", kwargs={"pk": event.pk}))
    assert page.status_code == 200
    assert b"Amina Bello" in page.content
    assert "أمينة بيلو".encode() in page.content
    assert b'dir="rtl"' in page.content
    assert b"Preview, not valid" in page.content
    assert b"qr-code" not in page.content
    assert (
        b"The signed QR code is added when the certificate is issued." in page.content
    )
    assert Certificate.objects.count() == 0


# Public verify page and key set.


def _issued_text(event, registrar):
    key = services.issuer_key_ensure()
    return services._qr_text(
        event,
        key=key,
        number="N-1",
        child_uin="9876543217",
        now=event.submitted_at,
        expires=None,
    )


def test_anyone_can_verify_pasted_text(client, registrar, event):
    text = _issued_text(event, registrar)
    page = client.post(reverse("certificates:verify"), {"qr_text": text})
    assert page.status_code == 200
    assert b"Valid: signed by the civil registry." in page.content
    assert b"Amina Bello" in page.content
    assert services.issuer_key_ensure().kid.encode() in page.content


def test_anyone_can_verify_a_photo(client, registrar, event):
    buffer = io.BytesIO()
    segno.make(_issued_text(event, registrar), error="m").save(
        buffer, kind="png", scale=5
    )
    upload = SimpleUploadedFile("code.png", buffer.getvalue(), "image/png")
    page = client.post(reverse("certificates:verify"), {"photo": upload})
    assert b"Valid: signed by the civil registry." in page.content


def test_a_tampered_code_is_reported_plainly(client, registrar, event):
    text = _issued_text(event, registrar)
    tampered = text[:40] + ("0" if text[40] != "0" else "1") + text[41:]
    page = client.post(reverse("certificates:verify"), {"qr_text": tampered})
    assert page.status_code == 200
    assert b"Not valid." in page.content
    assert b"Amina Bello" not in page.content


def test_one_address_gets_a_limited_number_of_checks(client, db, settings):
    settings.CERTIFICATES_VERIFY_CHECKS_PER_MINUTE = 3
    url = reverse("certificates:verify")
    with time_machine.travel("2026-11-28 12:00:10Z", tick=False):
        answers = [client.post(url, {"qr_text": "NOT A CODE"}) for _ in range(4)]
        other = client.post(url, {"qr_text": "NOT A CODE"}, REMOTE_ADDR="10.0.0.9")
    with time_machine.travel("2026-11-28 12:01:10Z", tick=False):
        next_minute = client.post(url, {"qr_text": "NOT A CODE"})
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert b"Too many checks from your address." in answers[-1].content
    assert other.status_code == 200
    assert next_minute.status_code == 200


def test_an_oversize_paste_is_refused_plainly(client, db):
    url = reverse("certificates:verify")
    long_text = client.post(url, {"qr_text": "A" * 5000})
    assert long_text.status_code == 200
    assert b"longer than any QR code can hold" in long_text.content
    too_long = client.post(url, {"qr_text": "A" * 10_000})
    assert too_long.status_code == 200
    assert b"field-error" in too_long.content
    # Past Django's request body limit the request itself is turned away, as a 400.
    huge = client.post(url, {"qr_text": "A" * 3_000_000})
    assert huge.status_code == 400


def test_an_empty_form_asks_for_input(client, db):
    page = client.post(reverse("certificates:verify"), {})
    assert b"Paste the QR code text or choose a photo." in page.content


def test_the_key_set_lists_every_key(client, db):
    first = services.issuer_key_ensure()
    second = services.issuer_key_rotate(actor=None)
    keys = client.get("/verify/keys.json").json()["keys"]
    assert [(k["kid"], k["status"]) for k in keys] == [
        (first.kid, "retired"),
        (second.kid, "active"),
    ]
    assert all(k["kty"] == "OKP" and k["crv"] == "Ed25519" for k in keys)
    assert all("d" not in k for k in keys)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=3000))
def test_any_pasted_text_gets_a_page_not_an_error(client, db, text):
    response = client.post(reverse("certificates:verify"), {"qr_text": text})
    assert response.status_code == 200
    page = response.content
    assert b"Not valid." in page or b"field-error" in page or b"Paste the QR" in page


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=400).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
        st.binary(max_size=400).map(lambda b: b"\xff\xd8\xff\xe0" + b),
        st.binary(max_size=400).map(lambda b: b"GIF89a" + b),
    ),
    # "." and ".." are refused by Django's upload handling before any view runs.
    name=st.text(min_size=1, max_size=30).filter(
        lambda n: "\x00" not in n and n.replace("/", "_") not in (".", "..")
    ),
)
def test_any_uploaded_file_gets_a_page_not_an_error(client, db, data, name):
    upload = SimpleUploadedFile(name.replace("/", "_") or "x", data)
    response = client.post(reverse("certificates:verify"), {"photo": upload})
    assert response.status_code == 200
    page = response.content
    assert b"Not checked." in page or b"field-error" in page or b"Paste the QR" in page
