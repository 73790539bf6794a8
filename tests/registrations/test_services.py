import datetime
import hashlib
import json
import re
import threading

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.audit.models import AuditEvent
from apps.mosip.application_ids import application_id_format
from apps.registrations import definitions, services
from apps.registrations.models import (
    EventDocument,
    EventStatus,
    OutboxMessage,
    Packet,
    PacketStatus,
    RegistrationNumberCounter,
    VitalEvent,
)
from tests.factories import make_user
from tests.files import same_picture
from tests.registrations.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    attach_pdf,
    birth_data,
    death_data,
    distinct_data,
    make_event,
    marriage_data,
)

pytestmark = pytest.mark.usefixtures("id_schema")
SUBMIT_TIME = datetime.datetime(2025, 6, 1, 9, 30, 15, tzinfo=datetime.UTC)


def _submit(event, now=SUBMIT_TIME):
    with time_machine.travel(now, tick=False):
        return services.event_submit(event=event, actor=event.created_by)


def _audit_of(event):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(VitalEvent),
        target_id=str(event.pk),
    )


def _actions(event):
    return list(_audit_of(event).order_by("id").values_list("action", flat=True))


# Drafts ------------------------------------------------------------------------


def test_a_new_draft_belongs_to_the_registrars_office(registrar):
    event = services.event_create_draft(actor=registrar, event_type="birth")
    assert event.status == EventStatus.DRAFT
    assert event.office == registrar.office
    assert [c.to_status for c in event.status_changes.all()] == ["draft"]
    assert _actions(event) == ["event.draft_created"]


def test_a_draft_keeps_invalid_input_as_typed(registrar):
    event = services.event_create_draft(actor=registrar, event_type="birth")
    data = {"child": {"fullName": {"eng": "A"}, "dateOfBirth": "not a date"}}
    services.event_save_draft(event=event, actor=registrar, data=data)
    event.refresh_from_db()
    assert event.data == data
    assert event.subject_name == "A"
    assert event.draft_saved_at is not None


def test_a_submitted_event_can_no_longer_be_saved_as_draft(registrar):
    event = _submit(make_event(registrar))
    with pytest.raises(services.EventStatusError):
        services.event_save_draft(event=event, actor=registrar, data={})


# Submitting ---------------------------------------------------------------------


def test_submitting_a_birth_numbers_it_and_queues_one_crvs_new_packet(registrar):
    event = _submit(make_event(registrar))
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert event.registration_number == "OFFICE-A-2025-000001"
    assert event.mosip_process == "CRVS_NEW"
    packet = event.packets.get()
    assert packet.subject == "child"
    assert packet.process == "CRVS_NEW"
    assert packet.application_id == "10001100020000120250601093015"
    outbox = OutboxMessage.objects.get()
    assert (outbox.event, outbox.packet, outbox.kind) == (event, packet, "send_packet")
    assert outbox.status == "pending" and outbox.attempts == 0
    assert outbox.next_attempt_at == SUBMIT_TIME
    assert [(c.from_status, c.to_status) for c in event.status_changes.all()] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]
    audit = AuditEvent.objects.get(action="event.submitted")
    assert audit.details["application_ids"] == [packet.application_id]


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        ("birth", datetime.date(2025, 1, 10)),
        ("death", None),
        ("marriage", None),
        ("divorce", None),
    ],
)
def test_submitting_copies_the_event_date_out_of_the_data(
    registrar, event_type, expected
):
    event = _submit(make_event(registrar, event_type))
    event.refresh_from_db()
    section, name = definitions.EVENT_DATE_FIELDS[event_type]
    assert event.event_date == (
        expected or datetime.date.fromisoformat(event.data[section][name])
    )


def test_submitting_stores_the_trimmed_validated_data(registrar):
    data = birth_data()
    data["child"]["fullName"]["eng"] = "  Amina Bello  "
    event = _submit(make_event(registrar, data=data))
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Amina Bello"


def test_an_event_cannot_be_submitted_twice(registrar):
    event = _submit(make_event(registrar))
    with pytest.raises(services.EventStatusError):
        _submit(event)
    assert Packet.objects.count() == 1


def test_an_invalid_event_is_not_submitted_and_nothing_is_written(registrar):
    data = birth_data()
    data["child"]["fullName"]["eng"] = ""
    event = make_event(registrar, data=data)
    with pytest.raises(services.EventInvalidError) as caught:
        _submit(event)
    assert "child__fullName__eng" in caught.value.errors
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert event.registration_number is None
    assert not Packet.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not RegistrationNumberCounter.objects.exists()


