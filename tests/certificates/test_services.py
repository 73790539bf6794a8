"""Issuing certificates: when it is allowed, what is printed, and what is recorded."""

import hashlib
import io

import pytest
from django.db import connection
from django.utils import translation
from pypdf import PdfReader

from apps.audit.models import AuditEvent
from apps.certificates import queries, rendering, services, verification
from apps.certificates.models import Certificate, CertificateProfile, IssuerKey
from apps.registrations.models import EventStatus, PacketStatus
from tests.certificates.factories import (
    CHILD_UIN,
    certifiable_event,
    record_mosip_outcome,
    submitted_event,
)
from tests.certificates.pdf_qr import qr_text_in_pdf
from tests.registrations.factories import birth_data, divorce_data

NAMES = {
    "birth": ["Amina Bello", "Hauwa Bello", "Musa Bello", CHILD_UIN],
    "death": ["Ibrahim Sule", "Heart failure"],
    "marriage": ["John Okafor", "Mary Adeyemi", "Port Town Registry"],
    "divorce": ["John Okafor", "Mary Adeyemi", "HC/DIV/2025/17"],
}


def _pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.mark.parametrize("event_type", ["birth", "death", "marriage", "divorce"])
def test_first_issue_prints_the_event_and_certifies_it(event_type, registrar):
    event = certifiable_event(registrar, event_type)

    certificate = services.certificate_issue(event=event, actor=registrar)

    text = _pdf_text(certificate)
    for name in NAMES[event_type]:
        assert name in text
    assert event.registration_number in text
    assert certificate.number == f"{event.registration_number}-C01"
    assert certificate.number in text
    with certificate.pdf.open("rb") as handle:
        printed = verification.verify_text(qr_text_in_pdf(handle.read()))
    assert printed.valid, printed.message
    assert dict(printed.fields)["Certificate number"] == certificate.number
    event.refresh_from_db()
    assert event.status == EventStatus.CERTIFIED
    assert event.certified_at == certificate.issued_at
    change = event.status_changes.last()
    assert (change.to_status, change.actor, change.note) == (
        EventStatus.CERTIFIED,
        registrar,
        certificate.number,
    )


def test_the_pdf_is_pdf_a_and_its_hash_is_in_the_audit_trail(registrar):
    event = certifiable_event(registrar)
    certificate = services.certificate_issue(event=event, actor=registrar)

    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    audit = AuditEvent.objects.get(action="certificate.issued")
    assert audit.details["pdf_sha256"] == certificate.pdf_sha256
    assert audit.details["certificate_number"] == certificate.number
    assert audit.actor == registrar
    assert AuditEvent.objects.filter(action="event.certified").count() == 1


def test_the_pdf_prints_both_languages(registrar):
    event = certifiable_event(registrar)
    text = _pdf_text(services.certificate_issue(event=event, actor=registrar))
    assert "Birth certificate" in text
    assert "Female" in text
    # Arabic is shaped in the PDF; pypdf gives the glyphs back, joined or not.
    assert any(
        "\u0600" <= char <= "\u06ff" or "\ufe70" <= char <= "\ufeff" for char in text
    )


def test_reprint_and_copy_follow_the_first_issue_with_their_own_numbers(registrar):
    event = certifiable_event(registrar)
    first = services.certificate_issue(event=event, actor=registrar)

    reprint = services.certificate_issue(
        event=event, actor=registrar, kind="reprint", reason="Original lost in a flood"
    )
    copy = services.certificate_issue(event=event, actor=registrar, kind="copy")

    assert [c.number for c in Certificate.objects.filter(event=event)] == [
        first.number,
        f"{event.registration_number}-C02",
        f"{event.registration_number}-C03",
    ]
    assert reprint.reason == "Original lost in a flood"
    assert "Reprint".upper() in _pdf_text(reprint).upper()
    assert "Certified copy".upper() in _pdf_text(copy).upper()
    actions = list(
        AuditEvent.objects.filter(action__startswith="certificate.")
        .order_by("id")
        .values_list("action", "details__pdf_sha256")
    )
    assert actions == [
        ("certificate.issued", first.pdf_sha256),
        ("certificate.reprinted", reprint.pdf_sha256),
        ("certificate.copied", copy.pdf_sha256),
    ]
    assert len({first.pdf_sha256, reprint.pdf_sha256, copy.pdf_sha256}) == 3
    event.refresh_from_db()
    assert event.status_changes.filter(to_status=EventStatus.CERTIFIED).count() == 1


