from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import services
from apps.accounts.access import authenticated, public, roles_required
from apps.accounts.context_processors import NAVIGATION
from apps.accounts.forms import SignInForm
from apps.accounts.models import Role
from apps.accounts.queries import offices_visible_to
from apps.core.client_address import client_address


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    client_ip = client_address(request)
    form = SignInForm(request, data=request.POST or None, client_ip=client_ip)
    if request.method == "POST":
        if form.is_valid():
            services.user_sign_in(
                request=request,
                user=form.get_user(),
                username=form.cleaned_data["username"],
                client_ip=client_ip,
            )
            return redirect(_safe_next(request) or "accounts:home")
        if form.has_error("__all__", "invalid_login"):
            services.user_sign_in_failed(
                username=request.POST.get("username", ""), client_ip=client_ip
            )
    response = render(
        request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)}
    )
    if form.refusal is not None:
        response.status_code = 429
        response["Retry-After"] = str(form.refusal.retry_after)
    return response


@authenticated
@require_POST
def sign_out(request):
    services.user_sign_out(request=request)
    return redirect("accounts:login")


@authenticated
def home(request):
    entries = NAVIGATION.get(request.user.role)
    if entries:
        return redirect(entries[0][1])
    if request.user.is_staff:
        return redirect(reverse("admin:index"))
    return render(request, "accounts/no_role.html")


@roles_required(Role.REGISTRAR)
def registrar_home(request):
    return render(
        request, "accounts/registrar_home.html", {"office": request.user.office}
    )


@roles_required(Role.SUPERVISOR)
def supervisor_home(request):
    return render(
        request,
        "accounts/supervisor_home.html",
        {"offices": offices_visible_to(request.user)},
    )


@public
def admin_sign_in(request):
    target = _safe_next(request) or reverse("admin:index")
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(target)
    return redirect_to_login(target)
