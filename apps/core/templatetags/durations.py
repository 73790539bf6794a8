"""Durations as people say them: in the unit that fits (minutes, hours or days)."""

from django import template

register = template.Library()

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


@register.filter
def duration(value, unit: str = "hours") -> str:
    """`value` in `unit`, said in minutes, hours or days, whichever reads naturally."""
    if value is None:
        return "—"
    seconds = float(value) * _SECONDS[unit]
    if seconds < 60:
        return "under a minute"
    minutes = seconds / 60
    if round(minutes) < 60:
        return _counted(round(minutes), "minute")
    hours = minutes / 60
    if hours < 48:
        return _counted(_one_decimal(hours), "hour")
    return _counted(_one_decimal(hours / 24), "day")


def _one_decimal(number: float) -> float | int:
    rounded = round(number, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _counted(number, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
