"""reg-proc's CMD validator as registration release-1.2.1.x runs it: CenterValidator
and MachineValidator, each for the processes its property lists
(docs/mosip/machines-and-packets.md §4)."""

from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import (
    CENTRE,
    MACHINE,
    create_packet,
    new_rid,
    onboard,
    put_document,
    server_signing_key,
    trigger,
    wait_until_done,
)


@pytest.fixture
def sandbox(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    return mosip_sandbox


def _submit(sandbox, process="CRVS_NEW") -> dict:
    rid = new_rid()
    assert create_packet(sandbox, rid, process).json()["response"]
    assert trigger(sandbox, rid, process).json()["errors"] is None
    return wait_until_done(sandbox, rid)


def _regproc(sandbox, **properties):
    requests.patch(
        f"{sandbox.url}/sandbox/api/config",
        json={"registration-processor": properties},
        timeout=5,
    ).raise_for_status()


def _centre(sandbox, **fields):
    put_document(
        sandbox,
        "centres",
        CENTRE,
        {
            "id": CENTRE,
            "isActive": True,
            "zoneCode": "NTH",
            "holidayLocationCode": "RSK",
            "centerStartTime": "00:00:00",
            "centerEndTime": "23:59:59",
            **fields,
        },
    )


def _cmd_comment(row) -> str:
    (failed,) = [t for t in row["transactions"] if t["stage"] == "CMDValidatorStage"]
    assert failed["statusCode"] == "FAILED"
    return failed["comment"]


def test_the_machine_need_not_belong_to_the_packets_centre(sandbox):
    key = server_signing_key(sandbox)
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {"id": MACHINE, "regCenterId": "10099", "isActive": True,
         "signPublicKey": key},
    )  # fmt: skip
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_a_centre_created_after_the_packet_fails(sandbox):
    # No centre history row at the packet's creation time: masterdata answers
    # KER-MSD-215 and CenterValidator fails the packet.
    _centre(sandbox, history=[
        {"isActive": True, "effDTimes": "2999-01-01T00:00:00.000Z"}])  # fmt: skip
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert _cmd_comment(row) == (
        "Packet validation failed Registration Center not found --> RPR-CMD-FAILED-013"
    )


def test_a_packet_outside_the_centres_hours_is_not_refused(sandbox):
    # masterdata's /registrationcenters/validate checks holidays, not the hours.
    hour = (datetime.now(UTC) + timedelta(hours=6)).hour
    _centre(
        sandbox, centerStartTime=f"{hour:02d}:00:00", centerEndTime=f"{hour:02d}:30:00"
    )
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_a_packet_created_on_a_holiday_fails(sandbox):
    _centre(sandbox)
    today = datetime.now(UTC).date().isoformat()
    put_document(
        sandbox,
        "holidays",
        f"RSK:{today}",
        {"locationCode": "RSK", "holidayDate": today, "isActive": True},
    )
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    comment = _cmd_comment(row)
    assert comment.startswith(
        "Exception occured due to validation failure."
        "Packet was Not Created during Working Hours - "
    )
    assert comment.endswith(" --> RPR-CMD-FAILED-010")


def test_the_holiday_check_follows_working_hour_validation_required(sandbox):
    _centre(sandbox)
    today = datetime.now(UTC).date().isoformat()
    put_document(
        sandbox,
        "holidays",
        f"RSK:{today}",
        {"locationCode": "RSK", "holidayDate": today, "isActive": True},
    )
    _regproc(
        sandbox,
        **{"mosip.regproc.cmd-validator.working-hour-validation-required": "false"},
    )
    assert _submit(sandbox)["statusCode"] == "PROCESSED"


def test_a_machine_created_after_the_packet_fails(sandbox):
    later = (datetime.now(UTC) + timedelta(minutes=5)).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {"id": MACHINE, "isActive": True, "signPublicKey": server_signing_key(sandbox),
         "history": [{"isActive": True, "effDTimes": later}]},
    )  # fmt: skip
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert _cmd_comment(row) == (
        "Packet validation failed Machine History not found --> RPR-CMD-FAILED-012"
    )


def test_centre_validation_runs_only_for_the_listed_processes(sandbox):
    _centre(sandbox, isActive=False)
    assert _submit(sandbox)["statusCode"] == "FAILED"
    _regproc(
        sandbox,
        **{"mosip.regproc.cmd-validator.center-validation.processes": "NEW,UPDATE"},
    )
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_machine_validation_runs_only_for_the_listed_processes(sandbox):
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {"id": MACHINE, "isActive": False,
         "signPublicKey": server_signing_key(sandbox)},
    )  # fmt: skip
    assert _submit(sandbox)["statusCode"] == "FAILED"
    _regproc(
        sandbox,
        **{"mosip.regproc.cmd-validator.machine-validation.processes": "NEW"},
    )
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_the_centre_is_read_in_the_first_mandatory_language(sandbox):
    _centre(sandbox, langCode="fra")
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert _cmd_comment(row) == (
        "Packet validation failed Registration Center not found --> RPR-CMD-FAILED-013"
    )


def test_a_centre_active_at_any_time_before_the_packet_passes(sandbox):
    # The centre history query returns every row up to the packet's time and
    # CenterValidator needs one active row among them, not the latest.
    _centre(sandbox, isActive=False, history=[
        {"isActive": True, "effDTimes": "2020-01-01T00:00:00.000Z"},
        {"isActive": False, "effDTimes": "2021-01-01T00:00:00.000Z"}])  # fmt: skip
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_a_machine_deactivated_before_the_packet_fails(sandbox):
    # The machine history query takes the latest row only.
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {"id": MACHINE, "isActive": False, "signPublicKey": server_signing_key(sandbox),
         "history": [{"isActive": True, "effDTimes": "2020-01-01T00:00:00.000Z"},
                     {"isActive": False, "effDTimes": "2021-01-01T00:00:00.000Z"}]},
    )  # fmt: skip
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert _cmd_comment(row) == (
        "Exception occured due to validation failure."
        f"Machine ID was InActive during Packet Creation - {MACHINE} --> RPR-CMD-FAILED-005"
    )
