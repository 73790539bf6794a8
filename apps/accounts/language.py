"""The interface language (docs/languages.md): a signed-in user's own choice, else the
language cookie, else the browser's Accept-Language (Django's LocaleMiddleware does
those two). The switcher in the header posts here."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.access import public

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: a user who chose a language gets
    it on every page, whatever the browser says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen in LANGUAGE_CODES and chosen != request.LANGUAGE_CODE:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def user_language_set(*, user, language: str) -> None:
    """The user's own interface language, on every page and device from now on."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def _back(request) -> str:
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@public
@require_POST
def language_choose(request):
    """Remember the language for this browser (cookie) and, signed in, on the
    user's account; back to the page the switcher was on."""
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(_back(request))
    if code not in LANGUAGE_CODES:
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
    )  # fmt: skip
    return response
