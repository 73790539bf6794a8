"""National IDs checked with MOSIP's ID Authentication, per office
(docs/identity-verification.md)."""

from django.db.models import Count, Q

from apps.dashboards.queries.scope import Scope, scoped_events, submitted_events
from apps.dashboards.queries.throughput import share_of
from apps.registrations.models import (
    BLOCKING_OUTCOMES,
    EDITABLE_STATUSES,
    EventType,
    IdCheckOutcome,
    VitalEvent,
)


def verified_id_shares(scope: Scope) -> list[dict]:
    """Per office, the events registered in the scope's dates with a national ID
    checked, and how many had every ID verified by MOSIP (one grouped query)."""
    rows = (
        submitted_events(scope)
        .filter(id_checks__isnull=False)
        .values("office_id", "office__name")
        .annotate(
            checked=Count("id", distinct=True),
            not_verified=Count(
                "id",
                filter=~Q(id_checks__outcome=IdCheckOutcome.VERIFIED),
                distinct=True,
            ),
        )
        .order_by("office__name", "office_id")
    )
    return [
        {
            "office": row["office__name"],
            "checked": row["checked"],
            "verified": row["checked"] - row["not_verified"],
            "not_verified": row["not_verified"],
            "share": share_of(row["checked"] - row["not_verified"], row["checked"]),
        }
        for row in rows
    ]


def deaths_awaiting_decision(scope: Scope, limit: int = 20) -> list[VitalEvent]:
    """Deaths the registrar cannot submit until a supervisor allows them: the
    deceased's ID does not match or is deactivated, and nobody allowed it yet."""
    return list(
        scoped_events(scope)
        .filter(
            event_type=EventType.DEATH,
            status__in=EDITABLE_STATUSES,
            id_checks__section="deceased",
            id_checks__outcome__in=BLOCKING_OUTCOMES,
            id_checks__overridden_at__isnull=True,
        )
        .select_related("office")
        .order_by("-updated_at")[:limit]
    )
