"""Dashboard settings (crvs_portal/settings.py declares each, with its default)."""

import datetime

from django.conf import settings

# The pipeline states an event can be stuck in.
STUCK_STATES = ("submitted", "packet_created", "processing")


def stuck_thresholds() -> dict[str, datetime.timedelta]:
    """How long an event may wait in each pipeline state before it counts as stuck;
    a state the setting leaves out is never stuck."""
    minutes = settings.DASHBOARDS_STUCK_AFTER_MINUTES
    return {
        state: datetime.timedelta(minutes=int(minutes[state]))
        for state in STUCK_STATES
        if state in minutes
    }


def refresh_seconds() -> int:
    """How often an open dashboard refreshes its figures."""
    return settings.DASHBOARDS_REFRESH_SECONDS


def default_days() -> int:
    """The date range shown before a supervisor picks one, ending today."""
    return settings.DASHBOARDS_DEFAULT_DAYS


def page_size() -> int:
    """Rows per page of the lists of events behind an error code and of stuck events."""
    return settings.DASHBOARDS_PAGE_SIZE
