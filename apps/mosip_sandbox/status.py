"""Reg-proc registration-status service: status searches (docs/mosip/packet-api.md §7).

- `POST .../registrationstatus/search`: external statuses, then the "considered
  processed" rewrite: UIN_GENERATED, REREGISTER, REJECTED and REPROCESS_FAILED all
  read PROCESSED, so this endpoint cannot tell success from rejection.
- `POST .../registrationstatus/externalstatus/search`: the raw external statuses.
- `POST .../registrationstatus/packetexternalstatus`: packet statuses by packet id.

Envelope errors come back HTTP 200 as RPR-RGS-015 ("Input Data is Incorrect")
followed by the specific code, keyed `errorMessage`; unknown ids are per-id errors
beside the found ones. Responses carry a `Response-Signature` header.
"""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.urls import path

from apps.mosip_sandbox import envelope, security, spring
from apps.mosip_sandbox.store import get_store

STATUS_ID = "mosip.registration.status"
EXTERNAL_STATUS_ID = "mosip.registration.external.status"
PACKET_STATUS_ID = "mosip.registration.packet.external.status"
VERSION = "1.0"
GRACE_PERIOD = timedelta(seconds=10800)  # mosip.registration.processor.grace.period
RECORDS_LIMIT = 100  # registration.processor.fetch.registration.records.limit
CONSIDERED_PROCESSED = {"UIN_GENERATED", "REREGISTER", "REJECTED", "REPROCESS_FAILED"}
# Stages before the packet store: a PROCESSING row past them already reads PROCESSED.
STAGES_BEFORE_PACKET_STORE = {"PacketReceiverStage", "SecurezoneNotificationStage"}
MAX_RETRY = 10  # registration.processor.max.retry


