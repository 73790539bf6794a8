"""MOSIP packets of an event, the ids they retired and the outbox that sends them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.registrations.models.events import VitalEvent


class PacketStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    CREATED = "created", _("Packet created")
    PROCESSING = "processing", _("Processing")
    PROCESSED = "processed", _("Processed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")
    # No longer needed after a correction (e.g. a spouse's UIN was removed).
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PacketSubject(models.TextChoices):
    CHILD = "child", _("Child")
    DECEASED = "deceased", _("Deceased")
    SPOUSE1 = "spouse1", _("First spouse")
    SPOUSE2 = "spouse2", _("Second spouse")


class Packet(models.Model):
    """One MOSIP registration packet for an event, under its own application id."""

    # Indexed by the unique (event, subject) constraint, which starts with it.
    event = models.ForeignKey(
        VitalEvent, on_delete=models.PROTECT, related_name="packets", db_index=False
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
            # Registrars and the back office find an event by the UIN MOSIP issued.
            models.Index(fields=["uin"], name="packet_uin", condition=~Q(uin="")),
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
    SEND_PACKET = "send_packet", _("Send packet to MOSIP")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """Work written in the same transaction as the change that needs it.

    A worker picks up pending rows whose `next_attempt_at` has passed; nothing is lost
    if the process dies between commit and send, because the row is still here.
    """

    event = models.ForeignKey(
        VitalEvent, on_delete=models.PROTECT, related_name="outbox_messages"
    )
    # Indexed by the unique (packet, kind) constraint, which starts with it.
    packet = models.ForeignKey(
        Packet,
        on_delete=models.PROTECT,
        related_name="outbox_messages",
        db_index=False,
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
