"""Which MOSIP packets an event needs, and the createPacket request for each.

Pure functions over plain values: no database, no files, no HTTP. The request follows
docs/mosip/packet-api.md §3: every `fields` value is a string, multilingual values are the JSON
text of `[{"language": …, "value": …}]`, dates are `YYYY/MM/DD`, and `metaInfo` carries
`metaData` and `operationsData` as JSON text of label/value lists.
"""

import base64
import datetime
import json
import uuid
from dataclasses import dataclass

from apps.onboarding.id_schema import FieldKind, IdSchema
from apps.registrations.definitions import (
    CODED_SCHEMA_FIELDS,
    SECTIONS,
    PortalField,
)
from apps.registrations.models import EventType, PacketSubject
from apps.registrations.validators import completed_years


@dataclass(frozen=True)
class PlannedPacket:
    subject: str
    process: str


@dataclass(frozen=True)
class PacketPlan:
    process: str
    packets: tuple[PlannedPacket, ...]
    # Why the event is registered without any packet; blank when there are packets.
    no_packet_reason: str = ""


@dataclass(frozen=True)
class PacketDocument:
    schema_field: str
    mosip_type: str
    file_format: str
    content: bytes
    ref_number: str | None = None


def _section(data: dict, key: str) -> dict:
    return (data or {}).get(key) or {}


def plan_packets(
    *,
    event_type: str,
    data: dict,
    process: str,
    on: datetime.date,
    infant_max_age_years: int,
) -> PacketPlan:
    """Decide the packets for an event registered on `on`."""
    if event_type == EventType.BIRTH:
        born = _section(data, "child").get("dateOfBirth", "")
        age = completed_years(datetime.date.fromisoformat(born), on) if born else 0
        if age > infant_max_age_years:
            return PacketPlan(
                "",
                (),
                f"The child is {age} years old. MOSIP's {process} process takes only "
                f"infants (up to {infant_max_age_years} years), so the birth is "
                "registered here and the person enrols for a national ID separately.",
            )
        return PacketPlan(process, (PlannedPacket(PacketSubject.CHILD, process),))
    if event_type == EventType.DEATH:
        deceased = _section(data, "deceased")
        if deceased.get("uin"):
            return PacketPlan(
                process, (PlannedPacket(PacketSubject.DECEASED, process),)
            )
        if deceased.get("vid"):
            reason = (
                f"Only a VID was given for the deceased; MOSIP's {process} process "
                "needs the UIN, so the death is registered here only."
            )
        else:
            reason = "The deceased has no UIN, so there is no MOSIP identity record to update."
        return PacketPlan("", (), reason)
    if not process:
        # Stock MOSIP has no marriage or divorce process (docs/mosip/
        # processes-and-schema.md); until the deployment adds one and names it in
        # onboarding, the event is registered here only.
        noun = "marriages" if event_type == EventType.MARRIAGE else "divorces"
        return PacketPlan(
            "",
            (),
            f"This deployment's MOSIP has no process for {noun}, so MOSIP's identity "
            "records of the spouses are not updated; the event is registered here only.",
        )
    spouses = tuple(
        PlannedPacket(subject, process)
        for subject in (PacketSubject.SPOUSE1, PacketSubject.SPOUSE2)
        if _section(data, subject).get("uin")
    )
    if not spouses:
        return PacketPlan(
            "",
            (),
            "Neither spouse has a UIN, so there is no MOSIP identity record to update.",
        )
    return PacketPlan(process, spouses)


# Fields -------------------------------------------------------------------------


def multilingual_text(values: dict[str, str], languages: list[str]) -> str:
    """MOSIP simpleType value as JSON text, languages in entry order, blanks left out."""
    items = [
        {"language": lang, "value": values[lang].strip()}
        for lang in languages
        if (values.get(lang) or "").strip()
    ]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def packet_date(iso_date: str) -> str:
    """`YYYY-MM-DD` (what the form holds) → `YYYY/MM/DD` (what the ID schema expects, §8.2)."""
    return datetime.date.fromisoformat(iso_date).strftime("%Y/%m/%d")


