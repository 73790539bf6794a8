"""Vital events, the states they move through and the history of those moves."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")
    MARRIAGE = "marriage", _("Marriage")
    DIVORCE = "divorce", _("Divorce")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PACKET_CREATED = "packet_created", _("Packet created")
    PROCESSING = "processing", _("Processing in MOSIP")
    ID_ISSUED = "id_issued", _("National ID issued")
    RECORD_UPDATED = "record_updated", _("Identity record updated")
    REJECTED = "rejected", _("Rejected by MOSIP")
    FAILED = "failed", _("Failed")
    # Registered in the civil register with no MOSIP packet (see no_packet_reason).
    REGISTERED = "registered", _("Registered")
    CERTIFIED = "certified", _("Certified")


# States the registrar may still edit: a draft, or an event MOSIP turned down.
EDITABLE_STATUSES = frozenset(
    {EventStatus.DRAFT, EventStatus.REJECTED, EventStatus.FAILED}
)
# States from which a first certificate moves an event to `certified`.
CERTIFIABLE_STATUSES = frozenset(
    {EventStatus.REGISTERED, EventStatus.ID_ISSUED, EventStatus.RECORD_UPDATED}
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


class VitalEvent(models.Model):
    event_type = models.CharField(max_length=16, choices=EventType.choices)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    # No index of its own: the (office, status), (office, event type) and (office,
    # submitted) indexes start with it, and every index slows each status change.
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="vital_events",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Typed input by form section: {"child": {"fullName": {"eng": "..."}, ...}, ...}.
    data = models.JSONField(default=dict, blank=True)
    # Kept in a column so the list can be searched without reading `data`.
    subject_name = models.CharField(max_length=200, blank=True)
    # Every person's name in every entry language, reduced for searching
    # (apps/registrations/search.py); the database default lets bulk loads skip it.
    search_names = models.TextField(blank=True, default="", db_default="")
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
        if self.registration_number:
            return self.registration_number
        return _("Draft %(kind)s #%(number)s") % {
            "kind": self.get_event_type_display(),
            "number": self.pk,
        }

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class EventStatusChange(models.Model):
    # Indexed by `statuschange_dash_left_from`, which starts with it.
    event = models.ForeignKey(
        VitalEvent,
        on_delete=models.CASCADE,
        related_name="status_changes",
        db_index=False,
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
