"""Vital events, their history, documents, MOSIP packets and the outbox.

One event may need several MOSIP packets (a marriage updates each spouse's identity
record), so the application id (AID) lives on `Packet`, one row per (event, subject),
not on the event. An AID is allocated when the event is first submitted and kept for
the life of that packet, through every retry and every corrected resubmission.
"""

import json

from django.conf import settings
from django.db import models
from django.db.models import Q


class EventType(models.TextChoices):
    BIRTH = "birth", "Birth"
    DEATH = "death", "Death"
    MARRIAGE = "marriage", "Marriage"
    DIVORCE = "divorce", "Divorce"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PACKET_CREATED = "packet_created", "Packet created"
    PROCESSING = "processing", "Processing in MOSIP"
    ID_ISSUED = "id_issued", "National ID issued"
    RECORD_UPDATED = "record_updated", "Identity record updated"
    REJECTED = "rejected", "Rejected by MOSIP"
    FAILED = "failed", "Failed"
    # Registered in the civil register with no MOSIP packet (see no_packet_reason).
    REGISTERED = "registered", "Registered"
    CERTIFIED = "certified", "Certified"


# States the registrar may still edit: a draft, or an event MOSIP turned down.
EDITABLE_STATUSES = frozenset(
    {EventStatus.DRAFT, EventStatus.REJECTED, EventStatus.FAILED}
)
# States in which nothing more happens without the registrar acting.
SETTLED_STATUSES = frozenset(
    {
        EventStatus.DRAFT,
        EventStatus.ID_ISSUED,
        EventStatus.RECORD_UPDATED,
        EventStatus.REJECTED,
        EventStatus.FAILED,
        EventStatus.REGISTERED,
        EventStatus.CERTIFIED,
    }
)


class IdSchemaVersion(models.Model):
    """An ID schema as MOSIP published it (`GET /v1/syncdata/latestidschema`).

    `schema_json` keeps MOSIP's text unchanged: createPacket wants the schema as a
    JSON string (packet-api.md §3.2), and the text we send is then the text we read.
    """

    version = models.CharField(max_length=20)
    schema_json = models.TextField()
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-fetched_at", "-id"]
        get_latest_by = ["fetched_at", "id"]
        verbose_name = "ID schema version"

    def __str__(self) -> str:
        return f"ID schema {self.version} ({self.fetched_at:%Y-%m-%d})"

    @property
    def schema(self) -> dict:
        return json.loads(self.schema_json)


class VitalEvent(models.Model):
    event_type = models.CharField(max_length=16, choices=EventType.choices)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="vital_events"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Typed input by form section: {"child": {"fullName": {"eng": "..."}, ...}, ...}.
    data = models.JSONField(default=dict, blank=True)
    # Kept in a column so the list can be searched without reading `data`.
    subject_name = models.CharField(max_length=200, blank=True)
    registration_number = models.CharField(
        max_length=40, unique=True, null=True, blank=True
    )
    registration_year = models.PositiveSmallIntegerField(null=True, blank=True)
    mosip_process = models.CharField(max_length=40, blank=True)
    no_packet_reason = models.CharField(max_length=300, blank=True)
    last_error_code = models.CharField(max_length=60, blank=True)
    last_error_message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Counts draft saves; an edit based on an older count was overtaken by another.
    draft_version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Copied out of `data` at submission so reports never parse JSON per row.
    event_date = models.DateField(null=True, blank=True)
    # When MOSIP's outcome (ID issued, record updated, rejected, failed) arrived.
    outcome_at = models.DateTimeField(null=True, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status"]),
            models.Index(fields=["office", "event_type"]),
            models.Index(fields=["office", "submitted_at"]),
            models.Index(fields=["status", "updated_at"]),
            # Dashboards: figures by registration date, certification date and
            # event date, read from the index alone where the columns allow.
            models.Index(
                fields=[
                    "submitted_at",
                    "office",
                    "event_type",
                    "status",
                    "no_packet_reason",
                    "outcome_at",
                    "event_date",
                    "id",
                ],
                name="vitalevent_dash_submitted",
            ),
            models.Index(
                fields=["certified_at", "office", "event_type"],
                name="vitalevent_dash_certified",
            ),
            models.Index(
                fields=["office", "event_type", "event_date"],
                name="vitalevent_dash_event_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=EventStatus.DRAFT)
                | Q(registration_number__isnull=False),
                name="submitted_event_has_registration_number",
            ),
        ]

    def __str__(self) -> str:
        return (
            self.registration_number
            or f"Draft {self.get_event_type_display()} #{self.pk}"
        )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class RegistrationNumberCounter(models.Model):
    """Last registration number issued by an office in a year; locked to allocate."""

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"], name="one_counter_per_office_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_value}"


