"""The reg-proc stages a CRVS packet passes through, each reduced to the checks
and effects a client can observe. Status comments are reg-proc's StatusUtil texts.

A stage returns a StageResult; the process's camel route (processing.camel) decides
what follows, as on MOSIP.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apps.mosip_sandbox import (
    credentials,
    envelope,
    identity,
    idschema,
    packets,
    processes,
    uin,
)
from apps.mosip_sandbox.processing import settings
from apps.mosip_sandbox.store import get_store

TAG_NOT_AVAILABLE = "--TAG_VALUE_NOT_AVAILABLE--"
TRANSACTION_TYPES = {
    "PacketValidatorStage": "VALIDATE_PACKET",
    "PacketClassifierStage": "PACKET_CLASSIFICATION",
    "CMDValidatorStage": "CMD_VALIDATION",
    "OperatorValidatorStage": "OPERATOR_VALIDATION",
    "SupervisorValidatorStage": "SUPERVISOR_VALIDATION",
    "DemodedupeStage": "DEMOGRAPHIC_VERIFICATION",
    "UinGeneratorStage": "UIN_GENERATOR",
    "FinalizationStage": "FINALIZATION",
    "CredentialRequestorStage": "PRINT_SERVICE",
}


@dataclass
class StageResult:
    valid: bool
    comment: str


@dataclass
class Context:
    """What the stages share for one workflow: its row and the packet it reads."""

    workflow: dict
    packet: dict | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def process(self) -> str:
        return self.workflow["process"]

    @property
    def category(self) -> str:
        return processes.internal_process(self.process)


def labels(raw: Any) -> dict[str, Any]:
    """metaData / operationsData: a JSON array of {label, value} (§3.5)."""
    if isinstance(raw, str):
        raw = json.loads(raw)
    if not isinstance(raw, list):
        raise ValueError("not a label/value list")
    return {
        item["label"]: item.get("value")
        for item in raw
        if isinstance(item, dict) and "label" in item
    }


def _creation_time(ctx: Context) -> datetime:
    return envelope.parse_utc_timestamp(ctx.packet["metaInfo"]["creationDate"])


def _tag(value: Any) -> str:
    return TAG_NOT_AVAILABLE if value in (None, "") else str(value)


def load(workflow: dict) -> Context:
    """The workflow's context: its packet as packet manager serves it, and the
    packet's operations and meta data (empty when unreadable)."""
    ctx = Context(workflow)
    ctx.packet = packets.stored_packet(
        workflow["registrationId"], workflow["source"], workflow["process"]
    )
    if ctx.packet is not None:
        try:
            meta_info = ctx.packet["metaInfo"]
            ctx.meta = {
                "metaData": labels(meta_info.get("metaData", "[]")),
                "operationsData": labels(meta_info.get("operationsData", "[]")),
            }
        except (ValueError, TypeError):
            ctx.meta = {}
    return ctx


def readable(workflow: dict) -> bool:
    """Packet manager reads a packet back only through a matching
    `provider.packetreader.*` entry, and finds its source for a process through
    `packetmanager.default.priority` (PacketReaderService.getDefaultSource)."""
    process = workflow["process"]
    return (
        processes.provider_for("reader", workflow.get("source"), process) is not None
        and processes.priority_source(processes.without_iteration(process)) is not None
    )


def packet_validator(ctx: Context) -> StageResult:
    if ctx.packet is None or not readable(ctx.workflow):
        return StageResult(False, "Exception occured in packet manager.")
    if not ctx.meta:
        return StageResult(False, "Packet validation failed in packet manager")
    person = ctx.packet["identity"]
    configured = processes.mandatory_attributes(ctx.process)
    if configured is None:
        # PacketValidator reads the property and splits it: absent, it fails.
        return StageResult(False, "Exception occured in packet manager.")
    mandatory = list(configured)
    if ctx.category == "NEW":
        # The UIN of a new registration is generated later, by the UIN generator.
        mandatory = [m for m in mandatory if m != "UIN"]
    try:
        idschema.validate(person, mandatory)
    except idschema.InvalidIdentity as exc:
        missing = str(exc).startswith("Missing")
        return StageResult(
            False,
            "Mandatory Fields are Not Present in ID Object"
            if missing
            else "Schema Validation Failed",
        )
    if ctx.category == "UPDATE":
        number = person.get("UIN")
        if not isinstance(number, str) or not uin.is_valid(number):
            return StageResult(False, "Invalid UIN")
        record = identity.get(number)
        if record is None:
            return StageResult(False, "UIN is Not Found in ID Repository")
        if record["status"] == identity.DEACTIVATED:
            return StageResult(False, "UIN is Deactivated")
    return StageResult(True, "Packet Validation is Successful")


