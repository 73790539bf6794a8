"""Writes for the quarantine of deliveries that failed verification and for the
counts of each kind of bad input. What is held and what is only sampled is explained
in docs/websub.md."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.audit.services import audit_record
from apps.websub import receiver
from apps.websub.models import (
    BadInputCount,
    BadInputKind,
    QuarantinedDelivery,
    QuarantineReason,
    QuarantineStatus,
)

log = logging.getLogger(__name__)


def bad_input_count(kind: str) -> None:
    now = timezone.now()
    counted = BadInputCount.objects.filter(kind=kind)
    if counted.update(count=F("count") + 1, last_seen_at=now):
        return
    _, created = BadInputCount.objects.get_or_create(
        kind=kind, defaults={"count": 1, "last_seen_at": now}
    )
    if not created:
        # Another delivery counted the first of this kind meanwhile.
        counted.update(count=F("count") + 1, last_seen_at=now)


def delivery_quarantine(
    *,
    subscription_id: int | None,
    slug: str,
    reason: str,
    body: bytes,
    body_size: int,
    body_sha256: str,
    signature: str,
    signature_valid: bool,
    possibly_genuine: bool = False,
) -> bool:
    """Count a delivery that failed verification (it changes no record) and keep it
    for the admins: held when it may be genuine (never dropped to make room for
    others), else as one of the newest WEBSUB_QUARANTINE_SAMPLE of its reason.
    False when it may be genuine but its subscription already holds
    WEBSUB_QUARANTINE_HELD_LIMIT: then it is not kept (the caller answers so that
    the hub keeps it, where that helps)."""
    bad_input_count(reason)
    if possibly_genuine:
        held = QuarantinedDelivery.objects.filter(
            subscription_id=subscription_id,
            possibly_genuine=True,
            status=QuarantineStatus.HELD,
        ).count()
        if held >= settings.WEBSUB_QUARANTINE_HELD_LIMIT:
            bad_input_count(BadInputKind.QUARANTINE_FULL)
            log.warning("websub quarantine full for subscription %s", subscription_id)
            return False
    QuarantinedDelivery.objects.create(
        subscription_id=subscription_id,
        slug=slug[:64],
        reason=reason,
        signature=signature[:200],
        signature_valid=signature_valid,
        possibly_genuine=possibly_genuine,
        # Kept as text; PostgreSQL text cannot hold NUL.
        body=body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
        body_size=body_size,
        body_sha256=body_sha256,
        received_at=timezone.now(),
    )
    if not possibly_genuine:
        _quarantine_trim_sample(reason)
    return True


def _quarantine_trim_sample(reason: str) -> None:
    """Drop the junk of this reason beyond the newest WEBSUB_QUARANTINE_SAMPLE;
    held deliveries (possibly genuine) are never touched."""
    sample = settings.WEBSUB_QUARANTINE_SAMPLE
    stale = list(
        QuarantinedDelivery.objects.filter(possibly_genuine=False, reason=reason)
        .order_by("-id")
        .values_list("id", flat=True)[sample : sample + 1000]
    )
    if stale:
        QuarantinedDelivery.objects.filter(id__in=stale).delete()


def quarantine_recheck(subscription_id: int | None = None) -> int:
    """Check held deliveries with a bad signature again against the current and
    previous secrets (a rotation may have made them verifiable); those that match
    go to the inbox. Returns how many were released."""
    held = QuarantinedDelivery.objects.filter(
        status=QuarantineStatus.HELD,
        reason=QuarantineReason.BAD_SIGNATURE,
        subscription__isnull=False,
    ).select_related("subscription")
    if subscription_id is not None:
        held = held.filter(subscription_id=subscription_id)
    released = 0
    for item in held.order_by("id")[:1000]:
        cached = receiver.load_subscription(item.subscription.slug, fresh=True)
        if cached is None or not item.body:
            continue
        body = item.body.encode("utf-8")
        macs = receiver.secret_macs(cached, body)
        if receiver.signed_by(item.signature, macs) is None:
            continue
        try:
            key, application_id = receiver.inbox_key(cached, body, "")
        except receiver.Unusable:
            continue
        with transaction.atomic():
            receiver.store(cached, key, body, application_id)
            item.status = QuarantineStatus.RELEASED
            item.released_at = timezone.now()
            item.save(update_fields=["status", "released_at"])
            audit_record(actor=None, action="websub.quarantine_released", target=item)
        released += 1
    return released
