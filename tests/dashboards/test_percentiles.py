"""Percentiles from per-value counts equal percentile_cont over the values."""

import math
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from apps.dashboards.sql import PERCENTILES, percentiles_from_counts


def _percentile_cont(values, fraction):
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = ordered[min(low + 1, len(ordered) - 1)]
    return ordered[low] + (high - ordered[low]) * (position - low)


@given(st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=300))
def test_it_matches_percentile_cont(values):
    got = percentiles_from_counts(list(Counter(values).items()))
    expected = [_percentile_cont(values, f) for f in PERCENTILES]
    assert all(
        math.isclose(a, b, abs_tol=1e-9) for a, b in zip(got, expected, strict=True)
    )


def test_nothing_has_no_percentiles():
    assert percentiles_from_counts([]) is None
