"""Database expressions and percentile arithmetic the dashboard queries are built from.

Nothing here reads the database by itself; `queries` composes these into queries.
"""

import math

from django.contrib.postgres.fields import ArrayField
from django.db.models import Aggregate, Count, FloatField, Func, Value

PERCENTILES = (0.5, 0.9, 0.99)


class Seconds(Func):
    """Seconds from the second timestamp to the first."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, conn, **extra):
        if conn.vendor == "postgresql":
            extra.update(
                template="EXTRACT(EPOCH FROM (%(expressions)s))::float8",
                arg_joiner=" - ",
            )
        else:
            extra.update(
                template="((julianday(%(expressions)s)) * 86400.0)",
                arg_joiner=") - julianday(",
            )
        return super().as_sql(compiler, conn, **extra)


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentiles of one expression, as an array."""

    function = "percentile_cont"
    template = (
        "%(function)s(ARRAY"
        + str(list(PERCENTILES))
        + "::float8[]) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    )
    output_field = ArrayField(FloatField())


def count_rows(filter=None):
    """COUNT of rows; counts a constant so the index alone can answer."""
    return Count(Value(1), filter=filter) if filter is not None else Count("*")


def percentiles_from_counts(counts: list[tuple[int, int]]) -> list[float] | None:
    """percentile_cont over values given as (value, how many), exactly."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    ordered = sorted(counts)
    result = []
    for fraction in PERCENTILES:
        position = fraction * (total - 1)
        low = math.floor(position)
        values, seen = [], 0
        for value, n in ordered:
            seen += n
            while len(values) < 2 and seen > low + len(values):
                values.append(value)
            if len(values) == 2:
                break
        high = values[1] if len(values) > 1 else values[0]
        result.append(values[0] + (high - values[0]) * (position - low))
    return result
