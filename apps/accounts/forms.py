from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from apps.accounts import throttle
from apps.core.forms import PlainTextForm

LOCKED_OUT_MESSAGE = _(
    "Too many failed sign-ins. For your security, signing in is paused for a while; "
    "try again later or ask your administrator."
)
# The English text is the same for one second and several; other languages need
# their own plural forms.
SLOW_DOWN_MESSAGE = ngettext_lazy(
    "Several sign-ins have failed. Please wait %(seconds)s seconds before trying "
    "again.",
    "Several sign-ins have failed. Please wait %(seconds)s seconds before trying "
    "again.",
    "seconds",
)


class SignInForm(PlainTextForm, AuthenticationForm):
    """Django's sign-in form, refusing to check a password while the throttle holds
    (a lock, or the wait before the next try); `refusal` then says for how long."""

    def __init__(self, request=None, *args, client_ip: str = "", **kwargs):
        super().__init__(request, *args, **kwargs)
        self.client_ip = client_ip
        self.refusal: throttle.Refusal | None = None
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        self.refusal = throttle.refusal(username=username, client_ip=self.client_ip)
        if self.refusal is not None:
            if self.refusal.reason == throttle.LOCKED:
                raise forms.ValidationError(LOCKED_OUT_MESSAGE, code="locked_out")
            raise forms.ValidationError(
                SLOW_DOWN_MESSAGE % {"seconds": self.refusal.retry_after},
                code="slow_down",
            )
        return super().clean()
