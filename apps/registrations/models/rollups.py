"""Submitted events counted per day, kept up to date by the services that move them."""

from django.db import models


class EventCount(models.Model):
    """How many submitted events share one office, event type, registration day,
    status, registration delay and, for those MOSIP turned down, the state they were
    turned down in; and how many of them need no MOSIP packet.

    One row per cell with at least one event: a cell that empties is deleted, so
    `rollups_rebuild` and the services leave the same rows (docs/rollups.md).
    """

    day = models.DateField()  # the submission's date in the portal's time zone
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event_type = models.CharField(max_length=16)
    status = models.CharField(max_length=20)
    # 0: registered within 30 days of the event, 1: within a year, 2: later;
    # -1: no event date, or an event date after the registration.
    delay_bucket = models.SmallIntegerField()
    # For a rejected or failed event with a packet, the state MOSIP turned it down
    # in; blank otherwise.
    left_from = models.CharField(max_length=20, blank=True)
    events = models.IntegerField()
    without_packet = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "office",
                    "event_type",
                    "status",
                    "delay_bucket",
                    "left_from",
                ],
                name="one_event_count_per_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.event_type} {self.status}: {self.events}"
