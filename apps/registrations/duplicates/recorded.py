"""What was kept when an event was registered although earlier events looked like
it: the registrar's reason and the events it named, each beside the event."""

from django.db.models import Prefetch

from apps.registrations.duplicates.facts import compared
from apps.registrations.duplicates.matching import Match
from apps.registrations.models import DuplicateCandidate, DuplicateFlag, VitalEvent


def flags_of(event: VitalEvent) -> list[DuplicateFlag]:
    """The event's flags, latest first, each with `matches`: its candidates as
    `Match`es (the earlier event, the rule, the score, the facts side by side)."""
    candidates = DuplicateCandidate.objects.select_related("candidate__office")
    flags = list(
        event.duplicate_flags.select_related("flagged_by").prefetch_related(
            Prefetch("candidates", queryset=candidates)
        )
    )
    for flag in flags:
        flag.matches = [
            Match(c.candidate, c.rule, c.score, rows=compared(event, c.candidate))
            for c in flag.candidates.all()
        ]
    return flags
