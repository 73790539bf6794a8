"""Steps 3–6: registration centre, machine, officer and the officer's mappings.

MOSIP creates every masterdata object inactive (§2): the id it generates is recorded
as soon as MOSIP answers, so a step interrupted before activation resumes by
activating that object instead of creating a second one."""

from apps.onboarding.services.masterdata.centre import (
    CentreDetails,
    centre_current,
    centre_record_existing,
    centre_setup,
)
from apps.onboarding.services.masterdata.machine import (
    machine_current,
    machine_record_existing,
    machine_rotate_key,
    machine_setup,
)
from apps.onboarding.services.masterdata.officer import (
    officer_current,
    officer_map,
    officer_mapping_problem,
    officer_setup,
    officer_verify,
)

__all__ = [
    "CentreDetails",
    "centre_current",
    "centre_record_existing",
    "centre_setup",
    "machine_current",
    "machine_record_existing",
    "machine_rotate_key",
    "machine_setup",
    "officer_current",
    "officer_map",
    "officer_mapping_problem",
    "officer_setup",
    "officer_verify",
]
