from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts import throttle
from apps.core.forms import PlainTextForm

LOCKED_OUT_MESSAGE = (
    "Too many failed sign-ins. For your security, signing in is paused for a while; "
    "try again later or ask your administrator."
)


class SignInForm(PlainTextForm, AuthenticationForm):
    """Django's sign-in form, refusing to check a password while the lock-out holds."""

    def __init__(self, request=None, *args, client_ip: str = "", **kwargs):
        super().__init__(request, *args, **kwargs)
        self.client_ip = client_ip
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.is_locked_out(username=username, client_ip=self.client_ip):
            raise forms.ValidationError(LOCKED_OUT_MESSAGE, code="locked_out")
        return super().clean()
