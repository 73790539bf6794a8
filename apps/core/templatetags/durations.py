"""Durations as people say them: in the unit that fits (minutes, hours or days)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


@register.filter
def duration(value, unit: str = "hours") -> str:
    """`value` in `unit`, said in minutes, hours or days, whichever reads naturally."""
    if value is None:
        return "—"
    seconds = float(value) * _SECONDS[unit]
    if seconds < 60:
        return _("under a minute")
    minutes = seconds / 60
    if round(minutes) < 60:
        number = round(minutes)
        return ngettext("%(n)s minute", "%(n)s minutes", number) % {"n": number}
    hours = minutes / 60
    if hours < 48:
        number = _one_decimal(hours)
        return ngettext("%(n)s hour", "%(n)s hours", _plural(number)) % {
            "n": number_format(number)
        }
    number = _one_decimal(hours / 24)
    return ngettext("%(n)s day", "%(n)s days", _plural(number)) % {
        "n": number_format(number)
    }


def _one_decimal(number: float) -> float | int:
    rounded = round(number, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _plural(number: float | int) -> int:
    """The count that picks a plural form: a fraction reads as many."""
    return number if isinstance(number, int) else 1000
