"""Fault switches: latency, error rates, outages, and the hub's delivery quirks.

One store document, `settings`/`faults`, holds every switch. The middleware applies
latency, error rates and "503" outages to MOSIP routes; the request handler of the
sandbox command applies "refuse" outages (a dropped connection has no HTTP response).
The hub reads `duplicate_rate`, `reorder` and `halt_subscribers` itself. Nothing here
ever touches `/sandbox/`, so a test can always switch a fault off again.
"""

import copy
import json
import random
import time
from typing import Any

from django.http import HttpResponse, JsonResponse

from apps.mosip_sandbox import envelope
from apps.mosip_sandbox.esignet import fault_switches as esignet_switches
from apps.mosip_sandbox.store import get_store

SANDBOX_PREFIX = "/sandbox/"
DEFAULTS: dict[str, Any] = {
    "latency_ms": 0,
    "error_rates": {},
    "outage": {"mode": None, "until": None},
    "duplicate_rate": 0.0,
    "reorder": False,
    "halt_subscribers": False,
    # The next N createPacket calls fail inside packet manager and are swallowed
    # (`response: null, errors: []`, docs/mosip/packet-api.md §3.7), whatever the request.
    "swallow_packets": 0,
    # e-Signet alone down, slow, or answering forged tokens (esignet/fault_switches.py).
    "esignet": esignet_switches.DEFAULT,
    # IDA alone (docs/mosip/ida.md §7): its ingress answers 503, it answers late, or
    # it signs other bytes than it sends.
    "ida": {"unavailable": False, "latency_ms": 0, "tamper_response_signature": False},
}
OUTAGE_MODES = ("503", "refuse")


class InvalidFaults(ValueError):
    pass


def current() -> dict[str, Any]:
    """The fault switches, every key present (defaults where unset)."""
    stored = get_store().get("settings", "faults") or {}
    merged = copy.deepcopy(DEFAULTS)
    merged.update({k: v for k, v in stored.items() if k in DEFAULTS})
    return merged


def update(changes: dict[str, Any]) -> dict[str, Any]:
    """Merge validated changes into the switches; InvalidFaults names the bad key."""
    if not isinstance(changes, dict):
        raise InvalidFaults("expected an object")
    unknown = set(changes) - set(DEFAULTS)
    if unknown:
        raise InvalidFaults(f"unknown switches: {', '.join(sorted(unknown))}")
    merged = current()
    for key, value in changes.items():
        merged[key] = _VALIDATORS[key](value)
    get_store().put("settings", "faults", merged)
    return merged


def clear() -> dict[str, Any]:
    get_store().delete("settings", "faults")
    return current()


def _latency(value) -> int:
    try:
        latency = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidFaults("latency_ms must be an integer") from exc
    if not 0 <= latency <= 120_000:
        raise InvalidFaults("latency_ms must be between 0 and 120000")
    return latency