class _Invalid(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _signed(body: dict) -> HttpResponse:
    text = json.dumps(body)
    # A stand-in for keymanager's JWS over the body: opaque, derived from the bytes.
    digest = hashlib.sha256(text.encode()).digest()
    response = HttpResponse(text, content_type="application/json", status=200)
    response["Response-Signature"] = (
        base64.urlsafe_b64encode(digest).decode().rstrip("=")
    )
    return response


def _body(service_id: str, response, errors: list) -> dict:
    return {
        "id": service_id,
        "version": VERSION,
        "responsetime": envelope.utc_timestamp(),
        "response": response,
        "errors": errors,
    }


def _validate(body: dict, service_id: str) -> None:
    """RegistrationStatusRequestValidator: id, version, requesttime (± grace)."""
    value = body.get("id")
    if value is None:
        raise _Invalid("RPR-RGS-021", "Missing Request Parameter - id")
    if value != service_id:
        raise _Invalid("RPR-RGS-024", "Invalid Request Parameter - id")
    value = body.get("version")
    if value is None:
        raise _Invalid("RPR-RGS-019", "Missing Request Value - version")
    if value != VERSION:
        raise _Invalid("RPR-RGS-022", "Invalid Request Parameter - version")
    value = body.get("requesttime")
    if value is None:
        raise _Invalid("RPR-RGS-020", "Missing Request Parameter - requesttime")
    try:
        moment = envelope.parse_utc_timestamp(value)
    except (ValueError, TypeError) as exc:
        raise _Invalid(
            "RPR-RGS-023", "Invalid Request Parameter - requesttime"
        ) from exc
    now = datetime.now(UTC)
    if not (now - GRACE_PERIOD < moment < now + GRACE_PERIOD):
        raise _Invalid("RPR-RGS-023", "Invalid Request Parameter - requesttime")


def _validation_failure(service_id: str, error: _Invalid) -> HttpResponse:
    errors = [
        {
            "errorCode": "RPR-RGS-015",
            "errorMessage": "Invalid Request Value - Input Data is Incorrect",
        },
        {"errorCode": error.code, "errorMessage": str(error)},
    ]
    return _signed(_body(service_id, None, errors))


def _read(request, service_id: str) -> tuple[list | None, HttpResponse | None]:
    try:
        body = envelope.read_json(request)
    except envelope.BadJson:
        error = {"errorCode": "RPR-RGS-017", "errorMessage": "JSON Parsing Failed"}
        return None, _signed(_body(service_id, None, [error]))
    if not isinstance(body, dict):
        error = {"errorCode": "RPR-RGS-016", "errorMessage": "JSON Mapping Failed"}
        return None, _signed(_body(service_id, None, [error]))
    try:
        _validate(body, service_id)
    except _Invalid as error:
        return None, _validation_failure(service_id, error)
    items = body.get("request")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        error = {"errorCode": "RPR-RGS-018", "errorMessage": "Unknown Exception Found"}
        return None, _signed(_body(service_id, None, [error]))
    return items[:RECORDS_LIMIT], None


def latest_workflow(registration_id: str) -> dict | None:
    rows = get_store().find("workflows", registrationId=registration_id)
    return max(rows, key=lambda r: r["createdAt"]) if rows else None


def external_status(workflow: dict) -> str:
    """RegistrationExternalStatusUtility.getExternalStatus."""
    status = workflow["statusCode"]
    if status == "PROCESSED":
        return "UIN_GENERATED"
    if status in ("PROCESSING", "PAUSED", "RESUMABLE", "REPROCESS"):
        last = workflow.get("lastSuccessStageName")
        if last is None or last in STAGES_BEFORE_PACKET_STORE:
            return "PROCESSING"
        return "PROCESSED"
    if status == "FAILED":
        # Only packet-receiver or upload failures are worth a resend; a workflow
        # failure (INTERNAL_WORKFLOW_ACTION) asks for a new registration.
        resend = workflow.get("latestTransactionTypeCode") in (
            "PACKET_RECEIVER",
            "UPLOAD_PACKET",
        )
        return (
            "RESEND"
            if resend and workflow.get("retryCount", 0) < MAX_RETRY
            else "REREGISTER"
        )
    return "REJECTED"


def _registration_statuses(items: list, rewrite: bool) -> tuple[list, list]:
    found, errors = [], []
    for item in items:
        registration_id = item.get("registrationId")
        workflow = (
            latest_workflow(registration_id)
            if isinstance(registration_id, str)
            else None
        )
        if workflow is None:
            errors.append(
                {
                    "registrationId": registration_id,
                    "errorCode": "RPR-RGS-031",
                    "errorMessage": "RID Not Found",
                }
            )
            continue
        status = external_status(workflow)
        if rewrite and status in CONSIDERED_PROCESSED:
            status = "PROCESSED"
        found.append(
            {
                "registrationId": registration_id,
                "statusCode": status,
                "additionalInfoReqId": workflow.get("additionalInfoReqId"),
            }
        )
    return found, errors


@security.requires("registration-processor", "mosip.role.registration.getPostsearch")
@spring.allow_methods("POST")
def search(request):
    items, failure = _read(request, STATUS_ID)
    if failure:
        return failure
    found, errors = _registration_statuses(items, rewrite=True)
    return _signed(_body(STATUS_ID, found, errors))


@security.requires(
    "registration-processor", "mosip.role.registration.getPostexternalstatussearch"
)
@spring.allow_methods("POST")
def external_search(request):
    items, failure = _read(request, EXTERNAL_STATUS_ID)
    if failure:
        return failure
    found, errors = _registration_statuses(items, rewrite=False)
    return _signed(_body(EXTERNAL_STATUS_ID, found, errors))


def packet_status(workflow: dict) -> str:
    """PacketExternalStatusServiceImpl: only receiver/upload transactions can read
    RECEIVED or RESEND; a packet created through packet manager reads ACCEPTED."""
    before_store = ("PACKET_RECEIVER", "SECUREZONE_NOTIFICATION", "UPLOAD_PACKET")
    if workflow.get("latestTransactionTypeCode") not in before_store:
        return "ACCEPTED"
    if workflow["statusCode"] == "FAILED":
        return "RESEND" if workflow.get("retryCount", 0) < MAX_RETRY else "REJECTED"
    return "RECEIVED"


@security.requires(
    "registration-processor", "mosip.role.registration.getPostpacketexternalstatus"
)
@spring.allow_methods("POST")
def packet_external_status(request):
    items, failure = _read(request, PACKET_STATUS_ID)
    if failure:
        return failure
    found, errors = [], []
    for item in items:
        packet_id = item.get("packetId")
        workflow = latest_workflow(packet_id) if isinstance(packet_id, str) else None
        if workflow is None:
            errors.append(
                {
                    "packetId": packet_id,
                    "errorCode": "RPR-RGS-037",
                    "errorMessage": "PacketId Not Found",
                }
            )
        else:
            found.append({"packetId": packet_id, "statusCode": packet_status(workflow)})
    return _signed(_body(PACKET_STATUS_ID, found, errors))


urlpatterns = [
    path("registrationprocessor/v1/registrationstatus/search", search),
    path(
        "registrationprocessor/v1/registrationstatus/externalstatus/search",
        external_search,
    ),
    path(
        "registrationprocessor/v1/registrationstatus/packetexternalstatus",
        packet_external_status,
    ),
]
