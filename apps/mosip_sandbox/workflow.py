"""Workflow Manager: `POST /registrationprocessor/v1/workflowmanager/workflowinstance`
(docs/mosip/packet-api.md §6).

A trigger writes one registration row to `workflows` (key `<rid>:<process>:<iteration>`)
with status RESUMABLE at PacketValidatorStage and queues it; the reprocessor picks it
up later (see `processing`). It does not look for the packet: a missing packet only
fails the workflow asynchronously, as on MOSIP. Every answer is HTTP 200, errors
included, with the Vert.x API's envelope (no `metadata`, `errors: null` on success).
"""

import re
import uuid
from datetime import datetime

from django.http import HttpResponse, JsonResponse
from django.urls import path

from apps.mosip_sandbox import envelope, processes, security
from apps.mosip_sandbox.processing import queue, settings
from apps.mosip_sandbox.store import get_store

API_ID = "mosip.registration.processor.workflow.instance"
API_VERSION = "v1"
# APIAuthorityList.WORKFLOWINSTANCE (hard-coded in reg-proc).
WORKFLOW_INSTANCE_ROLES = (
    "ONLINE_REGISTRATION_CLIENT",
    "REGISTRATION_PROCESSOR",
    "GLOBAL_ADMIN",
)
BEGINNING_STAGE = "PacketValidatorStage"
_UTC_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


class WorkflowError(Exception):
    def __init__(self, code: str, message: str, prefixed: bool = True):
        # Kernel exceptions carry their message as "<code> --> <text>" (§6).
        super().__init__(f"{code} --> {message}" if prefixed else message)
        self.code = code


def _answer(
    workflow_instance_id: str | None = None, error: WorkflowError | None = None
):
    body = {
        "id": API_ID,
        "version": API_VERSION,
        "responsetime": envelope.utc_timestamp(),
        "response": (
            {"workflowInstanceId": workflow_instance_id}
            if workflow_instance_id
            else None
        ),
        "errors": (
            [{"errorCode": error.code, "message": str(error)}] if error else None
        ),
    }
    return JsonResponse(body, status=200)


def _parses_as_request_time(value: str) -> bool:
    if _UTC_PATTERN.match(value):
        return True
    try:
        return datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False


def _binds(dto) -> bool:
    """Whether Jackson could bind the request object to WorkflowInstanceRequestDTO."""
    if not isinstance(dto, dict):
        return False
    for name in ("registrationId", "process", "source", "additionalInfoReqId"):
        if isinstance(dto.get(name), dict | list):
            return False
    info = dto.get("notificationInfo")
    return info is None or isinstance(info, dict)


def validate_envelope(body: dict) -> None:
    """WorkflowInstanceRequestValidator: id, then version, then requesttime."""
    for field, expected in (("id", API_ID), ("version", API_VERSION)):
        value = body.get(field)
        if value is None:
            raise WorkflowError("RPR-WIN-000", f"Missing Request Value - {field}")
        if not isinstance(value, str) or value.lower() != expected.lower():
            raise WorkflowError("RPR-WIN-001", f"Invalid Request Value - {field}")
    requesttime = body.get("requesttime")
    if requesttime is None:
        raise WorkflowError("RPR-WIN-000", "Missing Request Value - requesttime")
    if not isinstance(requesttime, str) or not _parses_as_request_time(requesttime):
        raise WorkflowError("RPR-WIN-001", "Invalid Request Value - requesttime")


def iteration_for(process: str | None) -> int:
    """Utilities.getIterationForSyncRecord: main processes (directly or through
    `registration.processor.additional-process.category-mapping`) run as iteration
    1; anything else must be an additional-info sub-process, and the sandbox has no
    pending additional-info requests, so the lookup fails. WorkflowInstanceService
    catches that failure (AdditionalInfoIdNotFoundException, an unchecked
    exception) as any other and refuses with RPR-WIS-000 "Unknown Exception"."""
    if processes.is_main(process):
        return 1
    raise WorkflowError("RPR-WIS-000", "Unknown Exception")


def workflow_key(registration_id: str, process: str, iteration: int) -> str:
    return f"{registration_id}:{process}:{iteration}"


def create_workflow_instance(dto: dict, user: str) -> str:
    registration_id = dto.get("registrationId")
    process = dto.get("process")
    iteration = iteration_for(process)
    store = get_store()
    with store.transaction():
        key = workflow_key(str(registration_id), str(process), iteration)
        if store.get("workflows", key) is not None:
            raise WorkflowError("RPR-WIS-001", "WorkflowInstance already present")
        # Utilities.getRefId reads the first ten characters as centre and machine.
        if not isinstance(registration_id, str) or len(registration_id) < 10:
            raise WorkflowError("RPR-WIS-000", "Unknown Exception")
        instance_id = str(uuid.uuid4())
        now = envelope.utc_timestamp()
        store.put(
            "workflows",
            key,
            {
                "key": key,
                "registrationId": registration_id,
                "process": process,
                "source": dto.get("source"),
                "iteration": iteration,
                "additionalInfoReqId": dto.get("additionalInfoReqId") or None,
                "workflowInstanceId": instance_id,
                "statusCode": "RESUMABLE",
                "latestTransactionTypeCode": "WORKFLOW_RESUME",
                "latestTransactionStatusCode": "REPROCESS",
                "registrationStageName": BEGINNING_STAGE,
                "lastSuccessStageName": None,
                "statusComment": "Workflow instance created successfully",
                "retryCount": 0,
                "createdBy": user,
                "createdAt": now,
                "updatedAt": now,
                "hasNotificationInfo": bool(dto.get("notificationInfo")),
                "tags": {},
                "transactions": [],
            },
        )
        queue.schedule(key, settings.timing()["pickupDelay"])
    return instance_id


@security.requires("registration-processor", WORKFLOW_INSTANCE_ROLES)
def workflow_instance(request):
    if request.method != "POST":
        # Vert.x answers a known path with another method in plain text.
        return HttpResponse("Method Not Allowed", status=405, content_type="text/plain")
    try:
        body = envelope.read_json(request)
        if not isinstance(body, dict) or not _binds(body.get("request")):
            raise envelope.BadJson("not a WorkflowInstanceDTO")
    except envelope.BadJson:
        return _answer(error=WorkflowError("RPR-WIN-002", "Unknown Exception", False))
    try:
        validate_envelope(body)
        user = request.mosip_claims.get("preferred_username", "")
        instance_id = create_workflow_instance(body["request"], user)
    except WorkflowError as error:
        return _answer(error=error)
    return _answer(workflow_instance_id=instance_id)


urlpatterns = [
    path(
        "registrationprocessor/v1/workflowmanager/workflowinstance", workflow_instance
    ),
]
