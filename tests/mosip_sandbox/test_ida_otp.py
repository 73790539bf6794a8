"""IDA OTPs over HTTP: requesting one, reading what was "sent", authenticating with it
(docs/mosip/ida.md §5.3)."""

import pytest
import requests

from apps.mosip_sandbox import uin
from tests.mosip_sandbox.test_ida import issue, new_partner, text

EMAIL = "amina.haddad@example.org"
PHONE = "9876543210"


@pytest.fixture
def partner(mosip_sandbox):
    return new_partner(mosip_sandbox)


@pytest.fixture
def person(mosip_sandbox):
    return issue(mosip_sandbox, email=EMAIL, phone=PHONE)


def sent(sandbox, individual_id) -> list[dict]:
    return requests.get(
        f"{sandbox.url}/sandbox/api/ida/otps",
        params={"individualId": individual_id},
        timeout=10,
    ).json()["otps"]


def codes(response) -> list[str]:
    return [e["errorCode"] for e in response.json()["errors"] or []]


def test_an_otp_requested_is_delivered_and_authenticates(
    mosip_sandbox, partner, person
):
    number, _ = person
    response = partner.request_otp(number, channels=("email", "phone"))
    body = response.json()
    assert body["errors"] is None
    assert body["id"] == "mosip.identity.otp"
    assert body["response"] == {
        "maskedMobile": "XXXXXX3210",
        "maskedEmail": "XXiXX.XXdXXd@example.org",
    }
    (delivered,) = sent(mosip_sandbox, number)
    assert delivered["transactionID"] == body["transactionID"]
    assert delivered["email"] == EMAIL and delivered["phone"] == PHONE
    assert len(delivered["otp"]) == 6 and delivered["otp"].isdigit()
    auth = partner.authenticate(
        number, otp=delivered["otp"], txn=body["transactionID"]
    ).json()
    assert auth["response"]["authStatus"] is True
    assert auth["errors"] is None


def test_an_otp_works_once(mosip_sandbox, partner, person):
    number, _ = person
    txn = partner.request_otp(number).json()["transactionID"]
    code = sent(mosip_sandbox, number)[-1]["otp"]
    assert partner.authenticate(number, otp=code, txn=txn).json()["response"][
        "authStatus"
    ]
    again = partner.authenticate(number, otp=code, txn=txn)
    assert codes(again) == ["IDA-OTA-012"]


def test_a_wrong_otp_is_invalid_and_five_freeze_the_individual(
    mosip_sandbox, partner, person
):
    number, _ = person
    txn = partner.request_otp(number).json()["transactionID"]
    code = sent(mosip_sandbox, number)[-1]["otp"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        response = partner.authenticate(number, otp=wrong, txn=txn).json()
        assert response["response"]["authStatus"] is False
        assert response["errors"] == [
            {
                "errorCode": "IDA-OTA-004",
                "errorMessage": "OTP is invalid",
                "actionMessage": "Please provide correct OTP value",
            }
        ]
    fifth = partner.authenticate(number, otp=wrong, txn=txn).json()
    assert fifth["errors"] == [
        {
            "errorCode": "IDA-OTA-013",
            "errorMessage": "OTP request/validation has been frozen for the "
            "Individual-ID for 30 seconds due to consecutive failure attempts for 5 "
            "times.",
        }
    ]
    # Frozen: even the right OTP, and a new OTP request, are refused.
    assert codes(partner.authenticate(number, otp=code, txn=txn)) == ["IDA-OTA-013"]
    assert codes(partner.request_otp(number)) == ["IDA-OTA-013"]


def test_the_otp_belongs_to_its_transaction_partner_and_id_type(
    mosip_sandbox, partner, person
):
    number, vid = person
    txn = partner.request_otp(number).json()["transactionID"]
    code = sent(mosip_sandbox, number)[-1]["otp"]
    assert codes(partner.authenticate(number, otp=code, txn="A1B2C3D4E5")) == [
        "IDA-OTA-005"
    ]
    assert codes(partner.authenticate(vid, id_type="VID", otp=code, txn=txn)) == [
        "IDA-OTA-010"
    ]
    other = new_partner(mosip_sandbox)
    assert codes(other.authenticate(number, otp=code, txn=txn)) == ["IDA-OTA-011"]


def test_an_otp_with_a_demographic_check_needs_both(mosip_sandbox, partner, person):
    number, _ = person
    txn = partner.request_otp(number).json()["transactionID"]
    code = sent(mosip_sandbox, number)[-1]["otp"]
    response = partner.authenticate(
        number, otp=code, txn=txn, demographics={"name": text("Somebody Else")}
    )
    assert codes(response) == ["IDA-DEA-001"]


def test_no_otp_without_a_phone_or_email_on_record(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.request_otp(number, channels=("email", "phone"))
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-OTA-002",
            "errorMessage": "Could not generate/send OTP. Both Phone Number and "
            "Email ID are not found in identity data.",
        }
    ]
    assert sent(mosip_sandbox, number) == []


def test_an_otp_request_needs_a_known_channel(mosip_sandbox, partner, person):
    number, _ = person
    assert codes(partner.request_otp(number, channels=())) == ["IDA-OTA-008"]
    response = partner.request_otp(number, channels=("pigeon",))
    assert response.json()["errors"][0]["errorMessage"] == (
        "Invalid Input Parameter - otpChannel - pigeon"
    )


def test_a_policy_without_otp_request_refuses_it(mosip_sandbox, person):
    partner = new_partner(mosip_sandbox, authTypes=["demo", "otp"])
    number, _ = person
    assert codes(partner.request_otp(number)) == ["IDA-MLC-007", "IDA-MPA-005"]


def test_an_otp_for_an_unknown_uin_is_refused(mosip_sandbox, partner):
    assert codes(partner.request_otp(uin.generate_uin())) == ["IDA-MLC-018"]
