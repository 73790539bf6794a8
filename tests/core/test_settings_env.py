"""Settings read from the environment in the documented formats."""

import json
import os
import subprocess
import sys

import pytest

from tests.journeys.live import ROOT


def settings_with(**env: str) -> dict:
    """Some settings as a fresh process reads them with `env` set."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'stuck': s.DASHBOARDS_STUCK_AFTER_MINUTES, "
        "'beat': {k: v['schedule'] for k, v in s.CELERY_BEAT_SCHEDULE.items()}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "crvs_portal.settings_test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_stuck_minutes_per_state_as_the_readme_writes_them():
    read = settings_with(
        DASHBOARDS_STUCK_AFTER_MINUTES="submitted=60,packet_created=60,processing=1440"
    )
    assert read["stuck"] == {"submitted": 60, "packet_created": 60, "processing": 1440}


def test_beat_intervals_override_the_named_entries_only():
    read = settings_with(
        CELERY_BEAT_INTERVALS="websub-keep-alive=2,registrations-reconcile-processing=3"
    )
    assert read["beat"]["websub-keep-alive"] == 2.0
    assert read["beat"]["registrations-reconcile-processing"] == 3.0
    assert read["beat"]["websub-sweep-inbox"] == 5.0


def test_a_beat_interval_for_no_entry_is_refused():
    with pytest.raises(AssertionError, match="names no beat entry: websub-keepalive"):
        settings_with(CELERY_BEAT_INTERVALS="websub-keepalive=2")
