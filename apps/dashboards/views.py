"""Supervisor dashboards: figures, MOSIP errors, stuck events, completeness, CSV.

Every page reads the same filter form (office, event type, dates, grouping) and turns
it into a scope through `queries.scope_for`, the one place that decides what a
supervisor may see. htmx polls each page's figures partial to keep it live; without
JavaScript the pages are plain, complete HTML.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.dashboards import config, exports, figures, queries
from apps.dashboards.forms import DashboardFilterForm
from apps.registrations import duplicates as duplicates_recorded
from apps.registrations import queries as registrations_queries
from apps.registrations import services
from apps.registrations.models import BLOCKING_OUTCOMES
from apps.registrations.services import id_checks

supervisor_only = roles_required(Role.SUPERVISOR)


def _filtered(request):
    """The filter form and, when it is valid, the scope it asks for."""
    form = DashboardFilterForm(
        request.GET, user=request.user, today=timezone.localdate()
    )
    if not form.is_valid():
        return form, None
    return form, queries.scope_for(request.user, **form.cleaned_data)


def _page(request, template, form, context):
    query = request.GET.copy()
    query.pop("page", None)
    event_type = getattr(form, "cleaned_data", {}).get("event_type")
    context.update(
        form=form,
        query=query.urlencode(),
        refresh_seconds=config.refresh_seconds(),
        # The chosen event type's label, for the line saying what the page shows.
        event_type_label=dict(form.fields["event_type"].choices).get(event_type, ""),
    )
    if request.htmx and not request.htmx.boosted:
        template += "#figures"
    return render(request, template, context)


@supervisor_only
@require_GET
def overview(request):
    form, scope = _filtered(request)
    context = {"scope": scope, **(figures.overview(scope) if scope else {})}
    return _page(request, "dashboards/overview.html", form, context)


@supervisor_only
@require_GET
def errors(request):
    form, scope = _filtered(request)
    rows = queries.error_codes(scope) if scope else []
    return _page(
        request, "dashboards/errors.html", form, {"scope": scope, "rows": rows}
    )


@supervisor_only
@require_GET
def error_events(request, code):
    form, scope = _filtered(request)
    page = None
    if scope:
        events = queries.error_events(scope, code)
        page = Paginator(events, config.page_size()).get_page(request.GET.get("page"))
        packets = queries.error_packets(list(page.object_list), code)
        for event in page.object_list:
            event.error_packet = packets.get(event.pk)
    context = {"scope": scope, "code": code, "page": page}
    return _page(request, "dashboards/error_events.html", form, context)


@supervisor_only
@require_GET
def stuck(request):
    form, scope = _filtered(request)
    page, now = None, timezone.now()
    thresholds = config.stuck_thresholds()
    if scope:
        events = queries.stuck_pages(scope, thresholds=thresholds, now=now)
        page = Paginator(events, config.page_size()).get_page(request.GET.get("page"))
    context = {
        "scope": scope,
        "page": page,
        "now": now,
        "thresholds": figures.threshold_text(thresholds),
    }
    return _page(request, "dashboards/stuck.html", form, context)


@supervisor_only
@require_GET
def duplicates(request):
    form, scope = _filtered(request)
    page = None
    if scope:
        flags = queries.duplicate_flags(scope)
        page = Paginator(flags, config.page_size()).get_page(request.GET.get("page"))
    return _page(
        request, "dashboards/duplicates.html", form, {"scope": scope, "page": page}
    )


@supervisor_only
@require_GET
def event(request, pk):
    event = queries.event_for(request.user, pk)
    checks = id_checks.checks_of(event)
    context = {
        "event": event,
        "changes": event.status_changes.select_related("actor"),
        "packets": registrations_queries.packets_with_sending(event),
        "flags": duplicates_recorded.flags_of(event),
        # Earlier events a flag names link to their page when in these offices.
        "offices": queries.offices_overseen(request.user),
        "id_checks": checks,
        "id_not_verified": id_checks.id_not_verified(checks),
        # Checks that stop the event until a supervisor allows it.
        "to_decide": [
            s.check for s in checks
            if s.person.blocking and s.check.outcome in BLOCKING_OUTCOMES
            and not s.check.overridden and event.is_editable
        ],
    }  # fmt: skip
    return render(request, "dashboards/event.html", context)


@supervisor_only
@require_POST
def id_check_override(request, pk, check_pk):
    """Allow a death whose deceased's ID does not match or is deactivated."""
    event = queries.event_for(request.user, pk)
    check = get_object_or_404(event.id_checks, pk=check_pk)
    try:
        services.id_check_override(
            check=check, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        if check.section == "deceased":
            # The one section a supervisor decides on; whole sentence to translate.
            done = _(
                "The deceased's %(id_type)s is allowed: the event may be submitted."
            )
        else:
            done = _(
                "The %(section)s's %(id_type)s is allowed: the event may be submitted."
            )
        messages.success(
            request, done % {"section": check.section, "id_type": check.id_type}
        )
    return redirect("dashboards:event", pk=event.pk)


@supervisor_only
@require_POST
def resubmit(request, pk):
    event = queries.stuck_event_for(
        request.user, pk, thresholds=config.stuck_thresholds()
    )
    try:
        count = services.event_resubmit(event=event, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(number)s: %(count)s packet(s) queued again.",
                "%(number)s: %(count)s packet(s) queued again.",
                count,
            )
            % {"number": event.registration_number, "count": count},
        )
    except services.EventStatusError as error:
        messages.error(
            request,
            _("%(number)s: %(error)s")
            % {"number": event.registration_number, "error": error},
        )
    back = request.POST.get("query", "")
    return redirect(reverse("dashboards:stuck") + (f"?{back}" if back else ""))


@supervisor_only
@require_GET
def completeness(request):
    form, scope = _filtered(request)
    rows = queries.completeness(scope) if scope else []
    context = {"scope": scope, "rows": rows}
    return _page(request, "dashboards/completeness.html", form, context)


@supervisor_only
@require_GET
def export(request, table):
    if table not in exports.TABLES:
        raise Http404("No such table.")
    form, scope = _filtered(request)
    if scope is None:
        problems = "; ".join(
            f"{field}: {' '.join(errs)}" if field != "__all__" else " ".join(errs)
            for field, errs in form.errors.items()
        )
        return HttpResponse(
            _("The filters are not valid: %(problems)s") % {"problems": problems},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = StreamingHttpResponse(
        exports.table_csv(table, scope, request.GET),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{table}-{stamp}.csv"'
    return response
