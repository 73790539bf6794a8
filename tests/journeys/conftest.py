"""Fixtures for the browser journeys: a live portal (web, worker and beat processes, see
live.py), the standalone MOSIP sandbox, and Debian's Chromium driven by Playwright.

Each journey's last screen is kept as var/journeys/<journey>.png; when a journey fails,
its page HTML is kept beside it (<journey>.html), and the portal's process logs are in
var/journeys/portal/.

A journey is a test in this folder marked `browser` that takes `page` (a tab whose
relative URLs go to the live portal) and `live_portal` (its URL, the users' password,
`sandbox_url`, and `setup()` to build state inside the portal through the services of
tests/journeys/portal_setup.py). Shared steps, such as signing in, are in steps.py;
walking every page a user reaches, and what is checked on each, in pages.py.
A journey that must start from a fresh installation (onboarding) calls
`fresh_portal("name", *setup calls)` for a portal of its own, and `open_tab(portal)`
for a tab on it.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.journeys import records
from tests.journeys.live import ROOT, LivePortal
from tests.sandbox_process import SandboxProcess
from tests.security.planting import leaks

ARTIFACTS = ROOT / "var" / "journeys"
CHROMIUM = "/usr/bin/chromium"
SANDBOX_SPEED = 600
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _stop_and_check(portal: LivePortal) -> None:
    portal.stop()
    # Every line the web, worker and beat processes logged during the journeys.
    leaked = leaks(portal.logs(), portal.secrets)
    assert not leaked, f"secrets in the portal's logs: {leaked}"


@pytest.fixture(scope="package")
def journey_sandbox(tmp_path_factory):
    """A MOSIP sandbox of the journeys' own, so what other tests do to theirs (resets,
    faults) never reaches the live portal; its clock runs fast so MOSIP's processing
    takes seconds."""
    sandbox = SandboxProcess(tmp_path_factory.mktemp("journey-sandbox")).start()
    sandbox.set_speed(SANDBOX_SPEED)
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="package")
def live_portal(journey_sandbox):
    """The portal, migrated, running and onboarded against the journeys' sandbox,
    with one user per role and the ID schema. Stopped after the last journey."""
    portal = LivePortal(ARTIFACTS / "portal", sandbox_url=journey_sandbox.url)
    portal.start()
    try:
        portal.setup("portal_setup.people(); portal_setup.id_schema()")
        portal.onboard()
        yield portal
    finally:
        _stop_and_check(portal)


@pytest.fixture(scope="package")
def some_records(live_portal):
    """For the journeys that walk every page: a birth with its national ID, a
    registrar's draft, and a birth stuck by a MOSIP outage, so the lists, the event
    and draft pages, the supervisor's stuck and error lists and the dashboards'
    figures have rows."""
    records.build(live_portal, 'id_holders("Zainab Every-Page/FLE")')
    records.build(live_portal, 'draft_birth("Yusuf Every-Page")')
    records.set_faults(live_portal, outage={"mode": "503", "until": time.time() + 300})
    try:
        records.build(live_portal, 'stuck_birth("Musa Every-Page")')
    finally:
        records.clear_faults(live_portal)


@pytest.fixture
def fresh_portal(journey_sandbox):
    """Start another live portal, empty but for what `setup` calls build; for a
    journey that must begin from a fresh installation. Stopped after the test.
    `sandbox=` gives it another sandbox than the journeys' shared one."""
    started: list[LivePortal] = []

    def start(name: str, *setup: str, sandbox=None) -> LivePortal:
        url = (sandbox or journey_sandbox).url
        portal = LivePortal(ARTIFACTS / name, sandbox_url=url)
        started.append(portal)
        portal.start()
        for call in setup:
            portal.setup(call)
        return portal

    yield start
    for portal in started:
        _stop_and_check(portal)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def open_tab(chromium, request):
    """Open a browser tab on a given portal; each tab's last screen is kept (named
    after the test, with a suffix after the first), and its page HTML on failure."""
    opened = []

    def open_on(portal: LivePortal):
        context = chromium.new_context(
            base_url=portal.url, viewport={"width": 1280, "height": 900}
        )
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        opened.append((portal, context, tab))
        return tab

    yield open_on
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    leaked = []
    for n, (portal, context, tab) in enumerate(opened):
        stem = name if n == 0 else f"{name}-{n + 1}"
        try:
            tab.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
            content = tab.content()
            if failed:
                (ARTIFACTS / f"{stem}.html").write_text(content)
            else:
                (ARTIFACTS / f"{stem}.html").unlink(missing_ok=True)
        finally:
            context.close()
        portal.check_alive()
        leaked += leaks(content, portal.secrets)
    assert not leaked, f"secrets on the last screen: {leaked}"


@pytest.fixture
def page(open_tab, live_portal):
    """A browser tab on the live portal; relative URLs go to it."""
    return open_tab(live_portal)
