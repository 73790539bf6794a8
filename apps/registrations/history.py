"""An event's status changes: each move is recorded as a history row."""

from apps.registrations.models import EventStatusChange, VitalEvent


def event_move(
    event: VitalEvent, to_status: str, *, actor, note: str = "", code: str = ""
):
    EventStatusChange.objects.create(
        event=event,
        from_status=event.status,
        to_status=to_status,
        actor=actor,
        note=note,
        code=code,
    )
    event.status = to_status


def event_moves(event: VitalEvent, statuses: list[str]) -> None:
    """Several moves the pipeline makes at once (no actor), recorded in one insert."""
    changes = []
    for to_status in statuses:
        changes.append(
            EventStatusChange(
                event=event, from_status=event.status, to_status=to_status
            )
        )
        event.status = to_status
    EventStatusChange.objects.bulk_create(changes)
