"""Errors, constants and helpers shared by the vital event services."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
        if saver and when:
            message = _(
                "This draft was changed by %(saver)s at %(time)s after you opened "
                "it. Your typing has not been saved: reload the page to see their "
                "changes, then enter yours again."
            )
        elif saver:
            message = _(
                "This draft was changed by %(saver)s after you opened it. Your "
                "typing has not been saved: reload the page to see their changes, "
                "then enter yours again."
            )
        elif when:
            message = _(
                "This draft was changed by someone else at %(time)s after you "
                "opened it. Your typing has not been saved: reload the page to see "
                "their changes, then enter yours again."
            )
        else:
            message = _(
                "This draft was changed by someone else after you opened it. Your "
                "typing has not been saved: reload the page to see their changes, "
                "then enter yours again."
            )
        super().__init__(
            message % {"saver": saver, "time": f"{when:%H:%M}" if when else ""}
        )
        self.event = event


class DuplicateReasonRequiredError(Exception):
    """Earlier registered events look like this one, and no reason was given for
    registering it anyway; `matches` are those events (duplicates.Match)."""

    def __init__(self, event: VitalEvent, matches):
        numbers = ", ".join(m.event.registration_number for m in matches)
        kind = event.get_event_type_display().lower()
        super().__init__(
            ngettext(
                "This %(kind)s looks like an event already registered "
                "(%(numbers)s). Check it, then say why this one is registered as "
                "well.",
                "This %(kind)s looks like %(count)s events already registered "
                "(%(numbers)s). Check them, then say why this one is registered as "
                "well.",
                len(matches),
            )
            % {"kind": kind, "count": len(matches), "numbers": numbers}
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


# Why an action is refused, by the `action` the services pass to require_status.
_REFUSALS = {
    "edit": gettext_lazy("Cannot edit an event that is %(status)s."),
    "discard": gettext_lazy("Cannot discard an event that is %(status)s."),
    "submit": gettext_lazy("Cannot submit an event that is %(status)s."),
    "resubmit": gettext_lazy("Cannot resubmit an event that is %(status)s."),
    "certify": gettext_lazy("Cannot certify an event that is %(status)s."),
    "change the documents of": gettext_lazy(
        "Cannot change the documents of an event that is %(status)s."
    ),
}


def require_status(event: VitalEvent, allowed, action: str) -> None:
    if event.status not in allowed:
        status = event.get_status_display().lower()
        refusal = _REFUSALS.get(action)
        raise EventStatusError(
            refusal % {"status": status}
            if refusal is not None
            else f"Cannot {action} an event that is {status}."
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
