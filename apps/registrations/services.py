"""Every write to vital events: one function per action, each in one transaction.

Each action locks the event row, checks the status allows it, writes its change, a
history row when the status moves, and an audit row (ids and codes only). Submission
also writes one outbox row per MOSIP packet in the same transaction; the packet worker
picks pending rows up after commit, so a crash between commit and send loses nothing.
"""

import datetime
import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.registrations import config, definitions, packets
from apps.registrations.documents import CONTENT_TYPES, sniff_format
from apps.registrations.forms import EventForm, flatten
from apps.registrations.models import (
    EDITABLE_STATUSES,
    ApplicationIdCounter,
    EventDocument,
    EventStatus,
    EventStatusChange,
    IdSchemaVersion,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    RegistrationNumberCounter,
    VitalEvent,
)
from apps.registrations.schema import id_schema_current, parse_id_schema

AID_SEQUENCE_MAX = 99999
# States from which a first certificate moves an event to `certified`.
CERTIFIABLE_STATUSES = frozenset(
    {EventStatus.REGISTERED, EventStatus.ID_ISSUED, EventStatus.RECORD_UPDATED}
)


class EventStatusError(Exception):
    """The event's status does not allow the requested action."""


class EventInvalidError(Exception):
    """The event's data does not pass validation; `errors` maps inputs to messages."""

    def __init__(self, errors):
        super().__init__("The event has errors to correct before it is submitted.")
        self.errors = errors


class EventEditConflictError(Exception):
    """Someone saved the draft after the editor loaded it; nothing was overwritten."""

    def __init__(self, event: VitalEvent):
        saver = event.draft_saved_by.get_username() if event.draft_saved_by else ""
        when = (
            timezone.localtime(event.draft_saved_at) if event.draft_saved_at else None
        )
        super().__init__(
            "This draft was changed by "
            + (saver or "someone else")
            + (f" at {when:%H:%M}" if when else "")
            + " after you opened it. Your typing has not been saved: reload the page"
            " to see their changes, then enter yours again."
        )
        self.event = event


class DocumentRejectedError(Exception):
    """An uploaded file is of the wrong kind, type or size."""


# ID schema ------------------------------------------------------------------------


def id_schema_record(
    *, version: str, schema_json: str, fetched_at: datetime.datetime | None = None
) -> IdSchemaVersion:
    """Keep an ID schema MOSIP published, after checking it can be read."""
    parse_id_schema(schema_json, version=version)
    float(version)  # packet manager parses schemaVersion as a number (§3.2)
    return IdSchemaVersion.objects.create(
        version=version,
        schema_json=schema_json,
        fetched_at=fetched_at or timezone.now(),
    )


# Identifiers ----------------------------------------------------------------------


def application_id_format(
    *, centre_id: str, machine_id: str, sequence: int, at: datetime.datetime
) -> str:
    """29-digit AID: centre (5) + machine (5) + sequence (5) + UTC yyyyMMddHHmmss (§4)."""
    if not (
        re.fullmatch(r"[0-9]{5}", centre_id) and re.fullmatch(r"[0-9]{5}", machine_id)
    ):
        raise ValueError("MOSIP centre and machine ids are 5 digits each.")
    if not 0 < sequence <= AID_SEQUENCE_MAX:
        raise ValueError("The AID sequence runs from 1 to 99999.")
    stamp = at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return f"{centre_id}{machine_id}{sequence:05d}{stamp}"


def application_id_allocate(
    *, centre_id: str, machine_id: str, at: datetime.datetime
) -> str:
    """Next AID of a centre and machine; the sequence wraps after 99999 like MOSIP's."""
    with transaction.atomic():
        counter, _ = ApplicationIdCounter.objects.select_for_update().get_or_create(
            centre_id=centre_id, machine_id=machine_id
        )
        counter.last_value = counter.last_value % AID_SEQUENCE_MAX + 1
        counter.save(update_fields=["last_value"])
    return application_id_format(
        centre_id=centre_id, machine_id=machine_id, sequence=counter.last_value, at=at
    )


def _registration_number_allocate(*, office, year: int) -> str:
    # The counter row is locked until the submitting transaction ends, so two
    # registrars of one office never draw the same number.
    counter, _ = RegistrationNumberCounter.objects.select_for_update().get_or_create(
        office=office, year=year
    )
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{office.code.upper()}-{year}-{counter.last_value:06d}"


# Helpers --------------------------------------------------------------------------


def _locked(event: VitalEvent) -> VitalEvent:
    return (
        VitalEvent.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=event.pk)
    )


def _guard(event: VitalEvent, allowed, action: str) -> None:
    if event.status not in allowed:
        raise EventStatusError(
            f"Cannot {action} an event that is {event.get_status_display().lower()}."
        )


def _move(event: VitalEvent, to_status: str, *, actor, note: str = "", code: str = ""):
    EventStatusChange.objects.create(
        event=event,
        from_status=event.status,
        to_status=to_status,
        actor=actor,
        note=note,
        code=code,
    )
    event.status = to_status


