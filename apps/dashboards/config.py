"""Dashboard settings, with the defaults used when a deployment sets nothing."""

import datetime

from django.conf import settings

# How long an event may wait in each pipeline state before it counts as stuck.
DEFAULT_STUCK_AFTER_MINUTES = {
    "submitted": 60,
    "packet_created": 60,
    "processing": 24 * 60,
}


def stuck_thresholds() -> dict[str, datetime.timedelta]:
    minutes = {
        **DEFAULT_STUCK_AFTER_MINUTES,
        **getattr(settings, "DASHBOARDS_STUCK_AFTER_MINUTES", {}),
    }
    return {
        status: datetime.timedelta(minutes=int(value))
        for status, value in minutes.items()
        if status in DEFAULT_STUCK_AFTER_MINUTES
    }


def refresh_seconds() -> int:
    """How often an open dashboard refreshes its figures."""
    return int(getattr(settings, "DASHBOARDS_REFRESH_SECONDS", 60))


def default_days() -> int:
    """The date range shown before a supervisor picks one, ending today."""
    return int(getattr(settings, "DASHBOARDS_DEFAULT_DAYS", 30))


def page_size() -> int:
    return 50