def _schema_value(field_id: str, value, schema: IdSchema, languages: list[str]) -> str:
    schema_field = schema.get(field_id)
    if field_id in CODED_SCHEMA_FIELDS and schema_field.kind == FieldKind.MULTILINGUAL:
        return multilingual_text({lang: value for lang in languages}, languages)
    if isinstance(value, dict):
        return multilingual_text(value, languages)
    if field_id.startswith("dateOf") or field_id.endswith("Date"):
        return packet_date(value)
    return str(value)


def _text_in(kind: FieldKind, text: str, languages: list[str]) -> str:
    if kind == FieldKind.MULTILINGUAL:
        return multilingual_text({lang: text for lang in languages}, languages)
    return text


def _answers_sent_as(
    event_type: str, data: dict, schema: IdSchema, languages: list[str]
) -> dict[str, str]:
    """The event's answers that the schema also holds (`PortalField.sends_as`): the
    parents' names and UINs and the place of birth in the child's record, the
    marriage's registration number in a divorce."""
    fields = {}
    for section in SECTIONS[event_type]:
        for item in section.fields:
            if not isinstance(item, PortalField) or not item.sends_as:
                continue
            value = (_section(data, section.key).get(item.name) or "").strip()
            if value and schema.has(item.sends_as):
                kind = schema.get(item.sends_as).kind
                # Typed once, in the first entry language.
                fields[item.sends_as] = _text_in(kind, value, languages[:1])
    return fields


def identity_fields(
    *,
    event_type: str,
    subject: str,
    data: dict,
    registration_number: str,
    schema: IdSchema,
    languages: list[str],
) -> dict[str, str]:
    """The `fields` of the packet for `subject`, limited to fields the schema declares."""
    fields = _answers_sent_as(event_type, data, schema, languages)
    person = _section(data, subject)
    if event_type == EventType.BIRTH:
        for field_id, value in person.items():
            if schema.has(field_id) and value not in ("", None, {}):
                text = _schema_value(field_id, value, schema, languages)
                if text != "[]":
                    fields[field_id] = text
        introducer = next(
            (
                _section(data, parent)
                for parent in ("mother", "father")
                if _section(data, parent).get("uin")
            ),
            None,
        )
        if introducer:
            fields["introducerUIN"] = introducer["uin"]
            if introducer.get("full_name") and schema.has("introducerName"):
                kind = schema.get("introducerName").kind
                fields["introducerName"] = _text_in(
                    kind, introducer["full_name"], languages[:1]
                )
        if schema.has("birthCertificateNumber"):
            fields["birthCertificateNumber"] = registration_number
    elif event_type == EventType.DEATH:
        death = _section(data, "death")
        fields["UIN"] = person["uin"]
        fields["declaredAsDeceased"] = "Y"
        # The schema's only death date (mosip-data v1.3.0); OpenCRVS schemas add dateOfDeath.
        fields["deceasedDeclarationDate"] = packet_date(death["date"])
        fields["dateOfDeath"] = packet_date(death["date"])
        if death.get("manner"):
            fields["typeOfDeath"] = death["manner"]
        informant = _section(data, "informant").get("full_name")
        if informant:
            fields["deceasedInformer"] = informant
        fields["deathCertificateNumber"] = registration_number
    else:
        fields["UIN"] = person["uin"]
        if schema.has("maritalStatus"):
            status = "MARRIED" if event_type == EventType.MARRIAGE else "DIVORCED"
            fields["maritalStatus"] = _text_in(
                schema.get("maritalStatus").kind, status, languages
            )
        other = (
            PacketSubject.SPOUSE2
            if subject == PacketSubject.SPOUSE1
            else PacketSubject.SPOUSE1
        )
        if _section(data, other).get("uin"):
            fields["spouseUIN"] = _section(data, other)["uin"]
        if event_type == EventType.MARRIAGE:
            changed = _section(data, "marriage").get("date")
            fields["marriageCertificateNumber"] = registration_number
        else:
            changed = _section(data, "divorce").get("decree_date")
        if changed:
            fields["maritalStatusChangeDate"] = packet_date(changed)
    # packet manager drops undeclared fields silently (§3.3); drop them here, visibly.
    return {k: v for k, v in fields.items() if schema.has(k)}


