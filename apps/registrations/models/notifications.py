"""Notifications to registrars about the MOSIP outcome of their events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registrations.models.events import VitalEvent


class NotificationKind(models.TextChoices):
    ID_ISSUED = "id_issued", _("National ID issued")
    RECORD_UPDATED = "record_updated", _("Identity record updated")
    REJECTED = "rejected", _("Rejected by MOSIP")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")


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