def test_a_failure_while_queueing_rolls_the_whole_submission_back(
    registrar, monkeypatch
):
    event = make_event(registrar)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(OutboxMessage.objects, "create", broken)
    monkeypatch.setattr(OutboxMessage.objects, "update_or_create", broken)
    with pytest.raises(RuntimeError):
        _submit(event)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert event.registration_number is None
    assert not Packet.objects.exists()
    assert not RegistrationNumberCounter.objects.exists()
    assert "event.submitted" not in _actions(event)


def test_registration_numbers_run_per_office_and_year(registrar, office_b):
    other = make_user(username="bea", office=office_b)
    first = _submit(make_event(registrar, "birth", distinct_data("birth", 1)))
    second = _submit(make_event(registrar, "birth", distinct_data("birth", 2)))
    elsewhere = _submit(make_event(other, "birth", distinct_data("birth", 3)))
    next_year = _submit(
        make_event(registrar, "birth", distinct_data("birth", 4)),
        now=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC),
    )
    assert first.registration_number == "OFFICE-A-2025-000001"
    assert second.registration_number == "OFFICE-A-2025-000002"
    assert elsewhere.registration_number == "OFFICE-B-2025-000001"
    assert next_year.registration_number == "OFFICE-A-2026-000001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_draw_distinct_consecutive_numbers(registrar):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite locks whole tables; needs a file or Postgres")
    events = [
        make_event(registrar, "birth", distinct_data("birth", n)) for n in range(6)
    ]
    errors = []

    def submit(event):
        try:
            services.event_submit(event=event, actor=registrar)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(e,)) for e in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(VitalEvent.objects.values_list("registration_number", flat=True))
    year = numbers[0].split("-")[2]
    assert numbers == [f"OFFICE-A-{year}-{n:06d}" for n in range(1, 7)]
    aids = set(Packet.objects.values_list("application_id", flat=True))
    assert len(aids) == 6


def test_application_ids_are_29_digits_with_a_running_sequence(registrar):
    first = _submit(make_event(registrar)).packets.get().application_id
    second = _submit(make_event(registrar, "birth", distinct_data("birth", 1)))
    second = second.packets.get().application_id
    for aid in (first, second):
        assert re.fullmatch(r"[0-9]{29}", aid)
        assert aid.startswith("1000110002")
        assert aid.endswith("20250601093015")
    assert (first[10:15], second[10:15]) == ("00001", "00002")


def test_the_aid_sequence_wraps_after_99999():
    at = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert application_id_format(
        centre_id="10001", machine_id="10002", sequence=99999, at=at
    ) == ("10001100029999920250101000000")
    with pytest.raises(ValueError):
        application_id_format(centre_id="1001", machine_id="10002", sequence=1, at=at)
    from apps.registrations.models import ApplicationIdCounter

    ApplicationIdCounter.objects.create(
        centre_id="10001", machine_id="10002", last_value=99999
    )
    aid = services.application_id_allocate(centre_id="10001", machine_id="10002", at=at)
    assert aid[10:15] == "00001"


def test_the_aid_uses_the_offices_mosip_centre_and_machine(registrar, settings):
    settings.MOSIP_DEFAULT_CENTRE_ID = "20002"
    settings.MOSIP_DEFAULT_MACHINE_ID = "30003"
    packet = _submit(make_event(registrar)).packets.get()
    assert packet.application_id.startswith("2000230003")
    assert packet.ref_id == "20002_30003"


def test_a_death_with_a_uin_queues_a_crvs_death_packet(registrar):
    event = _submit(make_event(registrar, "death"))
    assert event.mosip_process == "CRVS_DEATH"
    assert event.packets.get().subject == "deceased"


def test_without_a_marriage_process_a_marriage_is_registered_and_nothing_is_sent(
    registrar,
):
    """Stock MOSIP has no marriage process; the portal's setting is blank by default."""
    event = _submit(make_event(registrar, "marriage"))
    assert event.status == EventStatus.REGISTERED
    assert event.registration_number
    assert event.mosip_process == ""
    assert "has no process for marriages" in event.no_packet_reason
    assert not event.packets.exists()
    assert not OutboxMessage.objects.filter(event=event).exists()


def test_a_marriage_queues_one_packet_per_spouse_with_a_uin(registrar, settings):
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {"marriage": "CRVS_MARRIAGE"}
    event = _submit(make_event(registrar, "marriage"))
    assert event.status == EventStatus.SUBMITTED
    packets = list(event.packets.all())
    assert [p.subject for p in packets] == ["spouse1", "spouse2"]
    assert {p.process for p in packets} == {"CRVS_MARRIAGE"}
    assert len({p.application_id for p in packets}) == 2
    assert OutboxMessage.objects.filter(event=event).count() == 2


