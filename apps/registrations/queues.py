"""The registrar's work queues: events grouped by the work they wait for."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.registrations.models import CERTIFIABLE_STATUSES, EventStatus

# How long a certified event stays in the "Recently certified" queue.
RECENTLY_CERTIFIED = datetime.timedelta(days=30)


@dataclass(frozen=True)
class WorkQueue:
    """A registrar's list of events waiting for the same kind of work."""

    key: str
    label: str
    statuses: frozenset

    def condition(self, now: datetime.datetime) -> Q:
        matches = Q(status__in=self.statuses)
        if self.statuses == {EventStatus.CERTIFIED}:
            matches &= Q(certified_at__gte=now - RECENTLY_CERTIFIED)
        return matches


WORK_QUEUES = (
    WorkQueue("in_progress", _("In progress"), frozenset({EventStatus.DRAFT})),
    WorkQueue(
        "attention",
        _("Requires attention"),
        frozenset({EventStatus.REJECTED, EventStatus.FAILED}),
    ),
    WorkQueue(
        "sent",
        _("Sent to MOSIP"),
        frozenset(
            {EventStatus.SUBMITTED, EventStatus.PACKET_CREATED, EventStatus.PROCESSING}
        ),
    ),
    WorkQueue("to_certify", _("Ready to certify"), CERTIFIABLE_STATUSES),
    WorkQueue("certified", _("Recently certified"), frozenset({EventStatus.CERTIFIED})),
)
WORK_QUEUE_BY_KEY = {queue.key: queue for queue in WORK_QUEUES}