def _age_in_years(person: dict, on: date) -> int | None:
    dob = person.get("dateOfBirth")
    if isinstance(dob, str):
        try:
            born = datetime.strptime(dob, "%Y/%m/%d").date()
        except ValueError:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    try:
        return int(str(person.get("age")))
    except ValueError:
        return None


def packet_classifier(ctx: Context) -> StageResult:
    """Tags the routes read: AGE_GROUP (age at packet creation against the
    configured ranges) and the officer/supervisor ids of the operations data."""
    age = _age_in_years(ctx.packet["identity"], _creation_time(ctx).date())
    group = None
    if age is not None:
        for name, (low, high) in settings.rules()["ageGroups"].items():
            if low <= age <= high:
                group = name
                break
    operations = ctx.meta["operationsData"]
    ctx.workflow["tags"] = {
        "AGE_GROUP": _tag(group),
        "META_INFO-OPERATIONS_DATA-officerId": _tag(operations.get("officerId")),
        "META_INFO-OPERATIONS_DATA-supervisorId": _tag(operations.get("supervisorId")),
    }
    return StageResult(True, "Packet Classification is Successful")


def _active_at(doc: dict, moment: datetime) -> bool:
    """State at a past moment from the masterdata history when it has one."""
    history = [
        h
        for h in doc.get("history") or []
        if isinstance(h, dict) and isinstance(h.get("effDTimes"), str)
    ]
    state = None
    for entry in sorted(history, key=lambda h: h["effDTimes"]):
        try:
            if envelope.parse_utc_timestamp(entry["effDTimes"]) <= moment:
                state = bool(entry.get("isActive"))
        except ValueError:
            continue
    if state is None:
        state = bool(doc.get("isActive")) if not history else False
    return state


def _centre_zone(centre: dict):
    """The centre's time zone: an IANA name, or a `(GMT+hh:mm)` label; else UTC."""
    label = str(centre.get("timeZone") or "")
    try:
        return ZoneInfo(label)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    # MOSIP's own sample centres spell it "(GTM+01:00) CENTRAL EUROPEAN TIME".
    if label[:4] in ("(GMT", "(GTM") and len(label) >= 10 and label[4] in "+-":
        try:
            hours, minutes = int(label[5:7]), int(label[8:10])
        except ValueError:
            return UTC
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(offset if label[4] == "+" else -offset)
    return UTC


def _within_hours(centre: dict, moment: datetime) -> bool:
    try:
        start = time.fromisoformat(centre["centerStartTime"])
        end = time.fromisoformat(centre["centerEndTime"])
    except (KeyError, TypeError, ValueError):
        return False
    local = moment.astimezone(_centre_zone(centre)).time()
    return start <= local <= end


def cmd_validator(ctx: Context) -> StageResult:
    metadata = ctx.meta["metaData"]
    centre_id, machine_id = metadata.get("centerId"), metadata.get("machineId")
    created = _creation_time(ctx)
    store = get_store()
    centre = store.get("centres", str(centre_id)) if centre_id else None
    if centre is None:
        return StageResult(False, f"Center ID Not Found in Master DB - {centre_id}")
    if not _active_at(centre, created):
        return StageResult(
            False, f"Center was InActive during Packet Creation - {centre_id}"
        )
    machine = store.get("machines", str(machine_id)) if machine_id else None
    if machine is None or str(machine.get("regCenterId")) != str(centre_id):
        return StageResult(False, f"MachineId not found in master db - {machine_id}")
    if not _active_at(machine, created):
        return StageResult(
            False, f"Machine ID was InActive during Packet Creation - {machine_id}"
        )
    if not _within_hours(centre, created):
        return StageResult(
            False,
            "Packet was Not Created during Working Hours - "
            + ctx.packet["metaInfo"]["creationDate"],
        )
    return StageResult(True, "CMD Validation is Successful")


def _user_valid(user_id: str, centre_id: str, created: datetime) -> bool:
    store = get_store()
    key = user_id.lower()
    account = store.get("kc_users", key) or store.get("kc_users", user_id)
    if account is None or not account.get("enabled", False):
        return False
    zone_user = store.get("zone_users", key)
    mapping = store.get("user_centres", key)
    return bool(
        zone_user
        and _active_at(zone_user, created)
        and mapping
        and _active_at(mapping, created)
        and str(mapping.get("regCenterId")) == str(centre_id)
    )