def _probability(name: str, value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidFaults(f"{name} must be a number") from exc
    if not 0.0 <= rate <= 1.0:
        raise InvalidFaults(f"{name} must be between 0 and 1")
    return rate


def _error_rates(value) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InvalidFaults("error_rates must map path prefixes to probabilities")
    rates = {}
    for prefix, rate in value.items():
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise InvalidFaults("error_rates keys must be paths starting with /")
        rates[prefix] = _probability(f"error_rates[{prefix}]", rate)
    return rates


def _outage(value) -> dict[str, Any]:
    if value is None:
        return {"mode": None, "until": None}
    if not isinstance(value, dict):
        raise InvalidFaults('outage must be {"mode": "503"|"refuse", "until": ...}')
    mode = value.get("mode")
    mode = None if mode in (None, "", "none") else str(mode)
    if mode is not None and mode not in OUTAGE_MODES:
        raise InvalidFaults('outage.mode must be "503", "refuse" or null')
    until = value.get("until")
    if until in ("", None):
        until = None
    else:
        try:
            until = float(until)
        except (TypeError, ValueError) as exc:
            raise InvalidFaults("outage.until must be epoch seconds or null") from exc
    return {"mode": mode, "until": until}


def _flag(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "1", 1):
        return True
    if value in ("false", "off", "0", 0, "", None):
        return False
    raise InvalidFaults(f"{name} must be true or false")


def _count(name: str, value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidFaults(f"{name} must be an integer") from exc
    if count < 0:
        raise InvalidFaults(f"{name} must not be negative")
    return count


def take_swallow() -> bool:
    """Whether this createPacket is to be swallowed; counts the switch down."""
    store = get_store()
    with store.transaction():
        stored = store.get("settings", "faults") or {}
        left = int(stored.get("swallow_packets") or 0)
        if left <= 0:
            return False
        store.put("settings", "faults", {**stored, "swallow_packets": left - 1})
    return True


def _ida(value) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidFaults("ida must be an object")
    unknown = set(value) - set(DEFAULTS["ida"])
    if unknown:
        raise InvalidFaults(f"unknown ida switches: {', '.join(sorted(unknown))}")
    merged = {**current()["ida"], **value}
    return {
        "unavailable": _flag("ida.unavailable", merged["unavailable"]),
        "latency_ms": _latency(merged["latency_ms"]),
        "tamper_response_signature": _flag(
            "ida.tamper_response_signature", merged["tamper_response_signature"]
        ),
    }


_VALIDATORS = {
    "latency_ms": _latency,
    "error_rates": _error_rates,
    "outage": _outage,
    "duplicate_rate": lambda v: _probability("duplicate_rate", v),
    "reorder": lambda v: _flag("reorder", v),
    "halt_subscribers": lambda v: _flag("halt_subscribers", v),
    "swallow_packets": lambda v: _count("swallow_packets", v),
    "esignet": lambda v: _esignet(v),
    "ida": _ida,
}


def _esignet(value) -> dict[str, Any]:
    try:
        return esignet_switches.validate(value)
    except ValueError as exc:
        raise InvalidFaults(str(exc)) from exc


def active_outage(switches: dict[str, Any] | None = None) -> str | None:
    """The outage mode in force now, or None."""
    outage = (switches or current())["outage"]
    if not outage.get("mode"):
        return None
    until = outage.get("until")
    if until is not None and time.time() >= until:
        return None
    return outage["mode"]


def applies_to(path: str) -> bool:
    return not path.startswith(SANDBOX_PREFIX)


def refuses(path: str) -> bool:
    """Whether a request for `path` is to be dropped without any response."""
    return applies_to(path) and active_outage() == "refuse"


def _unavailable() -> HttpResponse:
    # What the ingress in front of MOSIP answers when no pod is ready.
    return HttpResponse(
        "no healthy upstream",
        status=503,
        content_type="text/plain",
        reason="Service Unavailable",
    )


def _internal_error(path: str) -> JsonResponse:
    # Spring Boot's default error body, as a failing MOSIP service returns it.
    return JsonResponse(
        {
            "timestamp": envelope.utc_timestamp(),
            "status": 500,
            "error": "Internal Server Error",
            "path": path,
        },
        status=500,
    )


def _error_rate_for(path: str, rates: dict[str, float]) -> float:
    matches = [prefix for prefix in rates if path.startswith(prefix)]
    return rates[max(matches, key=len)] if matches else 0.0


class FaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not applies_to(request.path):
            return self.get_response(request)
        switches = current()
        if switches["latency_ms"]:
            time.sleep(switches["latency_ms"] / 1000)
        if active_outage(switches):
            # A "refuse" outage is enforced by the request handler; anything that
            # slips through (an in-process client) still gets no service.
            return _unavailable()
        rate = _error_rate_for(request.path, switches["error_rates"])
        if rate and random.random() < rate:
            return _internal_error(request.path)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # MOSIP never shows a stack trace; neither does the sandbox.
        if request.path.startswith(SANDBOX_PREFIX):
            return JsonResponse({"error": "internal error"}, status=500)
        return envelope.respond(
            id=None,
            version=None,
            errors=[envelope.error("KER-MSD-500", "Internal server error")],
            status=500,
        )


def parse_form(data: dict[str, str]) -> dict[str, Any]:
    """Switch changes from the admin page's form fields (all strings)."""
    changes: dict[str, Any] = {}
    if "latency_ms" in data:
        changes["latency_ms"] = data["latency_ms"] or 0
    if "error_rates" in data:
        text = data["error_rates"].strip()
        try:
            changes["error_rates"] = json.loads(text) if text else {}
        except ValueError as exc:
            raise InvalidFaults("error_rates must be a JSON object") from exc
    if "outage_mode" in data:
        minutes = data.get("outage_minutes", "").strip()
        try:
            until = time.time() + float(minutes) * 60 if minutes else None
        except ValueError as exc:
            raise InvalidFaults("outage minutes must be a number") from exc
        changes["outage"] = {"mode": data["outage_mode"], "until": until}
    if "duplicate_rate" in data:
        changes["duplicate_rate"] = data["duplicate_rate"] or 0
    for flag in ("reorder", "halt_subscribers"):
        if "flags" in data:
            changes[flag] = data.get(flag) == "on"
    return changes
