"""Submitted events counted per cell, for the dashboards (docs/rollups.md).

A cell is an office, event type, registration day, status, registration delay and,
for events MOSIP turned down, the state they were turned down in. The services that
move events append changes (`EventCountChange`); a periodic fold adds them into the
daily counts (`EventCount`) and the counts per week part (`EventCountWeekPart`).
"""

from django.db import models


class CellColumns(models.Model):
    # 0 for the sum over every office, which a national supervisor reads instead
    # of adding up every office's; no foreign key, since 0 is no office.
    office_id = models.IntegerField()
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
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id} {self.event_type} {self.status}: {self.events}"


_CELL = ["office_id", "event_type", "status", "delay_bucket", "left_from"]


class EventCount(CellColumns):
    """How many submitted events share one cell on one day, and how many of them
    need no MOSIP packet, per office and for every office together. A cell that
    empties is deleted, so the fold and a rebuild leave the same rows."""

    day = models.DateField()  # the submission's date in the portal's time zone

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # Office first: a scope reads its offices' (or office 0's) days.
                fields=["office_id", "day", *_CELL[1:]],
                name="one_event_count_per_cell",
            ),
        ]


class EventCountWeekPart(CellColumns):
    """The daily counts added up over a week part: the days of one Monday-to-Sunday
    week that fall in one calendar month. A part lies in one week and one month, so
    whole parts add up to weeks and to months, and a year is about 64 parts instead
    of 365 days."""

    starts = models.DateField()  # the part's first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "starts", *_CELL[1:]],
                name="one_event_count_per_week_part",
            ),
        ]


class EventCountChange(CellColumns):
    """One event joining (+1) or leaving (-1) a cell, appended in the transaction
    that moves it. Appending shares no row between transactions, so busy workers
    never wait on each other's counts; the fold deletes the changes it adds up.
    Always of one office."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField()


# Measures -------------------------------------------------------------------------


class MeasureColumns(models.Model):
    # 0 for the sum over every office, which a national supervisor reads; no
    # foreign key, since 0 is no office.
    office_id = models.IntegerField()
    event_type = models.CharField(max_length=16)
    # "delay": days from the event to its registration; "id_wait": seconds from
    # submission to MOSIP's national ID; "certified": first certificates.
    measure = models.CharField(max_length=16)
    bin = models.SmallIntegerField()  # apps/registrations/rollups/measures.py
    events = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id} {self.event_type} {self.measure}/{self.bin}: {self.events}"


_MEASURE = ["office_id", "event_type", "measure", "bin"]


class MeasureCount(MeasureColumns):
    """Histograms of the waits, and certificates issued, per office (and for
    every office) and day: how many events fall in each bin."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "day", *_MEASURE[1:]],
                name="one_measure_count_per_bin",
            ),
        ]


class MeasureCountMonth(MeasureColumns):
    """The daily measure counts added up over calendar months."""

    month = models.DateField()  # the month's first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "month", *_MEASURE[1:]],
                name="one_measure_count_per_month_bin",
            ),
        ]


class MeasureCountWeekPart(MeasureColumns):
    """The daily measure counts added up over week parts (see
    `EventCountWeekPart`), for the days a range holds outside whole months."""

    starts = models.DateField()  # the part's first day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office_id", "starts", *_MEASURE[1:]],
                name="one_measure_count_per_week_part_bin",
            ),
        ]


class MeasureChange(MeasureColumns):
    """One event entering (+1) or leaving (-1) a bin of one office and day,
    appended by the services as `EventCountChange` is."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField()
