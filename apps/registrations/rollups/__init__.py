"""Submitted events counted per cell for the dashboards, kept in step with the
events (docs/rollups.md).

Every submitted event is counted in exactly one cell: its office, event type, the
day it was submitted (in the portal's time zone), its status, how long after the
event it was registered (`delay_bucket`) and, if MOSIP turned it down, the state it
was turned down in (`left_from`).

The cell changes only when an event is submitted or resubmitted (day, dates,
packets) or moves status; the services that do either call `rollups_shift` in the
same transaction (`history.event_move`, `services.submission`), which appends the
change, so a rolled-back change leaves the counts as they were. `rollups_fold`
adds the appended changes into the counts; `counts_between` reads them;
`rollups_rebuild` recounts everything from the events; `rollups_drift` recounts a
sample of days and names the differences.
"""

from apps.registrations.rollups.cells import (
    NO_DELAY,
    TURNED_DOWN,
    Cell,
    cell_of,
    counted,
    delay_bucket,
    left_from,
    registration_delay,
    week_part_end,
    week_part_start,
)
from apps.registrations.rollups.drift import rollups_drift
from apps.registrations.rollups.fold import (
    rollups_fold,
    rollups_fold_all,
    rollups_rebuild,
    rollups_shift,
)
from apps.registrations.rollups.measures import (
    CERTIFIED,
    DELAY,
    ID_WAIT,
    INTEGRAL,
    bin_of,
    percentiles,
)
from apps.registrations.rollups.reads import TRUNCATE, counts_between, measures_between

__all__ = [
    "CERTIFIED",
    "DELAY",
    "ID_WAIT",
    "INTEGRAL",
    "bin_of",
    "percentiles",
    "NO_DELAY",
    "TRUNCATE",
    "TURNED_DOWN",
    "Cell",
    "cell_of",
    "counted",
    "counts_between",
    "delay_bucket",
    "left_from",
    "measures_between",
    "registration_delay",
    "rollups_drift",
    "rollups_fold",
    "rollups_fold_all",
    "rollups_rebuild",
    "rollups_shift",
    "week_part_end",
    "week_part_start",
]
