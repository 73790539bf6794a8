from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.core.health import worker_heartbeat
from apps.onboarding import forms, operator, queries, readiness, services
from apps.onboarding_wizard import progress
from apps.onboarding_wizard.steps import ACTIONS
from apps.registrations.queries import outbox_depth
from apps.websub.queries import websub_summary

admin_only = roles_required(Role.INTEGRATION_ADMIN)

# How often the landing's figures refresh in an open page.
LANDING_REFRESH_SECONDS = 30


@admin_only
@require_http_methods(["GET"])
def landing(request):
    """The integration admin's home: is the portal ready, is WebSub healthy, how
    much waits to be sent, how far onboarding got. Reads what is stored; the checks
    themselves run on the readiness page."""
    context = {
        "readiness": queries.latest_readiness(),
        "websub": websub_summary(),
        "outbox": outbox_depth(),
        "worker": worker_heartbeat(),
        "progress": progress.onboarding_progress(),
        "refresh_seconds": LANDING_REFRESH_SECONDS,
    }
    if request.htmx:
        return render(request, "onboarding/landing.html#glance", context)
    return render(request, "onboarding/landing.html", context)


@admin_only
@require_http_methods(["GET"])
def wizard(request):
    return render(request, "onboarding/wizard.html", {"steps": progress.wizard_steps()})


def _next_step(key: str) -> str:
    keys = list(ACTIONS)
    position = keys.index(key)
    if position + 1 < len(keys):
        return f"onboarding:step-{keys[position + 1]}"
    return "onboarding:readiness"


def _initial(request, key: str) -> dict:
    """What a step's form starts with: what the step recorded; for e-Signet, until
    it has, ESIGNET_URL and this portal's callback as this browser reaches it."""
    initial = queries.step_initial(key)
    if key == "esignet":
        return {
            "esignet_url": settings.ESIGNET_URL,
            "redirect_uri": request.build_absolute_uri(
                reverse("registrations:identity-callback")
            ),
            **initial,
        }
    return initial


@admin_only
@require_http_methods(["GET", "POST"])
def step(request, key: str):
    action = ACTIONS.get(key)
    if action is None:
        raise Http404
    form = action.form_class(
        request.POST if request.method == "POST" else None,
        initial=_initial(request, key),
    )
    failure = ""
    if request.method == "POST" and form.is_valid():
        try:
            done = action.run(form, request.user)
        except services.OnboardingError as exc:
            failure = exc.message
        else:
            messages.success(request, done)
            return redirect(_next_step(key))
    steps = progress.wizard_steps()
    return render(
        request,
        "onboarding/step.html",
        {
            "form": form,
            "key": key,
            "action": action,
            "failure": failure,
            "steps": steps,
            "current": next(s for s in steps if s.key == key),
            "connection": queries.connection(),
            "aid_preview": progress.aid_preview() if key == "offices" else None,
            "extra": queries.step_details(key),
        },
    )


@admin_only
@require_http_methods(["GET"])
def readiness_page(request):
    outcomes = services.readiness_run()
    context = {"outcomes": outcomes, "ready": readiness.all_ok(outcomes)}
    if request.htmx:
        return render(request, "onboarding/readiness.html#checklist", context)
    return render(request, "onboarding/readiness.html", context)


@admin_only
@require_http_methods(["GET"])
def mosip_changes(request):
    """What the MOSIP operator must add or change for this portal, per file."""
    changes = operator.operator_changes()
    return render(
        request,
        "onboarding/mosip_changes.html",
        {
            "changes": changes,
            "by_file": [
                (name, "\n".join(c.line() for c in props), props)
                for name, props in changes.by_file().items()
            ],
            "files": [(f, f.content()) for f in changes.files],
            "stock_release": operator.STOCK_RELEASE,
        },
    )


@admin_only
@require_http_methods(["GET", "POST"])
def rotate_secret(request):
    form = forms.RotateSecretForm(request.POST if request.method == "POST" else None)
    failure = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_rotate_secret(
                actor=request.user,
                new_secret=form.cleaned_data.get("new_secret", ""),
                keycloak_admin=form.keycloak_admin(),
            )
        except services.OnboardingError as exc:
            failure = exc.message
        else:
            messages.success(request, _("The client secret was rotated and verified."))
            return redirect("onboarding:readiness")
    return render(
        request,
        "onboarding/rotate.html",
        {
            "form": form,
            "failure": failure,
            "title": _("Rotate the client secret"),
            "intro": _(
                "Type a secret already set in Keycloak, or give the Keycloak admin to "
                "regenerate it. The portal keeps using the current secret until MOSIP "
                "has issued a token with the new one; tokens already issued keep "
                "working until they expire."
            ),
        },
    )


@admin_only
@require_http_methods(["GET", "POST"])
def rotate_machine(request):
    form = forms.MappingsForm(request.POST if request.method == "POST" else None)
    failure = ""
    if request.method == "POST" and form.is_valid():
        try:
            machine = services.machine_rotate_key(
                actor=request.user, admin=form.mosip_admin()
            )
        except services.OnboardingError as exc:
            failure = exc.message
        else:
            messages.success(
                request,
                _("Every office now sends under machine %(machine)s.")
                % {"machine": machine.mosip_id},
            )
            return redirect("onboarding:readiness")
    return render(
        request,
        "onboarding/rotate.html",
        {
            "form": form,
            "failure": failure,
            "title": _("Rotate the machine key"),
            "intro": _(
                "Only for a machine with a key the portal generated (used where the "
                "operator has disabled packet signature verification): MOSIP takes a "
                "machine's keys once, so the portal registers a new machine with a "
                "fresh key pair, activates and verifies it; every office's packets "
                "then name it. The old machine stays active in MOSIP for packets "
                "already sent under it. MOSIP's server signing key is rotated by "
                "MOSIP's keymanager, not here."
            ),
        },
    )
