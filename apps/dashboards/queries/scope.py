"""Who may read what: a dashboard's scope and the event sets every figure starts from."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Office
from apps.accounts.queries import offices_visible_to
from apps.registrations.models import VitalEvent


@dataclass(frozen=True)
class Scope:
    """What a supervisor asked to see, already limited to what they may see."""

    office_ids: tuple[int, ...] | None  # None: every office (national supervisor)
    start: datetime.date
    end: datetime.date  # inclusive
    event_type: str = ""
    granularity: str = "week"

    @property
    def since(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        return _midnight(self.end + datetime.timedelta(days=1))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def scope_for(
    user,
    *,
    start: datetime.date,
    end: datetime.date,
    office: Office | None = None,
    event_type: str = "",
    granularity: str = "week",
) -> Scope:
    """The scope `user` may see; 403 for anyone but a supervisor or a foreign office."""
    if not (user.is_authenticated and user.is_supervisor):
        raise PermissionDenied
    visible = offices_visible_to(user)
    if office is not None:
        if not visible.filter(pk=office.pk).exists():
            raise PermissionDenied
        office_ids = (office.pk,)
    elif user.is_national_supervisor:
        office_ids = None
    else:
        office_ids = tuple(visible.values_list("pk", flat=True))
    return Scope(office_ids, start, end, event_type, granularity)


def office_filter(scope: Scope, field: str = "office_id") -> Q:
    return Q() if scope.office_ids is None else Q(**{f"{field}__in": scope.office_ids})


def scoped_events(scope: Scope) -> QuerySet[VitalEvent]:
    """Events of the scope's offices and type, whatever their dates."""
    events = VitalEvent.objects.filter(office_filter(scope))
    if scope.event_type:
        events = events.filter(event_type=scope.event_type)
    return events


def submitted_events(scope: Scope) -> QuerySet[VitalEvent]:
    """Events of the scope registered (submitted) within its dates."""
    return scoped_events(scope).filter(
        submitted_at__gte=scope.since, submitted_at__lt=scope.until
    )


def offices_overseen(user) -> tuple[int, ...] | None:
    """Ids of the offices `user` oversees; None for every office."""
    return scope_for(user, start=datetime.date.min, end=datetime.date.max).office_ids


def event_for(user, pk: int) -> VitalEvent:
    """One event of the offices `user` oversees, whatever its dates; 404 otherwise."""
    scope = scope_for(user, start=datetime.date.min, end=datetime.date.max)
    event = scoped_events(scope).select_related("office").filter(pk=pk).first()
    if event is None:
        raise Http404("No such event in the offices you oversee.")
    return event
