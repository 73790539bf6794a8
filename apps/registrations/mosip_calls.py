"""The worker side of the pipeline: MOSIP calls in between the pipeline services.

No database transaction is open while MOSIP is called: a send claims its outbox row
(a lease, see `pipeline.outbox_claim`), calls createPacket and workflowinstance, and
records each answer through a service. Every call is idempotent by application id,
so a send repeated after a crash, a lost answer or a redelivered task does no harm:
a second createPacket overwrites the packet, a second workflowinstance answers
`RPR-WIS-001`, which the client reports as already present: done.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection
from django.utils import timezone

from apps.core.kept import KeptForAWhile
from apps.mosip import packets as mosip_packets
from apps.mosip.config import MosipClient
from apps.mosip.errors import (
    MosipAuthError,
    MosipBadResponse,
    MosipEmptyResponse,
    MosipError,
    MosipForbidden,
)
from apps.registrations import config, pipeline, queries
from apps.registrations.models import OutboxMessage, Packet, PacketStatus
from apps.websub.services import subscriptions_flag_missed_results

log = logging.getLogger(__name__)

# This process's clients, one per MOSIP configuration, each keeping its session and
# token; which configuration is the current one is read again after a minute.
CLIENT_TTL_SECONDS = 60.0
_current_config = KeptForAWhile(CLIENT_TTL_SECONDS)
_clients = KeptForAWhile(most=8)


def mosip_client() -> MosipClient:
    """This process's client for the current MOSIP configuration."""
    mosip_config = _current_config.get("current", config.mosip_client_config)
    return _clients.get(mosip_config, lambda: MosipClient(mosip_config))


def forget_client() -> None:
    """Read the MOSIP configuration again on the next call (e.g. after a secret changed)."""
    _current_config.forget()
    _clients.forget()


def _transient(error: MosipError) -> bool:
    # A refused identity or role, or an answer that is not MOSIP's (a wrong URL), is
    # fixed by an admin, not by correcting the event: keep retrying (up to the
    # horizon) so the packets go once it is fixed.
    return error.transient or isinstance(
        error, MosipAuthError | MosipForbidden | MosipBadResponse
    )


def _code(error: MosipError) -> str:
    if isinstance(error, MosipEmptyResponse):
        return "EMPTY_RESPONSE"
    return error.code or (f"HTTP {error.http_status}" if error.http_status else "")


def _failed(outbox: OutboxMessage, error: MosipError) -> str:
    code = _code(error) or type(error).__name__
    if isinstance(error, MosipAuthError):
        forget_client()
    if _transient(error):
        pipeline.outbox_record_transient_failure(
            outbox=outbox, code=code, message=error.message
        )
        log.info("outbox row %s: transient MOSIP failure %s", outbox.pk, code)
        return "retry"
    pipeline.outbox_record_permanent_failure(
        outbox=outbox, code=code, message=error.message
    )
    log.info("outbox row %s: MOSIP refused the packet (%s)", outbox.pk, code)
    return "failed"


def send_outbox(outbox_id: int) -> str:
    """createPacket then workflowinstance for one outbox row; returns what happened."""
    outbox = pipeline.outbox_claim(outbox_id=outbox_id)
    if outbox is None:
        return "skipped"
    return send_claimed(outbox)


def send_due(*, wake_another: Callable[[], None]) -> Counter:
    """Claim a batch of due rows and send each; how many were sent, retried, failed.

    A full batch may leave more rows due: `wake_another` queues the next run before
    this one sends, so a backlog spreads over the workers. Each row is sent on its
    own: an error of one (even one the portal did not expect) is recorded on that
    row, retried with backoff, and the run goes on with the next. The rows waiting
    their turn have their lease renewed as the run goes; past the run's time
    (`config.send_run_seconds`) those not yet started go back to the queue.
    """
    outboxes = pipeline.outbox_claim_batch()
    if len(outboxes) == config.send_batch_size():
        wake_another()
    stop_at = time.monotonic() + config.send_run_seconds()
    renew_every = config.send_lease_seconds() / 10
    renewed_at = time.monotonic()
    outcomes = Counter()
    try:
        while outboxes and time.monotonic() < stop_at:
            if time.monotonic() - renewed_at >= renew_every:
                # Every send starts with (nearly) a full lease, as a lone send does,
                # however long the sends before it waited on MOSIP.
                outboxes = pipeline.outbox_renew_leases(outboxes=outboxes)
                renewed_at = time.monotonic()
                continue
            outbox = outboxes.pop(0)
            outcomes[_send_isolated(outbox)] += 1
    finally:
        # Also when the task's time limit interrupts a send (that row keeps its
        # lease): the rows not started are free again at once.
        for outbox in outboxes:
            pipeline.outbox_release(outbox=outbox)
    return outcomes


