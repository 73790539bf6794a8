"""Shapes query rows into the tables and charts the pages and exports show."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.dashboards import charts, queries
from apps.registrations.models import EventStatus, EventType

# Django date formats, so month names follow the active language.
LABEL_FORMATS = {"day": "d M", "week": "d M", "month": "M y"}


def periods(scope: queries.Scope) -> list[datetime.date]:
    """Every period of the scope's range, so quiet periods show as gaps."""
    if scope.granularity == "month":
        day = scope.start.replace(day=1)
    elif scope.granularity == "week":
        day = scope.start - datetime.timedelta(days=scope.start.weekday())
    else:
        day = scope.start
    out = []
    while day <= scope.end:
        out.append(day)
        if scope.granularity == "month":
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            day += datetime.timedelta(days=7 if scope.granularity == "week" else 1)
    return out


def _types(scope):
    return [(k, v) for k, v in EventType.choices if scope.event_type in ("", k)]


def volume_table(scope, rows) -> dict:
    """Events per period (rows) and event type (columns)."""
    types = _types(scope)
    counts: dict = {}
    for row in rows:
        key = (row["period"], row["event_type"])
        counts[key] = counts.get(key, 0) + row["events"]
    lines = [
        {
            "period": period,
            "counts": [counts.get((period, key), 0) for key, _label in types],
            "total": sum(counts.get((period, key), 0) for key, _label in types),
        }
        for period in periods(scope)
    ]
    chart = charts.stacked_columns(
        periods(scope),
        types,
        counts,
        label_format=LABEL_FORMATS[scope.granularity],
    )
    return {"types": types, "lines": lines, "chart": chart}


def status_table(scope, rows) -> dict:
    """Events by current status (rows) and event type (columns), with totals."""
    types = _types(scope)
    counts: dict = {}
    for row in rows:
        key = (row["status"], row["event_type"])
        counts[key] = counts.get(key, 0) + row["events"]
    lines = []
    for status, label in EventStatus.choices:
        if status == EventStatus.DRAFT:
            continue
        cells = [counts.get((status, key), 0) for key, _label in types]
        lines.append(
            {"status": status, "label": label, "counts": cells, "total": sum(cells)}
        )
    totals = [sum(line["counts"][i] for line in lines) for i in range(len(types))]
    return {"types": types, "lines": lines, "totals": totals, "total": sum(totals)}


def threshold_text(thresholds: dict[str, datetime.timedelta]) -> str:
    """ "1 hour while submitted, …" for the stuck list's explanation."""
    parts = []
    for status, wait in thresholds.items():
        minutes = int(wait.total_seconds() // 60)
        label = str(EventStatus(status).label)
        state = f"{label[0].lower()}{label[1:]}"
        if minutes % 1440 == 0:
            n = minutes // 1440
            text = ngettext(
                "%(count)s day while %(state)s", "%(count)s days while %(state)s", n
            )
        elif minutes % 60 == 0:
            n = minutes // 60
            text = ngettext(
                "%(count)s hour while %(state)s", "%(count)s hours while %(state)s", n
            )
        else:
            n = minutes
            text = ngettext(
                "%(count)s minute while %(state)s",
                "%(count)s minutes while %(state)s",
                n,
            )
        parts.append(text % {"count": n, "state": state})
    return ", ".join(parts)


def overview(scope: queries.Scope) -> dict:
    found = queries.overview(scope)
    rows, funnel = found["volumes"], found["funnel"]
    certificates, waits = found["certificates"], found
    status = status_table(scope, rows)
    return {
        "volume": volume_table(scope, rows),
        "status": status,
        "funnel": funnel,
        "funnel_chart": charts.horizontal_bars(
            [(step["label"], step["reached"]) for step in funnel["steps"]]
        ),
        "latency": waits["latency"],
        "timeliness": waits["timeliness"],
        "timeliness_chart": charts.share_bars(
            [
                (
                    row["label"],
                    [
                        (row["within_30_days"], "t30", _("Within 30 days")),
                        (row["within_a_year"], "t365", _("Within a year")),
                        (row["later"], "tlate", _("Later")),
                    ],
                )
                for row in waits["timeliness"]
            ]
        ),
        "certificates": certificates,
        "certificates_total": sum(row["certificates"] for row in certificates),
        "id_checks": found["id_checks"],
        "id_checks_chart": charts.share_bars(
            [
                (
                    row["office"],
                    [
                        (row["verified"], "idok", _("Every ID verified")),
                        (row["not_verified"], "idnot", _("ID not verified")),
                    ],
                )
                for row in found["id_checks"]
            ]
        ),  # fmt: skip
        "awaiting_decision": found["awaiting_decision"],
        "is_empty": status["total"] == 0 and not certificates,
    }
