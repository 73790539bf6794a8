from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.certificates import seals, services
from apps.certificates.models import Certificate, CertificateProfile, IssuerKey


class CertificateProfileForm(forms.ModelForm):
    class Meta:
        model = CertificateProfile
        fields = [
            "office",
            "authority_name",
            "authority_name_secondary",
            "office_name",
            "office_name_secondary",
            "signatory_name",
            "signatory_title",
            "signatory_title_secondary",
            "seal",
        ]

    def clean_seal(self):
        seal = self.cleaned_data.get("seal")
        if not isinstance(seal, UploadedFile):
            return seal  # unchanged or cleared
        if seal.size > seals.SEAL_MAX_BYTES:
            raise forms.ValidationError(
                _("The seal is too large. Send a %(accepted)s.")
                % {"accepted": seals.accepted()}
            )
        try:
            content, extension = seals.check_seal(seal.read())
        except seals.uploads.UploadRejectedError as error:
            raise forms.ValidationError(str(error)) from error
        # What is stored is what was checked: an image re-encoded, under its real type.
        return SimpleUploadedFile(f"seal.{extension}", content)


@admin.register(CertificateProfile)
class CertificateProfileAdmin(admin.ModelAdmin):
    form = CertificateProfileForm
    list_display = ["__str__", "authority_name", "signatory_name", "signatory_title"]
    list_select_related = ["office"]
    fieldsets = [
        (None, {"fields": ["office"]}),
        (
            gettext_lazy("Issuing authority"),
            {"fields": ["authority_name", "authority_name_secondary"]},
        ),
        (gettext_lazy("Office"), {"fields": ["office_name", "office_name_secondary"]}),
        (
            gettext_lazy("Signature"),
            {
                "fields": [
                    "signatory_name",
                    "signatory_title",
                    "signatory_title_secondary",
                    "seal",
                ]
            },
        ),
    ]


@admin.register(IssuerKey)
class IssuerKeyAdmin(admin.ModelAdmin):
    """Keys are made and retired only by rotation; the private half is never shown."""

    list_display = ["kid", "is_active", "created_at", "retired_at"]
    fields = ["kid", "public_key", "is_active", "created_at", "retired_at"]
    readonly_fields = fields
    actions = ["rotate"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Rotate: sign with a new key from now on"))
    def rotate(self, request, queryset):
        key = services.issuer_key_rotate(actor=request.user)
        self.message_user(
            request,
            _("New signing key %(kid)s; earlier keys stay published for verifying.")
            % {"kid": key.kid},
            messages.SUCCESS,
        )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "event", "issued_by", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "event__registration_number"]
    list_select_related = ["event", "issued_by"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
