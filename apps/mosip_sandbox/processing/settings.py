"""Sandbox-only processing settings, settable through the test API: timing and
rules. Which processes exist, their routes and mandatory attributes are MOSIP's own
configuration (apps.mosip_sandbox.processes, processing.camel), changed through
`PATCH /sandbox/api/config`.
"""

import copy
from typing import Any

from apps.mosip_sandbox.store import get_store

_TIMING = "processing_timing"
_RULES = "processing_rules"

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


def timing() -> dict[str, float]:
    return _merged(_TIMING, DEFAULT_TIMING)


def rules() -> dict[str, Any]:
    return _merged(_RULES, DEFAULT_RULES)


def update(changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a partial change to timing or rules; returns both."""
    groups = {
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
    return {"timing": timing(), "rules": rules()}
