"""Fixtures for the browser journeys: a live portal (web, worker and beat processes, see
live.py), the standalone MOSIP sandbox, and Debian's Chromium driven by Playwright.

Each journey's last screen is kept as var/journeys/<journey>.png; when a journey fails,
its page HTML is kept beside it (<journey>.html), and the portal's process logs are in
var/journeys/portal/.

A journey is a test in this folder marked `browser` that takes `page` (a tab whose
relative URLs go to the live portal) and `live_portal` (its URL, the users' password,
`sandbox_url`, and `setup()` to build state inside the portal through the services of
tests/journeys/portal_setup.py). Shared steps, such as signing in, are in steps.py.
A journey that needs a portal in another state (an empty one for onboarding) starts
its own `LivePortal` in a fixture of its own module.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.journeys.live import ROOT, LivePortal
from tests.security.planting import leaks

ARTIFACTS = ROOT / "var" / "journeys"
CHROMIUM = "/usr/bin/chromium"
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


@pytest.fixture(scope="session")
def live_portal(mosip_sandbox_process):
    """The portal, migrated and running, with one user per role and the ID schema."""
    portal = LivePortal(ARTIFACTS / "portal", sandbox_url=mosip_sandbox_process.url)
    portal.start()
    try:
        portal.setup("portal_setup.people(); portal_setup.id_schema()")
        yield portal
    finally:
        portal.stop()
    # Every line the web, worker and beat processes logged during the journeys.
    leaked = leaks(portal.logs(), portal.secrets)
    assert not leaked, f"secrets in the portal's logs: {leaked}"


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
def page(chromium, live_portal, request):
    """A fresh browser tab on the live portal; its last screen is kept."""
    context = chromium.new_context(
        base_url=live_portal.url, viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    try:
        tab.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        content = tab.content()
        if failed:
            (ARTIFACTS / f"{name}.html").write_text(content)
    finally:
        context.close()
    live_portal.check_alive()
    leaked = leaks(content, live_portal.secrets)
    assert not leaked, f"secrets on the last screen: {leaked}"
