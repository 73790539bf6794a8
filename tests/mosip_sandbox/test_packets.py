import json

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import (
    birth_fields,
    cookie,
    create_packet,
    latest_schema,
    new_rid,
    packet_request,
    text,
)

PATH = "/commons/v1/packetmanager/createPacket"


def stored(sandbox, rid, source="CRVS1", process="CRVS_NEW"):
    return requests.get(
        f"{sandbox.url}/sandbox/api/packets",
        params={"id": rid, "source": source, "process": process},
        timeout=10,
    )


def test_it_answers_three_packet_infos_for_a_valid_packet(mosip_sandbox):
    rid = new_rid()
    response = create_packet(mosip_sandbox, rid, schemaVersion="0.200")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "mosip.registration.packet.writer"
    assert body["errors"] == []
    infos = body["response"]
    assert [i["packetName"] for i in infos] == [
        f"{rid}_evidence",
        f"{rid}_optional",
        f"{rid}_id",
    ]
    for info in infos:
        assert info["id"] == rid
        assert info["schemaVersion"] == "0.2"
        assert info["providerName"] == "PacketWriterImpl"
        assert info["providerVersion"] == "v1.0"
        assert info["source"] == "CRVS1" and info["process"] == "CRVS_NEW"
        assert info["refId"] == "10011_10022"
        assert info["signature"] and info["encryptedHash"]


def test_a_packet_without_audits_answers_200_with_no_response_and_no_error(
    mosip_sandbox,
):
    response = create_packet(mosip_sandbox, new_rid(), audits=[])
    assert response.status_code == 200
    body = response.json()
    assert body["response"] is None
    assert body["errors"] == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"schemaVersion": "zero point two"},
        {"schemaVersion": None},
        {"schemaJson": "{not json"},
        {"schemaJson": json.dumps({"properties": {"identity": {}}})},
        {"audits": None},
    ],
)
def test_failures_inside_packet_creation_are_swallowed(mosip_sandbox, overrides):
    rid = new_rid()
    response = create_packet(mosip_sandbox, rid, **overrides)
    assert response.status_code == 200
    assert response.json()["response"] is None
    assert response.json()["errors"] == []
    assert stored(mosip_sandbox, rid).status_code == 404


def test_an_unknown_source_gets_no_provider(mosip_sandbox):
    response = create_packet(mosip_sandbox, new_rid(), source="HOSPITAL")
    body = response.json()
    assert response.status_code == 200
    assert body["response"] is None
    assert body["id"] is None
    assert body["errors"][0]["errorCode"] == "KER-PUT-006"
    assert body["errors"][0]["message"] == (
        "No available provider for given source and process"
    )


@pytest.mark.parametrize(
    ("source", "process", "matches"),
    [
        ("crvs1", "crvs_new", True),
        ("CRVS", "CRVS_DEATH", True),
        ("CRVS1", "CRVS_NEW-2", True),
        ("OPENCRVS", "CRVS_NEW", True),
        ("OPENCRVS", "CRVS_DEATH", False),
        ("CRVS1", "NEW_BIRTH", False),
    ],
)
def test_providers_match_by_case_insensitive_substring(
    mosip_sandbox, source, process, matches
):
    body = create_packet(
        mosip_sandbox, new_rid(), source=source, process=process
    ).json()
    assert (body["response"] is not None) is matches
    assert (body["errors"] == []) is matches


def test_field_values_are_parsed_only_when_they_are_json_objects_or_arrays(
    mosip_sandbox,
):
    rid = new_rid()
    fields = birth_fields(
        phone="0711000000", email="true", notInSchema="dropped", postalCode="12345"
    )
    assert create_packet(mosip_sandbox, rid, fields=fields).json()["response"]
    identity = stored(mosip_sandbox, rid).json()["identity"]
    assert identity["fullName"] == [{"language": "eng", "value": "Amina Bello"}]
    assert identity["phone"] == "0711000000"
    assert identity["email"] == "true"
    assert identity["postalCode"] == "12345"
    assert identity["IDSchemaVersion"] == 0.2
    assert "notInSchema" not in identity


