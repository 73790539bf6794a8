"""Registered against expected events per office, event type and year."""

import datetime

from django.db.models import Count
from django.db.models.functions import ExtractYear

from apps.dashboards.models import ExpectedEvents
from apps.dashboards.queries.scope import Scope, office_filter, scoped_events
from apps.dashboards.queries.throughput import share_of


def completeness(scope: Scope) -> list[dict]:
    """Registered ÷ expected events per office and year, where expectations exist."""
    expected = ExpectedEvents.objects.filter(
        office_filter(scope), year__gte=scope.start.year, year__lte=scope.end.year
    ).select_related("office")
    if scope.event_type:
        expected = expected.filter(event_type=scope.event_type)
    expected = list(expected.order_by("-year", "office__name", "event_type"))
    if not expected:
        return []
    counts = (
        scoped_events(scope)
        .filter(
            event_type__in=[e.event_type for e in expected],
            office_id__in={e.office_id for e in expected},
            event_date__gte=datetime.date(min(e.year for e in expected), 1, 1),
            event_date__lte=datetime.date(max(e.year for e in expected), 12, 31),
        )
        .exclude(submitted_at__isnull=True)
        .annotate(year=ExtractYear("event_date"))
        .values("office_id", "event_type", "year")
        .annotate(events=Count("*"))
    )
    registered = {
        (row["office_id"], row["event_type"], row["year"]): row["events"]
        for row in counts
    }
    return [
        {
            "office": e.office,
            "year": e.year,
            "event_type": e.event_type,
            "label": e.get_event_type_display(),
            "expected": e.expected,
            "registered": registered.get((e.office_id, e.event_type, e.year), 0),
            "completeness": share_of(
                registered.get((e.office_id, e.event_type, e.year), 0), e.expected
            ),
        }
        for e in expected
    ]
