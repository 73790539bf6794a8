"""Worker tasks of the MOSIP pipeline; thin: they take ids and call the services.

`send_packet` runs createPacket then workflowinstance for one outbox row. Beat runs
`dispatch_due_outbox` (rows due again after a failure or an interrupted send) and
`reconcile_processing` (packets MOSIP has had for long, looked up by status search).
"""

import logging

from celery import shared_task
from django.db import close_old_connections

from apps.registrations import config, mosip_calls, pipeline, rollups
from apps.registrations.pipeline.outbox import SEND_PACKET_TASK

log = logging.getLogger(__name__)


@shared_task(name=SEND_PACKET_TASK, ignore_result=True)
def send_packet(outbox_id: int) -> str:
    """Send one outbox row's packet to MOSIP; safe to run twice for the same row."""
    return mosip_calls.send_outbox(outbox_id)


@shared_task(ignore_result=True)
def send_packets(outbox_ids: list[int]) -> int:
    """Send a batch of claimed rows in one task, sharing one MOSIP session."""
    sent = 0
    for outbox_id in outbox_ids:
        try:
            mosip_calls.send_outbox(outbox_id)
            sent += 1
        except Exception:
            # One broken row must not hold back the rest; it is due again later.
            log.exception("send of outbox row %s failed", outbox_id)
            close_old_connections()
    return sent


@shared_task(ignore_result=True)
def dispatch_due_outbox() -> int:
    """Queue the sends of every due outbox row, in batches spread over the workers."""
    ids = pipeline.outbox_claim_due()
    chunk = max(1, config.dispatch_chunk_size())
    for start in range(0, len(ids), chunk):
        send_packets.delay(ids[start : start + chunk])
    return len(ids)


@shared_task(ignore_result=True)
def reconcile_processing() -> int:
    """Bring packets MOSIP has had for long up to date from the status search."""
    return mosip_calls.reconcile_processing()


@shared_task(ignore_result=True)
def fold_event_counts() -> int:
    """Add the event count changes the services appended into the dashboards' counts."""
    return rollups.rollups_fold_all()
