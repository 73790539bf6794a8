import json
from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from apps.mosip_sandbox import uin
from tests.mosip_sandbox.packet_helpers import (
    CENTRE,
    OFFICER,
    birth_fields,
    completed_events,
    create_packet,
    meta_info,
    new_rid,
    onboard,
    put_document,
    register_birth,
    server_signing_key,
    text,
    trigger,
    wait_until_done,
    workflow,
)
from tests.waiting import wait_until


@pytest.fixture
def sandbox(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    return mosip_sandbox


def identity_record(sandbox, number):
    response = requests.get(
        f"{sandbox.url}/sandbox/api/identities", params={"uin": number}, timeout=10
    )
    return response.json() if response.status_code == 200 else None


def submit(sandbox, process="CRVS_NEW", fields=None, **overrides) -> dict:
    rid = new_rid()
    assert create_packet(sandbox, rid, process, fields, **overrides).json()["response"]
    assert trigger(sandbox, rid, process).json()["errors"] is None
    return wait_until_done(sandbox, rid)


def settle(sandbox, **changes):
    requests.post(
        f"{sandbox.url}/sandbox/api/processing", json=changes, timeout=10
    ).raise_for_status()


def test_a_valid_infant_packet_ends_processed_with_a_verhoeff_valid_uin(sandbox):
    row = register_birth(sandbox)
    assert row["statusCode"] == "PROCESSED"
    number = row["uin"]
    assert len(number) == 10 and uin.verhoeff_is_valid(number)
    assert uin.rejected_by(number) is None
    record = identity_record(sandbox, number)
    assert record["registrationId"] == row["registrationId"]
    assert record["status"] == "ACTIVATED"
    assert record["identity"]["UIN"] == number
    assert record["identity"]["placeOfBirth"] == json.loads(text("Port Town Hospital"))
    assert uin.is_valid(record["VID"], uin.VID_RULES)


def test_a_processed_packet_publishes_the_workflow_completed_event(sandbox):
    row = register_birth(sandbox)
    assert {
        "instanceId": row["registrationId"],
        "resultCode": "PROCESSED",
        "workflowType": "CRVS_NEW",
        "errorCode": None,
    } in completed_events(sandbox)


def test_the_stages_follow_the_crvs_new_camel_route(sandbox):
    row = register_birth(sandbox)
    assert [t["stage"] for t in row["transactions"]] == [
        "PacketValidatorStage",
        "PacketClassifierStage",
        "CMDValidatorStage",
        "OperatorValidatorStage",
        "DemodedupeStage",
        "UinGeneratorStage",
        "FinalizationStage",
        "CredentialRequestorStage",
        "WorkflowInternalActionVerticle",
    ]
    assert row["lastSuccessStageName"] == "CredentialRequestorStage"
    assert row["latestTransactionTypeCode"] == "INTERNAL_WORKFLOW_ACTION"


def test_status_moves_from_resumable_through_processing(mosip_sandbox):
    onboard(mosip_sandbox)
    settle(mosip_sandbox, timing={"stageDelay": 600})
    rid = new_rid()
    create_packet(mosip_sandbox, rid)
    trigger(mosip_sandbox, rid)
    assert workflow(mosip_sandbox, rid)["statusCode"] == "RESUMABLE"
    mosip_sandbox.set_speed(200)  # pickup after 0.9 s, then 3 s per stage
    picked_up = wait_until(
        lambda: (
            (row := workflow(mosip_sandbox, rid))["statusCode"] != "RESUMABLE" and row
        ),
        timeout=30,
        message="the reprocessor picked the workflow up",
    )
    assert picked_up["statusCode"] == "PROCESSING"
    mosip_sandbox.set_speed(1_000_000)
    assert wait_until_done(mosip_sandbox, rid)["statusCode"] == "PROCESSED"


def test_an_adults_birth_packet_fails_as_the_camel_route_says(sandbox):
    adult = date.today().replace(year=date.today().year - 30)
    row = submit(sandbox, fields=birth_fields(born=adult))
    # infant-crvs_new: AGE_GROUP != INFANT -> workflow-cmd://complete-as-failed
    assert row["statusCode"] == "FAILED"
    assert "INFANT packet is allowed" in row["statusComment"]
    assert row["tags"]["AGE_GROUP"] == "ADULT"
    event = completed_events(sandbox)[-1]
    assert event["resultCode"] == "FAILED" and event["errorCode"] == "PACKET_FAILED"


def test_a_six_year_old_is_a_minor_and_fails_too(sandbox):
    six = date.today() - timedelta(days=6 * 366)
    row = submit(sandbox, fields=birth_fields(born=six))
    assert row["statusCode"] == "FAILED"
    assert row["tags"]["AGE_GROUP"] == "MINOR"


def test_age_group_ranges_are_configurable(sandbox):
    settle(sandbox, rules={"ageGroups": {"INFANT": [0, 40], "ADULT": [41, 200]}})
    adult = date.today().replace(year=date.today().year - 30)
    assert submit(sandbox, fields=birth_fields(born=adult))["statusCode"] == "PROCESSED"


def test_a_trigger_without_a_packet_fails(sandbox):
    rid = new_rid()
    trigger(sandbox, rid)
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Exception occured in packet manager."


def test_a_packet_created_for_another_process_is_not_found(sandbox):
    rid = new_rid()
    create_packet(sandbox, rid, "CRVS_NEW")
    trigger(sandbox, rid, "CRVS_DEATH")
    assert wait_until_done(sandbox, rid)["statusCode"] == "FAILED"


def test_a_missing_mandatory_attribute_fails_packet_validation(sandbox):
    fields = birth_fields()
    del fields["gender"]
    row = submit(sandbox, fields=fields)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Mandatory Fields are Not Present in ID Object"
    assert row["lastSuccessStageName"] is None


def test_a_value_breaking_the_schema_regex_fails_validation(sandbox):
    row = submit(sandbox, fields=birth_fields(dateOfBirth="2025-01-01"))
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Schema Validation Failed"


def test_validation_uses_the_published_schema_not_the_packets_own(sandbox):
    from tests.mosip_sandbox.packet_helpers import latest_schema

    schema = json.loads(latest_schema(sandbox)["schemaJson"])
    schema["properties"]["identity"]["properties"]["favouriteColour"] = {
        "type": "string",
        "fieldCategory": "pvt",
    }
    row = submit(
        sandbox,
        fields=birth_fields(favouriteColour="blue"),
        schemaJson=json.dumps(schema),
    )
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Schema Validation Failed"


def test_an_inactive_centre_fails_the_cmd_validator(mosip_sandbox):
    onboard(mosip_sandbox, centre_active=False)
    mosip_sandbox.set_speed(1000)
    row = submit(mosip_sandbox)
    assert row["statusCode"] == "FAILED"
    # CenterValidator's (message, code) exception behind the processor's own text.
    assert row["statusComment"] == (
        "Exception occured due to validation failure."
        "Center was InActive during Packet Creation -  --> RPR-CMD-FAILED-003"
    )


def test_a_centre_activated_after_packet_creation_still_fails(sandbox):
    rid = new_rid()
    create_packet(sandbox, rid)
    later = (datetime.now(UTC) + timedelta(minutes=5)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    put_document(
        sandbox,
        "centres",
        CENTRE,
        {
            "id": CENTRE,
            "isActive": True,
            "centerStartTime": "00:00:00",
            "centerEndTime": "23:59:59",
            "timeZone": "UTC",
            "history": [{"isActive": False, "effDTimes": "2020-01-01T00:00:00.000Z"},
                        {"isActive": True, "effDTimes": later}],
        },
    )  # fmt: skip
    trigger(sandbox, rid)
    assert wait_until_done(sandbox, rid)["statusCode"] == "FAILED"


def test_an_officer_not_mapped_to_the_centre_fails(sandbox):
    put_document(
        sandbox,
        "user_centres",
        OFFICER,
        {"userId": OFFICER, "regCenterId": "10099", "isActive": True},
    )
    row = submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == (
        f"Officer was Not Active during Packet Creation - {OFFICER}"
    )


def test_an_officer_unknown_to_keycloak_fails(sandbox):
    row = submit(sandbox, metaInfo=meta_info(officer="nobody"))
    assert row["statusCode"] == "FAILED"


def test_an_officer_password_other_than_true_fails(sandbox):
    row = submit(sandbox, metaInfo=meta_info(password="false"))
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"].startswith("Password or OTP Verification Failed")


def test_a_packet_with_neither_officer_nor_supervisor_fails(sandbox):
    row = submit(sandbox, metaInfo=meta_info(officer=None))
    assert row["statusCode"] == "FAILED"
    # The route's <otherwise> after the CMD validator: the workflow command's message.
    assert row["statusComment"] == (
        "Packet processing completed with action code : COMPLETE_AS_FAILED"
    )
    assert row["lastSuccessStageName"] == "CMDValidatorStage"


def test_a_demographic_duplicate_is_rejected(sandbox):
    assert register_birth(sandbox)["statusCode"] == "PROCESSED"
    row = register_birth(sandbox)
    assert row["statusCode"] == "REJECTED"
    assert row["statusComment"] == "Potential Demo Match was Found"
    event = completed_events(sandbox)[-1]
    assert event["resultCode"] == "REJECTED" and event["errorCode"] == "PACKET_REJECTED"


def test_demographic_dedupe_can_be_switched_off(sandbox):
    settle(sandbox, rules={"demoDedupe": False})
    assert register_birth(sandbox)["statusCode"] == "PROCESSED"
    assert register_birth(sandbox)["statusCode"] == "PROCESSED"


def death_fields(number):
    return {
        "UIN": number,
        "dateOfDeath": date.today().strftime("%Y/%m/%d"),
        "declaredAsDeceased": "Y",
        "deathCertificateNumber": "DRN-2025-1",
    }


def test_a_death_deactivates_the_identity_of_its_uin(sandbox):
    number = register_birth(sandbox)["uin"]
    row = submit(sandbox, "CRVS_DEATH", death_fields(number))
    assert row["statusCode"] == "PROCESSED"
    assert "CredentialRequestorStage" not in [t["stage"] for t in row["transactions"]]
    record = identity_record(sandbox, number)
    assert record["status"] == "DEACTIVATED"
    assert record["identity"]["dateOfDeath"] == death_fields(number)["dateOfDeath"]
    assert completed_events(sandbox)[-1]["workflowType"] == "CRVS_DEATH"


def test_a_second_death_for_a_deactivated_uin_fails(sandbox):
    number = register_birth(sandbox)["uin"]
    assert submit(sandbox, "CRVS_DEATH", death_fields(number))["statusCode"] == (
        "PROCESSED"
    )
    row = submit(sandbox, "CRVS_DEATH", death_fields(number))
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "UIN is Deactivated"


def test_a_death_for_an_unknown_uin_fails(sandbox):
    row = submit(sandbox, "CRVS_DEATH", death_fields(uin.generate_uin()))
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "UIN is Not Found in ID Repository"


def test_a_death_without_a_uin_fails_mandatory_validation(sandbox):
    row = submit(sandbox, "CRVS_DEATH", {"dateOfDeath": "2025/01/01"})
    assert row["statusCode"] == "FAILED"


def force(sandbox, rid, outcome):
    requests.post(
        f"{sandbox.url}/sandbox/api/outcomes",
        json={"registrationId": rid, "outcome": outcome},
        timeout=10,
    ).raise_for_status()


def test_a_forced_rejection_ends_the_workflow_rejected(sandbox):
    rid = new_rid()
    create_packet(sandbox, rid)
    force(sandbox, rid, "REJECTED")
    trigger(sandbox, rid)
    assert wait_until_done(sandbox, rid)["statusCode"] == "REJECTED"
    assert completed_events(sandbox)[-1]["errorCode"] == "PACKET_REJECTED"


def test_a_forced_success_skips_the_checks_but_still_issues_a_uin(sandbox):
    rid = new_rid()
    adult = date.today().replace(year=date.today().year - 30)
    create_packet(sandbox, rid, fields=birth_fields(born=adult))
    force(sandbox, rid, "PROCESSED")
    trigger(sandbox, rid)
    row = wait_until_done(sandbox, rid)
    assert row["statusCode"] == "PROCESSED"
    assert identity_record(sandbox, row["uin"])["registrationId"] == rid


def test_an_unknown_forced_outcome_is_refused(sandbox):
    response = requests.post(
        f"{sandbox.url}/sandbox/api/outcomes",
        json={"registrationId": "x", "outcome": "MAYBE"},
        timeout=10,
    )
    assert response.status_code == 400


@pytest.fixture
def credential_partner(sandbox):
    from tests.mosip_sandbox.partner_setup import credential_partner

    credential_partner(sandbox.url)
    return "crvs-partner/CREDENTIAL_ISSUED"


def published(sandbox, topic):
    events = requests.get(
        f"{sandbox.url}/sandbox/api/events", params={"topic": topic}, timeout=10
    ).json()["events"]
    return [json.loads(e["body"]) for e in events]


def test_a_processed_birth_issues_a_credential_to_the_partner(
    sandbox, credential_partner
):
    row = register_birth(sandbox)
    (message,) = published(sandbox, credential_partner)
    assert message["publisher"] == "CREDENTIAL_SERVICE"
    assert message["event"]["data"]["registrationId"] == row["registrationId"]


def test_a_death_issues_no_credential(sandbox, credential_partner):
    number = register_birth(sandbox)["uin"]
    assert submit(sandbox, "CRVS_DEATH", death_fields(number))["statusCode"] == (
        "PROCESSED"
    )
    assert len(published(sandbox, credential_partner)) == 1


def test_a_failed_birth_issues_no_credential(sandbox, credential_partner):
    adult = date.today().replace(year=date.today().year - 30)
    assert submit(sandbox, fields=birth_fields(born=adult))["statusCode"] == "FAILED"
    assert published(sandbox, credential_partner) == []


def onboard_through_masterdata(admin, sandbox, activate_machine=True) -> dict:
    """Centre, machine and officer created and activated through the masterdata API,
    as the portal's onboarding does, instead of written into the store."""
    from tests.mosip_sandbox.test_masterdata import (
        centre_mapping,
        centre_request,
        machine_request,
        patch,
        post,
        zone_user,
    )

    centre = post(admin, "/registrationcenters", centre_request())["response"]["id"]
    patch(admin, "/registrationcenters", isActive="true", id=centre)
    # The machine carries the server's signing key, which packets are signed with.
    request = machine_request(centre, key=server_signing_key(sandbox))
    machine = post(admin, "/machines", request)["response"]["id"]
    if activate_machine:
        patch(admin, "/machines", id=machine, isActive="true")
    zone_user(admin)
    patch(admin, "/zoneuser", isActive="true", userId="crvs.officer1")
    assert centre_mapping(admin, centre)["errors"] == []
    patch(admin, "/usercentermapping", isActive="true", id="crvs.officer1")
    put_document(
        sandbox,
        "kc_users",
        "crvs.officer1",
        {
            "username": "crvs.officer1",
            "enabled": True,
            "roles": ["REGISTRATION_OFFICER"],
        },
    )
    return {"centre": centre, "machine": machine}


def masterdata_meta(ids) -> dict:
    return {
        "metaData": json.dumps(
            [
                {"label": "centerId", "value": ids["centre"]},
                {"label": "machineId", "value": ids["machine"]},
            ]
        ),
        "operationsData": json.dumps(
            [
                {"label": "officerId", "value": "crvs.officer1"},
                {"label": "officerPassword", "value": "true"},
            ]
        ),
    }


@pytest.fixture
def admin(mosip_sandbox):
    from tests.mosip_sandbox.test_masterdata import admin as admin_session

    return admin_session.__wrapped__(mosip_sandbox)


def test_a_birth_from_a_masterdata_onboarded_centre_is_processed(admin, mosip_sandbox):
    ids = onboard_through_masterdata(admin, mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    row = submit(
        mosip_sandbox,
        metaInfo=masterdata_meta(ids),
        refId=f"{ids['centre']}_{ids['machine']}",
    )
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_a_machine_never_activated_fails_the_cmd_validator(admin, mosip_sandbox):
    ids = onboard_through_masterdata(admin, mosip_sandbox, activate_machine=False)
    mosip_sandbox.set_speed(1000)
    row = submit(
        mosip_sandbox,
        metaInfo=masterdata_meta(ids),
        refId=f"{ids['centre']}_{ids['machine']}",
    )
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == (
        "Exception occured due to validation failure."
        f"Machine ID was InActive during Packet Creation - {ids['machine']}"
        " --> RPR-CMD-FAILED-005"
    )


def test_the_registrations_listing_counts_packets_and_workflows_per_id(sandbox):
    done = register_birth(sandbox)["registrationId"]
    # A packet sent twice (overwritten) and triggered twice (the second answers
    # RPR-WIS-001) is still one packet and one workflow.
    twice = new_rid()
    for _ in range(2):
        assert create_packet(sandbox, twice).json()["response"]
    assert trigger(sandbox, twice).json()["errors"] is None
    assert trigger(sandbox, twice).json()["errors"][0]["errorCode"] == "RPR-WIS-001"
    untriggered = new_rid()
    assert create_packet(sandbox, untriggered).json()["response"]

    listing = requests.get(f"{sandbox.url}/sandbox/api/registrations", timeout=10)
    assert listing.status_code == 200
    body = listing.json()
    rows = {r["registrationId"]: r for r in body["registrations"]}
    assert set(rows) == {done, twice, untriggered}
    assert (rows[done]["packets"], rows[done]["workflows"]) == (1, 1)
    assert rows[done]["statuses"] == ["PROCESSED"]
    assert (rows[twice]["packets"], rows[twice]["workflows"]) == (1, 1)
    assert (rows[untriggered]["packets"], rows[untriggered]["workflows"]) == (1, 0)
    assert (body["packets"], body["workflows"]) == (3, 2)
    assert body["workflowStatuses"]["PROCESSED"] == 1
    assert sum(body["workflowStatuses"].values()) == 2
