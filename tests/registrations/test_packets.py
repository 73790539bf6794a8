import base64
import datetime
import json
import re

import pytest

from apps.onboarding.id_schema import parse_id_schema
from apps.registrations import packet_requests
from tests.registrations.factories import (
    CIVIL_SCHEMA_FILE,
    CRVS_SCHEMA_FILE,
    DOCS_SCHEMA_FILE,
    PDF_BYTES,
    birth_data,
    death_data,
    divorce_data,
    marriage_data,
    vid,
)

SCHEMA = parse_id_schema(CRVS_SCHEMA_FILE.read_text(), version="0.1")
CIVIL_SCHEMA = parse_id_schema(CIVIL_SCHEMA_FILE.read_text(), version="0.2")
LANGUAGES = ["eng", "ara"]
AID = "10001100020000120250301093015"
CREATED_AT = datetime.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _plan(event_type, data, on=datetime.date(2025, 6, 1), process="CRVS_NEW"):
    return packet_requests.plan_packets(
        event_type=event_type,
        data=data,
        process=process,
        on=on,
        infant_max_age_years=5,
    )


def _request(event_type="birth", subject="child", data=None, documents=(), **kw):
    arguments = {
        "application_id": AID,
        "process": "CRVS_NEW",
        "source": "CRVS1",
        "event_type": event_type,
        "subject": subject,
        "data": data or birth_data(),
        "registration_number": "OFFICE-A-2025-000001",
        "documents": list(documents),
        "schema": SCHEMA,
        "languages": LANGUAGES,
        "centre_id": "10001",
        "machine_id": "10002",
        "officer_id": "crvs.officer",
        "created_at": CREATED_AT,
    }
    arguments.update(kw)
    return packet_requests.build_create_packet_request(**arguments)


# Which packets ---------------------------------------------------------------


def test_a_birth_within_the_infant_age_group_goes_as_crvs_new():
    plan = _plan("birth", birth_data(child_born="2020-06-01"))  # exactly 5 on `on`
    assert plan.process == "CRVS_NEW"
    assert [(p.subject, p.process) for p in plan.packets] == [("child", "CRVS_NEW")]
    assert plan.no_packet_reason == ""


def test_a_child_past_the_infant_age_is_registered_without_a_packet():
    plan = _plan("birth", birth_data(child_born="2019-05-31"))  # 6 years old
    assert plan.packets == ()
    assert plan.process == ""
    assert "6 years old" in plan.no_packet_reason
    assert "CRVS_NEW" in plan.no_packet_reason


def test_a_death_with_a_uin_goes_as_crvs_death():
    plan = _plan("death", death_data(), process="CRVS_DEATH")
    assert [(p.subject, p.process) for p in plan.packets] == [
        ("deceased", "CRVS_DEATH")
    ]


@pytest.mark.parametrize(
    ("deceased_vid", "reason_part"), [("", "no UIN"), (vid(), "Only a VID")]
)
def test_a_death_without_a_uin_is_registered_without_a_packet(
    deceased_vid, reason_part
):
    data = death_data(deceased_uin="", deceased_vid=deceased_vid)
    plan = _plan("death", data, process="CRVS_DEATH")
    assert plan.packets == ()
    assert reason_part in plan.no_packet_reason


def test_a_marriage_updates_each_spouse_with_a_uin():
    plan = _plan("marriage", marriage_data(), process="CRVS_MARRIAGE")
    assert [(p.subject, p.process) for p in plan.packets] == [
        ("spouse1", "CRVS_MARRIAGE"),
        ("spouse2", "CRVS_MARRIAGE"),
    ]
    plan = _plan("divorce", divorce_data(uin2=""), process="CRVS_MARRIAGE")
    assert [p.subject for p in plan.packets] == ["spouse1"]


@pytest.mark.parametrize("event_type", ["marriage", "divorce"])
def test_without_a_mosip_process_a_marriage_is_registered_without_a_packet(event_type):
    data = marriage_data() if event_type == "marriage" else divorce_data()
    plan = _plan(event_type, data, process="")
    assert plan.packets == ()
    assert plan.process == ""
    assert "has no process for" in plan.no_packet_reason
    assert "not updated" in plan.no_packet_reason


