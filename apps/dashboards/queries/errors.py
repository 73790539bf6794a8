"""MOSIP result codes of turned-down packets, and the events behind each code."""

from django.db.models import Count, Max, Min, QuerySet

from apps.dashboards.queries.scope import Scope, submitted_events
from apps.registrations.models import Packet, PacketStatus, VitalEvent


def _failed_packets(scope: Scope) -> QuerySet[Packet]:
    return Packet.objects.filter(
        event__in=submitted_events(scope),
        status__in=[PacketStatus.REJECTED, PacketStatus.FAILED],
    ).exclude(result_code="")


def error_codes(scope: Scope) -> list[dict]:
    """MOSIP result codes of packets now rejected or failed, most events first."""
    return list(
        _failed_packets(scope)
        .values("result_code")
        .annotate(
            events=Count("event_id", distinct=True),
            packets=Count("*"),
            message=Max("result_message"),
            first_seen=Min("processed_at"),
            last_seen=Max("processed_at"),
        )
        .order_by("-events", "result_code")
    )


def error_events(scope: Scope, code: str) -> QuerySet[VitalEvent]:
    """The scope's events with a packet turned down under `code`."""
    packets = _failed_packets(scope).filter(result_code=code)
    return (
        submitted_events(scope)
        .filter(pk__in=packets.values("event_id"))
        .select_related("office")
        .order_by("-submitted_at", "-pk")
    )


def error_packets(events: list[VitalEvent], code: str) -> dict[int, Packet]:
    """The packet carrying `code` for each listed event."""
    packets = Packet.objects.filter(event__in=events, result_code=code)
    return {packet.event_id: packet for packet in packets.order_by("id")}
