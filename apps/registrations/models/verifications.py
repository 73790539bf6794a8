"""Identity verifications: a person on an event's form proved who they are to MOSIP's
e-Signet, and the answers the portal filled from what e-Signet signed
(docs/identity-verification.md)."""

from django.conf import settings
from django.db import models


class IdentityVerification(models.Model):
    """One verified login, kept only once its id token and userinfo verified.

    `subject` is e-Signet's `sub`, a number that names this person for this portal
    only (never the UIN); `claims` are the verified claims the portal used; `filled`
    the answers it wrote into the draft, by input name of `section`. The verified
    mark holds while the draft's answers still equal `filled`."""

    event = models.ForeignKey(
        "registrations.VitalEvent",
        on_delete=models.CASCADE,
        related_name="identity_verifications",
    )
    section = models.CharField(max_length=40)
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=100)
    client_id = models.CharField(max_length=100)
    acr = models.CharField(max_length=200, blank=True)
    verified_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claims = models.JSONField(default=dict)
    filled = models.JSONField(default=dict)

    class Meta:
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} verified with e-Signet on {self.verified_at:%Y-%m-%d %H:%M}"

    def matches(self, data: dict) -> bool:
        """Whether the event's answers (`data`, as stored) still say what was filled."""
        answers = (data or {}).get(self.section) or {}
        return all(
            str(answers.get(name, "")) == value for name, value in self.filled.items()
        )
