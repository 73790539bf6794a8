"""One delivery from the hub, from request to HTTP status: the work shared by the
Django view and the lean WSGI entry (apps/websub/wsgi.py). Why each case gets its
status is explained in apps/websub/receiver.py."""

import logging
from collections.abc import Callable, Mapping

from django.db import DatabaseError, connection

from apps.websub import receiver, services

log = logging.getLogger(__name__)


def deliver(slug: str, meta: Mapping[str, str], read: Callable[[int], bytes]) -> int:
    """Verify and store one delivery; the HTTP status to answer (never 500)."""
    try:
        return _deliver(slug, meta, read)
    except DatabaseError as exc:
        log.error("websub delivery not stored: %s", type(exc).__name__)
        if not connection.in_atomic_block:
            connection.close()
    except Exception as exc:  # noqa: BLE001 - never a 500 to the hub
        log.error("websub delivery failed: %s", type(exc).__name__)
    return 503


def _deliver(slug: str, meta: Mapping[str, str], read) -> int:
    sub = receiver.load_subscription(slug)
    body = receiver.read_body(meta, read, sub)
    signature = meta.get("HTTP_X_HUB_SIGNATURE", "")

    def hold(reason, signature_valid=False):
        services.delivery_quarantine(
            subscription_id=sub.id if sub else None,
            slug=slug,
            reason=reason,
            body=body.kept,
            body_size=body.size,
            body_sha256=body.sha256,
            signature=signature,
            signature_valid=signature_valid,
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
        hold("bad_signature")
        return 202
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
        services.bad_input_count("duplicate")
    if signer == "previous" and sub.hub_holds_previous_secret:
        services.subscription_flag_trouble(sub.id, "hub signs with the previous secret")
        return 503
    return 202
