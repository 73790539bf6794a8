"""Documents attached to an event, stored through Django's storage API."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.core.uploads import UploadRejectedError
from apps.registrations import config, definitions
from apps.registrations.documents import accepted, check_document
from apps.registrations.models import (
    EDITABLE_STATUSES,
    EventDocument,
    VitalEvent,
)
from apps.registrations.services.common import (
    DocumentRejectedError,
    event_locked,
    require_status,
)


def event_attach_document(
    *, event: VitalEvent, actor, kind: str, upload
) -> EventDocument:
    """Attach evidence of `kind`, replacing an earlier file of the same kind."""
    kind_def = definitions.document_kind(event.event_type, kind)
    if kind_def is None:
        raise DocumentRejectedError(
            _("This kind of document does not belong to this event.")
        )
    if upload.size > config.document_max_bytes():
        raise DocumentRejectedError(
            _("The file is too large. Send a %(accepted)s.") % {"accepted": accepted()}
        )
    try:
        checked = check_document(upload.read())
    except UploadRejectedError as error:
        raise DocumentRejectedError(str(error)) from error
    content = checked.content
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, EDITABLE_STATUSES, "change the documents of")
        replaced = EventDocument.objects.filter(event=event, kind=kind).first()
        if replaced is not None:
            document_delete(replaced)
        document = EventDocument(
            event=event,
            kind=kind,
            schema_field=kind_def.schema_field,
            mosip_type=kind_def.mosip_type,
            file_format=checked.file_format,
            content_type=checked.content_type,
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


def document_delete(document: EventDocument) -> None:
    storage, name = document.file.storage, document.file.name
    document.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


def event_remove_document(*, document: EventDocument, actor) -> None:
    with transaction.atomic():
        event = event_locked(document.event)
        require_status(event, EDITABLE_STATUSES, "change the documents of")
        audit_record(
            actor=actor,
            action="event.document_removed",
            target=event,
            details={"document_id": document.pk, "kind": document.kind},
        )
        document_delete(document)


# Certification ----------------------------------------------------------------------
