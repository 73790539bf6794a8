"""Services of the MOSIP pipeline: every change a packet, its outbox row or its event
goes through after submission, each in one transaction with history and audit.

An event follows its packets: `submitted → packet_created → processing →
id_issued | record_updated | rejected | failed`. It moves forward once every packet
it sent has got that far, and stops at the first packet MOSIP turns down. Results
may arrive twice and in any order (WebSub and the status search both report them):
each service checks what is already recorded and changes nothing twice.
"""

from apps.registrations.pipeline.outbox import (
    outbox_claim,
    outbox_claim_batch,
    outbox_due_count,
    outbox_record_permanent_failure,
    outbox_record_transient_failure,
    outbox_release,
    outbox_renew_leases,
    outbox_retry_now,
    retry_delay_seconds,
)
from apps.registrations.pipeline.results import (
    APPLIED,
    DUPLICATE,
    EXTERNAL_STATUS_RESULTS,
    ORPHAN,
    RESULT_FAILED,
    RESULT_PROCESSED,
    RESULT_REJECTED,
    packet_record_external_status,
    packet_record_national_id,
    packet_record_workflow_result,
    packets_to_reconcile,
)
from apps.registrations.pipeline.send import (
    packet_record_created,
    packet_record_triggered,
)
from apps.registrations.pipeline.state import (
    log,
    notification_mark_read,
)
from apps.registrations.pipeline.wake import outbox_wake_sender
from apps.registrations.pipeline.words import (
    PLAIN_WORDS,
    plain_words,
)

__all__ = [
    "APPLIED",
    "DUPLICATE",
    "EXTERNAL_STATUS_RESULTS",
    "ORPHAN",
    "PLAIN_WORDS",
    "RESULT_FAILED",
    "RESULT_PROCESSED",
    "RESULT_REJECTED",
    "log",
    "notification_mark_read",
    "outbox_claim",
    "outbox_claim_batch",
    "outbox_due_count",
    "outbox_record_permanent_failure",
    "outbox_record_transient_failure",
    "outbox_release",
    "outbox_renew_leases",
    "outbox_retry_now",
    "outbox_wake_sender",
    "packet_record_created",
    "packet_record_external_status",
    "packet_record_national_id",
    "packet_record_triggered",
    "packet_record_workflow_result",
    "packets_to_reconcile",
    "plain_words",
    "retry_delay_seconds",
]
