"""Errors, constants and helpers shared by the vital event services."""

import datetime

from django.utils import timezone

from apps.registrations import definitions
from apps.registrations.models import (
    VitalEvent,
)


class EventStatusError(Exception):
    """The event's status does not allow the requested action."""


class EventInvalidError(Exception):
    """The event's data does not pass validation; `errors` maps inputs to messages."""

    def __init__(self, errors):
        super().__init__("The event has errors to correct before it is submitted.")
        self.errors = errors


class EventEditConflictError(Exception):
    """Someone saved the draft after the editor loaded it; nothing was overwritten."""

    def __init__(self, event: VitalEvent):
        saver = event.draft_saved_by.get_username() if event.draft_saved_by else ""
        when = (
            timezone.localtime(event.draft_saved_at) if event.draft_saved_at else None
        )
        super().__init__(
            "This draft was changed by "
            + (saver or "someone else")
            + (f" at {when:%H:%M}" if when else "")
            + " after you opened it. Your typing has not been saved: reload the page"
            " to see their changes, then enter yours again."
        )
        self.event = event


class DuplicateReasonRequiredError(Exception):
    """Earlier registered events look like this one, and no reason was given for
    registering it anyway; `matches` are those events (duplicates.Match)."""

    def __init__(self, event: VitalEvent, matches):
        numbers = ", ".join(m.event.registration_number for m in matches)
        kind = event.get_event_type_display().lower()
        super().__init__(
            f"This {kind} looks like "
            + ("an event" if len(matches) == 1 else f"{len(matches)} events")
            + f" already registered ({numbers}). Check "
            + ("it" if len(matches) == 1 else "them")
            + ", then say why this one is registered as well."
        )
        self.matches = matches


class DocumentRejectedError(Exception):
    """An uploaded file is of the wrong kind, type or size."""


# ID schema ------------------------------------------------------------------------


# Helpers --------------------------------------------------------------------------


def event_locked(event: VitalEvent) -> VitalEvent:
    return (
        VitalEvent.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=event.pk)
    )


def require_status(event: VitalEvent, allowed, action: str) -> None:
    if event.status not in allowed:
        raise EventStatusError(
            f"Cannot {action} an event that is {event.get_status_display().lower()}."
        )


def subject_name_of(event_type: str, data: dict) -> str:
    section, name = definitions.SUBJECT_NAME_FIELDS[event_type]
    value = (data.get(section) or {}).get(name) or ""
    if isinstance(value, dict):
        value = next((v for v in value.values() if v), "")
    return str(value)[:200]


def event_date_of(event_type: str, data: dict) -> datetime.date | None:
    section, name = definitions.EVENT_DATE_FIELDS[event_type]
    value = (data.get(section) or {}).get(name)
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