def _subject_name(event_type: str, data: dict) -> str:
    section, name = definitions.SUBJECT_NAME_FIELDS[event_type]
    value = (data.get(section) or {}).get(name) or ""
    if isinstance(value, dict):
        value = next((v for v in value.values() if v), "")
    return str(value)[:200]


def _event_date(event_type: str, data: dict) -> datetime.date | None:
    section, name = definitions.EVENT_DATE_FIELDS[event_type]
    value = (data.get(section) or {}).get(name)
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# Drafts ---------------------------------------------------------------------------


def event_create_draft(*, actor, event_type: str) -> VitalEvent:
    with transaction.atomic():
        event = VitalEvent.objects.create(
            event_type=event_type, office=actor.office, created_by=actor
        )
        EventStatusChange.objects.create(
            event=event, from_status="", to_status=EventStatus.DRAFT, actor=actor
        )
        audit_record(
            actor=actor,
            action="event.draft_created",
            target=event,
            details={"event_type": event_type},
        )
    return event


def event_save_draft(
    *, event: VitalEvent, actor, data: dict, version: int | None = None
) -> VitalEvent:
    """Store what was typed, valid or not; an event MOSIP turned down is corrected here.

    `version` is the draft version the editor started from: if another save came in
    since, EventEditConflictError is raised and nothing is overwritten.
    """
    with transaction.atomic():
        event = _locked(event)
        _guard(event, EDITABLE_STATUSES, "edit")
        if version is not None and version != event.draft_version:
            raise EventEditConflictError(event)
        event.data = data
        event.subject_name = _subject_name(event.event_type, data)
        event.draft_saved_at = timezone.now()
        event.draft_saved_by = actor
        event.draft_version += 1
        event.save(
            update_fields=[
                "data",
                "subject_name",
                "draft_saved_at",
                "draft_saved_by",
                "draft_version",
                "updated_at",
            ]
        )
        audit_record(actor=actor, action="event.draft_saved", target=event)
    return event


# Submission -----------------------------------------------------------------------


def event_plan(*, event: VitalEvent, on: datetime.date) -> packets.PacketPlan:
    """The MOSIP packets submitting `event` on `on` would send (shown before submitting)."""
    return packets.plan_packets(
        event_type=event.event_type,
        data=event.data,
        process=config.mosip_process_for(event.event_type),
        on=on,
        infant_max_age_years=config.infant_max_age_years(),
    )


def _enqueue_send(outbox_id: int) -> None:
    def send():
        from apps.registrations.tasks import send_packet

        send_packet.delay(outbox_id)

    # Queued only once the row is committed; if queueing fails the row stays
    # pending and the dispatch beat sends it.
    transaction.on_commit(send, robust=True)


def _sync_packets(event: VitalEvent, plan: packets.PacketPlan, now) -> list[Packet]:
    """Packets for the plan, reusing each subject's AID from an earlier submission."""
    existing = {p.subject: p for p in event.packets.all()}
    wanted = []
    for planned in plan.packets:
        packet = existing.pop(planned.subject, None)
        if packet is None:
            ids = config.mosip_ids_for_office(event.office)
            packet = Packet.objects.create(
                event=event,
                subject=planned.subject,
                process=planned.process,
                application_id=application_id_allocate(
                    centre_id=ids.centre_id, machine_id=ids.machine_id, at=now
                ),
                centre_id=ids.centre_id,
                machine_id=ids.machine_id,
            )
        else:
            packet.process = planned.process
            packet.status = PacketStatus.PENDING
            packet.save(update_fields=["process", "status", "updated_at"])
        outbox, _ = OutboxMessage.objects.update_or_create(
            packet=packet,
            kind=OutboxKind.SEND_PACKET,
            defaults={
                "event": event,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "last_error_code": "",
                "failing_since": None,
            },
        )
        _enqueue_send(outbox.pk)
        wanted.append(packet)
    for dropped in existing.values():
        dropped.status = PacketStatus.WITHDRAWN
        dropped.save(update_fields=["status", "updated_at"])
        dropped.outbox_messages.filter(status=OutboxStatus.PENDING).update(
            status=OutboxStatus.FAILED, last_error="Withdrawn by a correction."
        )
    return wanted


def _submit_locked(event: VitalEvent, *, actor, now, action: str) -> VitalEvent:
    form = EventForm(
        data=flatten(event.data),
        event_type=event.event_type,
        schema=id_schema_current(),
    )
    if not form.is_valid():
        raise EventInvalidError(form.errors)
    event.data = form.cleaned_event_data()
    event.subject_name = _subject_name(event.event_type, event.data)
    event.event_date = _event_date(event.event_type, event.data)
    today = timezone.localdate(now)
    plan = event_plan(event=event, on=today)
    if not event.registration_number:
        event.registration_number = _registration_number_allocate(
            office=event.office, year=today.year
        )
        event.registration_year = today.year
    sent = _sync_packets(event, plan, now)
    event.mosip_process = plan.process
    event.no_packet_reason = plan.no_packet_reason
    event.last_error_code = event.last_error_message = ""
    event.submitted_at = now
    to_status = EventStatus.SUBMITTED if sent else EventStatus.REGISTERED
    _move(event, to_status, actor=actor, note=plan.no_packet_reason[:500])
    event.save()
    audit_record(
        actor=actor,
        action=action,
        target=event,
        details={
            "registration_number": event.registration_number,
            "process": plan.process,
            "application_ids": [p.application_id for p in sent],
        },
    )
    return event


