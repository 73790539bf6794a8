"""How long to wait before trying again after a failure.

Exponential backoff with jitter: the n-th wait is drawn uniformly from the upper half
of base·2ⁿ⁻¹ (capped), so it still grows steadily while a crowd of failures that
happened together (an outage of MOSIP) comes back spread out, not in one wave.
"""

import random
from collections.abc import Callable

# Draws a number uniformly from [low, high]; tests pass their own to fix the draw.
Uniform = Callable[[float, float], float]


def backoff_seconds(
    attempts: int, *, base: float, cap: float, uniform: Uniform = random.uniform
) -> float:
    """The wait after `attempts` failed tries (the first wait follows attempt 1)."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return uniform(ceiling / 2, ceiling)
