"""The form under an event's review that submits it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import PlainTextForm

REASON_MAX_CHARS = 1000


class SubmitForm(PlainTextForm, forms.Form):
    """Submitting; when registered events look like this one, with the reason for
    registering it anyway (the submission service decides whether one is needed)."""

    duplicate_reason = forms.CharField(
        label=_("Why register this event as well?"),
        help_text=_(
            "For example: twins, born the same day; a different child, checked with "
            "the mother; the earlier registration is of another person with the "
            "same name. Your reason is kept with the event and shown to supervisors."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_CHARS,
        required=False,
    )

    def ask_for_reason(self) -> None:
        """Shown as required: earlier events look like this one. Whether a reason
        is needed is still the submission service's to decide when it is posted."""
        self.fields["duplicate_reason"].required = True

    def reason(self) -> str:
        """The reason given, or blank; call after is_valid()."""
        return self.cleaned_data.get("duplicate_reason", "")
