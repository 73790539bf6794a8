"""Packet Manager: `PUT /commons/v1/packetmanager/createPacket` (docs/mosip/packet-api.md §3).

Packets land in the `packets` collection keyed `<id>/<source>/<process>`, the object
store layout reg-proc reads them back from; re-sending the same id for the same
source and process overwrites the stored packet, as MOSIP's object store does.
"""

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.urls import path

from apps.mosip_sandbox import (
    envelope,
    faults,
    keymanager,
    processes,
    security,
    spring,
)
from apps.mosip_sandbox.store import get_store

RESPONSE_ID = "mosip.registration.packet.writer"
SUB_PACKETS = ("evidence", "optional", "id")  # Java HashMap order of the response


def provider_for(source: Any, process: Any):
    """The `provider.packetwriter.*` entry that writes this source and process
    (processes.provider_for: case-insensitive containment, iteration cut, §3.6).
    So `CRVS` matches `CRVS1`, and `CRVS_NEW` matches `OPENCRVS_NEW`."""
    return processes.provider_for("writer", source, process)


def packet_key(packet_id: str, source: str, process: str) -> str:
    return f"{packet_id}/{source}/{process}"


def stored_packet(packet_id: str, source: str, process: str) -> dict | None:
    return get_store().get("packets", packet_key(packet_id, source, process))


def java_double_string(value: float) -> str:
    """Double.toString: plain notation in [1e-3, 1e7), else `d.dddE±n`."""
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "e" not in text else f"{value:f}".rstrip("0")
    mantissa, exponent = f"{value:.16E}".split("E")
    mantissa = repr(float(mantissa))
    return f"{mantissa}E{int(exponent)}"


class _Unreadable(Exception):
    """Jackson cannot bind the body: Spring answers 400."""


class _Swallowed(Exception):
    """Packet creation failed inside the writer: MOSIP logs it and answers
    `response: null, errors: []` (§3.7)."""


def _as_string_map(value: Any) -> dict[str, str | None]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Unreadable
    result = {}
    for key, item in value.items():
        if isinstance(item, dict | list):
            raise _Unreadable
        # Jackson coerces scalars into the String values of the DTO's maps.
        result[key] = (
            item if item is None or isinstance(item, str) else json.dumps(item)
        )
    return result


def _parsed_value(text: str | None) -> Any:
    # RegistrationPacket: a JSON object or array is kept structurally; anything
    # else, numbers and booleans included, stays the original string (§3.3).
    if text is None:
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return parsed if isinstance(parsed, dict | list) else text


def _schema_fields(schema_json: Any) -> dict[str, dict]:
    if not isinstance(schema_json, str):
        raise _Swallowed
    try:
        schema = json.loads(schema_json)
        fields = schema["properties"]["identity"]["properties"]
    except (ValueError, KeyError, TypeError) as exc:
        raise _Swallowed from exc
    if not isinstance(fields, dict):
        raise _Swallowed
    return {k: v if isinstance(v, dict) else {} for k, v in fields.items()}


def _sub_packets_of(field_schema: dict) -> tuple[str, ...]:
    category = str(field_schema.get("fieldCategory") or "none").lower()
    if category in ("pvt", "kyc"):
        return ("id",)
    if category in ("evidence", "optional"):
        return (category,)
    return SUB_PACKETS


def _documents(raw: Any, schema_fields: dict) -> dict[str, dict]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _Unreadable
    documents = {}
    for field, document in raw.items():
        if not isinstance(document, dict):
            raise _Unreadable
        content = document.get("document")
        if content is not None:
            if not isinstance(content, str):
                raise _Unreadable
            try:
                base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise _Unreadable from exc
        if field in schema_fields:
            documents[field] = {
                "value": field,
                "type": document.get("type"),
                "format": document.get("format"),
                "refNumber": document.get("refNumber"),
            }
    return documents


def check_binding(dto: dict) -> None:
    """Raise _Unreadable where Jackson could not bind the body to PacketDto."""
    for text_field in ("schemaJson", "schemaVersion", "id", "refId", "source"):
        if isinstance(dto.get(text_field), dict | list):
            raise _Unreadable
    if isinstance(dto.get("process"), dict | list):
        raise _Unreadable
    _as_string_map(dto.get("fields"))
    _as_string_map(dto.get("metaInfo"))
    audits = dto.get("audits")
    if audits is not None and not (
        isinstance(audits, list) and all(isinstance(a, dict) for a in audits)
    ):
        raise _Unreadable
    if audits:
        for audit in audits:
            _as_string_map(audit)
    _documents(dto.get("documents"), {})
    biometrics = dto.get("biometrics")
    if biometrics is not None and not isinstance(biometrics, dict):
        raise _Unreadable


