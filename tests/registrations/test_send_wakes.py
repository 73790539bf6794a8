"""Wake-ups of the send run after submissions: at once when alone, one per interval
from a process when many come together."""

import pytest

from apps.registrations.pipeline.wake import SendRunWakes


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def queued():
    return []


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def wakes(queued, clock):
    return SendRunWakes(queue=queued.append, interval=lambda: 0.25, clock=clock)


def test_a_lone_submission_wakes_a_run_at_once(wakes, queued):
    wakes.wake()
    assert queued == [0.0]


def test_submissions_within_the_interval_share_one_later_run(wakes, queued, clock):
    wakes.wake()
    for _ in range(5):
        clock.now += 0.04
        wakes.wake()
    # One run now, one at the end of the interval for the rows committed since.
    assert queued == [0.0, pytest.approx(0.21)]


def test_after_a_quiet_interval_the_next_submission_wakes_a_run_at_once(
    wakes, queued, clock
):
    wakes.wake()
    clock.now += 0.1
    wakes.wake()
    clock.now += 1.0
    wakes.wake()
    assert queued == [0.0, pytest.approx(0.15), 0.0]


def test_a_wake_that_could_not_be_queued_is_tried_again_by_the_next(clock):
    queued = []

    def queue(countdown):
        if not queued:
            queued.append("failed")
            raise ConnectionError("broker down")
        queued.append(countdown)

    wakes = SendRunWakes(queue=queue, interval=lambda: 0.25, clock=clock)
    with pytest.raises(ConnectionError):
        wakes.wake()
    clock.now += 0.01
    wakes.wake()
    assert queued == ["failed", 0.0]


def test_an_interval_of_zero_wakes_a_run_for_every_submission(queued, clock):
    wakes = SendRunWakes(queue=queued.append, interval=lambda: 0.0, clock=clock)
    for _ in range(3):
        wakes.wake()
        clock.now += 0.001
    assert queued == [0.0, 0.0, 0.0]