def test_a_marriage_with_no_uin_is_registered_without_a_packet():
    plan = _plan("marriage", marriage_data(uin1="", uin2=""), process="CRVS_MARRIAGE")
    assert plan.packets == ()
    assert "Neither spouse" in plan.no_packet_reason


# The request -------------------------------------------------------------------


def test_the_request_has_the_packet_manager_shape():
    request = _request()
    assert request["id"] == AID
    assert request["refId"] == "10001_10002"
    assert request["offlineMode"] is False
    assert request["process"] == "CRVS_NEW"
    assert request["source"] == "CRVS1"
    assert request["schemaVersion"] == "0.1"
    float(request["schemaVersion"])  # packet manager's Double.valueOf
    assert isinstance(request["schemaJson"], str)
    assert json.loads(request["schemaJson"])["properties"]["identity"]["properties"]
    assert len(request["audits"]) >= 1
    assert all(isinstance(v, str) for v in request["audits"][0].values())


def test_every_field_is_a_string_declared_in_the_schema():
    for event_type, subject, data in [
        ("birth", "child", birth_data()),
        ("death", "deceased", death_data()),
        ("marriage", "spouse1", marriage_data()),
    ]:
        fields = _request(event_type=event_type, subject=subject, data=data)["fields"]
        assert fields
        assert all(isinstance(v, str) for v in fields.values())
        assert set(fields) <= set(SCHEMA.fields)
        assert "IDSchemaVersion" not in fields


def test_multilingual_values_are_json_text_in_entry_order():
    fields = _request()["fields"]
    assert json.loads(fields["fullName"]) == [
        {"language": "eng", "value": "Amina Bello"},
        {"language": "ara", "value": "أمينة بيلو"},
    ]
    # A language left blank is left out, not sent empty.
    assert json.loads(fields["city"]) == [{"language": "eng", "value": "Port Town"}]
    # A coded value is the same code in every language, as in MOSIP's sample packet.
    assert json.loads(fields["gender"]) == [
        {"language": "eng", "value": "FLE"},
        {"language": "ara", "value": "FLE"},
    ]


def test_dates_use_slashes_and_pass_the_schema_validator():
    fields = _request(data=birth_data(child_born="2025-02-14"))["fields"]
    assert fields["dateOfBirth"] == "2025/02/14"
    assert SCHEMA.get("dateOfBirth").check(fields["dateOfBirth"])


def test_every_field_value_passes_the_schema_validators():
    for event_type, subject, data in [
        ("birth", "child", birth_data()),
        ("death", "deceased", death_data()),
    ]:
        fields = _request(event_type=event_type, subject=subject, data=data)["fields"]
        for field_id, value in fields.items():
            schema_field = SCHEMA.get(field_id)
            if value.startswith("["):
                assert all(schema_field.check(i["value"]) for i in json.loads(value))
            else:
                assert schema_field.check(value), (field_id, value)


def test_plain_fields_are_bare_strings_and_the_parent_introduces_the_child():
    data = birth_data()
    fields = _request(data=data)["fields"]
    assert fields["postalCode"] == "10114"
    assert fields["phone"] == "0711000000"
    assert fields["introducerUIN"] == data["mother"]["uin"]
    assert json.loads(fields["introducerName"]) == [
        {"language": "eng", "value": "Hauwa Bello"}
    ]
    # Portal facts outside the schema never reach the packet.
    assert "place" not in fields and "time_of_birth" not in fields


def test_a_death_packet_carries_the_uin_and_the_death_fields():
    data = death_data()
    fields = _request(
        event_type="death", subject="deceased", data=data, process="CRVS_DEATH"
    )["fields"]
    assert fields == {
        "UIN": data["deceased"]["uin"],
        "declaredAsDeceased": "Y",
        "deceasedDeclarationDate": "2025/02/01",
        "typeOfDeath": "NATURAL",
        "deceasedInformer": "Zainab Sule",
    }


def test_an_update_packet_carries_only_that_spouses_uin():
    data = marriage_data()
    fields = _request(event_type="marriage", subject="spouse2", data=data)["fields"]
    assert fields == {"UIN": data["spouse2"]["uin"]}


