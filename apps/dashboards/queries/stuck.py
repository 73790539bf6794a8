"""Events waiting on the pipeline longer than their state's threshold."""

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from apps.dashboards.queries.keyset import MergedPages
from apps.dashboards.queries.scope import Scope, scope_for, scoped_events
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    OutboxStatus,
    VitalEvent,
)

S = EventStatus
# States an event waits in while the pipeline works; anything else has settled.
PIPELINE_STATUSES = (S.SUBMITTED, S.PACKET_CREATED, S.PROCESSING)


def stuck_events(
    scope: Scope,
    *,
    thresholds: dict[str, datetime.timedelta],
    now=None,
    statuses=PIPELINE_STATUSES,
) -> QuerySet[VitalEvent]:
    """Events waiting on the pipeline longer than their state's threshold, oldest first.

    The wait is measured from the event's last change (`updated_at`); every status
    change saves the event. The scope's dates do not apply: a stuck event is stuck
    whenever it was registered. `send_error` is why its unsent work did not go: the
    last error code of an outbox row not sent yet (the event's own error fields are
    only filled once it has left the pipeline). `statuses` narrows the list to some
    of the pipeline's states.
    """
    now = now or timezone.now()
    waiting = Q()
    for status in statuses:
        waiting |= Q(status=status, updated_at__lt=now - thresholds[status])
    send_errors = (
        OutboxMessage.objects.filter(event=OuterRef("pk"))
        .exclude(status=OutboxStatus.SENT)
        .exclude(last_error_code="")
        .order_by("-updated_at", "-pk")
        .values("last_error_code")[:1]
    )
    return (
        scoped_events(scope)
        .filter(waiting)
        .annotate(send_error=Subquery(send_errors))
        .select_related("office")
        .order_by("updated_at", "pk")
    )


def stuck_pages(
    scope: Scope, *, thresholds: dict[str, datetime.timedelta], now=None
) -> MergedPages:
    """`stuck_events` to show a page at a time: one list per pipeline state, each
    read along the (status, updated_at) index, merged oldest first."""
    now = now or timezone.now()
    return MergedPages(
        [
            stuck_events(scope, thresholds=thresholds, now=now, statuses=[status])
            for status in PIPELINE_STATUSES
            if status in thresholds
        ]
    )


def stuck_event_for(user, pk: int, *, thresholds, now=None) -> VitalEvent:
    """A stuck event the user may act on; 404 for anything else."""
    scope = scope_for(user, start=datetime.date.min, end=datetime.date.max)
    event = stuck_events(scope, thresholds=thresholds, now=now).filter(pk=pk).first()
    if event is None:
        raise Http404("No such stuck event.")
    return event