def test_an_event_with_no_one_to_update_is_registered_without_a_packet(
    registrar, settings
):
    # A deployment whose MOSIP operator added a marriage/divorce process.
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {
        "marriage": "CRVS_MARRIAGE",
        "divorce": "CRVS_MARRIAGE",
    }
    event = _submit(make_event(registrar, "marriage", marriage_data(uin1="", uin2="")))
    assert event.status == EventStatus.REGISTERED
    assert event.registration_number
    assert event.mosip_process == ""
    assert "Neither spouse" in event.no_packet_reason
    assert not OutboxMessage.objects.exists()
    assert event.status_changes.last().note == event.no_packet_reason


def test_a_child_past_the_infant_age_is_registered_without_crvs_new(registrar):
    event = _submit(make_event(registrar, data=birth_data(child_born="2018-01-01")))
    assert event.status == EventStatus.REGISTERED
    assert "7 years old" in event.no_packet_reason
    assert not Packet.objects.exists()


def test_the_infant_age_limit_is_configurable(registrar, settings):
    settings.REGISTRATIONS_INFANT_MAX_AGE_YEARS = 10
    event = _submit(make_event(registrar, data=birth_data(child_born="2018-01-01")))
    assert event.status == EventStatus.SUBMITTED


# Correcting -------------------------------------------------------------------


def _turn_down(event, status=EventStatus.REJECTED):
    # What the pipeline does when MOSIP rejects the packet.
    VitalEvent.objects.filter(pk=event.pk).update(
        status=status, last_error_code="PACKET_REJECTED"
    )
    Packet.objects.filter(event=event).update(status=PacketStatus.REJECTED)
    OutboxMessage.objects.filter(event=event).update(status="sent", attempts=3)
    event.refresh_from_db()
    return event


@pytest.mark.parametrize("status", [EventStatus.REJECTED, EventStatus.FAILED])
def test_a_corrected_event_mosip_never_decided_keeps_its_ids(registrar, status):
    event = _turn_down(_submit(make_event(registrar, "death")), status)
    number, aid = event.registration_number, event.packets.get().application_id
    data = death_data()
    data["death"]["cause"] = "Stroke"
    services.event_save_draft(event=event, actor=registrar, data=data)
    with time_machine.travel(SUBMIT_TIME + datetime.timedelta(days=3), tick=False):
        event = services.event_correct_and_resubmit(event=event, actor=registrar)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert event.registration_number == number
    assert event.last_error_code == ""
    packet = event.packets.get()
    assert packet.application_id == aid
    assert packet.status == PacketStatus.PENDING
    outbox = OutboxMessage.objects.get()
    assert (outbox.status, outbox.attempts) == ("pending", 0)
    assert event.data["death"]["cause"] == "Stroke"
    assert "event.resubmitted" in _actions(event)


@pytest.mark.parametrize("status", [PacketStatus.REJECTED, PacketStatus.FAILED])
def test_a_corrected_event_mosip_decided_goes_under_a_new_id(registrar, status):
    event = _turn_down(_submit(make_event(registrar, "death")), EventStatus.REJECTED)
    number, decided = event.registration_number, event.packets.get().application_id
    Packet.objects.filter(event=event).update(
        status=status, processed_at=SUBMIT_TIME, result_code="PACKET_REJECTED"
    )
    services.event_save_draft(event=event, actor=registrar, data=death_data())
    with time_machine.travel(SUBMIT_TIME + datetime.timedelta(days=3), tick=False):
        event = services.event_correct_and_resubmit(event=event, actor=registrar)
    packet = event.packets.get()
    assert event.registration_number == number
    assert packet.application_id != decided
    assert re.fullmatch(r"1000110002[0-9]{5}20250604093015", packet.application_id)
    assert list(packet.retired_ids.values_list("application_id", flat=True)) == [
        decided
    ]
    assert (packet.status, packet.result_code, packet.processed_at) == (
        PacketStatus.PENDING,
        "",
        None,
    )
    assert OutboxMessage.objects.get().packet == packet


def test_a_correction_that_drops_a_spouses_uin_withdraws_that_packet(
    registrar, settings
):
    # A deployment whose MOSIP operator added a marriage/divorce process.
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {
        "marriage": "CRVS_MARRIAGE",
        "divorce": "CRVS_MARRIAGE",
    }
    event = _turn_down(_submit(make_event(registrar, "marriage")))
    spouse1_aid = event.packets.get(subject="spouse1").application_id
    services.event_save_draft(event=event, actor=registrar, data=marriage_data(uin2=""))
    services.event_correct_and_resubmit(event=event, actor=registrar)
    assert event.packets.get(subject="spouse1").application_id == spouse1_aid
    assert event.packets.get(subject="spouse1").status == PacketStatus.PENDING
    assert event.packets.get(subject="spouse2").status == PacketStatus.WITHDRAWN


