"""The informant's verification with e-Signet (docs/identity-verification.md): the
button on the informant step starts a login, a page of the portal hands the browser
on to e-Signet's login page (a form may only post to the portal itself, CSP
form-action), e-Signet sends the browser back to one callback for every event, and
the registrar lands on the informant step again with what was filled or why nothing
was."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.registrations import queries
from apps.registrations.services import identity

registrar_only = roles_required(Role.REGISTRAR)


def _verified_step(event) -> str:
    url = reverse("registrations:edit", kwargs={"pk": event.pk})
    return f"{url}?step={identity.section_of(event) or ''}"


@registrar_only
@require_POST
def identity_verify_start(request, pk):
    event = queries.event_for_user(request.user, pk)
    try:
        state = identity.verification_start(
            event=event, actor=request.user, logins=request.session
        )
    except identity.IdentityVerificationError as error:
        messages.error(request, error.message)
        return redirect(_verified_step(event))
    return redirect("registrations:identity-continue", pk=event.pk, state=state)


@registrar_only
@require_GET
def identity_verify_continue(request, pk, state):
    event = queries.event_for_user(request.user, pk)
    url = identity.authorize_url_of(
        request.session, state, event=event, actor=request.user
    )
    if url is None:
        messages.error(request, "That verification has ended. Start it again.")
        return redirect(_verified_step(event))
    return render(
        request,
        "registrations/identity_continue.html",
        {"event": event, "authorize_url": url, "back_url": _verified_step(event)},
    )


def _back_to(request, event_id):
    """The informant step of `event_id` when this registrar may open it, else the
    list."""
    try:
        event = queries.event_for_user(request.user, event_id)
    except Http404:
        return redirect("registrations:list")
    return redirect(_verified_step(event))


@registrar_only
@require_GET
def identity_verify_callback(request):
    try:
        pending = identity.login_take(
            request.session, request.GET.get("state", ""), actor=request.user
        )
    except identity.IdentityVerificationError as error:
        messages.error(request, error.message)
        return _back_to(request, error.event_id)
    event = queries.event_for_user(request.user, pending.event_id)
    try:
        verification = identity.verification_complete(
            event=event, actor=request.user, pending=pending,
            code=request.GET.get("code", ""), error=request.GET.get("error", ""),
        )  # fmt: skip
    except identity.IdentityVerificationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Verified with e-Signet: the informant's "
            + identity.filled_words(verification.filled)
            + " were filled in from their national ID.",
        )
    return redirect(_verified_step(event))
