"""National IDs typed into an event's form, as MOSIP's ID Authentication last
answered for them (docs/identity-verification.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.registrations.models.events import VitalEvent


class IdCheckOutcome(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    MISMATCH = "mismatch", _("Does not match")
    NOT_FOUND = "not_found", _("Not found in MOSIP")
    DEACTIVATED = "deactivated", _("Deactivated in MOSIP")
    UNREACHABLE = "unreachable", _("MOSIP unreachable")
    REFUSED = "refused", _("Not checked")


# What stops a death from being submitted until a supervisor allows it.
BLOCKING_OUTCOMES = frozenset({IdCheckOutcome.DEACTIVATED, IdCheckOutcome.MISMATCH})


class IdCheck(models.Model):
    """The latest check of one person's UIN or VID on one event (`section`: the
    form section the person is typed in: deceased, mother, spouse1 …).

    `fingerprint` identifies what was checked (the id, the names, the date of birth,
    the gender) without keeping it: when the form says something else, the check
    no longer holds. `auth_token` and `transaction_id` are MOSIP's for the
    authentication. A supervisor's override allows a death blocked by this check;
    it is cleared when the check is made again for other values."""

    event = models.ForeignKey(
        VitalEvent, on_delete=models.CASCADE, related_name="id_checks"
    )
    section = models.CharField(max_length=32)
    id_type = models.CharField(max_length=3)
    id_masked = models.CharField(max_length=20)
    fingerprint = models.CharField(max_length=64)
    outcome = models.CharField(max_length=16, choices=IdCheckOutcome.choices)
    # [{"attribute": "name", "language": "eng", "held": true}, …]
    mismatches = models.JSONField(default=list, blank=True)
    # What MOSIP or the portal's set-up said when it was not checked (REFUSED,
    # UNREACHABLE): words for the registrar and the integration admin.
    detail = models.CharField(max_length=500, blank=True)
    problem = models.CharField(max_length=32, blank=True)
    error_codes = models.JSONField(default=list, blank=True)
    auth_token = models.CharField(max_length=100, blank=True)
    transaction_id = models.CharField(max_length=20, blank=True)
    checked_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "section"], name="one_id_check_per_person"
            )
        ]
        verbose_name = "ID check"

    def __str__(self) -> str:
        return f"{self.section} {self.id_type} {self.id_masked}: {self.outcome}"

    @property
    def is_verified(self) -> bool:
        return self.outcome == IdCheckOutcome.VERIFIED

    @property
    def overridden(self) -> bool:
        return self.overridden_at is not None
