"""Reading a long ordered list page by page, each page starting after the last row read.

An export of every stuck event or every event behind an error code may run to
millions of rows. OFFSET would make each page read all the rows before it, and one
open cursor would hold a snapshot and a connection for as long as the download lasts;
instead each page is a short query of its own, `WHERE (key) > (last key read)`
ordered by that key, which an index range scan starts exactly where the previous
page stopped. Memory holds one page whatever the length of the list.
"""

import heapq
from collections.abc import Iterator

from django.db.models import Q, QuerySet

PAGE_ROWS = 2000


def keyset_rows(rows: QuerySet, fields: list[str]) -> Iterator[tuple]:
    """`fields` of every row of `rows`, in the queryset's own order, PAGE_ROWS at a
    time. The order must end with the primary key, so that it is unique and no row
    is skipped or repeated at a page boundary, and its columns must not be null."""
    keys = len(rows.query.order_by)
    for row in _pages(rows, fields):
        yield row[keys:]


def merged_keyset_rows(parts: list[QuerySet], fields: list[str]) -> Iterator[tuple]:
    """keyset_rows of querysets in the same ascending order, merged into that order.

    A list whose order no single index follows (events of several states, each
    ordered by its own index) is read as one keyset per part: every page then starts
    at its place in an index instead of gathering and sorting all the rest again.
    """
    keys = len(parts[0].query.order_by)
    pages = [_pages(part, fields) for part in parts]
    for row in heapq.merge(*pages, key=lambda row: row[:keys]):
        yield row[keys:]


def _pages(rows: QuerySet, fields: list[str]) -> Iterator[tuple]:
    """The order's key values followed by `fields`, for every row, page by page."""
    order = list(rows.query.order_by)
    if not order or order[-1].lstrip("-") not in ("pk", "id"):
        raise ValueError(f"A keyset needs an order ending with the key, not {order}.")
    keys = [name.lstrip("-") for name in order]
    values = rows.values_list(*keys, *fields)
    last, page_rows = None, PAGE_ROWS
    while True:
        page = list(
            (values if last is None else values.filter(_after(order, last)))[:page_rows]
        )
        yield from page
        if len(page) < page_rows:
            return
        last = page[-1][: len(keys)]


def _after(order: list[str], last: tuple) -> Q:
    """Rows after `last` in `order`: (a, b) > (x, y) spelled as a > x OR (a = x AND
    b > y), with a >= x repeated on its own so an index on a bounds the scan."""
    later = Q()
    for position, name in enumerate(order):
        key = name.lstrip("-")
        beyond = "lt" if name.startswith("-") else "gt"
        equal = {order[i].lstrip("-"): last[i] for i in range(position)}
        later |= Q(**equal, **{f"{key}__{beyond}": last[position]})
    first, beyond = order[0].lstrip("-"), "lte" if order[0].startswith("-") else "gte"
    return Q(**{f"{first}__{beyond}": last[0]}) & later


class MergedPages:
    """Lists in the same ascending order, shown as one list a page at a time
    (Django's Paginator takes it as it takes a queryset).

    A page reads, from each list, only the rows up to the page's end, along that
    list's own index, and merges them: no page gathers and sorts every row of
    every list. The count is the lists' counts added up.
    """

    def __init__(self, parts: list[QuerySet]):
        self.parts = parts
        self.key = [name.lstrip("-") for name in parts[0].query.order_by]

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        heads = [list(part[:stop]) for part in self.parts]
        merged = heapq.merge(
            *heads, key=lambda row: tuple(getattr(row, k) for k in self.key)
        )
        return list(merged)[start:stop]
