"""Certificates issued for vital events, the portal's QR signing keys, and the
per-office wording (name, signatory, seal) printed on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.certificates.seals import SEAL_MAX_BYTES, check_seal
from apps.core.fields import EncryptedTextField
from apps.core.uploads import UploadRejectedError


def validate_seal_size(upload) -> None:
    # Every certificate embeds the seal: a large one slows each PDF down.
    if upload.size > SEAL_MAX_BYTES:
        raise ValidationError(_("The seal image must be 200 KB or smaller."))


def validate_seal_content(upload) -> None:
    """A newly uploaded seal parses as a PNG, JPEG or plain SVG (see `seals`)."""
    if getattr(upload, "_committed", False):
        return  # the stored seal was checked when it was uploaded
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        check_seal(content)
    except UploadRejectedError as error:
        raise ValidationError(str(error), code="invalid_seal") from error


class CertificateProfile(models.Model):
    """What an office prints on its certificates; the row without an office is the default."""

    office = models.OneToOneField(
        "accounts.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_profile",
        help_text=_("Leave blank for the default used by offices without their own."),
    )
    authority_name = models.CharField(
        max_length=200,
        default="Civil Registration Authority",
        help_text=_("Issuing authority, in the primary language."),
    )
    authority_name_secondary = models.CharField(
        max_length=200, blank=True, help_text=_("The same, in the secondary language.")
    )
    office_name = models.CharField(
        max_length=200, blank=True, help_text=_("Blank prints the office's own name.")
    )
    office_name_secondary = models.CharField(max_length=200, blank=True)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, default="Registrar")
    signatory_title_secondary = models.CharField(max_length=200, blank=True)
    seal = models.FileField(
        upload_to="certificates/seals/",
        blank=True,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg", "svg"]),
            validate_seal_size,
            validate_seal_content,
        ],
        help_text=_(
            "PNG, JPEG or SVG up to 200 KB, printed beside the signature. "
            "Images are stored re-encoded, without their metadata."
        ),
    )

    class Meta:
        constraints = [
            # Null counts as office 0, so there is at most one default row.
            models.UniqueConstraint(
                Coalesce("office", Value(0)),
                name="one_certificate_profile_per_office",
                violation_error_message="There is already wording for this office.",
            )
        ]

    def __str__(self) -> str:
        return f"Certificate wording for {self.office or 'all offices'}"


class IssuerKey(models.Model):
    """An Ed25519 key that signs certificate QR codes.

    The private key is encrypted at rest. Rotation makes a new key the signing one and
    keeps the old ones' public halves published, so certificates already printed stay
    verifiable.
    """

    kid = models.CharField(max_length=40, unique=True)
    private_key = EncryptedTextField()  # raw 32-byte seed, base64
    public_key = models.CharField(max_length=64)  # raw 32 bytes, base64
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_issuer_key",
            )
        ]

    def __str__(self) -> str:
        return self.kid


class CertificateKind(models.TextChoices):
    ORIGINAL = "original", _("First issue")
    REPRINT = "reprint", _("Reprint")
    CERTIFIED_COPY = "copy", _("Certified copy")


def _pdf_path(certificate: "Certificate", filename: str) -> str:
    return f"certificates/{certificate.event_id}/{certificate.number}.pdf"


class Certificate(models.Model):
    """One printed certificate: a first issue, a reprint or a certified copy."""

    event = models.ForeignKey(
        "registrations.VitalEvent",
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(max_length=50, unique=True)
    sequence = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=CertificateKind.choices)
    reason = models.CharField(max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    issuer_key = models.ForeignKey(
        IssuerKey, on_delete=models.PROTECT, related_name="certificates"
    )
    pdf = models.FileField(upload_to=_pdf_path)
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sequence"], name="one_certificate_per_sequence"
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(kind="original"),
                name="one_first_issue_per_event",
            ),
        ]

    def __str__(self) -> str:
        return self.number
