"""Processes come from MOSIP's configuration (docs/mosip/processes-and-schema.md)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import (
    DEATH_ROUTE,
    add_process,
    completed_events,
    configure,
    create_packet,
    new_rid,
    onboard,
    process_changes,
    register_birth,
    sandbox_config,
    text,
    trigger,
    wait_until_done,
    workflow,
)
from tests.waiting import LogMarker

DEATH_STAGES = [
    "PacketValidatorStage",
    "PacketClassifierStage",
    "CMDValidatorStage",
    "OperatorValidatorStage",
    "UinGeneratorStage",
    "FinalizationStage",
    "WorkflowInternalActionVerticle",
]


@pytest.fixture
def sandbox(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    return mosip_sandbox


def marriage_fields(number: str) -> dict:
    return {
        "UIN": number,
        "maritalStatus": text("Married"),
        "maritalStatusChangeDate": "2025/06/01",
    }


def test_the_stock_process_configuration_is_shown_with_its_route_files(mosip_sandbox):
    effective = sandbox_config(mosip_sandbox)["effective"]
    assert effective["application"]["provider.packetwriter.crvs1"] == (
        "source:CRVS1,process:CRVS_NEW|CRVS_DEATH,"
        "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
    )
    regproc = effective["registration-processor"]
    assert regproc["registration.processor.additional-process.category-mapping"] == (
        "{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE'}"
    )
    assert DEATH_ROUTE in regproc["camel.secure.active.flows.file.names"]
    assert "<routes" in effective["files"][DEATH_ROUTE]
    derived = requests.get(
        f"{mosip_sandbox.url}/sandbox/api/processing", timeout=10
    ).json()["processes"]
    assert set(derived["routes"]) == {"crvs_new", "crvs_death", "opencrvs_new"}
    assert "CredentialRequestorStage" not in derived["routes"]["crvs_death"]


@pytest.mark.parametrize("process", ["CRVS_MARRIAGE", "CRVS_UPDATE", "CRVS_DIVORCE"])
def test_stock_packet_manager_has_no_writer_for_marriage(mosip_sandbox, process):
    body = create_packet(mosip_sandbox, new_rid(), process).json()
    assert body["response"] is None
    assert body["errors"][0]["errorCode"] == "KER-PUT-006"


def test_a_writer_added_through_configuration_is_used(mosip_sandbox):
    configure(
        mosip_sandbox,
        {
            "application": {
                "provider.packetwriter.crvs2": "source:CRVS2,process:CRVS_NEW,"
                "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
            }
        },
    )
    assert create_packet(mosip_sandbox, new_rid(), source="CRVS2").json()["response"]


@pytest.mark.parametrize("process", ["CRVS_MARRIAGE", "CRVS_UPDATE"])
def test_stock_workflow_manager_refuses_an_unmapped_process(mosip_sandbox, process):
    rid = new_rid()
    body = trigger(mosip_sandbox, rid, process).json()
    assert body["response"] is None
    assert body["errors"] == [
        {"errorCode": "RPR-WIS-000", "message": "RPR-WIS-000 --> Unknown Exception"}
    ]
    assert workflow(mosip_sandbox, rid) is None


def test_a_process_added_through_configuration_updates_the_identity(sandbox):
    add_process(sandbox, "CRVS_MARRIAGE")
    number = register_birth(sandbox)["uin"]
    rid = new_rid()
    packet = create_packet(sandbox, rid, "CRVS_MARRIAGE", marriage_fields(number))
    assert packet.json()["response"]
    assert trigger(sandbox, rid, "CRVS_MARRIAGE").json()["errors"] is None
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "PROCESSED"
    # The death route's shape: no demo dedupe, no credential request.
    assert [t["stage"] for t in row["transactions"]] == DEATH_STAGES
    record = requests.get(
        f"{sandbox.url}/sandbox/api/identities", params={"uin": number}, timeout=10
    ).json()
    assert record["identity"]["maritalStatus"] == json.loads(text("Married"))
    assert record["status"] == "ACTIVATED"
    assert completed_events(sandbox)[-1] == {
        "instanceId": rid,
        "resultCode": "PROCESSED",
        "workflowType": "CRVS_MARRIAGE",
        "errorCode": None,
    }


def _without(changes: dict, service: str, name: str) -> dict:
    return {
        svc: {k: v for k, v in props.items() if not (svc == service and k == name)}
        for svc, props in changes.items()
    }


@pytest.mark.parametrize(
    "name", ["provider.packetreader.crvs1", "packetmanager.default.priority"]
)
def test_without_a_packet_reader_or_priority_the_packet_validator_fails(sandbox, name):
    changes = process_changes(sandbox, "CRVS_MARRIAGE")
    configure(sandbox, _without(changes, "application", name))
    number = register_birth(sandbox)["uin"]
    rid = new_rid()
    assert create_packet(sandbox, rid, "CRVS_MARRIAGE", marriage_fields(number)).json()[
        "response"
    ]
    trigger(sandbox, rid, "CRVS_MARRIAGE")
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "FAILED"
    assert row["transactions"][0]["stage"] == "PacketValidatorStage"
    assert row["statusComment"] == "Exception occured in packet manager."


def test_without_mandatory_attributes_the_packet_validator_fails(sandbox):
    changes = process_changes(sandbox, "CRVS_MARRIAGE")
    name = "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.crvs_marriage"
    configure(sandbox, _without(changes, "application", name))
    number = register_birth(sandbox)["uin"]
    rid = new_rid()
    create_packet(sandbox, rid, "CRVS_MARRIAGE", marriage_fields(number))
    trigger(sandbox, rid, "CRVS_MARRIAGE")
    assert wait_until_done(sandbox, rid)["statusCode"] == "FAILED"


def test_without_a_route_file_the_workflow_is_picked_up_by_nobody(sandbox):
    changes = process_changes(sandbox, "CRVS_MARRIAGE")
    configure(
        sandbox,
        _without(
            changes, "registration-processor", "camel.secure.active.flows.file.names"
        ),
    )
    rid = new_rid()
    create_packet(sandbox, rid, "CRVS_MARRIAGE", marriage_fields("1234567890"))
    assert trigger(sandbox, rid, "CRVS_MARRIAGE").json()["errors"] is None
    # A birth triggered afterwards goes all the way: the reprocessor's pick-up has
    # passed the marriage by then.
    assert register_birth(sandbox)["statusCode"] == "PROCESSED"
    row = workflow(sandbox, rid)
    assert row["statusCode"] == "RESUMABLE"


def test_the_route_is_read_from_the_route_file(sandbox):
    """A route file that completes right after the UIN generator is followed."""
    changes = process_changes(sandbox, "CRVS_MARRIAGE")
    route_file = "registration-processor-camel-routes-crvs_marriage-default.xml"
    xml = changes["files"][route_file]
    changes["files"][route_file] = xml.replace(
        '<to uri="eventbus://finalization-bus-in" />',
        '<to uri="workflow-cmd://complete-as-rejected" />',
    )
    configure(sandbox, changes)
    number = register_birth(sandbox)["uin"]
    rid = new_rid()
    create_packet(sandbox, rid, "CRVS_MARRIAGE", marriage_fields(number))
    trigger(sandbox, rid, "CRVS_MARRIAGE")
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "REJECTED"
    assert [t["stage"] for t in row["transactions"]][-2] == "UinGeneratorStage"


def test_a_death_completes_the_workflow_and_requests_no_credential(sandbox):
    number = register_birth(sandbox)["uin"]
    rid = new_rid()
    fields = {"UIN": number, "dateOfDeath": "2025/01/01"}
    create_packet(sandbox, rid, "CRVS_DEATH", fields)
    trigger(sandbox, rid, "CRVS_DEATH")
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "PROCESSED"
    stages = [t["stage"] for t in row["transactions"]]
    assert "CredentialRequestorStage" not in stages
    assert stages == DEATH_STAGES
    assert completed_events(sandbox)[-1]["workflowType"] == "CRVS_DEATH"


def test_the_validator_uses_the_published_schema_of_the_packets_version(sandbox):
    """The packet says 0.1 but carries 0.2's fields (createPacket keeps what the
    client's schemaJson declares): validated against published 0.1, it fails."""
    from tests.mosip_sandbox.packet_helpers import birth_fields, latest_schema

    schema = latest_schema(sandbox)
    assert schema["idVersion"] == 0.2
    rid = new_rid()
    fields = birth_fields()
    assert "placeOfBirth" in fields
    body = create_packet(sandbox, rid, fields=fields, schemaVersion="0.1").json()
    assert body["response"][0]["schemaVersion"] == "0.1"
    trigger(sandbox, rid)
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Schema Validation Failed"