def test_fields_are_split_into_sub_packets_by_field_category(mosip_sandbox):
    rid = new_rid()
    fields = birth_fields(introducerInfoToken="eyJ.token", deceasedInformer="x")
    assert create_packet(mosip_sandbox, rid, fields=fields).json()["response"]
    layout = stored(mosip_sandbox, rid).json()["layout"]
    assert "fullName" in layout["id"] and "fullName" not in layout["evidence"]
    assert "introducerInfoToken" in layout["evidence"]
    assert "introducerInfoToken" not in layout["id"]
    for sub in ("id", "evidence", "optional"):
        assert "IDSchemaVersion" in layout[sub]


def test_packet_manager_sets_registration_id_and_creation_date(mosip_sandbox):
    rid = new_rid()
    create_packet(mosip_sandbox, rid)
    meta = stored(mosip_sandbox, rid).json()["metaInfo"]
    assert meta["registrationId"] == rid
    assert meta["creationDate"].endswith("Z")


def test_resending_the_same_id_overwrites_the_packet(mosip_sandbox):
    rid = new_rid()
    create_packet(mosip_sandbox, rid, fields=birth_fields(name="First Name"))
    create_packet(mosip_sandbox, rid, fields=birth_fields(name="Second Name"))
    identity = stored(mosip_sandbox, rid).json()["identity"]
    assert identity["fullName"] == json.loads(text("Second Name"))


def test_it_ignores_the_envelope_id_and_version(mosip_sandbox):
    body = packet_request(new_rid(), schema=latest_schema(mosip_sandbox))
    body.update(id=None, version="whatever")
    response = requests.put(
        f"{mosip_sandbox.url}{PATH}",
        json=body,
        headers=cookie(mosip_sandbox),
        timeout=10,
    )
    assert response.json()["response"]


def test_post_is_not_allowed(mosip_sandbox):
    body = packet_request(new_rid(), schema=latest_schema(mosip_sandbox))
    response = requests.post(
        f"{mosip_sandbox.url}{PATH}",
        json=body,
        headers=cookie(mosip_sandbox),
        timeout=10,
    )
    assert response.status_code == 405
    assert response.json()["error"] == "Method Not Allowed"
    assert "PUT" in response.headers["Allow"]


def test_it_refuses_a_bearer_only_request(mosip_sandbox):
    from tests.mosip_sandbox.packet_helpers import token

    body = packet_request(new_rid(), schema=latest_schema(mosip_sandbox))
    response = requests.put(
        f"{mosip_sandbox.url}{PATH}",
        json=body,
        headers={
            "Authorization": f"Bearer {token(mosip_sandbox, ['ONLINE_REGISTRATION_CLIENT'])}"
        },
        timeout=10,
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-401"


def test_it_refuses_a_token_without_a_packet_role(mosip_sandbox):
    body = packet_request(new_rid(), schema=latest_schema(mosip_sandbox))
    response = requests.put(
        f"{mosip_sandbox.url}{PATH}",
        json=body,
        headers=cookie(mosip_sandbox, ["REGISTRATION_OFFICER"]),
        timeout=10,
    )
    assert response.status_code == 403


def test_an_unreadable_body_is_a_bad_request_without_a_stack_trace(mosip_sandbox):
    response = requests.put(
        f"{mosip_sandbox.url}{PATH}",
        data=b"{nope",
        headers={**cookie(mosip_sandbox), "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_an_object_where_a_field_string_belongs_is_a_bad_request(mosip_sandbox):
    fields = {**birth_fields(), "fullName": [{"language": "eng", "value": "A"}]}
    response = create_packet(mosip_sandbox, new_rid(), fields=fields)
    assert response.status_code == 400
