import uuid

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import (
    cookie,
    create_packet,
    new_rid,
    token,
    trigger,
    trigger_body,
    wait_until_done,
    workflow,
)

PATH = "/registrationprocessor/v1/workflowmanager/workflowinstance"


def post(sandbox, body, headers=None):
    return requests.post(
        f"{sandbox.url}{PATH}",
        json=body,
        headers=headers or cookie(sandbox),
        timeout=10,
    )


def test_a_trigger_answers_a_workflow_instance_id(mosip_sandbox):
    rid = new_rid()
    create_packet(mosip_sandbox, rid)
    response = trigger(mosip_sandbox, rid)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "mosip.registration.processor.workflow.instance"
    assert body["version"] == "v1"
    assert body["errors"] is None
    assert "metadata" not in body
    uuid.UUID(body["response"]["workflowInstanceId"])


def test_the_new_row_waits_resumable_at_the_packet_validator(mosip_sandbox):
    rid = new_rid()
    trigger(mosip_sandbox, rid)
    row = workflow(mosip_sandbox, rid)
    assert row["statusCode"] == "RESUMABLE"
    assert row["registrationStageName"] == "PacketValidatorStage"
    assert row["latestTransactionTypeCode"] == "WORKFLOW_RESUME"


def test_a_second_trigger_for_the_same_packet_answers_already_present(mosip_sandbox):
    rid = new_rid()
    assert trigger(mosip_sandbox, rid).json()["errors"] is None
    response = trigger(mosip_sandbox, rid)
    assert response.status_code == 200
    body = response.json()
    assert body["response"] is None
    assert body["errors"] == [
        {
            "errorCode": "RPR-WIS-001",
            "message": "RPR-WIS-001 --> WorkflowInstance already present",
        }
    ]


def test_the_same_id_may_run_another_process(mosip_sandbox):
    rid = new_rid()
    assert trigger(mosip_sandbox, rid).json()["errors"] is None
    assert trigger(mosip_sandbox, rid, "CRVS_DEATH").json()["errors"] is None


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"id": "mosip.registration.sync"},
            "RPR-WIN-001",
            "Invalid Request Value - id",
        ),
        ({"id": None}, "RPR-WIN-000", "Missing Request Value - id"),
        ({"version": "1.0"}, "RPR-WIN-001", "Invalid Request Value - version"),
        ({"version": None}, "RPR-WIN-000", "Missing Request Value - version"),
        (
            {"requesttime": "yesterday"},
            "RPR-WIN-001",
            "Invalid Request Value - requesttime",
        ),
        ({"requesttime": None}, "RPR-WIN-000", "Missing Request Value - requesttime"),
    ],
)
def test_the_envelope_is_checked(mosip_sandbox, change, code, message):
    response = post(mosip_sandbox, trigger_body(new_rid(), **change))
    assert response.status_code == 200
    assert response.json()["response"] is None
    assert response.json()["errors"] == [
        {"errorCode": code, "message": f"{code} --> {message}"}
    ]


def test_id_and_version_are_compared_without_case(mosip_sandbox):
    body = trigger_body(
        new_rid(), id="MOSIP.REGISTRATION.PROCESSOR.WORKFLOW.INSTANCE", version="V1"
    )
    assert post(mosip_sandbox, body).json()["errors"] is None


def test_an_id_shorter_than_ten_characters_fails_unknown(mosip_sandbox):
    body = post(mosip_sandbox, trigger_body("123456789")).json()
    assert body["errors"] == [
        {"errorCode": "RPR-WIS-000", "message": "RPR-WIS-000 --> Unknown Exception"}
    ]


def test_the_category_mapping_is_read_from_the_configuration(mosip_sandbox):
    mapping = "registration.processor.additional-process.category-mapping"
    requests.patch(
        f"{mosip_sandbox.url}/sandbox/api/config",
        json={
            "registration-processor": {
                mapping: "{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE',"
                "'CRVS_MARRIAGE':'UPDATE'}"
            }
        },
        timeout=10,
    ).raise_for_status()
    assert (
        post(mosip_sandbox, trigger_body(new_rid(), "CRVS_MARRIAGE")).json()["errors"]
        is None
    )
    body = post(mosip_sandbox, trigger_body(new_rid(), "CRVS_UPDATE")).json()
    assert body["errors"][0]["errorCode"] == "RPR-WIS-000"


def test_it_does_not_look_for_the_packet_but_the_workflow_fails_later(mosip_sandbox):
    mosip_sandbox.set_speed(1000)
    rid = new_rid()
    assert trigger(mosip_sandbox, rid).json()["errors"] is None
    row = wait_until_done(mosip_sandbox, rid)
    assert row["statusCode"] == "FAILED"


def test_an_unreadable_body_answers_an_unknown_exception_with_200(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}{PATH}",
        data=b"not json",
        headers={**cookie(mosip_sandbox), "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["errorCode"] == "RPR-WIN-002"


def test_it_refuses_a_bearer_only_request(mosip_sandbox):
    bearer = token(mosip_sandbox, ["ONLINE_REGISTRATION_CLIENT"])
    response = post(
        mosip_sandbox, trigger_body(new_rid()), {"Authorization": f"Bearer {bearer}"}
    )
    assert response.status_code == 401


def test_it_refuses_a_token_without_a_workflow_role(mosip_sandbox):
    response = post(
        mosip_sandbox,
        trigger_body(new_rid()),
        cookie(mosip_sandbox, ["REGISTRATION_OFFICER"]),
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-403"


def test_get_is_not_allowed(mosip_sandbox):
    response = requests.get(
        f"{mosip_sandbox.url}{PATH}", headers=cookie(mosip_sandbox), timeout=10
    )
    assert response.status_code == 405


def test_a_request_that_cannot_be_bound_answers_an_unknown_exception(mosip_sandbox):
    body = trigger_body(new_rid())
    body["request"]["process"] = ["CRVS_NEW"]
    response = post(mosip_sandbox, body)
    assert response.status_code == 200
    assert response.json()["errors"][0]["errorCode"] == "RPR-WIN-002"
