"""From registration to a verified certificate, with MOSIP played by the sandbox.

The birth goes out through the pipeline's send code, MOSIP's results (the workflow
outcome and the credential carrying the child's UIN) come back over WebSub, and the
certificate printed afterwards carries that UIN in a QR code the public page accepts.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.certificates import queries, services, verification
from apps.registrations import mosip_calls, tasks
from apps.registrations import services as registrations
from apps.registrations.models import EventStatus
from apps.websub.processing import inbox_process_due
from tests.certificates.pdf_qr import qr_text_in_pdf
from tests.registrations import pipeline_support as sandbox_side
from tests.registrations.factories import birth_data, make_event


@pytest.fixture
def portal(onboarded_sandbox, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    onboarded_sandbox.set_speed(1000)
    mosip_calls.forget_client()
    yield onboarded_sandbox
    sandbox_side.clear_faults(onboarded_sandbox)


def test_a_birth_certificate_carries_the_national_id_mosip_issued(
    portal, registrar, client
):
    data = birth_data(
        child_born=(timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    )
    event = registrations.event_submit(
        event=make_event(registrar, "birth", data), actor=registrar
    )
    assert not queries.certificate_eligibility(event).can_issue
    for outbox in event.outbox_messages.all():
        tasks.send_packet(outbox.pk)
    packet = event.packets.get()
    sandbox_side.wait_until_done(portal, packet.application_id)

    def settled():
        inbox_process_due()
        packet.refresh_from_db()
        return bool(packet.uin)

    sandbox_side.wait_for(settled, timeout=30, interval=0.2)
    event.refresh_from_db()
    assert event.status == EventStatus.ID_ISSUED

    certificate = services.certificate_issue(event=event, actor=registrar)

    with certificate.pdf.open("rb") as handle:
        printed = qr_text_in_pdf(handle.read())
    outcome = verification.verify_text(printed)
    assert outcome.valid, outcome.message
    assert dict(outcome.fields)["ID"] == packet.uin
    assert dict(outcome.fields)["Certificate number"] == certificate.number
    event.refresh_from_db()
    assert event.status == EventStatus.CERTIFIED
    page = client.post(reverse("certificates:verify"), {"qr_text": printed})
    assert packet.uin.encode() in page.content
