"""Geometry for the server-rendered SVG charts; templates draw what these return.

Colours come from CSS classes (the content security policy allows no inline style),
and every chart sits next to a table holding the same figures.
"""

import math

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 10, 30
MAX_X_LABELS = 12
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 22, 10, 220


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _px(value: float) -> str:
    """A coordinate as SVG text, so templates print it without number formatting."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:g}"


def stacked_columns(periods, series, values, *, label_format="d M") -> dict:
    """Columns per period, stacked by series.

    `series` is a list of (key, label); `values` maps (period, key) to a count;
    `label_format` is a Django date format (month names in the active language).
    """
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum(values.get((p, key), 0) for key, _label in series) for p in periods]
    top = nice_ceiling(max(totals, default=0))
    slot = plot_w / max(len(periods), 1)
    bars, labels = [], []
    every = max(1, math.ceil(len(periods) / MAX_X_LABELS))
    for index, period in enumerate(periods):
        x = LEFT + index * slot + slot * 0.1
        when = date_format(period, label_format)
        y = TOP + plot_h
        for key, label in series:
            count = values.get((period, key), 0)
            if not count:
                continue
            h = plot_h * count / top
            y -= h
            bars.append(
                {
                    "x": _px(x),
                    "y": _px(y),
                    "w": _px(slot * 0.8),
                    "h": _px(h),
                    "cls": f"s-{key}",
                    "title": _("%(period)s: %(count)s %(type)s")
                    % {
                        "period": when,
                        "count": f"{count:,}",
                        "type": str(label).lower(),
                    },
                }
            )
        if index % every == 0:
            labels.append({"x": _px(x + slot * 0.4), "label": when})
    ticks = [
        {"y": _px(TOP + plot_h - plot_h * i / 4), "label": _number(top * i / 4)}
        for i in range(5)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_h,
        "label_y": HEIGHT - 8,
        "bars": bars,
        "ticks": ticks,
        "labels": labels,
        "legend": [{"cls": f"s-{key}", "label": label} for key, label in series],
    }


def horizontal_bars(items) -> dict:
    """One bar per (label, value), scaled to the largest value."""
    top = max((value for _label, value in items), default=0) or 1
    plot_w = WIDTH - LABEL_WIDTH - 70
    rows = []
    for index, (label, value) in enumerate(items):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        rows.append(
            {
                "label": label,
                "value": f"{value:,}",
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "w": _px(plot_w * value / top),
            }
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(items) * (BAR_HEIGHT + BAR_GAP),
        "bar_x": LABEL_WIDTH,
        "bar_h": BAR_HEIGHT,
        "value_x": LABEL_WIDTH + 6,
        "rows": rows,
    }


def share_bars(rows) -> dict:
    """One 100% bar per (label, [(value, css key, segment label)])."""
    plot_w = WIDTH - LABEL_WIDTH - 10
    out = []
    for index, (label, segments) in enumerate(rows):
        total = sum(value for value, _key, _name in segments)
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        x, parts = LABEL_WIDTH, []
        for value, key, name in segments:
            if not total or not value:
                continue
            w = plot_w * value / total
            parts.append(
                {
                    "x": _px(x),
                    "w": _px(w),
                    "cls": f"s-{key}",
                    "title": f"{label}, {name}: {value:,} ({100 * value / total:.1f}%)",
                }
            )
            x += w
        out.append(
            {"label": label, "y": y, "text_y": y + BAR_HEIGHT * 0.7, "parts": parts}
        )
    legend = (
        [{"cls": f"s-{key}", "label": name} for _value, key, name in rows[0][1]]
        if rows
        else []
    )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP),
        "bar_h": BAR_HEIGHT,
        "rows": out,
        "legend": legend,
    }
