from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.certificates.claim169 import MAX_TEXT_CHARS
from apps.certificates.models import CertificateKind
from apps.core.forms import PlainTextForm


class IssueForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(choices=CertificateKind.choices)
    reason = forms.CharField(
        max_length=300,
        required=False,
        label=_("Reason"),
        help_text=_("Required for a reprint, e.g. the first certificate was lost."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == CertificateKind.REPRINT
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", gettext("Give the reason for the reprint."))
        return cleaned


class VerifyForm(PlainTextForm, forms.Form):
    qr_text = forms.CharField(
        label=_("QR code text"),
        required=False,
        # Longer than any QR code can hold; the check itself says so in plain words.
        max_length=MAX_TEXT_CHARS * 2,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("Paste the text a QR scanner app read from the certificate."),
    )
    photo = forms.FileField(
        label=_("Or a photo of the QR code"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("qr_text") and not cleaned.get("photo"):
            raise forms.ValidationError(
                gettext("Paste the QR code text or choose a photo.")
            )
        return cleaned