def test_a_reprint_needs_a_reason(registrar):
    event = certifiable_event(registrar)
    services.certificate_issue(event=event, actor=registrar)
    with pytest.raises(services.CertificateError, match="reason"):
        services.certificate_issue(
            event=event, actor=registrar, kind="reprint", reason=" "
        )
    assert Certificate.objects.count() == 1


def test_there_is_one_first_issue(registrar):
    event = certifiable_event(registrar)
    services.certificate_issue(event=event, actor=registrar)
    with pytest.raises(services.CertificateError):
        services.certificate_issue(event=event, actor=registrar)
    assert Certificate.objects.count() == 1


def test_no_reprint_before_the_first_issue(registrar):
    event = certifiable_event(registrar)
    with pytest.raises(services.CertificateError, match="before reprinting"):
        services.certificate_issue(event=event, actor=registrar, kind="copy")


def test_a_birth_waits_for_the_childs_national_id(registrar):
    event = submitted_event(registrar, "birth")
    assert not queries.certificate_eligibility(event).can_issue
    record_mosip_outcome(event, child_uin="")
    eligibility = queries.certificate_eligibility(event)
    assert not eligibility.can_issue
    assert "national ID" in eligibility.reason
    with pytest.raises(services.CertificateError, match="national ID"):
        services.certificate_issue(event=event, actor=registrar)
    assert Certificate.objects.count() == 0
    assert event.status == EventStatus.ID_ISSUED


def test_a_death_waits_until_mosip_has_processed_it(registrar):
    event = submitted_event(registrar, "death")
    assert "MOSIP has not finished" in queries.certificate_eligibility(event).reason
    record_mosip_outcome(event)
    assert queries.certificate_eligibility(event).can_issue


def test_a_marriage_waits_for_every_update_packet(registrar, settings):
    # A deployment whose MOSIP operator added a marriage/divorce process.
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {
        "marriage": "CRVS_MARRIAGE",
        "divorce": "CRVS_MARRIAGE",
    }
    event = record_mosip_outcome(submitted_event(registrar, "marriage"))
    packet = event.packets.last()
    packet.status, packet.processed_at = PacketStatus.PROCESSING, None
    packet.save()
    eligibility = queries.certificate_eligibility(event)
    assert not eligibility.can_issue
    assert packet.get_subject_display().lower() in eligibility.reason


def test_a_rejected_event_is_not_certified(registrar):
    event = submitted_event(registrar, "death")
    event.status = EventStatus.REJECTED
    event.save()
    assert "correct and resubmit" in queries.certificate_eligibility(event).reason


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        ("birth", birth_data(child_born="2010-01-10")),
        ("divorce", divorce_data(uin1="")),
    ],
)
def test_an_event_registered_without_a_packet_is_certified_at_once(
    event_type, data, registrar
):
    event = submitted_event(registrar, event_type, data)
    assert event.status == EventStatus.REGISTERED
    certificate = services.certificate_issue(event=event, actor=registrar)
    event.refresh_from_db()
    assert event.status == EventStatus.CERTIFIED
    assert certificate.number in _pdf_text(certificate)


def test_the_office_wording_from_the_admin_is_printed(registrar, office_a, tmp_path):
    CertificateProfile.objects.create(
        office=None, authority_name="Default Authority", signatory_name="Nobody"
    )
    CertificateProfile.objects.create(
        office=office_a,
        authority_name="Republic of Lakeside Civil Registry",
        office_name="Port Town Registry Office",
        signatory_name="Grace Adebayo",
        signatory_title="Chief Registrar",
    )
    event = certifiable_event(registrar)
    text = _pdf_text(services.certificate_issue(event=event, actor=registrar))
    for words in (
        "Republic of Lakeside Civil Registry",
        "Port Town Registry Office",
        "Grace Adebayo",
        "Chief Registrar",
    ):
        assert words in text
    assert "Default Authority" not in text


