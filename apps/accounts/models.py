from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    SUPERVISOR = "supervisor", _("Supervisor")
    INTEGRATION_ADMIN = "integration_admin", _("Integration admin")


class Office(models.Model):
    """A civil-registration office; later mapped to a MOSIP registration centre."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    # A registrar works in exactly one office.
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrars",
    )
    # A supervisor oversees some offices, or all of them when national.
    supervised_offices = models.ManyToManyField(
        Office, blank=True, related_name="supervisors"
    )
    is_national_supervisor = models.BooleanField(default=False)
    # The interface language the user chose; empty: the browser's (docs/languages.md).
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.REGISTRAR) | Q(office__isnull=False),
                name="registrar_has_office",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.SUPERVISOR) | Q(is_national_supervisor=False),
                name="only_supervisors_are_national",
            ),
        ]

    @property
    def is_registrar(self) -> bool:
        return self.role == Role.REGISTRAR

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_integration_admin(self) -> bool:
        return self.role == Role.INTEGRATION_ADMIN


class SignInLock(models.Model):
    """The record of a sign-in lock the throttle started (apps/accounts/throttle.py),
    for administrators to see and lift. The lock itself lives in the cache and ends
    on its own at `locked_until`; lifting ends it early."""

    class Scope(models.TextChoices):
        PAIR = "pair", _("username from one address")
        ADDRESS = "address", _("every username from one address")

    scope = models.CharField(max_length=10, choices=Scope.choices)
    username = models.CharField(max_length=150, blank=True)
    client_address = models.CharField(max_length=45)
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_until = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-locked_at"]
        indexes = [models.Index(fields=["locked_until"])]

    def __str__(self) -> str:
        who = self.username or "any username"
        return f"{who} from {self.client_address}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.locked_until > timezone.now()
