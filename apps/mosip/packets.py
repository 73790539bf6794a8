"""Packets: createPacket, the workflow trigger, and status searches
(docs/mosip/packet-api.md §3, §6, §7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.mosip import transport
from apps.mosip.config import MosipClient
from apps.mosip.errors import MosipBadResponse, MosipEmptyResponse, MosipRejected

CREATE_PACKET_PATH = "/commons/v1/packetmanager/createPacket"
WORKFLOW_INSTANCE_PATH = "/registrationprocessor/v1/workflowmanager/workflowinstance"
WORKFLOW_INSTANCE_ID = "mosip.registration.processor.workflow.instance"
STATUS_BASE = "/registrationprocessor/v1/registrationstatus"
# A second trigger for the same registration: the first one stands.
WORKFLOW_ALREADY_PRESENT = "RPR-WIS-001"
# Per-id "not found" answers: registration id (search), packet id (packet status).
NOT_FOUND_CODES = ("RPR-RGS-031", "RPR-RGS-037")
SEARCH_BATCH = 100


@dataclass(frozen=True)
class PacketInfo:
    """One stored sub-packet (id, evidence or optional) as packet manager reports it."""

    id: str
    packet_name: str
    source: str
    process: str
    ref_id: str
    schema_version: str
    creation_date: str | None = None
    encrypted_hash: str | None = field(default=None, repr=False)
    signature: str | None = field(default=None, repr=False)


def create_packet(client: MosipClient, request: dict[str, Any]) -> list[PacketInfo]:
    """PUT /commons/v1/packetmanager/createPacket with a PacketDto (`id`, `refId`,
    `process`, `source`, `schemaVersion`, `schemaJson`, `fields`, `metaInfo`,
    `audits`, …). Re-sending the same `id` overwrites the packet.

    MosipRejected on `errors[]` (e.g. KER-PUT-006); MosipEmptyResponse when packet
    manager swallowed a failure and answered no PacketInfo at all."""
    response = client.call(
        "PUT",
        CREATE_PACKET_PATH,
        request=request,
        id="mosip.registration.packet.writer",
        version="v1",
    )
    if not response:
        raise MosipEmptyResponse(
            "createPacket answered no packet and no error: packet manager failed "
            "inside (schema, audits, keys or storage); the packet was not stored",
            http_status=200,
        )
    if not isinstance(response, list):
        raise MosipBadResponse("createPacket answered something other than a list")
    return [
        PacketInfo(
            id=str(item.get("id") or ""),
            packet_name=str(item.get("packetName") or ""),
            source=str(item.get("source") or ""),
            process=str(item.get("process") or ""),
            ref_id=str(item.get("refId") or ""),
            schema_version=str(item.get("schemaVersion") or ""),
            creation_date=item.get("creationDate"),
            encrypted_hash=item.get("encryptedHash"),
            signature=item.get("signature"),
        )
        for item in response
        if isinstance(item, dict)
    ]


@dataclass(frozen=True)
class WorkflowInstance:
    """The trigger's outcome. `already_present` when MOSIP answered RPR-WIS-001:
    the registration was triggered before, which counts as done
    (`workflow_instance_id` is then unknown)."""

    registration_id: str
    workflow_instance_id: str | None
    already_present: bool = False


def workflow_instance(
    client: MosipClient,
    *,
    registration_id: str,
    process: str,
    source: str,
    notification_info: dict[str, str] | None = None,
    additional_info_req_id: str = "",
) -> WorkflowInstance:
    """POST /registrationprocessor/v1/workflowmanager/workflowinstance: start
    processing a created packet. Processing is asynchronous; results come by
    WebSub or status search. `notification_info` (name/phone/email) is optional."""
    request: dict[str, Any] = {
        "registrationId": registration_id,
        "process": process,
        "source": source,
        "additionalInfoReqId": additional_info_req_id,
    }
    if notification_info:
        request["notificationInfo"] = notification_info
    try:
        response = client.call(
            "POST",
            WORKFLOW_INSTANCE_PATH,
            request=request,
            id=WORKFLOW_INSTANCE_ID,
            version="v1",
        )
    except MosipRejected as exc:
        if exc.codes == [WORKFLOW_ALREADY_PRESENT]:
            return WorkflowInstance(registration_id, None, already_present=True)
        raise
    instance_id = (response or {}).get("workflowInstanceId")
    if not instance_id:
        raise MosipBadResponse("workflowinstance answered no workflowInstanceId")
    return WorkflowInstance(registration_id, str(instance_id))


@dataclass(frozen=True)
class StatusSearch:
    """Per-id outcome of a status search: `statuses` maps each id MOSIP knows to
    its status code; `not_found` lists the ids it does not know (RPR-RGS-031 /
    -037); `errors` keeps any other per-id error."""

    statuses: dict[str, str]
    not_found: list[str]
    errors: list[dict] = field(default_factory=list)


def _search(
    client: MosipClient, path: str, service_id: str, key: str, ids: list[str]
) -> StatusSearch:
    # MOSIP serves only the first 100 ids of a request
    # (registration.processor.fetch.registration.records.limit): ask in batches.
    statuses: dict[str, str] = {}
    not_found: list[str] = []
    other: list[dict] = []
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), SEARCH_BATCH):
        batch = _search_batch(
            client, path, service_id, key, unique[start : start + SEARCH_BATCH]
        )
        statuses.update(batch.statuses)
        not_found.extend(batch.not_found)
        other.extend(batch.errors)
    return StatusSearch(statuses, not_found, other)


def _search_batch(
    client: MosipClient, path: str, service_id: str, key: str, ids: list[str]
) -> StatusSearch:
    response = client.request(
        "POST",
        f"{client.config.api_url}{STATUS_BASE}{path}",
        json=transport.envelope([{key: i} for i in ids], id=service_id, version="1.0"),
    )
    transport.check_status(response)
    body = transport.json_body(response)
    errors = transport.error_items(body)
    # Envelope-level failures name no id; per-id errors sit beside the found ones.
    general = [e for e in errors if not e.get(key)]
    if general:
        raise transport.rejected(general, response.status_code)
    statuses = {
        str(item.get(key)): str(item.get("statusCode"))
        for item in ((body or {}).get("response") or [])
        if isinstance(item, dict) and item.get(key)
    }
    not_found = [str(e[key]) for e in errors if e.get("errorCode") in NOT_FOUND_CODES]
    other = [e for e in errors if e.get("errorCode") not in NOT_FOUND_CODES]
    return StatusSearch(statuses, not_found, other)


def external_status_search(
    client: MosipClient, registration_ids: list[str]
) -> StatusSearch:
    """POST …/registrationstatus/externalstatus/search: raw external statuses
    (PROCESSING, UIN_GENERATED, REJECTED, RESEND, REREGISTER, …). Needs
    REGISTRATION_ADMIN/OFFICER/SUPERVISOR or RESIDENT. Any number of ids (sent
    in batches of 100)."""
    return _search(
        client,
        "/externalstatus/search",
        "mosip.registration.external.status",
        "registrationId",
        registration_ids,
    )


def registration_status_search(
    client: MosipClient, registration_ids: list[str]
) -> StatusSearch:
    """POST …/registrationstatus/search: like the external search, but MOSIP reports
    UIN_GENERATED, REJECTED, REREGISTER and REPROCESS_FAILED all as PROCESSED."""
    return _search(
        client,
        "/search",
        "mosip.registration.status",
        "registrationId",
        registration_ids,
    )


def packet_status_search(client: MosipClient, packet_ids: list[str]) -> StatusSearch:
    """POST …/registrationstatus/packetexternalstatus: packet statuses (ACCEPTED,
    RECEIVED, UPLOAD_PENDING, RESEND, REJECTED) by packet id."""
    return _search(
        client,
        "/packetexternalstatus",
        "mosip.registration.packet.external.status",
        "packetId",
        packet_ids,
    )
