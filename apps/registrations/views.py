"""Registrar pages for vital events: list, new, edit with autosave, review, submit, detail.

htmx requests that fail validation get 200 and the re-rendered fragment (htmx 2 does not
swap 4xx answers by default). An autosave or inline check sent after the session ended
gets 401 with `HX-Redirect` to the sign-in page: the browser leaves for sign-in and
comes back to the draft, which holds everything up to the last "Saved at" shown.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.onboarding.id_schema import IdSchemaMissingError, id_schema_current
from apps.registrations import (
    config,
    definitions,
    duplicates,
    forms,
    layout,
    pipeline,
    queries,
    review_forms,
    services,
)
from apps.registrations.models import EventStatus
from apps.registrations.services import id_checks, identity

registrar_only = roles_required(Role.REGISTRAR)


def _htmx_session_guard(view):
    """Answer a background htmx call from an ended session with 401, not a login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            back = reverse("registrations:edit", kwargs={"pk": kwargs["pk"]})
            response = HttpResponse(
                _("Your session has ended. Sign in again."), status=401
            )
            response["HX-Redirect"] = redirect_to_login(back)["Location"]
            return response
        return view(request, *args, **kwargs)

    return wrapped


def _event_form(event, *, data=None, schema=None):
    """The event's form: showing the stored draft, or with `data` (the inputs a page
    posted, one step's or all) over the stored draft."""
    schema = schema or id_schema_current()
    if data is None:
        return forms.EventForm(
            initial=forms.flatten(event.data),
            event_type=event.event_type,
            schema=schema,
        )
    return forms.EventForm.over_draft(
        data, draft=event.data, event_type=event.event_type, schema=schema
    )


def _step_url(event, step: str | None) -> str:
    url = reverse("registrations:edit", kwargs={"pk": event.pk})
    return f"{url}?step={step}" if step else url


def _schema_missing(request, event=None):
    return render(request, "registrations/schema_missing.html", {"event": event})


@registrar_only
@require_GET
def event_list(request):
    filters = forms.EventFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    visible = queries.events_visible_to(request.user)
    events = queries.events_matching(visible, **criteria)
    page = Paginator(events, config.page_size()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "queue": criteria.get("queue", ""),
        "queues": queries.work_queue_counts(visible),
        "notifications": queries.notifications_unread(request.user),
    }
    template = "registrations/list.html"
    if request.htmx and not (
        request.htmx.boosted or request.htmx.history_restore_request
    ):
        template += "#results"
    return render(request, template, context)


@registrar_only
@require_http_methods(["GET", "POST"])
def event_new(request):
    form = forms.NewEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_create_draft(
            actor=request.user, event_type=form.cleaned_data["event_type"]
        )
        return redirect("registrations:edit", pk=event.pk)
    return render(request, "registrations/new.html", {"form": form})


@registrar_only
@require_http_methods(["GET", "POST"])
def event_discard(request, pk):
    event = queries.event_for_user(request.user, pk)
    if event.status != EventStatus.DRAFT:
        messages.error(
            request,
            _("%(event)s is registered: it can be corrected, not discarded.")
            % {"event": event},
        )
        return redirect("registrations:detail", pk=event.pk)
    if request.method == "POST":
        services.event_discard_draft(event=event, actor=request.user)
        messages.success(request, _("%(event)s was discarded.") % {"event": event})
        return redirect(reverse("registrations:list") + "?queue=in_progress")
    return render(request, "registrations/discard.html", {"event": event})


