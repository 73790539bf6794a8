"""The informant's verification with e-Signet (docs/identity-verification.md): the
button on the informant step starts a login, a page of the portal hands the browser
on to e-Signet's login page (a form may only post to the portal itself, CSP
form-action), e-Signet sends the browser back to one callback for every event, and
the registrar lands on the informant step again with what was filled or why nothing
was. On the informant's own phone: the registrar's page shows a QR code of a portal
address that sends the phone on to e-Signet, the callback finishes the login in the
phone's browser, and the registrar's page, polling, follows it."""

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import public, roles_required
from apps.accounts.models import Role
from apps.registrations import queries
from apps.registrations.models import PhoneLogin
from apps.registrations.services import identity, identity_phone

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
        messages.error(request, _("That verification has ended. Start it again."))
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


@public
@require_GET
def identity_verify_callback(request):
    """e-Signet's one redirect URI: a login waiting for the informant's phone is
    finished here, in the phone's browser; any other belongs to the registrar's own
    session."""
    state = request.GET.get("state", "")
    if identity_phone.is_phone_state(state):
        return _phone_callback(request, state)
    if request.user.is_authenticated and request.user.role == Role.REGISTRAR:
        return _registrar_callback(request, state)
    return render(
        request,
        "registrations/identity_phone_done.html",
        {"verified": False, "message": _("This verification link is unknown or has "
         "ended: nothing was filled in. The registrar can start it again.")},
    )  # fmt: skip


def _phone_callback(request, state):
    try:
        login = identity_phone.phone_login_finish(
            state=state, code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
        )  # fmt: skip
    except identity.IdentityVerificationError as error:
        return render(
            request, "registrations/identity_phone_done.html",
            {"verified": False, "message": error.message},
        )  # fmt: skip
    verified = login.outcome == PhoneLogin.Outcome.VERIFIED
    return render(
        request, "registrations/identity_phone_done.html",
        {"verified": verified, "message": login.message},
    )  # fmt: skip


def _registrar_callback(request, state):
    try:
        pending = identity.login_take(request.session, state, actor=request.user)
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
        messages.success(request, _filled_message(verification))
    return redirect(_verified_step(event))


def _filled_message(verification) -> str:
    return _(
        "Verified with e-Signet: the informant's %(answers)s were filled in from "
        "their national ID."
    ) % {"answers": identity.filled_words(verification.filled)}


@registrar_only
@require_POST
def identity_phone_start(request, pk):
    event = queries.event_for_user(request.user, pk)
    try:
        login = identity_phone.phone_login_start(event=event, actor=request.user)
    except identity.IdentityVerificationError as error:
        messages.error(request, error.message)
        return redirect(_verified_step(event))
    return redirect("registrations:identity-phone", pk=event.pk, login_id=login.pk)


def _phone_login(request, pk, login_id):
    event = queries.event_for_user(request.user, pk)
    login = identity_phone.phone_login_of(
        event=event, actor=request.user, login_id=login_id
    )
    if login is None:
        raise Http404
    return event, login


@registrar_only
@require_GET
def identity_phone_page(request, pk, login_id):
    event, login = _phone_login(request, pk, login_id)
    phone_url = request.build_absolute_uri(
        reverse("registrations:identity-phone-open", kwargs={"state": login.state})
    )
    qr = segno.make(phone_url, error="m", micro=False)
    return render(
        request,
        "registrations/identity_phone.html",
        {
            "event": event, "login": login, "phone_url": phone_url,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR code: open it with the "
                                    "informant's phone camera")),
            "expired": identity_phone.phone_login_expired(login),
            "back_url": _verified_step(event),
        },
    )  # fmt: skip


@registrar_only
@require_GET
def identity_phone_status(request, pk, login_id):
    """Polled by the registrar's page; once the informant finished, the informant
    step with what was filled or why nothing was."""
    event, login = _phone_login(request, pk, login_id)
    if login.outcome == PhoneLogin.Outcome.PENDING:
        return render(
            request, "registrations/identity_phone.html#status",
            {"event": event, "login": login,
             "expired": identity_phone.phone_login_expired(login)},
        )  # fmt: skip
    if login.outcome == PhoneLogin.Outcome.VERIFIED and login.verification:
        messages.success(request, _filled_message(login.verification))
    else:
        messages.error(request, login.message or _("The verification did not finish."))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _verified_step(event)
        return response
    return redirect(_verified_step(event))


@public
@require_GET
def identity_phone_open(request, state):
    """The address in the QR code: the informant's phone goes on to e-Signet's login
    while the login waits."""
    url = identity_phone.phone_authorize_url(state)
    if url is None:
        return render(
            request, "registrations/identity_phone_done.html",
            {"verified": False, "message": _("This QR code has been used already "
             "or has expired. Ask the registrar for a new one.")},
        )  # fmt: skip
    return redirect(url)