def test_rotation_keeps_old_codes_verifiable(registrar, staff_user):
    first_key = services.issuer_key_ensure()
    event = certifiable_event(registrar)
    old_text = services._qr_text(
        event,
        key=first_key,
        number="A-1",
        child_uin=CHILD_UIN,
        now=event.submitted_at,
        expires=None,
    )

    new_key = services.issuer_key_rotate(actor=staff_user)

    assert new_key.kid != first_key.kid
    assert queries.issuer_key_active() == new_key
    first_key.refresh_from_db()
    assert not first_key.is_active and first_key.retired_at
    outcome = verification.verify_text(old_text)
    assert outcome.valid
    assert "retired" in dict(outcome.signer)["Key"]
    certificate = services.certificate_issue(event=event, actor=registrar)
    assert certificate.issuer_key == new_key
    assert [k["kid"] for k in queries.issuer_key_set()["keys"]] == [
        first_key.kid,
        new_key.kid,
    ]


def test_the_private_key_is_encrypted_at_rest(db):
    key = services.issuer_key_ensure()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT private_key FROM certificates_issuerkey WHERE id = %s", [key.pk]
        )
        stored = cursor.fetchone()[0]
    assert key.private_key not in stored
    assert IssuerKey.objects.get(pk=key.pk).private_key == key.private_key


def test_an_uploaded_seal_is_printed_and_previewed(registrar, office_a, client):
    import segno
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    png = io.BytesIO()
    segno.make("SEAL").save(png, kind="png", scale=3)  # any small PNG will do
    profile = CertificateProfile(office=office_a, signatory_name="Grace Adebayo")
    profile.seal.save("seal.png", SimpleUploadedFile("seal.png", png.getvalue()))
    event = certifiable_event(registrar)

    certificate = services.certificate_issue(event=event, actor=registrar)
    with certificate.pdf.open("rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    client.force_login(registrar)
    preview = client.get(reverse("certificates:preview", kwargs={"pk": event.pk}))

    assert len(page.images) == 2  # the seal and the QR code
    assert b'src="data:image/png;base64,' in preview.content


def test_rotating_from_the_command_line(db, capsys):
    from django.core.management import call_command

    first = services.issuer_key_ensure()
    call_command("certificates_rotate_key")
    assert queries.issuer_key_active() != first
    assert queries.issuer_key_active().kid in capsys.readouterr().out


def test_content_longer_than_a_page_flows_on_and_keeps_the_signature(registrar):
    from apps.certificates import content, rendering

    CertificateProfile.objects.create(
        office=None, signatory_name="Grace Adebayo", signatory_title="Chief Registrar"
    )
    event = certifiable_event(registrar, "death")
    base = services.document_context(event, number="N-1", qr_text="N-1")
    # From fitting on one page, through the footer straddling the page end, to two.
    for extra in range(0, 26, 2):
        context = dict(base)
        context["rows"] = base["rows"] + [
            content.Row(f"Note {n}", "", [content.Text("Answer")]) for n in range(extra)
        ]
        reader = PdfReader(io.BytesIO(rendering.certificate_pdf(context)))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Chief Registrar" in text, extra
        assert "Scan to verify" in text, extra
    assert len(reader.pages) == 2


def test_the_fixed_wording_comes_from_the_catalogues_of_the_certificates_languages(
    registrar, settings
):
    # A French-and-Arabic country: the certificate speaks French and Arabic, whatever
    # the interface language of the registrar who prints it (docs/languages.md).
    event = certifiable_event(registrar)
    settings.REGISTRATIONS_PRIMARY_LANGUAGE = "fra"
    settings.REGISTRATIONS_SECONDARY_LANGUAGE = "ara"
    with translation.override("ar"):
        context = services.document_context(event, number="N-1", qr_text="N-1")
        html = rendering.certificate_html(context, for_pdf=False)
    assert context["title"] == "Acte de naissance"
    assert context["title_secondary"] == "شهادة ميلاد"
    rows = {row.label: row.label_secondary for row in context["rows"]}
    assert rows["Date de naissance"] == "تاريخ الميلاد"
    assert "Birth certificate" not in html and "Date of birth" not in html
    assert "Acte de naissance" in html and "شهادة ميلاد" in html


def test_a_language_without_a_catalogue_prints_the_primary_wording_only(
    registrar, settings
):
    event = certifiable_event(registrar)
    settings.REGISTRATIONS_SECONDARY_LANGUAGE = "swa"  # no Swahili words shipped
    context = services.document_context(event, number="N-1", qr_text="N-1")
    assert context["title"] == "Birth certificate"
    assert context["title_secondary"] == ""
    assert all(row.label_secondary == "" for row in context["rows"])