@registrar_only
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    """One step of the event's form. A step's "Continue" saves its answers and goes
    on when they hold; the progress list saves and goes to the step chosen, errors
    or not (the review lists what is left). A post of every input at once (no step)
    goes to the review when all hold."""
    event = queries.event_for_user(request.user, pk)
    if not event.is_editable:
        return redirect("registrations:detail", pk=event.pk)
    posted = request.POST if request.method == "POST" else None
    try:
        form = _event_form(event, data=posted)
    except IdSchemaMissingError:
        return _schema_missing(request, event)
    step = layout.step_of(form, request.GET.get("step") or request.POST.get("_step"))
    if posted is not None:
        try:
            event = services.event_save_draft(
                event=event,
                actor=request.user,
                data=form.raw_data(previous=event.data),
                version=_version(request),
            )
        except services.EventEditConflictError as conflict:
            context = _edit_context(conflict.event, form, step)
            context["conflict"] = str(conflict)
            return render(request, "registrations/edit.html", context, status=409)
        chosen = request.POST.get("_go")
        if chosen:
            if chosen == "review":
                return redirect("registrations:review", pk=event.pk)
            return redirect(_step_url(event, layout.step_of(form, chosen)))
        if "_step" in request.POST:
            if not layout.step_errors(form, step):
                after = layout.step_after(form, step)
                return redirect(_step_url(event, after))
        elif form.is_valid():
            return redirect("registrations:review", pk=event.pk)
        else:
            step = layout.first_step_with_errors(form) or step
    return render(request, "registrations/edit.html", _edit_context(event, form, step))


def _version(request) -> int | None:
    """The draft version the editor's page was built from, when it says."""
    try:
        return int(request.POST["_version"])
    except (KeyError, ValueError):
        return None


def _documents(event, schema=None) -> list[dict]:
    return [
        {
            "document": document,
            "label": getattr(
                definitions.document_kind(event.event_type, document.kind), "label", ""
            )
            or document.kind,
            "sent": schema.has(document.schema_field) if schema else None,
        }
        for document in event.documents.all()
    ]


def _with_id_checks(event, stored, sections):
    """Each national ID question with what MOSIP last said of it for the stored
    draft (no MOSIP call); `stored`: the form of the stored draft, validated."""
    checked = services.current_checks(event, stored)
    for _section, questions in sections:
        for q in questions:
            shown = next(
                (c for c in checked.values()
                 if id_checks.id_question_key(c.person) == q.key),
                None,
            )  # fmt: skip
            q.id_check = shown
    return sections


def _edit_context(event, form, step, upload_form=None):
    # The stored draft, validated once for the progress list and the ID checks.
    stored = forms.EventForm(
        forms.flatten(event.data), event_type=event.event_type, schema=form.schema
    )
    stored.is_valid()
    steps = layout.steps_with_progress(stored)
    return {
        "event": event,
        "form": form,
        "step": step,
        "steps": steps,
        "current": next(s for s in steps if s.key == step),
        # The review is the last step.
        "step_total": len(steps) + 1,
        "previous_step": layout.step_before(form, step),
        "next_step": layout.step_after(form, step),
        "sections": _with_id_checks(
            event, stored, layout.bound_layout(form, only=step)
        ),
        "documents": _documents(event, form.schema),
        "upload_form": upload_form
        or forms.DocumentUploadForm(event_type=event.event_type),
        **_verification_context(event, form),
    }


def _verification_context(event, form) -> dict:
    """The e-Signet verification shown on the verified section's step."""
    values = form.data if form.is_bound else form.initial
    return {
        "verified_section": identity.section_of(event),
        "verification": identity.verification_current(event),
        "verified_inputs": identity.verified_inputs(event, values),
    }


@_htmx_session_guard
@registrar_only
@require_POST
def event_autosave(request, pk):
    event = queries.event_for_user(request.user, pk)
    context = {"event": event}
    if not event.is_editable:
        context["not_editable"] = True
    else:
        form = _event_form(event, data=request.POST)
        try:
            event = services.event_save_draft(
                event=event,
                actor=request.user,
                data=form.raw_data(previous=event.data),
                version=_version(request),
            )
            context["saved_at"] = timezone.localtime(event.draft_saved_at)
            context["event"] = event
            context["not_saved"] = [
                (form[name].label, error.messages[0])
                for name, error in form.unstorable().items()
            ]
        except services.EventEditConflictError as conflict:
            context["conflict"] = str(conflict)
    return render(request, "registrations/edit.html#autosave-status", context)


