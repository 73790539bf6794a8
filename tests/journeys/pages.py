"""Walking the portal as one user, and what the journeys check on each page.

- `crawl` visits every page a signed-in user can reach by following links; the phone
  width and accessibility journeys both walk the portal with it.
- `axe_violations` runs axe-core (tests/vendor/axe-core) on the page a tab shows, for
  WCAG 2.2 A and AA, and returns what is serious or critical.
- `focus_order` presses Tab through a page as a keyboard user does and says, for each
  stop, what took focus and whether the user can see where focus is; `tab_to` moves
  focus to a named control with Tab alone.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.journeys.live import ROOT

# Links that are not pages: files, the sign-out form's target, Django's admin (its own
# stylesheet), and MOSIP-facing endpoints.
NOT_PAGES = (
    "/sign-out/",
    "/admin/",
    "/static/",
    "/media/",
    "/websub/callback/",
    "/verify/keys.json",
)
MOST_PAGES_PER_ROLE = 60

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added no level A rule to axe).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")


def _is_page(href: str, origin: str) -> bool:
    parts = urlsplit(href)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path
    return (
        path.startswith("/")
        and not path.endswith((".csv", ".pdf", ".png", ".json"))
        and "/documents/" not in path
        and "/certificates/" not in path
        and not any(path.startswith(prefix) for prefix in NOT_PAGES)
    )


def _key(parts) -> str:
    return parts.path + ("?" if parts.query else "")


def crawl(
    tab: Page,
    origin: str,
    start: Iterable[str] = ("/",),
    most: int = MOST_PAGES_PER_ROLE,
) -> Iterator[str]:
    """Visit every page linked from `start` and the pages after it, breadth first,
    as the tab's user; yield each page's URL while the tab shows it. Its links are
    read before the yield, so a check may change the page. One example of each
    filtered or paginated list is enough."""
    start = list(start)
    seen, queue, done = set(start), deque(start), set()
    while queue and len(done) < most:
        path = queue.popleft()
        response = tab.goto(path)
        if response is None or response.status != 200:
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        # A link may redirect to a page already visited, or linked as well.
        landed = _key(urlsplit(tab.url))
        if landed in done:
            continue
        done.add(landed)
        seen.add(landed)
        for href in tab.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            if not _is_page(href, origin):
                continue
            parts = urlsplit(href)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            key = _key(parts)
            if key not in seen:
                seen.add(key)
                queue.append(target)
        yield tab.url


# axe-core --------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.url}: {self.rule} ({self.impact}) {self.help}: " + "; ".join(
            self.targets
        )


# axe leaves an ARIA reference to an id missing from the page for review, in case a
# script adds the id later; on the portal's pages, rendered whole by the server,
# it is a failure: the field's help or error is never read out.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const nodes = (list) => list.map(n => ({impact: n.impact, target: n.target.flat(Infinity).join(' ')}));
  const dangling = (n) => [...n.any, ...n.all, ...n.none].some(c => c.data && c.data.messageKey === 'noId');
  return result.violations.map(v => ({id: v.id, help: v.help, nodes: nodes(v.nodes)})).concat(
    result.incomplete.filter(v => v.id === 'aria-valid-attr-value' && v.nodes.some(dangling)).map(v => ({
      id: v.id, help: 'ARIA attributes must name ids that are on the page',
      nodes: nodes(v.nodes.filter(dangling)),
    })));
}"""


def axe_violations(tab: Page, impacts: Iterable[str] = SERIOUS) -> list[Violation]:
    """axe-core's WCAG 2.2 A and AA violations on the page the tab shows, one per
    rule, with the targets (CSS selectors) of the nodes whose impact is in `impacts`;
    an ARIA attribute naming an id that is not on the page counts as one.

    The script is injected as an inline <script>, which the portal's
    Content-Security-Policy (script-src 'self') refuses: open the tab in a context
    with `bypass_csp=True`. The portal has no inline script or style of its own, so
    the bypass changes nothing else on its pages."""
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.add_script_tag(path=AXE)
        if not tab.evaluate("typeof axe !== 'undefined'"):
            raise RuntimeError(
                "axe-core did not load: is the tab's context opened with "
                "bypass_csp=True?"
            )
    impacts = set(impacts)
    found = []
    for rule in tab.evaluate(RUN_AXE, WCAG_AA_TAGS):
        nodes = [n for n in rule["nodes"] if n["impact"] in impacts]
        if not nodes:
            continue
        worst = "critical" if any(n["impact"] == "critical" for n in nodes) else None
        found.append(
            Violation(
                url=tab.url,
                rule=rule["id"],
                impact=worst or nodes[0]["impact"],
                help=rule["help"],
                targets=tuple(n["target"] for n in nodes),
            )
        )
    return found


