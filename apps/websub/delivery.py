"""One delivery from the hub, from request to HTTP status: the work shared by the
Django view and the lean WSGI entry (apps/websub/wsgi.py). Why each case gets its
status is explained in apps/websub/receiver.py."""

import logging
from collections.abc import Callable, Mapping
from typing import NamedTuple

from django.db import DatabaseError, connection

from apps.websub import quarantine, ratelimit, receiver, services
from apps.websub.models import BadInputKind, QuarantineReason

log = logging.getLogger(__name__)

# A delivery to a real callback that fails verification suggests the hub may no
# longer share our secret: the keep-alive re-subscribes soon after.
_TROUBLE = (QuarantineReason.BAD_SIGNATURE, QuarantineReason.MISSING_SIGNATURE)


class Answer(NamedTuple):
    status: int
    retry_after: int = 0

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [("Retry-After", str(self.retry_after))] if self.retry_after else []


def deliver(slug: str, meta: Mapping[str, str], read: Callable[[int], bytes]) -> Answer:
    """Verify and store one delivery; the HTTP answer (never 500)."""
    try:
        answer = _deliver(slug, meta, read)
        return answer if isinstance(answer, Answer) else Answer(answer)
    except DatabaseError as exc:
        log.error("websub delivery not stored: %s", type(exc).__name__)
        if not connection.in_atomic_block:
            connection.close()
    except Exception as exc:  # noqa: BLE001 - never a 500 to the hub
        log.error("websub delivery failed: %s", type(exc).__name__)
    return Answer(503)


def _deliver(slug: str, meta: Mapping[str, str], read) -> int | Answer:
    sub = receiver.load_subscription(slug)
    if sub is None:
        retry_after = ratelimit.unknown_callback_retry_after(
            ratelimit.client_address(meta)
        )
        if retry_after:
            quarantine.bad_input_count(BadInputKind.RATE_LIMITED)
            return Answer(429, retry_after)
    body = receiver.read_body(meta, read, sub)
    signature = meta.get("HTTP_X_HUB_SIGNATURE", "")

    def hold(reason, signature_valid=False) -> bool:
        # May be genuine: the hub signed it with a secret of ours (but it is
        # unusable), or a rotation is under way and it may be signed with the
        # secret on the other side of it. Anything else is junk, only sampled.
        possibly_genuine = sub is not None and (
            signature_valid
            or (reason == QuarantineReason.BAD_SIGNATURE and receiver.rotating(sub))
        )
        if sub is not None and reason in _TROUBLE:
            services.subscription_flag_trouble(sub.id, "a delivery failed verification")
        return quarantine.delivery_quarantine(
            subscription_id=sub.id if sub else None,
            slug=slug,
            reason=reason,
            body=body.kept,
            body_size=body.size,
            body_sha256=body.sha256,
            signature=signature,
            signature_valid=signature_valid,
            possibly_genuine=possibly_genuine,
        )

    if body.over_drain_limit:
        hold("too_large")
        return 413
    if sub is None:
        hold("unknown_subscription")
        return 410
    if not signature:
        hold("missing_signature")
        return 202
    signer = receiver.signed_by(signature, body.macs)
    if signer is None and not body.too_large:
        # The cached secrets may be out of date (a rotation just started).
        sub = receiver.load_subscription(slug, fresh=True)
        if sub is None:
            hold("unknown_subscription")
            return 410
        signer = receiver.signed_by(signature, receiver.secret_macs(sub, body.kept))
    if signer is None:
        # Not kept (its subscription's quarantine is full): 503 makes the hub keep
        # it and deliver it again once the keep-alive re-subscribes.
        return 202 if hold("bad_signature") else 503
    if body.too_large:
        hold("too_large", signature_valid=True)
        return 202
    try:
        key, application_id = receiver.inbox_key(
            sub, body.kept, meta.get("HTTP_LINK", "")
        )
    except receiver.Unusable as bad:
        hold(bad.reason, signature_valid=True)
        return 202
    if not receiver.store(sub, key, body.kept, application_id):
        quarantine.bad_input_count("duplicate")
    if signer == "previous" and sub.hub_holds_previous_secret:
        services.subscription_flag_trouble(sub.id, "hub signs with the previous secret")
        return 503
    return 202