@_htmx_session_guard
@registrar_only
@require_POST
def event_validate(request, pk):
    event = queries.event_for_user(request.user, pk)
    form = _event_form(event, data=request.POST)
    form.is_valid()
    question = layout.bound_question(form, request.POST.get("_question", ""))
    if question is None:
        return HttpResponse(status=204)
    context = {"event": event, "q": question, **_verification_context(event, form)}
    if event.is_editable:
        shown = services.id_check_question(
            event=event, form=form, question_key=question.key, actor=request.user
        )
        if (
            shown is not None
            and id_checks.id_question_key(shown.person) == question.key
        ):
            question.id_check = shown
        elif shown is not None:
            # Another answer of the person changed: its ID's line is redrawn too.
            context["id_check_elsewhere"] = shown
    return render(request, "registrations/edit.html#question", context)


@registrar_only
@require_GET
def event_review(request, pk):
    event = queries.event_for_user(request.user, pk)
    return _review(request, event, review_forms.SubmitForm())


def _review(request, event, submit_form, *, refused: bool = False):
    """The review of `event`, with the earlier events it looks like; `refused` when
    a submission was turned down for want of a reason."""
    try:
        schema = id_schema_current()
    except IdSchemaMissingError:
        return _schema_missing(request, event)
    form = _event_form(event, data=forms.flatten(event.data), schema=schema)
    valid = form.is_valid()
    plan = blocked = None
    checks = []
    matches = []
    if valid:
        plan = services.event_plan(event=event, on=timezone.localdate())
        if event.is_editable:
            services.id_checks_bring_up_to_date(
                event=event, form=form, actor=request.user
            )
            matches = duplicates.likely_duplicates(event)
        checks = list(services.current_checks(event, form).values())
        blocked = services.blocking_check(event, form)
    if matches:
        submit_form.ask_for_reason()
    context = {
        "id_checks": checks,
        "id_not_verified": id_checks.id_not_verified(checks),
        "blocked": blocked and id_checks.blocked_reason(blocked),
        "event": event,
        "valid": valid,
        "errors": layout.error_list(form),
        "plan": plan,
        "summary": layout.summarise(form, event.data),
        "documents": _documents(event, schema),
        "first_error_step": layout.first_step_with_errors(form),
        "duplicates": matches,
        "submit_form": submit_form,
        "asks_reason": bool(matches or submit_form.errors),
        "refused": refused,
    }
    return render(request, "registrations/review.html", context)


@registrar_only
@require_POST
def event_submit(request, pk):
    event = queries.event_for_user(request.user, pk)
    submit = (
        services.event_submit
        if event.status == EventStatus.DRAFT
        else services.event_correct_and_resubmit
    )
    submit_form = review_forms.SubmitForm(request.POST)
    if not submit_form.is_valid():
        return _review(request, event, submit_form, refused=True)
    try:
        event = submit(
            event=event, actor=request.user, duplicate_reason=submit_form.reason()
        )
    except services.DuplicateReasonRequiredError as refusal:
        submit_form.add_error("duplicate_reason", str(refusal))
        return _review(request, event, submit_form, refused=True)
    except services.EventInvalidError:
        messages.error(
            request, _("Some answers need correcting before the event is submitted.")
        )
        return redirect("registrations:edit", pk=event.pk)
    except services.EventStatusError as error:
        event.refresh_from_db()
        if event.is_editable:
            messages.error(request, str(error))
        else:
            # A second click, or a second tab: the first submission stands.
            messages.info(
                request,
                _("This event was already submitted as %(event)s.") % {"event": event},
            )
        return redirect("registrations:detail", pk=event.pk)
    except IdSchemaMissingError:
        messages.error(request, _("The ID schema has not been fetched from MOSIP yet."))
        return redirect("registrations:review", pk=event.pk)
    except services.EventIdCheckBlocked as blocked:
        messages.error(request, str(blocked))
        return redirect("registrations:review", pk=event.pk)
    messages.success(
        request,
        _("Registered as %(number)s.") % {"number": event.registration_number},
    )
    if event.no_packet_reason:
        messages.warning(
            request,
            _("Nothing was sent to MOSIP. %(reason)s")
            % {"reason": event.no_packet_reason},
        )
    return redirect("registrations:detail", pk=event.pk)


