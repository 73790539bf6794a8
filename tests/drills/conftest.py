"""Fault drills: the whole portal (web, worker and beat processes, see
tests/journeys/live.py) against a MOSIP sandbox of its own, while something breaks.

`drill_portal(name, **env)` starts a fresh portal, onboarded against a fresh sandbox
(`drill_portal.sandbox`), with one user per role and the ID schema; `env` overrides
the portal's settings (for example a shorter re-subscribe interval). Each drill ends
with `drill_report(name, **counts)`: the counts are printed (also under pytest's
capture) and kept in var/drills/<name>.txt.
"""

import pytest

from tests.journeys.conftest import _stop_and_check
from tests.journeys.live import ROOT, LivePortal
from tests.sandbox_process import SandboxProcess

ARTIFACTS = ROOT / "var" / "drills"
SANDBOX_SPEED = 600
# A drill waits on conditions with generous timeouts of its own (a wait that holds
# early costs nothing); the suite's per-test limit would cut them short.
DRILL_TIME_LIMIT_SECONDS = 1200


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("drill") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(DRILL_TIME_LIMIT_SECONDS))


@pytest.fixture
def drill_sandbox(tmp_path):
    sandbox = SandboxProcess(tmp_path).start()
    sandbox.set_speed(SANDBOX_SPEED)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def drill_portal(drill_sandbox):
    started: list[LivePortal] = []

    def start(name: str, **env: str) -> LivePortal:
        portal = LivePortal(ARTIFACTS / name, sandbox_url=drill_sandbox.url, **env)
        started.append(portal)
        portal.start()
        portal.setup("portal_setup.people(); portal_setup.id_schema()")
        portal.onboard()
        return portal

    start.sandbox = drill_sandbox
    yield start
    for portal in started:
        _stop_and_check(portal)


@pytest.fixture
def drill_report(capsys):
    def report(name: str, **counts) -> None:
        lines = [f"{name}: {key}={value}" for key, value in counts.items()]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{name}.txt").write_text("\n".join(lines) + "\n")
        with capsys.disabled():
            print("\n" + "\n".join(lines))

    return report
