"""The one backoff: exponential, capped, with jitter in the upper half."""

import random

import pytest

from apps.core.backoff import backoff_seconds


def lowest(low, high):
    return low


def highest(low, high):
    return high


@pytest.mark.parametrize(
    "attempts, bounds",
    [
        (0, (5, 10)),
        (1, (5, 10)),
        (2, (10, 20)),
        (3, (20, 40)),
        (4, (30, 60)),
        (9, (30, 60)),
    ],
)
def test_the_wait_doubles_until_the_cap(attempts, bounds):
    assert backoff_seconds(attempts, base=10, cap=60, uniform=lowest) == bounds[0]
    assert backoff_seconds(attempts, base=10, cap=60, uniform=highest) == bounds[1]


def test_waits_after_the_same_failure_are_spread_over_the_upper_half():
    draw = random.Random(18)
    waits = [
        backoff_seconds(3, base=10, cap=3600, uniform=draw.uniform) for _ in range(200)
    ]
    assert all(20 <= wait <= 40 for wait in waits)
    # Not one wave: the waits cover the interval rather than repeating one value.
    assert len(set(waits)) == 200
    assert min(waits) < 22 and max(waits) > 38


def test_the_same_draws_give_the_same_waits():
    first = [
        backoff_seconds(n, base=15, cap=3600, uniform=random.Random(7).uniform)
        for n in range(1, 6)
    ]
    again = [
        backoff_seconds(n, base=15, cap=3600, uniform=random.Random(7).uniform)
        for n in range(1, 6)
    ]
    assert first == again