def _timeline_context(event):
    waiting_on_mosip = event.status in MOSIP_AT_WORK
    return {
        "event": event,
        # Followed until nothing more can change without the registrar, national ID
        # included.
        "live": not event.is_settled or queries.national_id_pending(event),
        "changes": event.status_changes.select_related("actor"),
        "packets": queries.packets_with_sending(event),
        "usual": queries.usual_answer_time(event.office_id)
        if waiting_on_mosip
        else None,
        "waiting_on_mosip": waiting_on_mosip,
    }


# While the event is in these states, MOSIP (or the way to it) has the next move.
MOSIP_AT_WORK = {
    EventStatus.SUBMITTED,
    EventStatus.PACKET_CREATED,
    EventStatus.PROCESSING,
}


@registrar_only
@require_GET
def event_detail(request, pk):
    event = queries.event_for_user(request.user, pk)
    context = _timeline_context(event)
    context["flags"] = duplicates.flags_of(event)
    context["id_checks"] = id_checks.checks_of(event)
    context["id_not_verified"] = id_checks.id_not_verified(context["id_checks"])
    context["verifications"] = identity.verifications_shown(event)
    try:
        form = _event_form(event)
        context["summary"] = layout.summarise(form, event.data)
        context["documents"] = _documents(event, form.schema)
    except IdSchemaMissingError:
        context["summary"] = []
        context["documents"] = _documents(event)
    return render(request, "registrations/detail.html", context)


@registrar_only
@require_GET
def event_timeline(request, pk):
    event = queries.event_for_user(request.user, pk)
    context = _timeline_context(event)
    response = render(request, "registrations/detail.html#timeline", context)
    if request.htmx and not context["live"]:
        # 286 tells htmx to stop polling; the final state is still swapped in.
        return HttpResponseStopPolling(response.content)
    return response


@registrar_only
@require_POST
def document_upload(request, pk):
    """Attach a document; a refused file is shown at the upload, with the reason."""
    event = queries.event_for_user(request.user, pk)
    upload = forms.DocumentUploadForm(
        request.POST, request.FILES, event_type=event.event_type
    )
    if upload.is_valid():
        try:
            services.event_attach_document(
                event=event,
                actor=request.user,
                kind=upload.cleaned_data["kind"],
                upload=upload.cleaned_data["file"],
            )
            messages.success(request, _("Document attached."))
            return redirect(_step_url(event, layout.DOCUMENTS_STEP))
        except (services.DocumentRejectedError, services.EventStatusError) as error:
            upload.add_error("file", str(error))
    try:
        form = _event_form(event)
    except IdSchemaMissingError:
        return _schema_missing(request, event)
    context = _edit_context(event, form, layout.DOCUMENTS_STEP, upload_form=upload)
    return render(request, "registrations/edit.html", context)


@registrar_only
@require_POST
def document_remove(request, pk, document_pk):
    document = queries.document_for_user(request.user, pk, document_pk)
    try:
        services.event_remove_document(document=document, actor=request.user)
        messages.success(request, _("Document removed."))
    except services.EventStatusError as error:
        messages.error(request, str(error))
    return redirect(_step_url(document.event, layout.DOCUMENTS_STEP))


@registrar_only
@require_GET
def document_download(request, pk, document_pk):
    document = queries.document_for_user(request.user, pk, document_pk)
    kind = definitions.document_kind(document.event.event_type, document.kind)
    name = f"{kind.code if kind else 'document'}.{document.file_format}"
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=name,
    )


@registrar_only
@require_POST
def notifications_read(request):
    pipeline.notification_mark_read(user=request.user)
    return redirect("registrations:list")
