"""The readiness registry: every prerequisite the portal needs from MOSIP, as a
check that re-verifies it live.

Apps add their checks from their AppConfig.ready():

    from apps.onboarding.readiness import CheckResult, register_check
    register_check("websub.subscriptions", "WebSub subscriptions live", fn,
                   "onboarding:step-websub")

`fn()` returns a CheckResult, an (ok, reason) tuple or a bool (or raises): the readiness page and
`python manage.py mosip_check` run them all, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    reason: str = ""


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    fn: Callable[[], "CheckResult | bool"]
    fix_url_name: str


@dataclass(frozen=True)
class CheckOutcome:
    key: str
    label: str
    ok: bool
    reason: str
    fix_url: str


_registry: dict[str, Check] = {}


def register_check(
    key: str, label: str, fn: Callable[[], "CheckResult | bool"], fix_url_name: str
) -> None:
    """Add (or replace, by key) a readiness check."""
    _registry[key] = Check(key, label, fn, fix_url_name)


def unregister_check(key: str) -> None:
    _registry.pop(key, None)


def registered_checks() -> list[Check]:
    return list(_registry.values())


def _fix_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def run_check(check: Check) -> CheckOutcome:
    try:
        result = check.fn()
    except Exception as exc:  # a failing check is red, never a crashed page
        result = CheckResult(
            False,
            _("The check itself failed: %(error)s") % {"error": type(exc).__name__},
        )
    if isinstance(result, bool):
        result = CheckResult(result, "" if result else _("Not satisfied."))
    elif isinstance(result, tuple):
        result = CheckResult(bool(result[0]), str(result[1]) if len(result) > 1 else "")
    # A label may be a lazy translation: the outcome holds it as text, in the
    # language of this run (the latest run is stored as JSON).
    return CheckOutcome(
        check.key,
        str(check.label),
        result.ok,
        result.reason,
        _fix_url(check.fix_url_name),
    )


def run_checks() -> list[CheckOutcome]:
    """Every registered check, run now, in registration order. A check that
    depends on an earlier one that failed reports that instead of calling MOSIP."""
    return [run_check(check) for check in registered_checks()]


def all_ok(outcomes: list[CheckOutcome]) -> bool:
    return bool(outcomes) and all(o.ok for o in outcomes)
