"""The IDA client over HTTP against the running sandbox: an authentication partner
made in one step by the sandbox's test API (the PMS way is onboarding's, tested in
tests/onboarding), IDA's certificates from the file server's paths, identities
written to the sandbox's ID repository."""

import datetime

import pytest
import requests

from apps.mosip import ida
from apps.mosip_sandbox import uin

NAME = "Amina Yusuf Haddad"
BORN = datetime.date(2025, 3, 1)


def _post(sandbox, path, body):
    response = requests.post(f"{sandbox.url}{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def issued(sandbox, *, status="ACTIVATED") -> tuple[str, str]:
    number, vid = uin.generate_uin(), uin.generate_vid()
    record = {
        "UIN": number, "VID": vid, "status": status, "registrationId": "test",
        "identity": {"UIN": number,
                     "fullName": [{"language": "eng", "value": NAME}],
                     "dateOfBirth": BORN.strftime("%Y/%m/%d"),
                     "gender": [{"language": "eng", "value": "FLE"}]},
    }  # fmt: skip
    _post(sandbox, "/sandbox/api/documents",
          {"collection": "identities", "key": number, "doc": record})  # fmt: skip
    _post(sandbox, "/sandbox/api/documents",
          {"collection": "vids", "key": vid, "doc": {"VID": vid, "UIN": number}})  # fmt: skip
    return number, vid


@pytest.fixture
def partner(mosip_sandbox):
    made = _post(mosip_sandbox, "/sandbox/api/ida/partners", {})
    return ida.AuthPartner(
        ida_url=mosip_sandbox.url,
        licence_key=made["licenseKey"],
        partner_id=made["partnerId"],
        api_key=made["apiKey"],
        private_key_pem=made["privateKey"],
        certificate_pem=made["signedCertificate"],
        ida_certificate_pem=ida.fetch_partner_certificate(mosip_sandbox.url),
        ida_signing_certificates=tuple(
            ida.fetch_signing_certificates(mosip_sandbox.url)
        ),
    )


def person(name=NAME, born=BORN, gender="FLE"):
    return ida.Demographics({"eng": name}, born, gender, ("eng",))


def test_a_matching_uin_and_vid_verify(mosip_sandbox, partner):
    number, vid = issued(mosip_sandbox)
    answer = ida.authenticate(partner, number, ida.IdType.UIN, person())
    assert answer.outcome == ida.Outcome.VERIFIED, answer
    assert answer.signed and answer.auth_token
    answer = ida.authenticate(partner, vid, ida.IdType.VID, person())
    assert answer.outcome == ida.Outcome.VERIFIED, answer


def test_mismatches_are_named(mosip_sandbox, partner):
    number, _ = issued(mosip_sandbox)
    answer = ida.authenticate(
        partner, number, ida.IdType.UIN,
        person("Georges Élie Khoury", datetime.date(1948, 5, 2), "MLE"),
    )  # fmt: skip
    assert answer.outcome == ida.Outcome.MISMATCH, answer
    assert {m.attribute for m in answer.mismatches} == {"name", "dob", "gender"}


def test_unknown_and_deactivated(mosip_sandbox, partner):
    unknown = uin.generate_uin()
    answer = ida.authenticate(partner, unknown, ida.IdType.UIN, person())
    assert answer.outcome == ida.Outcome.NOT_FOUND, answer
    number, vid = issued(mosip_sandbox, status="DEACTIVATED")
    answer = ida.authenticate(partner, number, ida.IdType.UIN, person())
    assert answer.outcome == ida.Outcome.DEACTIVATED, answer
    answer = ida.authenticate(partner, vid, ida.IdType.VID, person())
    assert answer.outcome == ida.Outcome.DEACTIVATED, answer


def test_a_tampered_answer_and_an_outage(mosip_sandbox, partner):
    number, _ = issued(mosip_sandbox)
    _post(
        mosip_sandbox,
        "/sandbox/api/faults",
        {"ida": {"tamper_response_signature": True}},
    )
    answer = ida.authenticate(partner, number, ida.IdType.UIN, person())
    assert answer.outcome == ida.Outcome.REFUSED
    assert answer.problem == ida.Problem.RESPONSE_SIGNATURE
    _post(
        mosip_sandbox,
        "/sandbox/api/faults",
        {"ida": {"tamper_response_signature": False, "unavailable": True}},
    )
    answer = ida.authenticate(partner, number, ida.IdType.UIN, person())
    assert answer.outcome == ida.Outcome.UNREACHABLE


def test_a_wrong_licence_or_api_key_is_named(mosip_sandbox, partner):
    import dataclasses

    number, _ = issued(mosip_sandbox)
    wrong = dataclasses.replace(partner, licence_key="X" * 50)
    answer = ida.authenticate(wrong, number, ida.IdType.UIN, person())
    assert answer.problem == ida.Problem.LICENCE, answer
    wrong = dataclasses.replace(partner, api_key="1")
    answer = ida.authenticate(wrong, number, ida.IdType.UIN, person())
    assert answer.problem == ida.Problem.API_KEY, answer
