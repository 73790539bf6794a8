"""Reads of vital events, with the access rule: a registrar sees their office only."""

import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Role
from apps.onboarding.id_schema import id_schema_current
from apps.registrations import config, packet_requests, search
from apps.registrations.models import (
    EventDocument,
    EventStatus,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)
from apps.registrations.queues import WORK_QUEUE_BY_KEY, WORK_QUEUES

# The list's pseudo-status for events the registrar has to act on.
NEEDS_ATTENTION = "needs_attention"
NEEDS_ATTENTION_STATUSES = (EventStatus.REJECTED, EventStatus.FAILED)
# How long after MOSIP's outcome an open page keeps waiting for the national ID.
NATIONAL_ID_WAIT = datetime.timedelta(hours=1)


def events_visible_to(user) -> QuerySet[VitalEvent]:
    if user.role == Role.REGISTRAR and user.office_id:
        return VitalEvent.objects.filter(office_id=user.office_id)
    return VitalEvent.objects.none()


def event_for_user(user, pk: int) -> VitalEvent:
    """The event, if `user` may see it; 404 otherwise, so ids of others stay opaque."""
    return get_object_or_404(events_visible_to(user).select_related("office"), pk=pk)


def document_for_user(user, event_pk: int, document_pk: int) -> EventDocument:
    return get_object_or_404(
        EventDocument.objects.select_related("event"),
        pk=document_pk,
        event__in=events_visible_to(user).filter(pk=event_pk),
    )


def events_matching(
    events: QuerySet[VitalEvent],
    *,
    q: str = "",
    event_type: str = "",
    status: str = "",
    queue: str = "",
    now=None,
) -> QuerySet[VitalEvent]:
    if queue:
        events = events.filter(
            WORK_QUEUE_BY_KEY[queue].condition(now or timezone.now())
        )
    if event_type:
        events = events.filter(event_type=event_type)
    if status == NEEDS_ATTENTION:
        events = events.filter(status__in=NEEDS_ATTENTION_STATUSES)
    elif status:
        events = events.filter(status=status)
    if q.strip():
        events = events.filter(event_search(q))
    return events


def event_search(q: str) -> Q:
    """Events matching `q`: a name in any entry language (apps/registrations/search.py),
    part of a registration number, or a packet's application id or UIN."""
    term = q.strip()
    by_packet = Packet.objects.filter(Q(application_id=term) | Q(uin=term))
    matches = Q(registration_number__icontains=term) | Q(
        pk__in=by_packet.values("event_id")
    )
    if key := search.search_key(term):
        matches |= Q(search_names__contains=key)
    return matches


def work_queue_counts(events: QuerySet[VitalEvent], now=None) -> list[dict]:
    """Each queue with the number of `events` in it, in one query."""
    now = now or timezone.now()
    counts = events.aggregate(
        **{q.key: Count("pk", filter=q.condition(now)) for q in WORK_QUEUES}
    )
    return [{"queue": q, "count": counts[q.key]} for q in WORK_QUEUES]


# The recent past a registrar is told MOSIP's usual answer time from.
RECENT_ANSWERS = datetime.timedelta(days=7)
MOST_RECENT_ANSWERS = 500


def usual_answer_time(office_id: int, now=None) -> dict | None:
    """How long MOSIP's answers took for the office's events submitted recently:
    {"events", "median_hours", "p90_hours"}, or None when there is nothing to go by."""
    now = now or timezone.now()
    spans = VitalEvent.objects.filter(
        office_id=office_id,
        submitted_at__gte=now - RECENT_ANSWERS,
        outcome_at__isnull=False,
    ).values_list("submitted_at", "outcome_at")[:MOST_RECENT_ANSWERS]
    hours = sorted(
        (outcome - submitted).total_seconds() / 3600 for submitted, outcome in spans
    )
    if not hours:
        return None
    return {
        "events": len(hours),
        "median_hours": hours[(len(hours) - 1) // 2],
        "p90_hours": hours[min(len(hours) - 1, int(0.9 * len(hours)))],
    }


def outbox_depth(now=None) -> dict:
    """What the pipeline has yet to send to MOSIP, in one query over the rows not
    sent: `waiting` packets (of which `due` now, and `retrying` after failures MOSIP
    may get over), `failed` sends given up on (until the event is resubmitted), and
    when the oldest waiting packet was queued (`oldest_waiting_at`, None if none)."""
    now = now or timezone.now()
    waiting = Q(status=OutboxStatus.PENDING)
    return OutboxMessage.objects.filter(
        status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
    ).aggregate(
        waiting=Count("pk", filter=waiting),
        due=Count("pk", filter=waiting & Q(next_attempt_at__lte=now)),
        retrying=Count("pk", filter=waiting & Q(failing_since__isnull=False)),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        oldest_waiting_at=Min("created_at", filter=waiting),
    )


def notifications_unread(user, limit: int = 10) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("event")
        .order_by("-created_at", "-id")[:limit]
    )


def packets_with_sending(event: VitalEvent) -> list[Packet]:
    """The event's packets, each with `waiting` set to its pending outbox row or None."""
    packets = list(event.packets.all())
    pending = {
        row.packet_id: row
        for row in event.outbox_messages.filter(status=OutboxStatus.PENDING)
    }
    for packet in packets:
        packet.waiting = pending.get(packet.pk)
    return packets


def national_id_pending(event: VitalEvent, now=None) -> bool:
    """MOSIP has issued the ID, but the credential carrying the UIN, which follows
    the workflow result, has not arrived yet, and may still."""
    if event.status != EventStatus.ID_ISSUED or event.outcome_at is None:
        return False
    if (now or timezone.now()) - event.outcome_at > NATIONAL_ID_WAIT:
        return False
    return event.packets.filter(status=PacketStatus.PROCESSED, uin="", vid="").exists()


def create_packet_request_for(
    packet: Packet, *, created_at=None, officer_id: str = "", source: str = ""
) -> dict:
    """The createPacket request for a stored packet, documents read from storage.

    `officer_id` and `source` default to the configured ones (a sender that already
    knows them passes them in)."""
    event = packet.event
    documents = []
    for document in event.documents.all():
        with document.file.open("rb") as handle:
            content = handle.read()
        documents.append(
            packet_requests.PacketDocument(
                schema_field=document.schema_field,
                mosip_type=document.mosip_type,
                file_format=document.file_format,
                content=content,
            )
        )
    return packet_requests.build_create_packet_request(
        application_id=packet.application_id,
        process=packet.process,
        source=source or config.packet_source(),
        event_type=event.event_type,
        subject=packet.subject,
        data=event.data,
        registration_number=event.registration_number,
        documents=documents,
        schema=id_schema_current(),
        languages=config.entry_languages(),
        centre_id=packet.centre_id,
        machine_id=packet.machine_id,
        officer_id=officer_id or config.mosip_officer_id(event.office),
        created_at=created_at or timezone.now(),
        office_code=event.office.code if event.office else "",
        office_name=event.office.name if event.office else "",
    )