def packet_documents(
    documents: list[PacketDocument], schema: IdSchema
) -> dict[str, dict]:
    """createPacket `documents`: keyed by schema documentType field, file as base64 (§3.4)."""
    result: dict[str, dict] = {}
    for document in documents:
        schema_field = schema.get(document.schema_field)
        if schema_field is None or schema_field.kind != FieldKind.DOCUMENT:
            continue
        result.setdefault(
            document.schema_field,
            {
                "document": base64.b64encode(document.content).decode("ascii"),
                "value": document.schema_field,
                "type": document.mosip_type,
                "format": document.file_format,
                "refNumber": document.ref_number,
            },
        )
    return result


# Request ------------------------------------------------------------------------


def mosip_timestamp(moment: datetime.datetime) -> str:
    """`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC (docs/mosip/packet-api.md §1)."""
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _label_values(pairs: list[tuple[str, str | None]]) -> str:
    return json.dumps([{"label": label, "value": value} for label, value in pairs])


def build_create_packet_request(
    *,
    application_id: str,
    process: str,
    source: str,
    event_type: str,
    subject: str,
    data: dict,
    registration_number: str,
    documents: list[PacketDocument],
    schema: IdSchema,
    languages: list[str],
    centre_id: str,
    machine_id: str,
    officer_id: str,
    created_at: datetime.datetime,
    office_code: str = "",
    office_name: str = "",
) -> dict:
    """The `request` object of `PUT /commons/v1/packetmanager/createPacket` (§3.2).

    Every office's packets name the portal's one machine, so the office the event
    was recorded at travels as two more label/value pairs of `metaData`
    (`officeCode`, `officeName`): packet manager keeps every metaInfo entry in the
    packet's meta info, reg-proc ignores labels it does not know
    (docs/mosip/machines-and-packets.md §5)."""
    timestamp = mosip_timestamp(created_at)
    labels = [
        ("registrationType", process),
        ("centerId", centre_id),
        ("machineId", machine_id),
        ("registrationId", application_id),
        ("creationDate", timestamp),
    ]
    if office_code:
        labels += [("officeCode", office_code), ("officeName", office_name)]
    meta_data = _label_values(labels)
    operations_data = _label_values(
        [
            ("officerId", officer_id),
            # The officer signed in to the portal; MOSIP records password as the method.
            ("officerPassword", "true"),
            ("supervisorId", None),
            ("supervisorPassword", None),
        ]
    )
    audit = {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_OID, f"{application_id}:{timestamp}")),
        "createdAt": timestamp,
        "eventId": "CRVS-PKT-001",
        "eventName": f"{event_type.upper()}_PACKET",
        "eventType": "SYSTEM",
        "actionTimeStamp": timestamp,
        "hostName": "crvs-portal",
        "hostIp": "127.0.0.1",
        "applicationId": "CRVS",
        "applicationName": "CRVS portal",
        "sessionUserId": officer_id,
        "sessionUserName": officer_id,
        "id": application_id,
        "idType": "REGISTRATION_ID",
        "createdBy": officer_id,
        "moduleName": "registrations",
        "moduleId": "CRVS-REG",
        "description": f"{process} packet for registration {registration_number}",
    }
    return {
        "id": application_id,
        "refId": f"{centre_id}_{machine_id}",
        "offlineMode": False,
        "process": process,
        "source": source,
        "schemaVersion": schema.version,
        "schemaJson": schema.text,
        "fields": identity_fields(
            event_type=event_type,
            subject=subject,
            data=data,
            registration_number=registration_number,
            schema=schema,
            languages=languages,
        ),
        "metaInfo": {
            "metaData": meta_data,
            "operationsData": operations_data,
            "capturedRegisteredDevices": "[]",
            "registrationId": application_id,
            "creationDate": timestamp,
        },
        "audits": [audit],
        "documents": packet_documents(documents, schema),
    }
