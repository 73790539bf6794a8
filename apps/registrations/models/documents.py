"""Documents attached to an event and sent with its packets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registrations.models.events import VitalEvent


def _document_path(document: "EventDocument", filename: str) -> str:
    # The stored name never carries the uploaded name, which may hold personal data.
    return f"registrations/{document.event_id}/{document.sha256[:16]}.{document.file_format}"


class DocumentFormat(models.TextChoices):
    # Values are MOSIP document `format` strings (docs/mosip/packet-api.md §3.4).
    PDF = "pdf", _("PDF")
    JPG = "jpg", _("JPEG image")
    PNG = "png", _("PNG image")


class EventDocument(models.Model):
    event = models.ForeignKey(
        VitalEvent, on_delete=models.CASCADE, related_name="documents"
    )
    # Portal document kind, e.g. "birth_notification" (see definitions.DOCUMENT_KINDS).
    kind = models.CharField(max_length=40)
    # The ID schema's documentType field it is sent as, e.g. "proofOfDateOfBirth".
    schema_field = models.CharField(max_length=60)
    # MOSIP masterdata document type code sent as the document's `type`.
    mosip_type = models.CharField(max_length=40)
    file = models.FileField(upload_to=_document_path)
    file_format = models.CharField(max_length=8, choices=DocumentFormat.choices)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], name="one_document_per_event_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_file_format_display()})"
