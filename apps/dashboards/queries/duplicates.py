"""Events registered although earlier events looked like them (likely duplicates)."""

from django.db.models import Count, QuerySet

from apps.dashboards.queries.scope import Scope, office_filter
from apps.registrations.models import DuplicateFlag


def duplicate_flags(scope: Scope) -> QuerySet[DuplicateFlag]:
    """Flags of the scope's offices and event type raised within its dates, latest
    first, each with its event, registrar and number of earlier events named."""
    flags = DuplicateFlag.objects.filter(
        office_filter(scope, "event__office_id"),
        flagged_at__gte=scope.since,
        flagged_at__lt=scope.until,
    )
    if scope.event_type:
        flags = flags.filter(event__event_type=scope.event_type)
    return (
        flags.select_related("event__office", "flagged_by")
        .annotate(candidate_count=Count("candidates"))
        .order_by("-flagged_at", "-pk")
    )
