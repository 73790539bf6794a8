"""Walking the portal as one user: `crawl` visits every page a signed-in user can
reach by following links, for the journeys that check every page.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from playwright.sync_api import Page

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
