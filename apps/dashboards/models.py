"""What the dashboards need beyond the registrations: expected event counts."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpectedEventType(models.TextChoices):
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")


class ExpectedEvents(models.Model):
    """How many births or deaths an office's area should see in a year.

    Usually a statistics office projection; completeness is registered ÷ expected.
    """

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1900)])
    event_type = models.CharField(max_length=16, choices=ExpectedEventType.choices)
    expected = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    source = models.CharField(
        max_length=200, blank=True, help_text=_("Where the figure comes from.")
    )

    class Meta:
        ordering = ["-year", "office__name", "event_type"]
        verbose_name = "expected events"
        verbose_name_plural = "expected events"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "event_type"],
                name="one_expectation_per_office_year_type",
            ),
            models.CheckConstraint(
                condition=models.Q(expected__gt=0), name="expected_is_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.year} {self.get_event_type_display()}: {self.expected}"
