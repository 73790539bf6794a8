"""Asynchronous packet processing: the reprocessor and the camel-routed stages.

A triggered workflow waits RESUMABLE until the reprocessor's next run (`pickupDelay`),
becomes PROCESSING at PacketValidatorStage, then advances one stage per `stageDelay`
along its process's camel route (processing.camel, read from the configured route
files) until the workflow manager completes it as PROCESSED, REJECTED or FAILED and
publishes REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT (docs/mosip/onboarding-websub.md
§5.2). Delays follow the sandbox clock.

A process with no route in the active flow files (e.g. NEW from a registration
client, whose route file the sandbox does not serve) is picked up by nobody and
stays RESUMABLE, as it would on a MOSIP without that camel route.
"""

import logging

from apps.mosip_sandbox import background, bus, envelope
from apps.mosip_sandbox.processing import camel, queue, settings, stages
from apps.mosip_sandbox.store import get_store

log = logging.getLogger(__name__)

COMPLETED_TOPIC = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
FORCED_OUTCOMES = "forced_outcomes"
OUTCOMES = ("PROCESSED", "REJECTED", "FAILED")
_ACTIVE = ("RESUMABLE", "PROCESSING")
_MAX_PASSES = 50
_COMMANDS = {
    "complete-as-processed": "PROCESSED",
    "complete-as-failed": "FAILED",
    "complete-as-rejected": "REJECTED",
}


def force_outcome(
    registration_id: str, outcome: str, process: str | None = None
) -> None:
    """Make the workflow(s) of a registration end with `outcome` at their next step.
    PROCESSED skips every check but still runs the UIN, identity and credential
    effects; REJECTED and FAILED end the workflow without them."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}")
    get_store().put(
        FORCED_OUTCOMES,
        registration_id,
        {"registrationId": registration_id, "outcome": outcome, "process": process},
    )


def _forced(workflow: dict) -> str | None:
    doc = get_store().get(FORCED_OUTCOMES, workflow["registrationId"])
    if doc and doc.get("process") in (None, workflow["process"]):
        return doc["outcome"]
    return None


def _record(workflow: dict, stage: str, status: str, comment: str) -> None:
    now = envelope.utc_timestamp()
    workflow["transactions"].append(
        {
            "stage": stage,
            "transactionTypeCode": stages.TRANSACTION_TYPES.get(
                stage, "INTERNAL_WORKFLOW_ACTION"
            ),
            "statusCode": status,
            "comment": comment,
            "at": now,
        }
    )
    workflow["updatedAt"] = now


def complete(workflow: dict, result: str, comment: str) -> None:
    """The workflow manager's complete-as-processed / -rejected / -failed."""
    workflow.update(
        statusCode=result,
        statusComment=comment,
        latestTransactionTypeCode="INTERNAL_WORKFLOW_ACTION",
        latestTransactionStatusCode="SUCCESS" if result == "PROCESSED" else result,
    )
    _record(workflow, "WorkflowInternalActionVerticle", result, comment)
    store = get_store()
    store.put("workflows", workflow["key"], workflow)
    store.delete(FORCED_OUTCOMES, workflow["registrationId"])
    queue.remove(workflow["key"])
    bus.publish(
        COMPLETED_TOPIC,
        {
            "instanceId": workflow["registrationId"],
            "resultCode": result,
            "workflowType": workflow["process"],
            "errorCode": {"REJECTED": "PACKET_REJECTED", "FAILED": "PACKET_FAILED"}.get(
                result
            ),
        },
    )


def _finish_forced_processed(workflow: dict) -> None:
    ctx = stages.load(workflow)
    if ctx.packet is not None:
        effects = [
            stage
            for stage in (
                "UinGeneratorStage",
                "FinalizationStage",
                "CredentialRequestorStage",
            )
            if camel.route_reaches(workflow["process"], stage)
        ]
        for stage in effects:
            if stage == "UinGeneratorStage" and workflow.get("uin"):
                continue
            if not stages.STAGES[stage](ctx).valid:
                break
    complete(workflow, "PROCESSED", "Outcome forced through the sandbox test API")


def _run_stage(workflow: dict) -> None:
    stage = workflow["registrationStageName"]
    ctx = stages.load(workflow)
    internal_error = False
    try:
        result = stages.STAGES[stage](ctx)
    except Exception:
        log.exception(
            "stage %s failed for workflow %s", stage, workflow["workflowInstanceId"]
        )
        result = stages.StageResult(False, "Unknown Exception")
        internal_error = True
    workflow["latestTransactionTypeCode"] = stages.TRANSACTION_TYPES[stage]
    if result.valid:
        workflow.update(
            lastSuccessStageName=stage,
            latestTransactionStatusCode="SUCCESS",
            statusComment=result.comment,
        )
    _record(workflow, stage, "SUCCESS" if result.valid else "FAILED", result.comment)
    message = {
        "isValid": result.valid,
        "internalError": internal_error,
        "tags": workflow.get("tags", {}),
    }
    following = camel.next_step(workflow["process"], stage, message)
    store = get_store()
    if following is None or (following.stage is None and following.command is None):
        # No route listens on this stage's output: the message goes nowhere.
        store.put("workflows", workflow["key"], workflow)
        queue.remove(workflow["key"])
        return
    if following.command == "mark-as-reprocess":
        store.put("workflows", workflow["key"], workflow)
        queue.schedule(workflow["key"], settings.timing()["pickupDelay"])
        return
    if following.command is not None:
        outcome = _COMMANDS.get(following.command, "FAILED")
        if not result.valid:
            reason = result.comment
        else:
            # WorkflowCommandPredicate's action message, unless the route logs why.
            code = following.command.upper().replace("-", "_")
            reason = following.reason or (
                f"Packet processing completed with action code : {code}"
            )
        complete(workflow, outcome, reason)
        return
    if following.stage not in stages.STAGES:
        log.warning(
            "route sends %s to %s, a stage the sandbox lacks", stage, following.stage
        )
        store.put("workflows", workflow["key"], workflow)
        queue.remove(workflow["key"])
        return
    workflow["registrationStageName"] = following.stage
    store.put("workflows", workflow["key"], workflow)
    queue.schedule(workflow["key"], settings.timing()["stageDelay"])


def step(key: str) -> None:
    """Advance one workflow by one step."""
    store = get_store()
    with store.transaction():
        workflow = store.get("workflows", key)
        if workflow is None or workflow["statusCode"] not in _ACTIVE:
            queue.remove(key)
            return
        if not camel.has_route(workflow["process"]):
            queue.remove(key)
            return
        forced = _forced(workflow)
        if forced in ("REJECTED", "FAILED"):
            complete(workflow, forced, "Outcome forced through the sandbox test API")
        elif forced == "PROCESSED":
            _finish_forced_processed(workflow)
        elif workflow["statusCode"] == "RESUMABLE":
            # The reprocessor sends the row into its route at the beginning stage.
            workflow.update(
                statusCode="PROCESSING", latestTransactionStatusCode="REPROCESS"
            )
            store.put("workflows", key, workflow)
            queue.schedule(key, settings.timing()["stageDelay"])
        else:
            _run_stage(workflow)


def run_due() -> int:
    """Run every step that is due, repeatedly, until none is; returns the count."""
    done = 0
    for _ in range(_MAX_PASSES):
        keys = queue.due()
        if not keys:
            break
        for key in keys:
            try:
                step(key)
            except Exception:
                log.exception("processing step failed for %s", key)
                queue.schedule(key, settings.timing()["stageDelay"])
            done += 1
    return done


@background.register("packet-processing", interval=0.05)
def tick() -> None:
    run_due()
