"""Identity verifications: a person on an event's form proved who they are to MOSIP's
e-Signet, and the answers the portal filled from what e-Signet signed
(docs/identity-verification.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField


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


class PhoneLogin(models.Model):
    """A verification the informant makes on their own phone, from a QR code the
    registrar shows (docs/identity-verification.md). e-Signet sends the phone's
    browser back to the callback, which carries no registrar session there, so the
    login's secrets wait here instead of in the session: the state (unguessable, the
    QR's only secret), the nonce and the PKCE verifier. Taken once (`taken_at`) at
    the callback; the registrar's page follows `outcome`."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for the informant")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Not verified")

    state = models.CharField(max_length=128, unique=True)
    event = models.ForeignKey(
        "registrations.VitalEvent", on_delete=models.CASCADE, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nonce = models.CharField(max_length=128)
    code_verifier = EncryptedTextField()
    authorize_url = models.TextField()
    started_at = models.DateTimeField()
    taken_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    # What the registrar reads when the login was refused.
    message = models.TextField(blank=True)
    verification = models.ForeignKey(
        IdentityVerification, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Phone login for event {self.event_id} ({self.outcome})"