def _send_isolated(outbox: OutboxMessage) -> str:
    try:
        return send_claimed(outbox)
    except SoftTimeLimitExceeded:
        raise
    except Exception as error:
        log.exception("send of outbox row %s failed", outbox.pk)
        _record_unexpected(outbox, error)
        return "retry"


def _record_unexpected(outbox: OutboxMessage, error: Exception) -> None:
    """An error the portal did not expect, as a transient failure: the row waits its
    backoff, shows the error, and gives up past the horizon like any other."""
    if not connection.in_atomic_block:
        # A connection the error broke is closed, so the next query opens a new one
        # (inside a transaction, closing would end it).
        connection.close_if_unusable_or_obsolete()
    try:
        pipeline.outbox_record_transient_failure(
            outbox=outbox, code=type(error).__name__, message=str(error)
        )
    except Exception:
        # The lease still brings the row back once it ends.
        log.exception("failure of outbox row %s not recorded", outbox.pk)


def send_claimed(outbox: OutboxMessage) -> str:
    """createPacket then workflowinstance for a row this worker has claimed."""
    packet: Packet = outbox.packet
    try:
        client = mosip_client()
    except Exception:
        pipeline.outbox_release(outbox=outbox)
        raise
    created_now = False
    # Both kept by onboarding for a while (see `office_sender`).
    officer_id = config.mosip_officer_id(packet.event.office)
    source = config.packet_source()
    try:
        if packet.status == PacketStatus.PENDING:
            request = queries.create_packet_request_for(
                packet, created_at=timezone.now(), officer_id=officer_id, source=source
            )
            mosip_packets.create_packet(client, request)
            created_now = True
        instance = mosip_packets.workflow_instance(
            client,
            registration_id=packet.application_id,
            process=packet.process,
            source=source,
        )
    except MosipError as error:
        if created_now:
            # The next attempt goes straight to workflowinstance.
            pipeline.packet_record_created(outbox=outbox)
        return _failed(outbox, error)
    pipeline.packet_record_triggered(
        outbox=outbox, already_present=instance.already_present
    )
    if instance.already_present:
        _look_up_now(packet.application_id)
    return "sent"


def _look_up_now(application_id: str) -> None:
    """MOSIP had the id before this send (an earlier send's answer was lost, say to
    a worker that died): its results may have come while the packet still looked
    unsent, and were set aside as stale. Its status now, rather than at the next
    reconcile; if MOSIP is still at it, its result comes over WebSub as usual."""
    try:
        reconcile_packets([application_id])
    except MosipError as error:
        log.warning("status search failed: %s", _code(error) or type(error).__name__)


def reconcile_processing(now=None) -> int:
    """Look up packets processing for long with the external status search."""
    application_ids = pipeline.packets_to_reconcile(now=now)
    try:
        return reconcile_packets(application_ids)
    except MosipError as error:
        log.warning("status search failed: %s", _code(error) or type(error).__name__)
        return 0


def reconcile_packets(application_ids: list[str]) -> int:
    """Apply MOSIP's external status of each packet; the number brought up to date."""
    if not application_ids:
        return 0
    found = mosip_packets.external_status_search(mosip_client(), application_ids)
    settled = []
    for application_id, status_code in found.statuses.items():
        outcome = pipeline.packet_record_external_status(
            application_id=application_id, status_code=status_code
        )
        if outcome == pipeline.APPLIED:
            settled.append(application_id)
    if settled:
        # MOSIP finished these long ago: a result its hub never delivered means the
        # hub may have stopped delivering to us, so re-subscribe soon.
        subscriptions_flag_missed_results(settled)
    return len(settled)
