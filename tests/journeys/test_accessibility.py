"""WCAG 2.2 AA: every page a visitor, a registrar, a supervisor and an integration
admin can reach, and the errors of their forms, pass axe-core's WCAG 2.0, 2.1 and 2.2
A and AA rules with no serious or critical violation, on a desktop screen
(test_phone_width.py covers 390 px)."""

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import ARTIFACTS
from tests.journeys.pages import axe_violations, crawl
from tests.journeys.steps import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
# The pages each user walked, and those with a violation as the screen showed them.
SHOTS = ARTIFACTS / "accessibility"
# Where each user starts; the visitor is not signed in.
STARTS = {
    "visitor": ("/", "/verify/"),
    "registrar": ("/",),
    "supervisor": ("/",),
    "integration": ("/",),
}


# Forms sent empty (or with a bad filter), so their error messages are checked too:
# a page, and the button to press there (None: the address itself is the bad input).
# No form here changes anything in the portal when it is refused.
REFUSED_FORMS = {
    "visitor": [("/sign-in/", "Sign in"), ("/verify/", "Verify")],
    # The new-event choice is required in the browser itself.
    "registrar": [],
    "supervisor": [("/dashboards/?start=not-a-date", None)],
    "integration": [],
}


def _pages(tab, live_portal, username):
    """Show every page the user reaches, then each refused form; the URL of each."""
    yield from crawl(tab, live_portal.url.rstrip("/"), start=STARTS[username])
    for path, button in REFUSED_FORMS[username]:
        tab.goto(path)
        if button:
            tab.get_by_role("button", name=button, exact=True).click()
            tab.wait_for_load_state()
        expect(tab.locator(".field-error, .error-summary").first).to_be_visible()
        yield f"{tab.url} (form refused)"


@pytest.fixture
def desktop(chromium):
    """Open a desktop-sized tab on a portal (or on no portal); closed after the test.
    The portal's CSP would refuse axe-core's injected script: see axe_violations."""
    contexts = []

    def open_on(url: str | None = None):
        context = chromium.new_context(base_url=url, viewport=DESKTOP, bypass_csp=True)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    yield open_on
    for context in contexts:
        context.close()


@pytest.mark.parametrize("username", list(STARTS))
def test_every_page_meets_wcag_aa(some_records, desktop, live_portal, username):
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = desktop(live_portal.url)
    if username != "visitor":
        sign_in(tab, username, live_portal.password)
    visited, violations = [], []
    for url in _pages(tab, live_portal, username):
        visited.append(url)
        found = axe_violations(tab)
        if found:
            shot = SHOTS / f"{username}-{len(visited):02d}.png"
            tab.screenshot(path=shot, full_page=True)
        violations += found
    (SHOTS / f"{username}.txt").write_text("\n".join(visited) + "\n")
    assert len(visited) >= 2, visited
    assert not violations, (
        f"{len(violations)} serious or critical WCAG violations on "
        f"{len({v.url for v in violations})} of {len(visited)} pages:\n"
        + "\n".join(str(v) for v in violations)
    )


BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title>
<style>.faint { color: #bbb; background: #fff; }</style>
</head><body><main>
  <h1>A page that breaks the rules</h1>
  <p class="faint" id="faint">Grey on white, too faint to read.</p>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="photo">
  <input type="text" id="nameless">
  <label for="described">Described</label>
  <input type="text" id="described" aria-describedby="described_helptext">
</main></body></html>"""

GOOD_PAGE = """<!doctype html><html lang="en"><head><title>Good</title></head>
<body><main><h1>A plain page</h1><label for="n">Name</label><input id="n">
<button>Send</button></main></body></html>"""


def test_the_checks_fail_on_a_page_that_breaks_the_rules(desktop):
    tab = desktop()
    tab.set_content(BAD_PAGE)
    found = {v.rule: v for v in axe_violations(tab)}
    assert found["color-contrast"].targets == ("#faint",)
    assert found["color-contrast"].impact == "serious"
    assert found["image-alt"].targets == ("#photo",)
    assert found["label"].targets == ("#nameless",)
    assert "#nameless" in str(found["label"])
    assert found["aria-valid-attr-value"].targets == ("#described",)

    tab.set_content(GOOD_PAGE)
    assert axe_violations(tab) == []
