"""createPacket, workflowinstance and status searches."""

import json

import pytest

from apps.mosip import packets
from apps.mosip.errors import MosipEmptyResponse, MosipRejected
from tests.mosip.helpers import API, authmanager_answer, envelope, make_jwt

CREATE = f"{API}/commons/v1/packetmanager/createPacket"
TRIGGER = f"{API}/registrationprocessor/v1/workflowmanager/workflowinstance"
EXTERNAL = f"{API}/registrationprocessor/v1/registrationstatus/externalstatus/search"


@pytest.fixture(autouse=True)
def _token(mocked):
    mocked.post(
        f"{API}/v1/authmanager/authenticate/clientidsecretkey",
        **authmanager_answer(make_jwt()),
    )


PACKET = {"id": "10001100010000120250301093015", "refId": "10001_10001"}


def test_create_packet_uses_put_and_returns_packet_infos(mocked, client):
    info = {
        "id": PACKET["id"],
        "packetName": PACKET["id"] + "_id",
        "source": "CRVS1",
        "process": "CRVS_NEW",
        "refId": "10001_10001",
        "schemaVersion": "0.2",
        "providerName": "PacketWriterImpl",
    }
    call = mocked.put(CREATE, json=envelope([info], errors=[]))
    result = packets.create_packet(client, PACKET)
    assert [p.packet_name for p in result] == [PACKET["id"] + "_id"]
    assert json.loads(call.calls[0].request.body)["request"] == PACKET


@pytest.mark.parametrize("response", [None, []])
def test_create_packet_without_response_or_error_is_an_empty_response(
    mocked, client, response
):
    mocked.put(CREATE, json=envelope(response, errors=[]))
    with pytest.raises(MosipEmptyResponse) as caught:
        packets.create_packet(client, PACKET)
    assert caught.value.transient


def test_create_packet_provider_miss_is_rejected(mocked, client):
    mocked.put(
        CREATE,
        json=envelope(
            errors=[{"errorCode": "KER-PUT-006", "message": "No available provider"}]
        ),
    )
    with pytest.raises(MosipRejected) as caught:
        packets.create_packet(client, PACKET)
    assert caught.value.codes == ["KER-PUT-006"]
    assert not caught.value.transient


def test_workflow_instance_sends_reg_proc_id_and_version(mocked, client):
    call = mocked.post(TRIGGER, json=envelope({"workflowInstanceId": "uuid-1"}))
    result = packets.workflow_instance(
        client, registration_id=PACKET["id"], process="CRVS_NEW", source="CRVS1"
    )
    assert result.workflow_instance_id == "uuid-1" and not result.already_present
    sent = json.loads(call.calls[0].request.body)
    assert sent["id"] == "mosip.registration.processor.workflow.instance"
    assert sent["version"] == "v1"
    assert sent["request"] == {
        "registrationId": PACKET["id"],
        "process": "CRVS_NEW",
        "source": "CRVS1",
        "additionalInfoReqId": "",
    }


def test_workflow_instance_already_present_counts_as_done(mocked, client):
    mocked.post(
        TRIGGER,
        json=envelope(
            errors=[
                {
                    "errorCode": "RPR-WIS-001",
                    "message": "RPR-WIS-001 --> WorkflowInstance already present",
                }
            ]
        ),
    )
    result = packets.workflow_instance(
        client, registration_id=PACKET["id"], process="CRVS_NEW", source="CRVS1"
    )
    assert result.already_present and result.workflow_instance_id is None


def test_workflow_instance_other_errors_are_rejected(mocked, client):
    mocked.post(
        TRIGGER, json=envelope(errors=[{"errorCode": "RPR-PKR-016", "message": "x"}])
    )
    with pytest.raises(MosipRejected) as caught:
        packets.workflow_instance(
            client, registration_id=PACKET["id"], process="X", source="CRVS1"
        )
    assert caught.value.codes == ["RPR-PKR-016"]


def test_status_search_splits_found_and_unknown_ids(mocked, client):
    call = mocked.post(
        EXTERNAL,
        json={
            "id": "mosip.registration.external.status",
            "response": [{"registrationId": "A", "statusCode": "UIN_GENERATED"}],
            "errors": [
                {
                    "registrationId": "B",
                    "errorCode": "RPR-RGS-031",
                    "errorMessage": "RID Not Found",
                }
            ],
        },
    )
    result = packets.external_status_search(client, ["A", "B"])
    assert result.statuses == {"A": "UIN_GENERATED"}
    assert result.not_found == ["B"]
    sent = json.loads(call.calls[0].request.body)
    assert sent["id"] == "mosip.registration.external.status"
    assert sent["version"] == "1.0"
    assert sent["request"] == [{"registrationId": "A"}, {"registrationId": "B"}]


def test_status_search_envelope_error_is_rejected(mocked, client):
    mocked.post(
        EXTERNAL,
        json={
            "response": None,
            "errors": [
                {"errorCode": "RPR-RGS-015", "errorMessage": "Input Data is Incorrect"},
                {"errorCode": "RPR-RGS-023", "errorMessage": "requesttime"},
            ],
        },
    )
    with pytest.raises(MosipRejected) as caught:
        packets.external_status_search(client, ["A"])
    assert caught.value.codes == ["RPR-RGS-015", "RPR-RGS-023"]


def test_status_search_without_ids_calls_nothing(mocked, client):
    assert packets.external_status_search(client, []).statuses == {}
    assert not [c for c in mocked.calls if c.request.url == EXTERNAL]