# The keyboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class FocusStop:
    """Where Tab took focus: the element, by tag and accessible name (a close
    approximation of the browser's), whether it shows on screen, and whether its
    look changes on focus (an outline, a shadow, a new border or background). A
    control with parts Tab visits one by one (a date's day, month, year and picker)
    is one stop of several `presses`, its look judged as focus enters it."""

    tag: str
    name: str
    visible: bool
    indicated: bool
    presses: int = 1

    def __str__(self) -> str:
        problems = [
            text
            for text, bad in (
                ("off screen", not self.visible),
                ("no focus indicator", not self.indicated),
            )
            if bad
        ]
        presses = f" ×{self.presses}" if self.presses > 1 else ""
        return f"{self.tag} {self.name!r}{presses}" + (
            f" ({', '.join(problems)})" if problems else ""
        )


# What focus changes on an element, captured before it has focus and compared with
# the same properties while it has.
FOCUS_LOOK = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow",
              "borderTopColor", "borderBottomColor", "backgroundColor",
              "color", "textDecorationLine"]  # fmt: skip

REMEMBER_LOOKS = """(props) => {
  const looks = new WeakMap();
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
    const style = getComputedStyle(el);
    looks.set(el, Object.fromEntries(props.map(p => [p, style[p]])));
  }
  window.__unfocusedLooks = looks;
}"""

FOCUSED = """(props) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const now = Object.fromEntries(props.map(p => [p, style[p]]));
  const before = window.__unfocusedLooks && window.__unfocusedLooks.get(el);
  const outline = now.outlineStyle !== 'none' && parseFloat(now.outlineWidth) > 0;
  const changed = before ? props.some(p => p !== 'outlineWidth' && before[p] !== now[p]) : false;
  const box = el.getBoundingClientRect();
  const visible = box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
    && box.right > 0 && box.bottom > 0
    && box.left < document.documentElement.scrollWidth
    && box.top < document.documentElement.scrollHeight;
  // Text as assistive technology reads it: without what is aria-hidden.
  const text = (node) => {
    if (!node) return '';
    const copy = node.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach(hidden => hidden.remove());
    return copy.textContent;
  };
  const labelled = el.getAttribute('aria-labelledby');
  const name = (el.getAttribute('aria-label')
    || (labelled && labelled.split(/\\s+/).map(id => text(document.getElementById(id))).join(' '))
    || (el.labels && el.labels.length ? text(el.labels[0]) : '')
    || (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type) ? el.value : '')
    || text(el) || el.getAttribute('title') || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  return {tag: el.tagName.toLowerCase(), name, visible, indicated: outline || changed, el};
}"""


# Take focus (and the point Tab moves on from) back to the start of the document, as
# if nothing had focus yet, even on a page that focuses a field when it opens.
TO_THE_TOP = """() => {
  if (document.activeElement) document.activeElement.blur();
  const body = document.body, had = body.hasAttribute('tabindex');
  if (!had) body.setAttribute('tabindex', '-1');
  body.focus({preventScroll: true});
  if (!had) body.removeAttribute('tabindex');
  window.scrollTo(0, 0);
}"""


def _focused(tab: Page) -> tuple[FocusStop, object] | None:
    handle = tab.evaluate_handle(FOCUSED, FOCUS_LOOK)
    if tab.evaluate("(f) => f === null", handle):
        return None
    info = {
        key: handle.get_property(key).json_value()
        for key in ("tag", "name", "visible", "indicated")
    }
    element = handle.get_property("el")
    return FocusStop(**info), element


def focus_order(tab: Page, most: int = 200) -> list[FocusStop]:
    """Press Tab from the top of the page the tab shows until focus leaves the page
    (or comes round again): every stop, in order. A field the page focuses as it
    opens is where a user starts, but the order is read from the top."""
    tab.evaluate(REMEMBER_LOOKS, FOCUS_LOOK)
    tab.evaluate(TO_THE_TOP)
    stops, first, last = [], None, None
    same = "([a, b]) => a === b"
    for _ in range(most):
        tab.keyboard.press("Tab")
        focused = _focused(tab)
        if focused is None:
            break
        stop, element = focused
        if first is not None and tab.evaluate(same, [element, first]):
            break
        if last is not None and tab.evaluate(same, [element, last]):
            stops[-1] = replace(stops[-1], presses=stops[-1].presses + 1)
            continue
        first, last = first or element, element
        stops.append(stop)
    return stops


def tab_to(tab: Page, name: str, most: int = 100) -> FocusStop:
    """Press Tab until the control named `name` has focus (no press if it has
    already); the stop reached."""
    focused = _focused(tab)
    if focused is not None and focused[0].name == name:
        return focused[0]
    for _ in range(most):
        tab.keyboard.press("Tab")
        focused = _focused(tab)
        if focused is not None and focused[0].name == name:
            return focused[0]
    raise AssertionError(f"Tab never reached {name!r}")
