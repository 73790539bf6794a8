"""WebSub subscriptions, the inbox of verified deliveries, the quarantine of
deliveries that failed verification, and counters of each kind of bad input.

A subscription has its own callback URL (`/websub/<slug>/`) and its own secret. During
a secret rotation the previous secret is kept, so deliveries the hub still signs with
it are accepted until the hub has adopted the new one.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField


class EventKind(models.TextChoices):
    CREDENTIAL_ISSUED = "credential_issued", _("Credential issued")
    WORKFLOW_COMPLETED = "workflow_completed", _("Workflow completed")


class SubscriptionState(models.TextChoices):
    PENDING = "pending", _("Waiting for the hub's verification")
    VERIFIED = "verified", _("Verified")
    DENIED = "denied", _("Denied by the hub")


def new_slug() -> str:
    return secrets.token_urlsafe(16)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    topic = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    slug = models.SlugField(max_length=64, unique=True, default=new_slug)
    callback_url = models.URLField(max_length=500)
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True, default="")
    rotation_started_at = models.DateTimeField(null=True, blank=True)
    # The hub refused a re-subscribe because it still delivers with the old secret.
    hub_holds_previous_secret = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16,
        choices=SubscriptionState.choices,
        default=SubscriptionState.PENDING,
    )
    denied_reason = models.CharField(max_length=500, blank=True)
    denied_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    last_request_error = models.CharField(max_length=500, blank=True)
    # Set by anything that suggests the hub stopped delivering; cleared by a re-subscribe.
    trouble_since = models.DateTimeField(null=True, blank=True)
    trouble_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.state})"


class InboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for processing")
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Already applied")
    ORPHAN = "orphan", _("Unknown application id")
    UNDECRYPTABLE = "undecryptable", _("Credential does not decrypt")
    INVALID = "invalid", _("Unusable content")
    FAILED = "failed", _("Failed after retries")


class InboxEvent(models.Model):
    """One verified delivery, stored once: `key` is `event:<id>` for MOSIP's
    EventModel or `sha256:<digest of the body>` for the bare workflow result."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    key = models.CharField(max_length=160, unique=True)
    body = models.TextField()
    received_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=InboxStatus.choices, default=InboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    application_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # CREDENTIAL_STATUS_UPDATE owed to MOSIP for a credential, until it is sent.
    ack_status = models.CharField(max_length=40, blank=True)
    ack_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="websub_inbox_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["status", "-id"], name="websub_inbox_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.status})"


class QuarantineReason(models.TextChoices):
    MISSING_SIGNATURE = "missing_signature", _("No signature")
    BAD_SIGNATURE = "bad_signature", _("Signature does not match")
    UNKNOWN_SUBSCRIPTION = "unknown_subscription", _("Unknown callback")
    TOO_LARGE = "too_large", _("Body too large")
    MALFORMED = "malformed", _("Malformed JSON")
    WRONG_TOPIC = "wrong_topic", _("Wrong topic")


class QuarantineStatus(models.TextChoices):
    HELD = "held", _("Held")
    RELEASED = "released", _("Released to the inbox")


class QuarantinedDelivery(models.Model):
    """A delivery that failed verification; it changed nothing.

    Two kinds are kept apart, so that anonymous junk can never push out a delivery
    that may be genuine (docs/websub.md):

    - possibly genuine: for a subscription of ours, and either signed with one of
      its secrets (but unusable) or not verifiable while a secret rotation is under
      way. Never removed to make room; at most `WEBSUB_QUARANTINE_HELD_LIMIT` per
      subscription, beyond which new ones are refused (503, the hub keeps them).
    - junk (everything else): only a sample of the newest
      `WEBSUB_QUARANTINE_SAMPLE` per reason is kept; the rest is counted only.
    """

    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL
    )
    slug = models.CharField(max_length=64)
    reason = models.CharField(max_length=32, choices=QuarantineReason.choices)
    status = models.CharField(
        max_length=16, choices=QuarantineStatus.choices, default=QuarantineStatus.HELD
    )
    signature = models.CharField(max_length=200, blank=True)
    # Whether the signature matched a secret of the subscription (for reasons
    # found after the signature check: wrong topic, malformed content).
    signature_valid = models.BooleanField(default=False)
    possibly_genuine = models.BooleanField(default=False)
    body = models.TextField(blank=True)
    body_size = models.PositiveBigIntegerField(default=0)
    body_sha256 = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "quarantined deliveries"
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["possibly_genuine", "reason", "-id"],
                name="websub_quarantine_kind",
            ),
            models.Index(
                fields=["subscription", "possibly_genuine"],
                name="websub_quarantine_sub",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} at {self.received_at:%Y-%m-%d %H:%M:%S}"


class BadInputKind(models.TextChoices):
    MISSING_SIGNATURE = "missing_signature", _("Missing signature")
    BAD_SIGNATURE = "bad_signature", _("Forged or stale signature")
    UNKNOWN_SUBSCRIPTION = "unknown_subscription", _("Unknown callback")
    TOO_LARGE = "too_large", _("Body too large")
    MALFORMED = "malformed", _("Malformed JSON")
    WRONG_TOPIC = "wrong_topic", _("Wrong topic")
    DUPLICATE = "duplicate", _("Duplicate or replayed delivery")
    UNKNOWN_APPLICATION = "unknown_application", _("Unknown application id")
    UNDECRYPTABLE = "undecryptable", _("Credential does not decrypt")
    INVALID_CONTENT = "invalid_content", _("Unusable event content")
    REFUSED_VERIFICATION = "refused_verification", _("Verification GET refused")
    RATE_LIMITED = (
        "rate_limited",
        _("Unknown callback, refused by the rate limit (429)"),
    )
    UNVERIFIED_DENIAL = "unverified_denial", _("Denial with no request of ours pending")
    QUARANTINE_FULL = "quarantine_full", _("Possibly genuine, refused: quarantine full")


class BadInputCount(models.Model):
    kind = models.CharField(max_length=32, choices=BadInputKind.choices, unique=True)
    count = models.PositiveBigIntegerField(default=0)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"
