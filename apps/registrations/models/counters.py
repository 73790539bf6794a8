"""Counters that allocate registration numbers and MOSIP application ids."""

from django.db import models


class RegistrationNumberCounter(models.Model):
    """Last registration number issued by an office in a year; locked to allocate."""

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"], name="one_counter_per_office_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_value}"


class ApplicationIdCounter(models.Model):
    """The 5-digit AID sequence of a MOSIP centre and machine (docs/mosip/packet-api.md §4)."""

    centre_id = models.CharField(max_length=5)
    machine_id = models.CharField(max_length=5)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["centre_id", "machine_id"],
                name="one_counter_per_centre_machine",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}_{self.machine_id}: {self.last_value}"
