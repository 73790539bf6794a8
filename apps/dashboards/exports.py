"""CSV versions of every dashboard table, written row by row as they stream out.

The header goes out before any query runs. Tables that list events (stuck events,
the events behind an error code) read them a page at a time by key
(`queries.keyset_rows`), so a download of millions of rows starts at once and holds
one page in memory; the aggregate tables are a few rows and are read whole.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.utils import timezone

from apps.dashboards import config, figures, queries


class _Line:
    """A file-like object whose write() hands back the line csv.writer wrote."""

    def write(self, value: str) -> str:
        return value


def _cell(value):
    # A spreadsheet runs cells starting with these as formulas; MOSIP messages
    # are outside data, so they never reach a spreadsheet as one.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else value


def stream(header: list[str], rows: Iterable) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _volumes(scope, params):
    rows = queries.volumes(scope)
    return (
        ["period_start", "event_type", "status", "events", "without_mosip_packet"],
        (
            [
                r["period"],
                r["event_type"],
                r["status"],
                r["events"],
                r["without_packet"],
            ]
            for r in rows
        ),
    )


def _status(scope, params):
    table = figures.status_table(scope, queries.volumes(scope))
    header = ["status", *(key for key, _ in table["types"]), "total"]
    return header, (
        [line["status"], *line["counts"], line["total"]] for line in table["lines"]
    )


def _funnel(scope, params):
    steps = queries.funnel(scope)["steps"]
    header = ["stage", "reached", "share_percent", "waiting_here"]
    header += ["rejected_or_failed_here", "reached_previous_stage_not_this"]
    return header, (
        [s["key"], s["reached"], s["share"], s["waiting"], s["turned_down"], s["lost"]]
        for s in steps
    )


def _latency(scope, params):
    rows = queries.latency_and_timeliness(scope)["latency"]
    return (
        ["measure", "unit", "events", "p50", "p90", "p99"],
        (
            [r["key"], r["unit"], r["events"], *(_rounded(r[p]) for p in PERCENTILES)]
            for r in rows
        ),
    )


def _timeliness(scope, params):
    rows = queries.latency_and_timeliness(scope)["timeliness"]
    header = ["event_type", "within_30_days", "within_a_year", "later", "total"]
    return header, (
        [
            r["event_type"],
            r["within_30_days"],
            r["within_a_year"],
            r["later"],
            r["total"],
        ]
        for r in rows
    )


def _certificates(scope, params):
    rows = queries.certificates_issued(scope)
    return (
        ["event_type", "certificates_issued"],
        ([r["event_type"], r["certificates"]] for r in rows),
    )


def _read_after_header(read) -> Iterator:
    """The rows `read()` returns, read only once the header has gone out: a
    grouping over millions of packets does not hold back the download's start."""
    yield from read()


def _errors(scope, params):
    rows = _read_after_header(lambda: queries.error_codes(scope))
    header = ["code", "events", "packets", "message", "first_seen", "last_seen"]
    return header, (
        [
            r["result_code"],
            r["events"],
            r["packets"],
            r["message"],
            r["first_seen"],
            r["last_seen"],
        ]
        for r in rows
    )


def _error_events(scope, params):
    code = params.get("code", "")
    events = queries.error_events(scope, code)
    header = ["registration_number", "event_type", "office", "status"]
    header += ["submitted_at", "code"]
    fields = ["registration_number", "event_type", "office__code", "status"]
    rows = queries.keyset_rows(events, [*fields, "submitted_at"])
    return header, ([*row, code] for row in rows)


def _stuck(scope, params):
    now = timezone.now()
    thresholds = config.stuck_thresholds()
    # One list per state, merged: each is read along the (status, updated_at) index.
    parts = [
        queries.stuck_events(scope, thresholds=thresholds, now=now, statuses=[status])
        for status in queries.PIPELINE_STATUSES
    ]
    header = ["registration_number", "event_type", "office", "status"]
    header += ["submitted_at", "last_change_at", "waiting_hours", "last_error_code"]
    rows = queries.merged_keyset_rows(
        parts,
        [
            "registration_number",
            "event_type",
            "office__code",
            "status",
            "submitted_at",
            "updated_at",
            "send_error",
        ],
    )
    return header, (
        [*row[:6], round((now - row[5]) / _HOUR, 1), row[6]] for row in rows
    )


def _completeness(scope, params):
    rows = queries.completeness(scope)
    header = ["office", "year", "event_type", "expected", "registered"]
    header += ["completeness_percent"]
    return header, (
        [r["office"].code, r["year"], r["event_type"], r["expected"]]
        + [r["registered"], r["completeness"]]
        for r in rows
    )


_HOUR = datetime.timedelta(hours=1)
PERCENTILES = ("p50", "p90", "p99")


def _rounded(figure: float | None) -> float | None:
    # Two decimals: a hundredth of an hour or a day is finer than anyone acts on.
    return None if figure is None else round(figure, 2)


TABLES = {
    "volumes": _volumes,
    "status": _status,
    "funnel": _funnel,
    "latency": _latency,
    "timeliness": _timeliness,
    "certificates": _certificates,
    "errors": _errors,
    "error-events": _error_events,
    "stuck": _stuck,
    "completeness": _completeness,
}


def table_csv(name: str, scope, params) -> Iterator[str]:
    header, rows = TABLES[name](scope, params)
    yield from stream(header, rows)