def test_a_packet_of_an_unpublished_schema_version_fails(sandbox):
    rid = new_rid()
    assert create_packet(sandbox, rid, schemaVersion="0.9").json()["response"]
    trigger(sandbox, rid)
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "FAILED"
    assert row["transactions"][0]["stage"] == "PacketValidatorStage"


def test_a_listed_route_file_that_is_not_served_stops_every_route(sandbox):
    """Reg-proc's camel bridge fails to start when a listed route file is missing."""
    changes = process_changes(sandbox, "CRVS_MARRIAGE")
    del changes["files"]
    configure(sandbox, changes)
    rid = new_rid()
    assert create_packet(sandbox, rid).json()["response"]
    log = LogMarker(sandbox.log)
    trigger(sandbox, rid)
    # The reprocessor's pick-up looks for the route and finds none.
    log.wait_for("is not served: no route runs")
    assert workflow(sandbox, rid)["statusCode"] == "RESUMABLE"


def test_a_newer_published_schema_does_not_change_how_older_packets_validate(sandbox):
    """Publish the country's own schema without `placeOfBirth` (it becomes 0.3, the
    latest): a 0.2 packet with the field still passes, a 0.3 packet with it fails."""
    from tests.mosip_sandbox.packet_helpers import birth_fields, cookie, latest_schema

    current = latest_schema(sandbox)
    own = json.loads(current["schemaJson"])
    del own["properties"]["identity"]["properties"]["placeOfBirth"]
    admin = cookie(sandbox, ["GLOBAL_ADMIN"], azp="mosip-admin-client")
    url = f"{sandbox.url}/v1/masterdata/idschema"
    draft = requests.post(
        url,
        json={
            "request": {
                "title": "Ours",
                "description": "Ours",
                "schema": json.dumps(own),
            }
        },
        headers=admin,
        timeout=10,
    ).json()["response"]
    later = (datetime.now(UTC) + timedelta(minutes=1)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    published = requests.put(
        f"{url}/publish",
        json={"request": {"id": draft["id"], "effectiveFrom": later}},
        headers=admin,
        timeout=10,
    ).json()
    assert published["errors"] == []
    assert latest_schema(sandbox)["idVersion"] == 0.3

    older = new_rid()
    create_packet(sandbox, older, fields=birth_fields(), schemaVersion="0.2",
                  schemaJson=current["schemaJson"])  # fmt: skip
    trigger(sandbox, older)
    assert wait_until_done(sandbox, older)["statusCode"] == "PROCESSED"

    newer = new_rid()
    create_packet(sandbox, newer, fields=birth_fields(), schemaVersion="0.3",
                  schemaJson=current["schemaJson"])  # fmt: skip
    trigger(sandbox, newer)
    row = wait_until_done(sandbox, newer)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Schema Validation Failed"
