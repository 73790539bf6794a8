"""Where verified MOSIP results go: one handler per kind of event.

The registrations app registers its handlers in its AppConfig.ready():

    from apps.websub import handlers
    handlers.register("credential_issued", record_national_id)
    handlers.register("workflow_completed", record_workflow_result)

A handler receives one payload (below), applies it idempotently and in either order,
and returns an outcome: "applied", "duplicate" (already recorded, nothing changed) or
"orphan" (no record has this application id; websub keeps the event for admins).
An exception leaves the event in the inbox to be tried again later.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

APPLIED = "applied"
DUPLICATE = "duplicate"
ORPHAN = "orphan"
OUTCOMES = (APPLIED, DUPLICATE, ORPHAN)

KINDS = ("credential_issued", "workflow_completed")


@dataclass(frozen=True)
class CredentialIssued:
    """`<partnerId>/CREDENTIAL_ISSUED`, its credential already decrypted."""

    application_id: str
    uin: str  # empty when the partner policy does not share the UIN
    vid: str
    transaction_id: str
    event_id: str
    received_at: datetime
    # Extra `event.data` labels copied from the packet (metaInfoFields), if any.
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WorkflowCompleted:
    """`REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT`."""

    application_id: str
    result_code: str  # PROCESSED | REJECTED | FAILED
    error_code: str  # PACKET_REJECTED / PACKET_FAILED, or empty
    workflow_type: str
    received_at: datetime


Handler = Callable[[CredentialIssued | WorkflowCompleted], str]
_handlers: dict[str, Handler] = {}


def register(kind: str, fn: Handler) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {KINDS}")
    _handlers[kind] = fn


def unregister(kind: str) -> None:
    _handlers.pop(kind, None)


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)
