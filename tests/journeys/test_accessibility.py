"""WCAG 2.2 AA: every page a visitor, a registrar, a supervisor and an integration
admin can reach, and the errors of their forms, pass axe-core's WCAG 2.0, 2.1 and 2.2
A and AA rules with no serious or critical violation, on a desktop screen
(test_phone_width.py covers 390 px). And the keyboard alone signs in, with focus
visible at every stop."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import ARTIFACTS
from tests.journeys.pages import axe_violations, crawl, focus_order, tab_to
from tests.journeys.steps import sign_in, start_event

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
<style>.faint { color: #bbb; background: #fff; } #ring:focus { outline: none; }</style>
</head><body><main>
  <h1>A page that breaks the rules</h1>
  <p class="faint" id="faint">Grey on white, too faint to read.</p>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="photo">
  <input type="text" id="nameless">
  <label for="described">Described</label>
  <input type="text" id="described" aria-describedby="described_helptext">
  <a href="#top">Top</a>
  <button id="ring">No ring</button>
</main></body></html>"""

GOOD_PAGE = """<!doctype html><html lang="en"><head><title>Good</title></head>
<body><main><h1>A plain page</h1><label for="n">Name</label><input id="n">
<label for="d">Born</label><input id="d" type="date">
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

    stops = {stop.name: stop for stop in focus_order(tab)}
    assert list(stops) == ["", "Described", "Top", "No ring"]
    assert stops["Top"].indicated and stops["Top"].visible
    assert not stops["No ring"].indicated

    tab.set_content(GOOD_PAGE)
    assert axe_violations(tab) == []
    name, born, send = focus_order(tab)
    assert (name.name, name.indicated, name.presses) == ("Name", True, 1)
    # Day, month and year each take a Tab, in one control.
    assert (born.name, born.indicated) == ("Born", True) and born.presses >= 3
    assert (send.name, send.indicated) == ("Send", True)


def test_a_user_signs_in_with_the_keyboard_alone(desktop, live_portal):
    tab = desktop(live_portal.url)
    tab.goto("/sign-in/")
    stops = focus_order(tab)
    assert [stop.name for stop in stops] == [
        "Skip to content",
        "Civil registration portal",
        # The interface language can be chosen before signing in.
        "Language",
        "Change",
        "Username",
        "Password",
        "Sign in",
    ]
    hidden = [str(stop) for stop in stops if not (stop.visible and stop.indicated)]
    assert not hidden, hidden

    # The page opens with the username focused: type, Tab, type, Enter.
    tab.reload()
    assert tab_to(tab, "Username", most=0).indicated
    tab.keyboard.type("registrar")
    tab.keyboard.press("Tab")
    tab.keyboard.type(live_portal.password)
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("button", name="Sign out")).to_be_visible()
    expect(tab.get_by_role("heading", name="Registrations")).to_be_visible()


def _enter_to_next_page(tab) -> None:
    """Press Enter on what has focus, and wait for the page it leads to."""
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def _tab_until(tab, target: str, most: int = 80) -> None:
    """Press Tab until focus is on `target`: an element id (#…), or else the text
    of the link or button."""
    for _ in range(most):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? [e.id, (e.textContent || '').trim()] : ['', ''] }"
        )
        if (target.startswith("#") and focused[0] == target[1:]) or (
            focused[1] == target
        ):
            return
    raise AssertionError(f"Tab never reached {target}")


def test_a_registrar_registers_a_birth_with_the_keyboard_alone(desktop, live_portal):
    """Tab, typing, Space and Enter only, from the list to the registration: each
    step is sent with Enter from its last answer."""
    tab = desktop(live_portal.url)
    sign_in(tab, "registrar", live_portal.password)
    born = datetime.date.today() - datetime.timedelta(days=12)
    _tab_until(tab, "Record a new event")
    _enter_to_next_page(tab)
    _tab_until(tab, "#id_event_type_0")  # Birth, the first kind
    tab.keyboard.press("Space")
    _tab_until(tab, "Start")
    _enter_to_next_page(tab)

    steps = [
        [
            ("#id_child__fullName__eng", "Yusuf Keyboard"),
            ("#id_child__gender", "Male"),
            ("#id_child__dateOfBirth", born.strftime("%m%d%Y")),
            ("#id_child__addressLine1__eng", "3 Key Street"),
            ("#id_child__city__eng", "Port Town"),
            ("#id_child__zone__eng", "Ward 2"),
            ("#id_child__province__eng", "Lakeside"),
            ("#id_child__region__eng", "North"),
        ],
        [("#id_birth__place_type", "Health"), ("#id_birth__place", "Port Clinic")],
        [("#id_mother__full_name", "Mariam Keyboard")],
        [("#id_father__full_name", "")],
        [("#id_informant__relationship", "Mother"), ("#id_informant__full_name", "Mariam Keyboard")],
        [("#id_attendant__full_name", "")],
    ]  # fmt: skip
    for number, answers in enumerate(steps, start=1):
        tab.screenshot(path=SHOTS / f"keyboard-birth-{number:02d}.png", full_page=True)
        expect(tab.locator("fieldset.section > legend")).to_contain_text(
            f"Step {number} of 8"
        )
        for target, text in answers:
            _tab_until(tab, target)
            tab.keyboard.type(text)
        _enter_to_next_page(tab)  # from a text box: the step's main button
    expect(tab.locator("#documents-title")).to_be_visible()
    _tab_until(tab, "Continue to review")
    _enter_to_next_page(tab)
    expect(tab.get_by_role("heading", name="Review the birth before submitting"))
    expect(tab.get_by_text("Yusuf Keyboard")).to_be_visible()
    _tab_until(tab, "Submit")
    tab.keyboard.press("Enter")
    expect(
        tab.get_by_text(re.compile(r"Registered as JOURNEY-\d{4}-\d{6}\."))
    ).to_be_visible()


def test_every_step_of_the_event_form_and_its_errors_meet_wcag_aa(desktop, live_portal):
    tab = desktop(live_portal.url)
    sign_in(tab, "registrar", live_portal.password)
    start_event(tab, "Birth")
    seen, violations = [], []

    def check(what: str) -> None:
        seen.append(what)
        violations.extend(axe_violations(tab))

    # A step sent with an answer MOSIP refuses, and its error summary.
    tab.locator("#id_child__fullName__eng").fill("Al")
    tab.get_by_role("button", name="Save and continue", exact=True).click()
    expect(tab.locator(".error-summary")).to_be_visible()
    check("a step with errors")
    for number in range(2, 7):
        tab.get_by_role("button", name=re.compile(rf"^{number}\. ")).click()
        expect(tab.locator("fieldset.section > legend")).to_contain_text(
            f"Step {number} of"
        )
        check(f"step {number}")
    tab.get_by_role("button", name=re.compile(r"^7\. Documents")).click()
    tab.get_by_role("button", name="Attach").click()  # no file chosen
    expect(tab.locator("#id_file_error")).to_be_visible()
    check("the documents step refusing an upload")
    draft = re.search(r"/registrations/\d+/", tab.url).group(0)
    tab.goto(draft + "review/")
    expect(tab.locator(".error-summary")).to_be_visible()
    check("the review listing what is left to correct")
    assert len(seen) == 8
    assert not violations, "\n".join(str(v) for v in violations)
