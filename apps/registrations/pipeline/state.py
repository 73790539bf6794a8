"""An event's state following its packets, and the registrar's notifications."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from apps.audit.services import audit_record
from apps.registrations import config
from apps.registrations.history import event_move, event_moves
from apps.registrations.models import (
    EventStatus,
    EventType,
    Notification,
    NotificationKind,
    Packet,
    PacketStatus,
    VitalEvent,
)

log = logging.getLogger(__name__)


# Event state ----------------------------------------------------------------------

_ORDER = [
    EventStatus.SUBMITTED,
    EventStatus.PACKET_CREATED,
    EventStatus.PROCESSING,
]
_PACKET_REACHED = {
    EventStatus.PACKET_CREATED: {
        PacketStatus.CREATED,
        PacketStatus.PROCESSING,
        PacketStatus.PROCESSED,
    },
    EventStatus.PROCESSING: {PacketStatus.PROCESSING, PacketStatus.PROCESSED},
}


def locked_event(pk: int, *, with_packets: bool = False) -> VitalEvent:
    # The event's state only: its typed data is not read here (a save then leaves it
    # alone), and the registrar is read only when notified.
    events = VitalEvent.objects.select_for_update(of=("self",)).defer("data")
    if with_packets:
        # Read after the lock, so the packets are as the event's holder left them.
        events = events.prefetch_related("packets")
    return events.get(pk=pk)


def _live_packets(event: VitalEvent) -> list[Packet]:
    return [p for p in event.packets.all() if p.status != PacketStatus.WITHDRAWN]


def event_advance(event: VitalEvent, from_status: str, to_status: str) -> None:
    """Move forward once every live packet has reached `to_status`."""
    if event.status not in _ORDER or _ORDER.index(event.status) > _ORDER.index(
        from_status
    ):
        return
    reached = _PACKET_REACHED[to_status]
    if all(p.status in reached for p in _live_packets(event)):
        steps = [to_status]
        if (
            event.status == EventStatus.SUBMITTED
            and to_status == EventStatus.PROCESSING
        ):
            steps.insert(0, EventStatus.PACKET_CREATED)
        event_moves(event, steps)
        event.save(update_fields=["status", "updated_at"])


def event_settle(event: VitalEvent, now) -> None:
    """Move the event to its outcome once its packets have one."""
    if event.status not in _ORDER:
        return
    packets = _live_packets(event)
    failed = next(
        (
            p
            for p in packets
            if p.status in (PacketStatus.REJECTED, PacketStatus.FAILED)
        ),
        None,
    )
    if failed is not None:
        to_status = (
            EventStatus.REJECTED
            if failed.status == PacketStatus.REJECTED
            else EventStatus.FAILED
        )
        event_settle_failure(
            event, to_status, failed.result_code, failed.result_message, now=now
        )
        return
    if packets and all(p.status == PacketStatus.PROCESSED for p in packets):
        to_status = (
            EventStatus.ID_ISSUED
            if event.event_type == EventType.BIRTH
            else EventStatus.RECORD_UPDATED
        )
        event_move(event, to_status, actor=None, outcome_at=now)
        event.last_error_code = event.last_error_message = ""
        event.save()
        audit_record(actor=None, action=f"event.{to_status}", target=event, details={})
        kind = (
            NotificationKind.ID_ISSUED
            if to_status == EventStatus.ID_ISSUED
            else NotificationKind.RECORD_UPDATED
        )
        message = (
            gettext_noop("%(number)s: MOSIP issued the national ID.")
            if kind == NotificationKind.ID_ISSUED
            else gettext_noop("%(number)s: MOSIP updated the identity record.")
        )
        _notify(event, kind, message)


def event_settle_failure(
    event: VitalEvent, to_status: str, code: str, message: str, now=None
) -> None:
    if event.status not in _ORDER:
        return
    event_move(
        event,
        to_status,
        actor=None,
        code=code[:60],
        note=message[:500],
        outcome_at=now or timezone.now(),
    )
    event.last_error_code = code[:60]
    event.last_error_message = message[:500]
    event.save()
    audit_record(
        actor=None, action=f"event.{to_status}", target=event, details={"code": code}
    )
    kind = (
        NotificationKind.REJECTED
        if to_status == EventStatus.REJECTED
        else NotificationKind.NEEDS_ATTENTION
    )
    _notify(
        event,
        kind,
        gettext_noop("%(number)s needs attention: %(message)s"),
        message=message,
    )


def _notify(event: VitalEvent, kind: str, text: str, **values) -> None:
    """Tell the registrar who recorded the event, in their own language (the
    notification and its e-mail are written once, when MOSIP answers)."""
    recipient = event.created_by
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        message = (gettext(text) % {"number": event.registration_number, **values})[
            :500
        ]
        subject = gettext("Registration %(number)s: %(kind)s") % {
            "number": event.registration_number,
            "kind": NotificationKind(kind).label,
        }
    Notification.objects.create(
        recipient=recipient, event=event, kind=kind, message=message
    )
    if config.notify_by_email() and recipient.email:
        email = recipient.email

        def send():
            try:
                send_mail(
                    subject=subject,
                    message=message,
                    from_email=None,
                    recipient_list=[email],
                )
            except OSError:
                log.warning("notification e-mail for event %s not sent", event.pk)

        transaction.on_commit(send)


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or all) of the user's unread notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
