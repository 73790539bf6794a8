"""Worker tasks of the MOSIP pipeline; thin: they take ids and call the services.

`send_due_packets` claims a batch of due outbox rows and runs createPacket then
workflowinstance for each; submissions wake it (`pipeline.outbox_wake_sender`).
`send_packet` sends one given row (the back office's "send now"). Beat runs
`dispatch_due_outbox` (rows due again after a failure or an interrupted send) and
`reconcile_processing` (packets MOSIP has had for long, looked up by status search),
and `fold_event_counts` (the dashboards' counts, docs/rollups.md).
"""

from celery import shared_task

from apps.registrations import mosip_calls, pipeline, rollups
from apps.registrations.pipeline.outbox import SEND_PACKET_TASK
from apps.registrations.pipeline.wake import SEND_DUE_TASK


@shared_task(name=SEND_PACKET_TASK, ignore_result=True)
def send_packet(outbox_id: int) -> str:
    """Send one outbox row's packet to MOSIP; safe to run twice for the same row."""
    return mosip_calls.send_outbox(outbox_id)


@shared_task(name=SEND_DUE_TASK, ignore_result=True)
def send_due_packets() -> dict[str, int]:
    """Send a batch of due rows, each on its own; what became of them."""
    return dict(mosip_calls.send_due(wake_another=send_due_packets.delay))


@shared_task(ignore_result=True)
def dispatch_due_outbox() -> int:
    """Wake a send run when rows are due; how many are (runs spread over the
    workers while they find full batches)."""
    due = pipeline.outbox_due_count()
    if due:
        send_due_packets.delay()
    return due


@shared_task(ignore_result=True)
def reconcile_processing() -> int:
    """Bring packets MOSIP has had for long up to date from the status search."""
    return mosip_calls.reconcile_processing()


@shared_task(ignore_result=True)
def fold_event_counts() -> int:
    """Add the event count changes the services appended into the dashboards' counts."""
    return rollups.rollups_fold_all()
