"""Running the readiness checks and keeping their latest result."""

import dataclasses

from django.utils import timezone

from apps.onboarding import readiness
from apps.onboarding.models import ReadinessRun

# The one row the latest run overwrites.
LATEST_RUN_PK = 1


def readiness_run() -> list[readiness.CheckOutcome]:
    """Run every readiness check now, and keep the outcomes as the latest run."""
    outcomes = readiness.run_checks()
    ReadinessRun.objects.update_or_create(
        pk=LATEST_RUN_PK,
        defaults={
            "ran_at": timezone.now(),
            "outcomes": [dataclasses.asdict(o) for o in outcomes],
        },
    )
    return outcomes
