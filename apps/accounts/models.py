from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    REGISTRAR = "registrar", "Registrar"
    SUPERVISOR = "supervisor", "Supervisor"
    INTEGRATION_ADMIN = "integration_admin", "Integration admin"


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
