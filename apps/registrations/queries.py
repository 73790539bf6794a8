"""Reads of vital events, with the access rule: a registrar sees their office only."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Role
from apps.registrations import config, packets
from apps.registrations.models import EventDocument, Packet, VitalEvent
from apps.registrations.schema import id_schema_current


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
    events: QuerySet[VitalEvent], *, q: str = "", event_type: str = "", status: str = ""
) -> QuerySet[VitalEvent]:
    if event_type:
        events = events.filter(event_type=event_type)
    if status:
        events = events.filter(status=status)
    if q:
        events = events.filter(
            Q(registration_number__icontains=q) | Q(subject_name__icontains=q)
        )
    return events


def create_packet_request_for(packet: Packet, *, created_at=None) -> dict:
    """The createPacket request for a stored packet, documents read from storage."""
    event = packet.event
    documents = []
    for document in event.documents.all():
        with document.file.open("rb") as handle:
            content = handle.read()
        documents.append(
            packets.PacketDocument(
                schema_field=document.schema_field,
                mosip_type=document.mosip_type,
                file_format=document.file_format,
                content=content,
            )
        )
    return packets.build_create_packet_request(
        application_id=packet.application_id,
        process=packet.process,
        source=config.packet_source(),
        event_type=event.event_type,
        subject=packet.subject,
        data=event.data,
        registration_number=event.registration_number,
        documents=documents,
        schema=id_schema_current(),
        languages=config.entry_languages(),
        centre_id=packet.centre_id,
        machine_id=packet.machine_id,
        officer_id=config.mosip_officer_id(event.office),
        created_at=created_at or timezone.now(),
    )
