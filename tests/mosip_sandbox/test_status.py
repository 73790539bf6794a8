from datetime import date

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import (
    birth_fields,
    cookie,
    create_packet,
    new_rid,
    now,
    onboard,
    register_birth,
    trigger,
    wait_until_done,
)

BASE = "/registrationprocessor/v1/registrationstatus"
SEARCH = ("search", "mosip.registration.status")
EXTERNAL = ("externalstatus/search", "mosip.registration.external.status")
PACKET = ("packetexternalstatus", "mosip.registration.packet.external.status")


def ask(sandbox, endpoint, items, roles=("REGISTRATION_OFFICER",), **envelope):
    path, service_id = endpoint
    body = {
        "id": service_id,
        "version": "1.0",
        "requesttime": now(),
        "request": items,
        **envelope,
    }
    return requests.post(
        f"{sandbox.url}{BASE}/{path}",
        json=body,
        headers=cookie(sandbox, list(roles)),
        timeout=10,
    )


def status_of(sandbox, endpoint, rid):
    body = ask(sandbox, endpoint, [{"registrationId": rid}]).json()
    return body["response"][0]["statusCode"]


@pytest.fixture
def sandbox(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    return mosip_sandbox


def test_an_unknown_id_is_a_per_id_error(mosip_sandbox):
    response = ask(
        mosip_sandbox, SEARCH, [{"registrationId": "10011100229999920250101000000"}]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["response"] == []
    assert body["errors"] == [
        {
            "registrationId": "10011100229999920250101000000",
            "errorCode": "RPR-RGS-031",
            "errorMessage": "RID Not Found",
        }
    ]


def test_found_and_unknown_ids_are_answered_together(sandbox):
    rid = new_rid()
    trigger(sandbox, rid)
    body = ask(
        sandbox, EXTERNAL, [{"registrationId": rid}, {"registrationId": "1001110022"}]
    ).json()
    assert [r["registrationId"] for r in body["response"]] == [rid]
    assert [e["registrationId"] for e in body["errors"]] == ["1001110022"]


def test_a_just_triggered_registration_reads_processing(mosip_sandbox):
    rid = new_rid()
    trigger(mosip_sandbox, rid)
    assert status_of(mosip_sandbox, EXTERNAL, rid) == "PROCESSING"
    assert status_of(mosip_sandbox, SEARCH, rid) == "PROCESSING"


def test_a_processed_registration_reads_uin_generated_externally(sandbox):
    rid = register_birth(sandbox)["registrationId"]
    assert status_of(sandbox, EXTERNAL, rid) == "UIN_GENERATED"
    assert status_of(sandbox, SEARCH, rid) == "PROCESSED"


def test_a_rejected_registration_reads_processed_on_search(sandbox):
    register_birth(sandbox)
    row = register_birth(sandbox)
    assert row["statusCode"] == "REJECTED"
    assert status_of(sandbox, EXTERNAL, row["registrationId"]) == "REJECTED"
    assert status_of(sandbox, SEARCH, row["registrationId"]) == "PROCESSED"


def test_a_failed_workflow_asks_for_reregistration(sandbox):
    rid = new_rid()
    adult = date.today().replace(year=date.today().year - 30)
    create_packet(sandbox, rid, fields=birth_fields(born=adult))
    trigger(sandbox, rid)
    assert wait_until_done(sandbox, rid)["statusCode"] == "FAILED"
    assert status_of(sandbox, EXTERNAL, rid) == "REREGISTER"
    assert status_of(sandbox, SEARCH, rid) == "PROCESSED"


def test_the_response_is_signed_and_keeps_reg_procs_envelope(sandbox):
    rid = new_rid()
    trigger(sandbox, rid)
    response = ask(sandbox, SEARCH, [{"registrationId": rid}])
    assert response.headers["Response-Signature"]
    body = response.json()
    assert body["id"] == "mosip.registration.status"
    assert body["version"] == "1.0"
    assert body["response"][0] == {
        "registrationId": rid,
        "statusCode": "PROCESSING",
        "additionalInfoReqId": None,
    }


@pytest.mark.parametrize(
    ("envelope", "code"),
    [
        ({"id": "mosip.registration.sync"}, "RPR-RGS-024"),
        ({"id": None}, "RPR-RGS-021"),
        ({"version": "v1"}, "RPR-RGS-022"),
        ({"version": None}, "RPR-RGS-019"),
        ({"requesttime": None}, "RPR-RGS-020"),
        ({"requesttime": "2020-01-01T00:00:00.000Z"}, "RPR-RGS-023"),
        ({"requesttime": now(4 * 3600)}, "RPR-RGS-023"),
        ({"requesttime": "today"}, "RPR-RGS-023"),
    ],
)
def test_the_envelope_is_checked_with_a_grace_period(mosip_sandbox, envelope, code):
    response = ask(mosip_sandbox, SEARCH, [{"registrationId": "x"}], **envelope)
    assert response.status_code == 200
    body = response.json()
    assert body["response"] is None
    assert [e["errorCode"] for e in body["errors"]] == ["RPR-RGS-015", code]
    assert all("errorMessage" in e for e in body["errors"])


def test_a_requesttime_within_the_grace_period_is_accepted(mosip_sandbox):
    response = ask(mosip_sandbox, SEARCH, [], requesttime=now(-2 * 3600))
    assert response.json()["errors"] == []


def test_the_external_search_wants_its_own_service_id(mosip_sandbox):
    response = ask(mosip_sandbox, EXTERNAL, [], id="mosip.registration.status")
    assert response.json()["errors"][1]["errorCode"] == "RPR-RGS-024"


def test_packet_status_reads_accepted_for_a_packet_manager_packet(sandbox):
    rid = register_birth(sandbox)["registrationId"]
    body = ask(sandbox, PACKET, [{"packetId": rid}, {"packetId": "nope"}]).json()
    assert body["response"] == [{"packetId": rid, "statusCode": "ACCEPTED"}]
    assert body["errors"] == [
        {
            "packetId": "nope",
            "errorCode": "RPR-RGS-037",
            "errorMessage": "PacketId Not Found",
        }
    ]


def test_a_client_with_only_the_online_registration_role_is_forbidden(mosip_sandbox):
    response = ask(mosip_sandbox, SEARCH, [], roles=("ONLINE_REGISTRATION_CLIENT",))
    assert response.status_code == 403


def test_a_bearer_only_request_is_refused(mosip_sandbox):
    from tests.mosip_sandbox.packet_helpers import token

    bearer = token(mosip_sandbox, ["REGISTRATION_OFFICER"])
    response = requests.post(
        f"{mosip_sandbox.url}{BASE}/search",
        json={"id": "mosip.registration.status", "version": "1.0", "request": []},
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=10,
    )
    assert response.status_code == 401


def test_an_unreadable_body_is_answered_without_a_stack_trace(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}{BASE}/search",
        data=b"[[",
        headers={**cookie(mosip_sandbox, ["REGISTRATION_OFFICER"]),
                 "Content-Type": "application/json"},
        timeout=10,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["errors"][0]["errorCode"] == "RPR-RGS-017"
    assert "Traceback" not in response.text
