"""Drafts: created, saved as the registrar types."""

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.registrations import rollups, search
from apps.registrations.models import (
    EDITABLE_STATUSES,
    EventStatus,
    EventStatusChange,
    VitalEvent,
)
from apps.registrations.services.common import (
    EventEditConflictError,
    event_locked,
    require_status,
    subject_name_of,
)
from apps.registrations.services.documents import document_delete

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
        event = event_locked(event)
        require_status(event, EDITABLE_STATUSES, "edit")
        if version is not None and version != event.draft_version:
            raise EventEditConflictError(event)
        event.data = data
        event.subject_name = subject_name_of(event.event_type, data)
        event.search_names = search.search_names(data)
        event.draft_saved_at = timezone.now()
        event.draft_saved_by = actor
        event.draft_version += 1
        event.save(
            update_fields=[
                "data",
                "subject_name",
                "search_names",
                "draft_saved_at",
                "draft_saved_by",
                "draft_version",
                "updated_at",
            ]
        )
        audit_record(actor=actor, action="event.draft_saved", target=event)
    return event


def event_discard_draft(*, event: VitalEvent, actor) -> None:
    """Delete a draft that was never submitted; the audit trail keeps what it was.

    Anything submitted has a registration number and belongs to the civil register:
    it is never deleted, only corrected.
    """
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, {EventStatus.DRAFT}, "discard")
        audit_record(
            actor=actor,
            action="event.draft_discarded",
            target=event,
            details={
                "event_type": event.event_type,
                "office_id": event.office_id,
                "created_by_id": event.created_by_id,
                "documents": event.documents.count(),
            },
        )
        for document in event.documents.all():
            document_delete(document)
        # A draft is never counted; were it, its count would go with it.
        rollups.rollups_shift(rollups.cell_of(event), None)
        event.delete()


# Submission -----------------------------------------------------------------------