def test_the_child_record_carries_the_parents_and_the_place_asked_in_their_sections():
    data = birth_data()
    data["father"] = {"full_name": "Musa Bello", "uin": "", "date_of_birth": ""}
    fields = _request(data=data, schema=CIVIL_SCHEMA)["fields"]
    assert json.loads(fields["fatherName"]) == [
        {"language": "eng", "value": "Musa Bello"}
    ]
    assert json.loads(fields["motherName"]) == [
        {"language": "eng", "value": data["mother"]["full_name"]}
    ]
    assert fields["motherUIN"] == data["mother"]["uin"]
    assert "fatherUIN" not in fields  # not given
    assert json.loads(fields["placeOfBirth"])[0]["value"] == data["birth"]["place"]
    # The stock schema has none of these fields, so none is sent.
    assert not {"fatherName", "motherName", "placeOfBirth"} & set(
        _request(data=data)["fields"]
    )


def test_a_marital_status_update_names_the_other_spouse_and_the_date():
    data = marriage_data()
    fields = _request(
        event_type="marriage", subject="spouse1", data=data, schema=CIVIL_SCHEMA
    )["fields"]
    assert fields["spouseUIN"] == data["spouse2"]["uin"]
    assert fields["maritalStatusChangeDate"] == data["marriage"]["date"].replace(
        "-", "/"
    )
    assert fields["marriageCertificateNumber"] == "OFFICE-A-2025-000001"
    divorce = divorce_data()
    divorce["divorce"]["marriage_registration_number"] = "M/2019/445"
    fields = _request(
        event_type="divorce", subject="spouse2", data=divorce, schema=CIVIL_SCHEMA
    )["fields"]
    assert fields["spouseUIN"] == divorce["spouse1"]["uin"]
    assert fields["maritalStatusChangeDate"] == divorce["divorce"][
        "decree_date"
    ].replace("-", "/")
    assert fields["marriageCertificateNumber"] == "M/2019/445"


def test_fields_the_schema_lacks_are_left_out():
    older = parse_id_schema(DOCS_SCHEMA_FILE.read_text(), version="0.1")
    fields = _request(
        event_type="death", subject="deceased", data=death_data(), schema=older
    )["fields"]
    assert fields == {"UIN": death_data()["deceased"]["uin"]}


def test_meta_info_lists_are_label_value_json_text():
    meta = _request()["metaInfo"]
    assert all(isinstance(v, str) for v in meta.values())
    meta_data = {i["label"]: i["value"] for i in json.loads(meta["metaData"])}
    assert meta_data["centerId"] == "10001"
    assert meta_data["machineId"] == "10002"
    assert meta_data["registrationType"] == "CRVS_NEW"
    operations = {i["label"]: i["value"] for i in json.loads(meta["operationsData"])}
    assert operations["officerId"] == "crvs.officer"
    assert operations["officerPassword"] == "true"
    assert meta["registrationId"] == AID
    assert meta["creationDate"] == "2025-03-01T09:30:15.123Z"
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", meta["creationDate"]
    )


def test_the_office_is_two_more_meta_data_labels():
    meta = _request(office_code="office-a", office_name="Office A")["metaInfo"]
    meta_data = {i["label"]: i["value"] for i in json.loads(meta["metaData"])}
    assert (meta_data["officeCode"], meta_data["officeName"]) == (
        "office-a",
        "Office A",
    )
    assert "officeCode" not in _request()["metaInfo"]["metaData"]


def test_documents_are_base64_under_their_schema_field():
    documents = [
        packet_requests.PacketDocument(
            "proofOfDateOfBirth", "DOC004", "pdf", PDF_BYTES
        ),
        # The schema has no such field: the file stays in the portal.
        packet_requests.PacketDocument("proofOfDeath", "DOC010", "pdf", b"%PDF-other"),
    ]
    sent = _request(documents=documents)["documents"]
    assert list(sent) == ["proofOfDateOfBirth"]
    document = sent["proofOfDateOfBirth"]
    assert base64.b64decode(document["document"]) == PDF_BYTES
    assert document["value"] == "proofOfDateOfBirth"
    assert document["type"] == "DOC004"
    assert document["format"] == "pdf"
    assert document["refNumber"] is None


def test_the_same_inputs_build_the_same_request():
    # A retry re-sends exactly what was sent before (same AID, same content).
    assert _request() == _request()
