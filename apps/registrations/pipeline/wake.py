"""Waking the workers once a submission commits: a send run is queued at most once
per interval from each process, so a busy office's packets leave in batches while a
lone submission still leaves at once.

A run sends every row due when it starts (and queues another while it finds a full
batch), so a row committed while a run is queued for later needs no run of its own.
Nothing depends on the wake-up arriving: a row it misses (a broker down, a process
that exits first) is sent by the dispatch beat.
"""

import math
import os
import threading
import time
from collections.abc import Callable

from celery import current_app
from django.db import transaction

from apps.registrations import config

# Found by name in Celery's registry: the task module sits above the pipeline.
SEND_DUE_TASK = "apps.registrations.tasks.send_due_packets"


def _queue_send_run(countdown: float) -> None:
    current_app.signature(SEND_DUE_TASK).apply_async(countdown=countdown or None)


class SendRunWakes:
    """One process's wake-ups: a run now when none was queued within the interval,
    else one run at the interval's end, whatever the number of rows meanwhile."""

    def __init__(
        self,
        queue: Callable[[float], None] = _queue_send_run,
        interval: Callable[[], float] = config.send_wake_seconds,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._queue = queue
        self._interval = interval
        self._clock = clock
        self._pid = None

    def _lock(self) -> threading.Lock:
        # Fresh in a forked child: the parent's lock may have been held by another
        # thread at the fork, and its queued run belongs to the parent's rows.
        if self._pid != os.getpid():
            self._pid, self._guard = os.getpid(), threading.Lock()
            self._next_run = -math.inf
        return self._guard

    def wake(self) -> None:
        """Make sure a send run starts now or within the interval."""
        now = self._clock()
        with self._lock():
            if self._next_run > now:
                return
            countdown = max(0.0, self._next_run + self._interval() - now)
            self._next_run = now + countdown
        try:
            self._queue(countdown)
        except Exception:
            with self._lock():
                self._next_run = -math.inf
            raise


wakes = SendRunWakes()


def outbox_wake_sender() -> None:
    """Wake a send run once the current transaction commits; if queueing fails, the
    rows wait for the dispatch beat."""
    transaction.on_commit(wakes.wake, robust=True)
