"""Walking the portal as one user, and what the journeys check on each page.

- `crawl` visits every page a signed-in user can reach by following links; the phone
  width and accessibility journeys both walk the portal with it.
- `axe_violations` runs axe-core (tests/vendor/axe-core) on the page a tab shows, for
  WCAG 2.2 A and AA, and returns what is serious or critical.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