class ApplicationIdCounter(models.Model):
    """The 5-digit AID sequence of a MOSIP centre and machine (packet-api.md §4)."""

    centre_id = models.CharField(max_length=5)
    machine_id = models.CharField(max_length=5)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre_id", "machine_id"],
                name="one_counter_per_centre_machine",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}_{self.machine_id}: {self.last_value}"


class EventStatusChange(models.Model):
    event = models.ForeignKey(
        VitalEvent, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        max_length=20, choices=EventStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=EventStatus.choices)
    # Null when the change came from the pipeline rather than a person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    code = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        # Insertion order is the order things happened, whatever the clocks said.
        ordering = ["id"]
        indexes = [
            # Dashboards: the state an event left when it was turned down, read
            # from the index alone.
            models.Index(
                fields=["event", "to_status", "id", "from_status"],
                name="statuschange_dash_left_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


def _document_path(document: "EventDocument", filename: str) -> str:
    # The stored name never carries the uploaded name, which may hold personal data.
    return f"registrations/{document.event_id}/{document.sha256[:16]}.{document.file_format}"


class DocumentFormat(models.TextChoices):
    # Values are MOSIP document `format` strings (packet-api.md §3.4).
    PDF = "pdf", "PDF"
    JPG = "jpg", "JPEG image"
    PNG = "png", "PNG image"


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


class PacketStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    CREATED = "created", "Packet created"
    PROCESSING = "processing", "Processing"
    PROCESSED = "processed", "Processed"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"
    # No longer needed after a correction (e.g. a spouse's UIN was removed).
    WITHDRAWN = "withdrawn", "Withdrawn"


class PacketSubject(models.TextChoices):
    CHILD = "child", "Child"
    DECEASED = "deceased", "Deceased"
    SPOUSE1 = "spouse1", "First spouse"
    SPOUSE2 = "spouse2", "Second spouse"


class Packet(models.Model):
    """One MOSIP registration packet for an event, under its own application id."""

    event = models.ForeignKey(
        VitalEvent, on_delete=models.PROTECT, related_name="packets"
    )
    subject = models.CharField(max_length=16, choices=PacketSubject.choices)
    process = models.CharField(max_length=40)
    # 29 digits: centre (5) + machine (5) + sequence (5) + UTC yyyyMMddHHmmss (§4).
    application_id = models.CharField(max_length=29, unique=True)
    centre_id = models.CharField(max_length=5)
    machine_id = models.CharField(max_length=5)
    status = models.CharField(
        max_length=16, choices=PacketStatus.choices, default=PacketStatus.PENDING
    )
    # What MOSIP gave back for this packet's subject.
    uin = models.CharField(max_length=30, blank=True)
    vid = models.CharField(max_length=30, blank=True)
    result_code = models.CharField(max_length=60, blank=True)
    result_message = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Dashboards: MOSIP result codes of rejected and failed packets.
            models.Index(
                fields=["status", "result_code"], name="packet_dash_result_code"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subject"], name="one_packet_per_event_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.application_id}"

    @property
    def ref_id(self) -> str:
        return f"{self.centre_id}_{self.machine_id}"


class RetiredApplicationId(models.Model):
    """An id MOSIP already decided (rejected or failed) before a correction of the
    packet was sent under a new one: MOSIP never processes the same id twice."""

    packet = models.ForeignKey(
        Packet, on_delete=models.PROTECT, related_name="retired_ids"
    )
    application_id = models.CharField(max_length=29, unique=True)
    retired_at = models.DateTimeField()

    class Meta:
        ordering = ["retired_at", "id"]

    def __str__(self) -> str:
        return self.application_id


class OutboxKind(models.TextChoices):
    SEND_PACKET = "send_packet", "Send packet to MOSIP"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """Work written in the same transaction as the change that needs it.

    A worker picks up pending rows whose `next_attempt_at` has passed; nothing is lost
    if the process dies between commit and send, because the row is still here.
    """

    event = models.ForeignKey(
        VitalEvent, on_delete=models.PROTECT, related_name="outbox_messages"
    )
    packet = models.ForeignKey(
        Packet, on_delete=models.PROTECT, related_name="outbox_messages"
    )
    kind = models.CharField(max_length=32, choices=OutboxKind.choices)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    last_error_code = models.CharField(max_length=60, blank=True)
    # Start of the current run of transient failures; retries stop past the horizon.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "kind"], name="one_outbox_message_per_packet_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.packet_id} ({self.status})"


class NotificationKind(models.TextChoices):
    ID_ISSUED = "id_issued", "National ID issued"
    RECORD_UPDATED = "record_updated", "Identity record updated"
    REJECTED = "rejected", "Rejected by MOSIP"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"


class Notification(models.Model):
    """A message to the registrar who submitted an event, about its MOSIP outcome."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        VitalEvent, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event}"
