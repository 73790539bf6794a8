"""When an inbox event that failed is looked at again: the shared backoff, with jitter."""

from datetime import timedelta

from apps.websub import processing


def test_an_event_that_failed_waits_longer_each_time_up_to_an_hour():
    for attempts, ceiling in [
        (1, 15),
        (2, 30),
        (3, 60),
        (8, 1920),
        (9, 3600),
        (20, 3600),
    ]:
        waits = {processing._backoff(attempts) for _ in range(50)}
        assert all(
            timedelta(seconds=ceiling / 2) <= wait <= timedelta(seconds=ceiling)
            for wait in waits
        ), (attempts, waits)
        # Jittered: events that failed together do not come back together.
        assert len(waits) > 1