def event_submit(*, event: VitalEvent, actor, now=None) -> VitalEvent:
    """Register a draft: number it, and queue its MOSIP packets if it needs any."""
    with transaction.atomic():
        event = _locked(event)
        _guard(event, {EventStatus.DRAFT}, "submit")
        return _submit_locked(
            event, actor=actor, now=now or timezone.now(), action="event.submitted"
        )


def event_correct_and_resubmit(*, event: VitalEvent, actor, now=None) -> VitalEvent:
    """Send a rejected or failed event again after the registrar corrected it.

    The registration number and each packet's application id stay the same, so MOSIP
    sees the same packet overwritten rather than a second registration (§3.7).
    """
    with transaction.atomic():
        event = _locked(event)
        _guard(event, {EventStatus.REJECTED, EventStatus.FAILED}, "resubmit")
        return _submit_locked(
            event, actor=actor, now=now or timezone.now(), action="event.resubmitted"
        )


# Documents ------------------------------------------------------------------------


def event_attach_document(
    *, event: VitalEvent, actor, kind: str, upload
) -> EventDocument:
    """Attach evidence of `kind`, replacing an earlier file of the same kind."""
    kind_def = definitions.document_kind(event.event_type, kind)
    if kind_def is None:
        raise DocumentRejectedError(
            "This kind of document does not belong to this event."
        )
    if upload.size > config.document_max_bytes():
        raise DocumentRejectedError("The file is larger than the limit.")
    content = upload.read()
    file_format = sniff_format(content)
    if file_format is None:
        raise DocumentRejectedError("The file is not a PDF, JPEG or PNG.")
    with transaction.atomic():
        event = _locked(event)
        _guard(event, EDITABLE_STATUSES, "change the documents of")
        replaced = EventDocument.objects.filter(event=event, kind=kind).first()
        if replaced is not None:
            _delete_document(replaced)
        document = EventDocument(
            event=event,
            kind=kind,
            schema_field=kind_def.schema_field,
            mosip_type=kind_def.mosip_type,
            file_format=file_format,
            content_type=CONTENT_TYPES[file_format],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        document.file.save("upload", ContentFile(content), save=False)
        document.save()
        audit_record(
            actor=actor,
            action="event.document_attached",
            target=event,
            details={
                "document_id": document.pk,
                "kind": kind,
                "sha256": document.sha256,
            },
        )
    return document


def _delete_document(document: EventDocument) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


def event_remove_document(*, document: EventDocument, actor) -> None:
    with transaction.atomic():
        event = _locked(document.event)
        _guard(event, EDITABLE_STATUSES, "change the documents of")
        audit_record(
            actor=actor,
            action="event.document_removed",
            target=event,
            details={"document_id": document.pk, "kind": document.kind},
        )
        _delete_document(document)


# Certification ----------------------------------------------------------------------


def event_mark_certified(
    *, event: VitalEvent, actor, certificate_number: str, at=None
) -> VitalEvent:
    """Record that the event's first certificate was issued (called by certificates)."""
    with transaction.atomic():
        event = _locked(event)
        _guard(event, CERTIFIABLE_STATUSES, "certify")
        _move(event, EventStatus.CERTIFIED, actor=actor, note=certificate_number)
        event.certified_at = at or timezone.now()
        event.save(update_fields=["status", "certified_at", "updated_at"])
        audit_record(
            actor=actor,
            action="event.certified",
            target=event,
            details={"certificate_number": certificate_number},
        )
    return event


# Supervision ----------------------------------------------------------------------

# States in which an event waits on the pipeline, so a supervisor may push it along.
REQUEUEABLE_STATUSES = frozenset(
    {EventStatus.SUBMITTED, EventStatus.PACKET_CREATED, EventStatus.PROCESSING}
)


def event_resubmit(*, event: VitalEvent, actor, now=None) -> int:
    """Retry a stuck event's unsent work now; returns how many outbox rows were queued.

    Pending and failed outbox rows are put back for immediate sending with a fresh
    retry budget; the outbox dispatcher picks them up on its next round. Packets keep
    their application ids, so MOSIP sees the same packet again, never a second one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        _guard(event, REQUEUEABLE_STATUSES, "resubmit")
        rows = (
            OutboxMessage.objects.select_for_update()
            .filter(
                event=event,
                status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
            )
            .exclude(packet__status=PacketStatus.WITHDRAWN)
        )
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            raise EventStatusError("This event has no unsent work to retry.")
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        audit_record(
            actor=actor,
            action="event.requeued",
            target=event,
            details={"outbox_ids": ids},
        )
    return len(ids)
