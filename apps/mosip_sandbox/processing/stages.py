"""The reg-proc stages a CRVS packet passes through, each reduced to the checks
and effects a client can observe. Status comments are reg-proc's StatusUtil texts.

A stage returns a StageResult; the process's camel route (processing.camel) decides
what follows, as on MOSIP.
"""

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from apps.mosip_sandbox import (
    config,
    credentials,
    envelope,
    identity,
    idschema,
    keymanager,
    mosip_config,
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


# StatusUtil texts of the packet validator (registration release-1.2.1.x).
PACKET_MANAGER_EXCEPTION = "Exception occured in packet manager."
PACKET_MANAGER_NON_RECOVERABLE = "Packet manager non recoverable exception"
# KER-PUT-019 as reg-proc receives it: PacketIntegrityFailureException's message,
# wrapped by PacketKeeper, then by the reader's getMetaInfo, each BaseCheckedException
# prefixing "<code> --> " (docs/mosip/machines-and-packets.md §3).
INTEGRITY_FAILURE = (
    "KER-PUT-019 --> KER-PUT-019 --> KER-PUT-019 --> Packet Integrity check failed."
)
SIGNATURE_SETTING = "packetmanager.packet.signature.disable-verification"


def _signing_machine(info: dict) -> str | None:
    """PacketManagerHelper.getRefId, then OnlinePacketCryptoServiceImpl.getPublicKey:
    the machine id is what follows "_" in the refId; without a refId, centre and
    machine ids are cut from the packet id."""
    ref_id = info.get("refId")
    if ref_id is None:
        length = config.GENERATED_ID_LENGTH
        packet_id = str(info.get("id") or "")
        ref_id = f"{packet_id[:length]}_{packet_id[length : 2 * length]}"
    parts = str(ref_id).split("_")
    return parts[1] if len(parts) > 1 else None


def check_signatures(packet: dict) -> StageResult | None:
    """PacketKeeper.checkSignature for every sub-packet as reg-proc first reads the
    packet: csverifysign against the signPublicKey of the machine the packet names,
    then the hash. None when all pass (or verification is disabled)."""
    disabled = mosip_config.value("packet-manager", SIGNATURE_SETTING, "false")
    if str(disabled).strip().lower() == "true":
        return None
    for info in packet.get("packetInfos") or []:
        sub = str(info.get("packetName", "")).rsplit("_", 1)[-1]
        if sub not in packet.get("layout", {}):
            return StageResult(False, PACKET_MANAGER_EXCEPTION)
        machine_id = _signing_machine(info)
        machine = get_store().get("machines", machine_id) if machine_id else None
        if machine is None:
            # syncdata has no key for the machine: packet-manager's SignatureException.
            return StageResult(False, PACKET_MANAGER_EXCEPTION)
        content = packets.sub_packet_bytes(packet, sub)
        try:
            signature = base64.urlsafe_b64decode(
                str(info.get("signature", "")) + "=" * (-len(info["signature"]) % 4)
            )
        except (ValueError, TypeError, KeyError):
            signature = b""
        verified = keymanager.cs_verify(
            content, signature, machine.get("signPublicKey")
        )
        intact = info.get("encryptedHash") == (
            base64.urlsafe_b64encode(hashlib.sha256(content).digest())
            .rstrip(b"=")
            .decode()
        )
        if not (verified and intact):
            return StageResult(
                False, PACKET_MANAGER_NON_RECOVERABLE + INTEGRITY_FAILURE
            )
    return None


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
        return StageResult(False, PACKET_MANAGER_EXCEPTION)
    refused = check_signatures(ctx.packet)
    if refused is not None:
        return refused
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


def _states_until(doc: dict, moment: datetime) -> list[bool]:
    """isActive of every history row at or before `moment`, oldest first. A
    document without history (written directly) counts as always there."""
    history = [
        h
        for h in doc.get("history") or []
        if isinstance(h, dict) and isinstance(h.get("effDTimes"), str)
    ]
    if not history:
        return [bool(doc.get("isActive"))]
    states = []
    for entry in sorted(history, key=lambda h: h["effDTimes"]):
        try:
            if envelope.parse_utc_timestamp(entry["effDTimes"]) <= moment:
                states.append(bool(entry.get("isActive")))
        except ValueError:
            continue
    return states


# StatusUtil texts of the CMD validator (registration release-1.2.1.x). Validators
# build their exceptions as (message, code), so e.getMessage() reads
# "<message> --> <code>"; the processor prefixes the catch's own text.
_VALIDATION_FAILED = "Exception occured due to validation failure."
_CHECKED_FAILED = "Packet validation failed "


def _refused(prefix: str, message: str, code: str) -> StageResult:
    return StageResult(False, f"{prefix}{message} --> {code}"[:220])


def _holiday(centre: dict, moment: datetime) -> bool:
    """RegistrationCenterRepository.validateDateWithHoliday: an active holiday of
    the centre's holiday location on the packet's (UTC) date."""
    day = moment.date().isoformat()
    return any(
        h.get("isActive", True) and str(h.get("holidayDate")) == day
        for h in get_store().find(
            "holidays", locationCode=centre.get("holidayLocationCode")
        )
    )


def _centre_check(ctx: Context, centre_id, created: datetime) -> StageResult | None:
    """CenterValidator: the centre's history at the packet's creation time, active;
    then, if working-hour validation is required, masterdata's timestamp check."""
    creation = ctx.packet["metaInfo"]["creationDate"]
    if not centre_id:
        return _refused(
            _CHECKED_FAILED, "Center ID Not Found in Master DB - ", "RPR-CMD-FAILED-002"
        )
    # CMDValidationProcessor.getLanguageCode: the first mandatory language, else
    # the first optional one; the centre's history is read in that language.
    languages = mosip_config.listed(
        "registration-processor", "mosip.mandatory-languages"
    )
    languages = languages or mosip_config.listed(
        "registration-processor", "mosip.optional-languages"
    )
    centre = get_store().get("centres", str(centre_id))
    if centre and languages and centre.get("langCode", languages[0]) != languages[0]:
        centre = None
    # RegistrationCenterHistoryRepository returns every row up to the date (no
    # "latest only"); CenterValidator keeps the active ones and needs one.
    states = _states_until(centre, created) if centre else []
    if not states:
        return _refused(
            _CHECKED_FAILED, "Registration Center not found", "RPR-CMD-FAILED-013"
        )
    if not any(states):
        return _refused(
            _VALIDATION_FAILED,
            "Center was InActive during Packet Creation - ",
            "RPR-CMD-FAILED-003",
        )
    required = mosip_config.value(
        "registration-processor",
        "mosip.regproc.cmd-validator.working-hour-validation-required",
        "false",
    )
    if str(required).strip().lower() == "true" and _holiday(centre, created):
        return _refused(
            _VALIDATION_FAILED,
            f"Packet was Not Created during Working Hours - {creation}",
            "RPR-CMD-FAILED-010",
        )
    return None


def _machine_check(machine_id, created: datetime) -> StageResult | None:
    """MachineValidator: the machine's history at the packet's creation time must
    exist and be active. Nothing ties the machine to the packet's centre."""
    if not machine_id:
        return _refused(
            _CHECKED_FAILED,
            "Machine ID Not Found in Master DB - ",
            "RPR-CMD-FAILED-004",
        )
    machine = get_store().get("machines", str(machine_id))
    # MachineHistoryRepository: the latest row at or before the date (limit 1).
    states = _states_until(machine, created) if machine else []
    state = states[-1] if states else None
    if state is None:
        return _refused(
            _CHECKED_FAILED, "Machine History not found", "RPR-CMD-FAILED-012"
        )
    if not state:
        return _refused(
            _VALIDATION_FAILED,
            f"Machine ID was InActive during Packet Creation - {machine_id}",
            "RPR-CMD-FAILED-005",
        )
    return None


def cmd_validator(ctx: Context) -> StageResult:
    """CMDValidationProcessor: centre and machine checks, each only for the
    processes its property lists (docs/mosip/machines-and-packets.md §4)."""
    metadata = ctx.meta["metaData"]
    created = _creation_time(ctx)
    service = "registration-processor"
    prefix = "mosip.regproc.cmd-validator."
    if ctx.process in mosip_config.listed(
        service, f"{prefix}center-validation.processes"
    ):
        refused = _centre_check(ctx, metadata.get("centerId"), created)
        if refused is not None:
            return refused
    if ctx.process in mosip_config.listed(
        service, f"{prefix}machine-validation.processes"
    ):
        refused = _machine_check(metadata.get("machineId"), created)
        if refused is not None:
            return refused
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
