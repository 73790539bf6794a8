"""An event's status changes: each move is recorded as a history row, and the event
counted under its new status (apps/registrations/rollups) in the same transaction."""

from apps.registrations import rollups
from apps.registrations.models import EventStatusChange, VitalEvent


def event_move(
    event: VitalEvent,
    to_status: str,
    *,
    actor,
    note: str = "",
    code: str = "",
    recount: bool = True,
    **stamps,
):
    """`stamps` are times set on the event with the move (`outcome_at`,
    `certified_at`), so the counts see them; `recount=False` leaves the counts to
    the caller, which changes more of what they depend on in the same step (a
    submission: its day and dates)."""
    before = rollups.cell_of(event) if recount else None
    EventStatusChange.objects.create(
        event=event,
        from_status=event.status,
        to_status=to_status,
        actor=actor,
        note=note,
        code=code,
    )
    came_from, event.status = event.status, to_status
    for name, value in stamps.items():
        setattr(event, name, value)
    if recount:
        rollups.rollups_shift(before, rollups.cell_of(event, came_from=came_from))


def event_moves(event: VitalEvent, statuses: list[str]) -> None:
    """Several moves the pipeline makes at once (no actor), recorded in one insert."""
    before = rollups.cell_of(event)
    changes = []
    came_from = event.status
    for to_status in statuses:
        changes.append(
            EventStatusChange(
                event=event, from_status=event.status, to_status=to_status
            )
        )
        came_from, event.status = event.status, to_status
    EventStatusChange.objects.bulk_create(changes)
    rollups.rollups_shift(before, rollups.cell_of(event, came_from=came_from))