def test_only_rejected_or_failed_events_are_resubmitted(registrar):
    event = _submit(make_event(registrar))
    with pytest.raises(services.EventStatusError):
        services.event_correct_and_resubmit(event=event, actor=registrar)
    with pytest.raises(services.EventStatusError):
        services.event_correct_and_resubmit(
            event=make_event(registrar), actor=registrar
        )


# Documents --------------------------------------------------------------------


def _upload(content, name="evidence.pdf"):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.mark.parametrize(
    ("content", "file_format", "content_type"),
    [
        (PDF_BYTES, "pdf", "application/pdf"),
        (PNG_BYTES, "png", "image/png"),
        (JPEG_BYTES, "jpg", "image/jpeg"),
    ],
)
def test_documents_are_recognised_by_content(
    registrar, content, file_format, content_type
):
    event = make_event(registrar)
    # The name says PDF whatever the content: the content decides.
    document = services.event_attach_document(
        event=event, actor=registrar, kind="birth_notification", upload=_upload(content)
    )
    assert (document.file_format, document.content_type) == (file_format, content_type)
    assert document.schema_field == "proofOfDateOfBirth"
    stored = document.file.read()
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    if file_format == "pdf":
        assert stored == content  # a clean PDF is kept as sent
    else:
        assert same_picture(stored, content)  # an image is re-encoded
    assert "evidence" not in document.file.name


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused(registrar):
    event = make_event(registrar)
    with pytest.raises(services.DocumentRejectedError):
        services.event_attach_document(
            event=event,
            actor=registrar,
            kind="birth_notification",
            upload=_upload(b"<html>not a pdf</html>"),
        )
    assert not EventDocument.objects.exists()


def test_a_file_over_the_size_limit_is_refused(registrar, settings):
    settings.REGISTRATIONS_DOCUMENT_MAX_BYTES = 40
    event = make_event(registrar)
    with pytest.raises(services.DocumentRejectedError):
        services.event_attach_document(
            event=event,
            actor=registrar,
            kind="birth_notification",
            upload=_upload(PDF_BYTES + b"x" * 40),
        )


def test_a_document_kind_of_another_event_type_is_refused(registrar):
    with pytest.raises(services.DocumentRejectedError):
        services.event_attach_document(
            event=make_event(registrar),
            actor=registrar,
            kind="divorce_decree",
            upload=_upload(PDF_BYTES),
        )


def test_a_second_file_of_the_same_kind_replaces_the_first(
    registrar, django_capture_on_commit_callbacks
):
    event = make_event(registrar)
    first = attach_pdf(event)
    storage, first_name = first.file.storage, first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.event_attach_document(
            event=event,
            actor=registrar,
            kind="birth_notification",
            upload=_upload(PNG_BYTES),
        )
    assert list(event.documents.all()) == [second]
    assert not storage.exists(first_name)


def test_removing_a_document_deletes_its_file(
    registrar, django_capture_on_commit_callbacks
):
    event = make_event(registrar)
    document = attach_pdf(event)
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.event_remove_document(document=document, actor=registrar)
    assert not event.documents.exists()
    assert not storage.exists(name)
    assert _actions(event)[-2:] == ["event.document_attached", "event.document_removed"]


def test_documents_are_frozen_once_submitted(registrar):
    event = make_event(registrar)
    document = attach_pdf(event)
    _submit(event)
    with pytest.raises(services.EventStatusError):
        services.event_remove_document(document=document, actor=registrar)
    with pytest.raises(services.EventStatusError):
        attach_pdf(event)


def test_audit_rows_carry_ids_and_codes_but_no_names(registrar):
    event = _submit(make_event(registrar))
    details = json.dumps(list(_audit_of(event).values("details")))
    assert "Amina" not in details and "Bello" not in details
    assert event.registration_number in details


def test_a_marriage_registered_without_mosip_is_not_stuck_or_failed(
    registrar, supervisor
):
    import datetime

    from django.utils import timezone

    from apps.dashboards import config as dashboards_config
    from apps.dashboards import queries

    event = _submit(make_event(registrar, "marriage"))
    assert event.status == EventStatus.REGISTERED
    scope = queries.scope_for(
        supervisor, start=datetime.date.min, end=datetime.date.max
    )
    later = timezone.now() + datetime.timedelta(days=30)
    stuck = queries.stuck_events(
        scope, thresholds=dashboards_config.stuck_thresholds(), now=later
    )
    assert event not in stuck
    assert event.status not in (EventStatus.FAILED, EventStatus.REJECTED)
