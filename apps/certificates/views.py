"""Certificate pages: the registrar's preview, issue and download; the public verify
page and key set, which need no sign-in."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from apps.accounts.access import public, roles_required
from apps.accounts.models import Role
from apps.certificates import forms, queries, rendering, services, verification
from apps.core.client_address import client_address
from apps.registrations.queries import event_for_user

registrar_only = roles_required(Role.REGISTRAR)


@registrar_only
@require_GET
def certificate_preview(request, pk):
    event = event_for_user(request.user, pk)
    eligibility = queries.certificate_eligibility(event)
    context = services.document_context(event, child_uin=eligibility.child_uin)
    return HttpResponse(rendering.certificate_html(context, for_pdf=False))


@registrar_only
@require_GET
def certificate_section(request, pk):
    """The certificate section alone, polled while MOSIP's answer is awaited."""
    event = event_for_user(request.user, pk)
    context = queries.section_context(event)
    response = render(request, "certificates/_event_section.html", context)
    if request.htmx and not context["eligibility"].pending:
        # 286 tells htmx to stop polling; the final state is still swapped in.
        return HttpResponseStopPolling(response.content)
    return response


@registrar_only
@require_POST
def certificate_issue(request, pk):
    event = event_for_user(request.user, pk)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registrations:detail", pk=event.pk)
    try:
        certificate = services.certificate_issue(
            event=event,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
        )
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(kind)s %(number)s is ready to print.")
            % {"kind": certificate.get_kind_display(), "number": certificate.number},
        )
    return redirect("registrations:detail", pk=event.pk)


@registrar_only
@require_GET
def certificate_download(request, pk, certificate_pk):
    certificate = queries.certificate_for_user(request.user, pk, certificate_pk)
    return FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{certificate.number}.pdf",
        as_attachment=request.GET.get("inline") != "1",
    )


@public
@require_http_methods(["GET", "POST"])
def verify(request):
    posted = request.method == "POST"
    form = forms.VerifyForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    outcome = None
    if posted and not verification.check_allowed(client_address(request)):
        outcome = verification.Outcome(
            False, _("Too many checks from your address. Wait a minute and try again.")
        )
        return render(
            request,
            "certificates/verify.html",
            {"form": form, "outcome": outcome},
            status=429,
        )
    if posted and form.is_valid():
        text = form.cleaned_data["qr_text"]
        photo = form.cleaned_data["photo"]
        if photo and not text:
            try:
                text = verification.read_qr_image(photo)
            except verification.ImageError as error:
                outcome = verification.Outcome(
                    False, _("Not checked. %(reason)s") % {"reason": error}
                )
        if outcome is None:
            outcome = verification.verify_text(text)
    return render(
        request, "certificates/verify.html", {"form": form, "outcome": outcome}
    )


@public
@require_GET
def key_set(request):
    response = JsonResponse(queries.issuer_key_set())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
