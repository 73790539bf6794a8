"""Reg-proc configuration the sandbox reproduces, settable through the test API.

Defaults are mosip-config v1.2.4.0's (registration-processor-default.properties,
application-default.properties) unless noted. `CRVS_UPDATE` is this deployment's
marital-status update process: MOSIP's docs name it, its config does not have it,
so it is added here the way a country would add it (category UPDATE, the death
route's shape, `IDSchemaVersion,UIN` mandatory).
"""

import copy
from typing import Any

from apps.mosip_sandbox.store import get_store

_PROCESS_TABLE = "process_table"
_TIMING = "processing_timing"
_RULES = "processing_rules"

DEFAULT_PROCESS_TABLE: dict[str, Any] = {
    # registration.processor.main-processes
    "mainProcesses": [
        "NEW",
        "UPDATE",
        "LOST",
        "RES_UPDATE",
        "ACTIVATE",
        "DEACTIVATE",
        "OPENCRVS_NEW",
    ],
    # registration.processor.additional-process.category-mapping
    "categoryMapping": {
        "CRVS_NEW": "NEW",
        "CRVS_DEATH": "UPDATE",
        "CRVS_UPDATE": "UPDATE",
    },
    # process -> camel route the sandbox runs (processing.routes)
    "routes": {
        "CRVS_NEW": "crvs_new",
        "CRVS_DEATH": "crvs_death",
        "CRVS_UPDATE": "crvs_update",
    },
    # mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.<process>
    "mandatoryAttributes": {
        "CRVS_NEW": [
            "IDSchemaVersion",
            "UIN",
            "fullName",
            "dateOfBirth|age",
            "gender",
            "addressLine1",
            "region",
            "province",
            "city",
            "zone",
        ],
        "CRVS_DEATH": ["IDSchemaVersion", "UIN"],
        "CRVS_UPDATE": ["IDSchemaVersion", "UIN"],
    },
}

# The reprocessor picks RESUMABLE rows on a 3-minute cron; each stage then takes
# a few seconds. Both scale with the sandbox clock's speed.
DEFAULT_TIMING = {"pickupDelay": 180.0, "stageDelay": 3.0}

DEFAULT_RULES: dict[str, Any] = {
    # mosip.regproc.packet.classifier.tagging.agegroup.ranges (years, inclusive)
    "ageGroups": {"INFANT": [0, 5], "MINOR": [6, 17], "ADULT": [18, 200]},
    "demoDedupe": True,
}


def _merged(name: str, default: dict) -> dict:
    stored = get_store().get("settings", name) or {}
    return {**copy.deepcopy(default), **stored}


def process_table() -> dict[str, Any]:
    return _merged(_PROCESS_TABLE, DEFAULT_PROCESS_TABLE)


def timing() -> dict[str, float]:
    return _merged(_TIMING, DEFAULT_TIMING)


def rules() -> dict[str, Any]:
    return _merged(_RULES, DEFAULT_RULES)


def update(changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a partial change to any of the three groups; returns them all."""
    groups = {
        "processTable": (_PROCESS_TABLE, DEFAULT_PROCESS_TABLE),
        "timing": (_TIMING, DEFAULT_TIMING),
        "rules": (_RULES, DEFAULT_RULES),
    }
    unknown = set(changes) - set(groups)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    store = get_store()
    for group, change in changes.items():
        name, default = groups[group]
        if not isinstance(change, dict) or set(change) - set(default):
            raise ValueError(f"{group} accepts only {sorted(default)}")
        if group == "timing" and not all(
            isinstance(v, int | float) and v >= 0 for v in change.values()
        ):
            raise ValueError("timing values are non-negative seconds")
        stored = store.get("settings", name) or {}
        store.put("settings", name, {**stored, **change})
    return current()


def current() -> dict[str, Any]:
    return {"processTable": process_table(), "timing": timing(), "rules": rules()}