def _person_validator(ctx: Context, role: str) -> StageResult:
    operations = ctx.meta["operationsData"]
    label = "Officer" if role == "officer" else "Supervisor"
    user_id = operations.get(f"{role}Id")
    if user_id in (None, ""):
        return StageResult(False, f"{label} ID is NULL")
    centre_id = ctx.meta["metaData"].get("centerId")
    if not _user_valid(str(user_id), str(centre_id), _creation_time(ctx)):
        return StageResult(
            False, f"{label} was Not Active during Packet Creation - {user_id}"
        )
    # Without biometrics, the officer's password or OTP flag must vouch (§3.5).
    vouched = "true" in (
        str(operations.get(f"{role}Password")).lower(),
        str(operations.get(f"{role}OTPAuthentication")).lower(),
    )
    if not vouched:
        return StageResult(
            False, f"Password or OTP Verification Failed for {label} - {user_id}"
        )
    return StageResult(True, f"{label.upper()} Validation is Successful")


def operator_validator(ctx: Context) -> StageResult:
    return _person_validator(ctx, "officer")


def supervisor_validator(ctx: Context) -> StageResult:
    return _person_validator(ctx, "supervisor")


def demo_dedupe(ctx: Context) -> StageResult:
    if not settings.rules()["demoDedupe"]:
        return StageResult(True, "Demographic Deduplication Skipped")
    if identity.demographic_matches(ctx.packet["identity"]):
        return StageResult(False, "Potential Demo Match was Found")
    return StageResult(True, "Demo Dedupe is Successful")


def uin_generator(ctx: Context) -> StageResult:
    """NEW: allocate UIN and VID and draft the identity; UPDATE: draft the change
    to the UIN the packet carries. Finalization publishes the draft."""
    person = ctx.packet["identity"]
    if ctx.category == "NEW":
        number = identity.allocate_uin()
        draft = {**person, "UIN": number}
        mandatory = processes.mandatory_attributes(ctx.process) or []
        try:
            idschema.validate(draft, mandatory)
        except idschema.InvalidIdentity:
            return StageResult(False, "UIN Generation failed")
        ctx.workflow["draft"] = {
            "UIN": number,
            "VID": identity.allocate_vid(),
            "identity": draft,
        }
        return StageResult(True, "UIN Generated Successfully")
    record = identity.get(person.get("UIN"))
    if record is None or record["status"] == identity.DEACTIVATED:
        return StageResult(
            False, "UIN is Deactivated" if record else "UIN not found in database"
        )
    ctx.workflow["draft"] = {
        "UIN": record["UIN"],
        "VID": record["VID"],
        "changes": person,
    }
    return StageResult(True, "UIN Data is Updated Successfully")


def finalization(ctx: Context) -> StageResult:
    draft = ctx.workflow.get("draft")
    if not draft:
        return StageResult(False, "finalization failed")
    wf = ctx.workflow
    if "identity" in draft:
        identity.create(
            uin_number=draft["UIN"],
            vid=draft["VID"],
            registration_id=wf["registrationId"],
            process=wf["process"],
            identity=draft["identity"],
        )
    else:
        identity.update(
            uin_number=draft["UIN"],
            registration_id=wf["registrationId"],
            process=wf["process"],
            changes=draft["changes"],
            status=identity.DEACTIVATED if wf["process"] == "CRVS_DEATH" else None,
        )
    wf["uin"] = draft["UIN"]
    return StageResult(True, "Finalization is Successful")


def credential_requestor(ctx: Context) -> StageResult:
    wf = ctx.workflow
    record = identity.get(wf.get("uin"))
    if record is None:
        return StageResult(False, "UIN not found in database")
    credentials.issue_for_registration(
        registration_id=wf["registrationId"],
        process=wf["process"],
        identity=record["identity"],
        uin=record["UIN"],
        vid=record["VID"],
    )
    return StageResult(True, "Credential request submitted")


STAGES = {
    "PacketValidatorStage": packet_validator,
    "PacketClassifierStage": packet_classifier,
    "CMDValidatorStage": cmd_validator,
    "OperatorValidatorStage": operator_validator,
    "SupervisorValidatorStage": supervisor_validator,
    "DemodedupeStage": demo_dedupe,
    "UinGeneratorStage": uin_generator,
    "FinalizationStage": finalization,
    "CredentialRequestorStage": credential_requestor,
}
# Stages that only check: a forced PROCESSED outcome skips them.
CHECK_STAGES = {
    "CMDValidatorStage",
    "OperatorValidatorStage",
    "SupervisorValidatorStage",
    "DemodedupeStage",
}
