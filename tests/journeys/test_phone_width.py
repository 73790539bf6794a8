"""Every page a registrar, a supervisor and an integration admin can reach fits a
390 px phone: the page never scrolls sideways (wide tables scroll in their own box),
and the header's menu folds into a disclosure."""

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import ARTIFACTS
from tests.journeys.pages import crawl
from tests.journeys.steps import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Each page as a phone shows it, kept for looking at.
SHOTS = ARTIFACTS / "phone"

# Which element sticks out furthest past the viewport, to say what to fix.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  let worst = null;
  const clipped = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    if (clipped(el)) continue;  // inside a box that scrolls or clips it
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      worst = {right, tag: el.tagName, cls: el.className, text: (el.textContent || "").slice(0, 60)};
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, worst};
}"""


@pytest.mark.parametrize("username", ["registrar", "supervisor", "integration"])
def test_no_page_scrolls_sideways_on_a_phone(
    some_records, chromium, live_portal, username
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(base_url=live_portal.url, viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        sign_in(tab, username, live_portal.password)
        visited, too_wide = [], []
        for url in crawl(tab, live_portal.url.rstrip("/")):
            visited.append(url)
            shot = SHOTS / f"{username}-{len(visited):02d}.png"
            tab.screenshot(path=shot, full_page=True)
            measured = tab.evaluate(WIDEST)
            if measured["scroll"] > measured["width"]:
                too_wide.append(f"{url}: {measured}")
    finally:
        context.close()
    assert len(visited) >= 4, visited
    assert not too_wide, "\n".join(too_wide)


def test_the_header_menu_folds_into_a_disclosure_on_a_phone(chromium, live_portal):
    context = chromium.new_context(base_url=live_portal.url, viewport=PHONE)
    tab = context.new_page()
    try:
        sign_in(tab, "supervisor", live_portal.password)
        menu = tab.get_by_role("navigation", name="Main")
        expect(menu).to_be_hidden()
        tab.get_by_text("Menu", exact=True).click()
        expect(menu).to_be_visible()
        menu.get_by_role("link", name="Stuck events").click()
        expect(tab.get_by_role("heading", name="Stuck events")).to_be_visible()
        tab.screenshot(path=SHOTS / "supervisor-menu.png", full_page=True)
    finally:
        context.close()