def build_packet(dto: dict) -> dict:
    """The stored packet for a bound createPacket request, or _Swallowed."""
    fields = _as_string_map(dto.get("fields"))
    meta_info = _as_string_map(dto.get("metaInfo"))
    audits = dto.get("audits")
    schema_fields = _schema_fields(dto.get("schemaJson"))
    documents = _documents(dto.get("documents"), schema_fields)
    try:
        schema_version = float(str(dto.get("schemaVersion")).strip())
    except ValueError as exc:
        raise _Swallowed from exc
    if dto.get("schemaVersion") is None or schema_version != schema_version:
        raise _Swallowed
    if not audits:
        raise _Swallowed  # KER-KPM-008, logged only
    packet_id = dto.get("id")
    if not isinstance(packet_id, str) or not packet_id:
        raise _Swallowed

    identity: dict[str, Any] = {"IDSchemaVersion": schema_version}
    for name, text in fields.items():
        if name in schema_fields:
            identity[name] = _parsed_value(text)
    identity.update(documents)
    for name in dto.get("biometrics") or {}:
        if name in schema_fields:
            identity[name] = {
                "format": "cbeff",
                "version": 1.0,
                "value": f"{name}_bio_CBEFF",
            }
    layout = {sub: ["IDSchemaVersion"] for sub in SUB_PACKETS}
    for name in identity:
        if name == "IDSchemaVersion":
            continue
        for sub in _sub_packets_of(schema_fields.get(name, {})):
            layout[sub].append(name)

    now = envelope.utc_timestamp()
    if dto.get("offlineMode") is True:
        base_id = dto.get("additionalInfoReqId") or packet_id
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        packet_id = f"{base_id}-{dto.get('refId')}-{stamp}"
    meta_info.update(registrationId=packet_id, creationDate=now)
    for name, document in documents.items():
        meta_info[name] = document["type"]
    return {
        "id": packet_id,
        "refId": dto.get("refId"),
        "source": dto.get("source"),
        "process": dto.get("process"),
        "schemaVersion": java_double_string(schema_version),
        "identity": identity,
        "layout": layout,
        "metaInfo": meta_info,
        "audits": audits,
        "additionalInfoReqId": dto.get("additionalInfoReqId"),
        "creationDate": now,
    }


def sub_packet_bytes(packet: dict, sub: str) -> bytes:
    """The bytes that stand for one sub-packet zip: its fields, meta info and
    audits, serialised the same way each time so a reader can check them again."""
    content = {
        "id": packet["id"],
        "packetName": f"{packet['id']}_{sub}",
        "identity": {
            name: packet["identity"].get(name) for name in packet["layout"][sub]
        },
        "metaInfo": packet["metaInfo"],
        "audits": packet["audits"],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def packet_infos(packet: dict) -> list[dict]:
    """One PacketInfo per sub-packet. Like packet-manager's PacketKeeper.putPacket,
    the signature is keymanager's cssign of the sub-packet with the server's
    signing key; the hash is SHA-256 of the (here unencrypted) sub-packet
    (docs/mosip/machines-and-packets.md §3)."""
    return [
        {
            "id": packet["id"],
            "packetName": f"{packet['id']}_{sub}",
            "source": packet["source"],
            "process": packet["process"],
            "refId": packet["refId"],
            "schemaVersion": packet["schemaVersion"],
            "signature": _b64url(keymanager.cs_sign(sub_packet_bytes(packet, sub))),
            "encryptedHash": _b64url(
                hashlib.sha256(sub_packet_bytes(packet, sub)).digest()
            ),
            "providerName": "PacketWriterImpl",
            "providerVersion": "v1.0",
            "creationDate": packet["creationDate"],
        }
        for sub in SUB_PACKETS
    ]


@security.requires("packet-manager", "mosip.role.commons-packet.putcreatepacket")
@spring.allow_methods("PUT")
def create_packet(request):
    try:
        body = envelope.read_json(request)
    except envelope.BadJson:
        return spring.error_body(request, 400, "Bad Request")
    if not isinstance(body, dict):
        return spring.error_body(request, 400, "Bad Request")
    dto = body.get("request")
    if dto is not None and not isinstance(dto, dict):
        return spring.error_body(request, 400, "Bad Request")
    dto = dto or {}
    try:
        check_binding(dto)
    except _Unreadable:
        return spring.error_body(request, 400, "Bad Request")
    # Packet manager ignores the envelope's id and version (§1).
    if provider_for(dto.get("source"), dto.get("process")) is None:
        return envelope.respond(
            id=None,
            version=None,
            errors=[
                envelope.error(
                    "KER-PUT-006", "No available provider for given source and process"
                )
            ],
        )
    try:
        if faults.take_swallow():
            raise _Swallowed
        packet = build_packet(dto)
    except _Swallowed:
        return envelope.respond(id=RESPONSE_ID, response=None, errors=[])
    infos = packet_infos(packet)
    packet["packetInfos"] = infos
    get_store().put(
        "packets", packet_key(packet["id"], packet["source"], packet["process"]), packet
    )
    return envelope.respond(id=RESPONSE_ID, response=infos, errors=[])


urlpatterns = [
    path("commons/v1/packetmanager/createPacket", create_packet),
]
