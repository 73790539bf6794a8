"""Asynchronous packet processing: the reprocessor and the camel-routed stages.

A triggered workflow waits RESUMABLE until the reprocessor's next run (`pickupDelay`),
becomes PROCESSING at PacketValidatorStage, then advances one stage per `stageDelay`
along its process's route until the workflow manager completes it as PROCESSED,
REJECTED or FAILED and publishes REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT
(onboarding-websub.md §5.2). Delays follow the sandbox clock.

A process with no route here (e.g. NEW from a registration client) is picked up by
nobody and stays RESUMABLE, as it would on a MOSIP without that camel route.
"""

import logging

from apps.mosip_sandbox import background, bus, envelope
from apps.mosip_sandbox.processing import queue, routes, settings, stages
from apps.mosip_sandbox.store import get_store

log = logging.getLogger(__name__)

COMPLETED_TOPIC = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
FORCED_OUTCOMES = "forced_outcomes"
OUTCOMES = ("PROCESSED", "REJECTED", "FAILED")
_ACTIVE = ("RESUMABLE", "PROCESSING")
_MAX_PASSES = 50


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


def _finish_forced_processed(workflow: dict, route: str) -> None:
    ctx = stages.load(workflow)
    if ctx.packet is not None:
        effects = ["UinGeneratorStage", "FinalizationStage"]
        if route == "crvs_new":
            effects.append("CredentialRequestorStage")
        for stage in effects:
            if stage == "UinGeneratorStage" and workflow.get("uin"):
                continue
            if not stages.STAGES[stage](ctx).valid:
                break
    complete(workflow, "PROCESSED", "Outcome forced through the sandbox test API")


def _run_stage(workflow: dict, route: str) -> None:
    stage = workflow["registrationStageName"]
    ctx = stages.load(workflow)
    try:
        result = stages.STAGES[stage](ctx)
    except Exception:
        log.exception(
            "stage %s failed for workflow %s", stage, workflow["workflowInstanceId"]
        )
        result = stages.StageResult(False, "Unknown Exception")
    workflow["latestTransactionTypeCode"] = stages.TRANSACTION_TYPES[stage]
    if not result.valid:
        _record(workflow, stage, "FAILED", result.comment)
        complete(workflow, routes.on_failure(route, stage), result.comment)
        return
    workflow.update(
        lastSuccessStageName=stage,
        latestTransactionStatusCode="SUCCESS",
        statusComment=result.comment,
    )
    _record(workflow, stage, "SUCCESS", result.comment)
    following = routes.next_step(route, stage, workflow.get("tags", {}))
    if isinstance(following, tuple):
        _, outcome, reason = following
        complete(workflow, outcome, reason or result.comment)
        return
    workflow["registrationStageName"] = following
    get_store().put("workflows", workflow["key"], workflow)
    queue.schedule(workflow["key"], settings.timing()["stageDelay"])


def step(key: str) -> None:
    """Advance one workflow by one step."""
    store = get_store()
    with store.transaction():
        workflow = store.get("workflows", key)
        if workflow is None or workflow["statusCode"] not in _ACTIVE:
            queue.remove(key)
            return
        route = settings.process_table()["routes"].get(workflow["process"])
        if route not in routes.ROUTES:
            queue.remove(key)
            return
        forced = _forced(workflow)
        if forced in ("REJECTED", "FAILED"):
            complete(workflow, forced, "Outcome forced through the sandbox test API")
        elif forced == "PROCESSED":
            _finish_forced_processed(workflow, route)
        elif workflow["statusCode"] == "RESUMABLE":
            # The reprocessor sends the row into its route at the beginning stage.
            workflow.update(
                statusCode="PROCESSING", latestTransactionStatusCode="REPROCESS"
            )
            store.put("workflows", key, workflow)
            queue.schedule(key, settings.timing()["stageDelay"])
        else:
            _run_stage(workflow, route)


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
