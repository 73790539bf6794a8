"""IDA demographic authentication over HTTP against the sandbox process, requests
built by an independent partner client (tests/mosip_sandbox/ida_client.py) from the
rules of docs/mosip/ida.md."""

import base64
import json
from datetime import date, timedelta

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from apps.mosip_sandbox import uin
from tests.mosip_sandbox.ida_client import (
    Partner,
    aes_gcm,
    b64url,
    now,
    published_sign_certificate,
    response_signature_valid,
)
from tests.mosip_sandbox.packet_helpers import (
    create_packet,
    new_rid,
    onboard,
    register_birth,
    trigger,
    wait_until_done,
)
from tests.mosip_sandbox.partner_setup import Chain

NAME = "Amina Yusuf Haddad"
BORN = "2025/01/05"


def new_partner(sandbox, **spec) -> Partner:
    response = requests.post(
        f"{sandbox.url}/sandbox/api/ida/partners", json=spec, timeout=60
    )
    assert response.status_code == 200, response.text
    return Partner.from_sandbox(sandbox.url, response.json())


def issue(
    sandbox, *, name=NAME, born=BORN, gender="Female", status="ACTIVATED", **more
):
    """An ID repository record with its VID, as the sandbox's processing writes it."""
    number = uin.generate_uin()
    vid = uin.generate_vid()
    record = {
        "UIN": number, "VID": vid, "status": status, "registrationId": "test",
        "identity": {"UIN": number,
                     "fullName": [{"language": "eng", "value": name}],
                     "dateOfBirth": born,
                     "gender": [{"language": "eng", "value": gender}], **more},
    }  # fmt: skip
    for collection, key, doc in (
        ("identities", number, record),
        ("vids", vid, {"VID": vid, "UIN": number}),
    ):
        requests.post(
            f"{sandbox.url}/sandbox/api/documents",
            json={"collection": collection, "key": key, "doc": doc},
            timeout=10,
        ).raise_for_status()
    return number, vid


def text(value, language="eng"):
    return [{"language": language, "value": value}]


def codes(response) -> list[str]:
    return [e["errorCode"] for e in response.json()["errors"] or []]


@pytest.fixture
def partner(mosip_sandbox):
    return new_partner(mosip_sandbox)


def test_a_matching_name_and_date_of_birth_authenticates(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(
        number, demographics={"name": text(NAME), "dob": BORN, "gender": text("Female")}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["response"]["authStatus"] is True
    assert body["errors"] is None
    assert body["id"] == "mosip.identity.auth" and body["version"] == "1.0"
    assert len(body["response"]["authToken"]) == 36
    assert body["response"]["authToken"].isdigit()


def test_names_match_as_ida_normalises_them(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox, name="Amina Yusuf-Haddad")
    # Word order, case, extra spaces, punctuation and a title do not matter.
    response = partner.authenticate(
        number, demographics={"name": text("Mrs. haddad  AMINA yusuf")}
    )
    assert response.json()["response"]["authStatus"] is True
    response = partner.authenticate(number, demographics={"name": text("Amina Yusuf")})
    assert response.json()["response"]["authStatus"] is False


def test_a_wrong_name_fails_with_the_language_it_was_given_in(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(
        number, demographics={"name": text("Georges Élie Khoury"), "dob": BORN}
    )
    body = response.json()
    assert body["response"]["authStatus"] is False
    assert body["errors"] == [
        {
            "errorCode": "IDA-DEA-001",
            "errorMessage": "Demographic data name in eng did not match",
            "actionMessage": "Please re-enter your name in eng",
        }
    ]


def test_a_wrong_date_of_birth_fails(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(
        number, demographics={"name": text(NAME), "dob": "1948/03/01"}
    )
    assert response.json()["response"]["authStatus"] is False
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-DEA-001",
            "errorMessage": "Demographic data dob did not match",
            "actionMessage": "Please re-enter your dob",
        }
    ]


def test_a_name_in_a_language_the_identity_lacks_is_missing_data(
    mosip_sandbox, partner
):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(number, demographics={"name": text("Amina", "fra")})
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-DEA-003",
            "errorMessage": "Demographic data name in fra not available in database",
        }
    ]


def test_an_unknown_uin_is_not_available(mosip_sandbox, partner):
    response = partner.authenticate(
        uin.generate_uin(), demographics={"name": text(NAME)}
    )
    assert response.json()["errors"] == [
        {"errorCode": "IDA-MLC-018", "errorMessage": "UIN not available in database"}
    ]
    assert response.json()["response"] == {"authStatus": False, "authToken": None}


def test_a_uin_with_a_wrong_check_digit_is_invalid(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = partner.authenticate(wrong, demographics={"name": text(NAME)})
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-MLC-002",
            "errorMessage": "Invalid UIN",
            "actionMessage": "Please retry with the correct UIN",
        }
    ]


def test_a_deactivated_uin_is_refused_and_so_is_its_vid(mosip_sandbox, partner):
    number, vid = issue(mosip_sandbox, status="DEACTIVATED")
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert response.json()["errors"] == [
        {"errorCode": "IDA-MLC-022", "errorMessage": "UIN is deactivated/blocked"}
    ]
    response = partner.authenticate(
        vid, id_type="VID", demographics={"name": text(NAME)}
    )
    assert response.json()["errors"] == [
        {"errorCode": "IDA-MLC-023", "errorMessage": "VID is expired/deactivated"}
    ]


def test_a_vid_authenticates_like_its_uin(mosip_sandbox, partner):
    _, vid = issue(mosip_sandbox)
    matching = partner.authenticate(
        vid, id_type="VID", demographics={"name": text(NAME), "dob": BORN}
    )
    assert matching.json()["response"]["authStatus"] is True
    # Without individualIdType IDA tells a VID by its length and check digit.
    derived = partner.authenticate(vid, id_type=None, demographics={"name": text(NAME)})
    assert derived.json()["response"]["authStatus"] is True


def test_an_identity_issued_by_processing_authenticates_until_its_death(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    born = date.today() - timedelta(days=30)
    row = register_birth(mosip_sandbox, name="Amina Bello", born=born)
    partner = new_partner(mosip_sandbox)
    demographics = {"name": text("Amina Bello"), "dob": born.strftime("%Y/%m/%d")}
    assert partner.authenticate(row["uin"], demographics=demographics).json()[
        "response"
    ]["authStatus"]
    rid = new_rid()
    death = {"UIN": row["uin"], "dateOfDeath": date.today().strftime("%Y/%m/%d"),
             "declaredAsDeceased": "Y", "deathCertificateNumber": "DRN-1"}  # fmt: skip
    assert create_packet(mosip_sandbox, rid, "CRVS_DEATH", death).json()["response"]
    assert trigger(mosip_sandbox, rid, "CRVS_DEATH").json()["errors"] is None
    assert wait_until_done(mosip_sandbox, rid)["statusCode"] == "PROCESSED"
    response = partner.authenticate(row["uin"], demographics=demographics)
    assert codes(response) == ["IDA-MLC-022"]


def test_every_answer_is_signed_with_the_published_certificate(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    published = published_sign_certificate(mosip_sandbox.url)
    success = partner.authenticate(number, demographics={"name": text(NAME)})
    refusal = partner.authenticate(
        uin.generate_uin(), demographics={"name": text(NAME)}
    )
    assert response_signature_valid(success, published)
    assert response_signature_valid(refusal, published)


def test_a_tampered_answer_fails_verification(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    published = published_sign_certificate(mosip_sandbox.url)
    response = partner.authenticate(number, demographics={"name": text("Someone")})
    assert response_signature_valid(response, published)
    forged = json.loads(response.content)
    forged["response"]["authStatus"] = True
    forged["errors"] = None
    response._content = json.dumps(forged, separators=(",", ":")).encode()
    assert not response_signature_valid(response, published)


def test_the_published_certificates_are_those_of_ida_internal_get_certificate(
    mosip_sandbox, partner
):
    token = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-ida-client", "roles": ["ID_AUTHENTICATION"]},
        timeout=10,
    ).json()["access_token"]
    url = f"{mosip_sandbox.url}/idauthentication/v1/internal/getCertificate"
    answered = {}
    for reference in ("PARTNER", "SIGN"):
        response = requests.get(
            url,
            params={"applicationId": "IDA", "referenceId": reference},
            cookies={"Authorization": token},
            timeout=10,
        )
        answered[reference] = response.json()["response"]["certificate"]
    assert answered["PARTNER"] == partner.ida_certificate_pem
    assert answered["SIGN"] == published_sign_certificate(mosip_sandbox.url)
    # The portal's own client is not in IDA internal's audience.
    crvs = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-crvs1-client", "roles": ["ID_AUTHENTICATION"]},
        timeout=10,
    ).json()["access_token"]
    refused = requests.get(
        url, params={"applicationId": "IDA", "referenceId": "PARTNER"},
        cookies={"Authorization": crvs}, timeout=10,
    )  # fmt: skip
    assert refused.status_code == 403


# --- refusals of the filter: wrapped in IDA-MLC-007 ------------------------------


def filter_codes(response) -> list[str]:
    found = codes(response)
    assert found[0] == "IDA-MLC-007", found
    return found[1:]


def test_a_wrong_hmac_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = partner.auth_body(number, demographics={"name": text(NAME)})
    other = partner.protect({"timestamp": now(), "demographics": {"name": text("X")}})
    body["requestHMAC"] = other["requestHMAC"]  # another session key's HMAC
    assert filter_codes(partner.post("auth", body)) == ["IDA-MPA-003"]
    # Right key, wrong digest: the HMAC check itself.
    good = partner.auth_body(number, demographics={"name": text(NAME)})
    key = bytes(32)
    inner = {"timestamp": now(), "demographics": {"name": text(NAME)}}
    protected = partner.protect(inner, key=key)
    protected["requestHMAC"] = b64url(aes_gcm(key, b"0" * 64))
    good.update(protected)
    assert filter_codes(partner.post("auth", good)) == ["IDA-MPA-016"]


def test_a_bad_signature_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = json.dumps(partner.auth_body(number, demographics={"name": text(NAME)}))
    signature = partner.sign(body.encode())
    tampered = body.replace('"consentObtained": true', '"consentObtained":  true')
    response = requests.post(
        f"{mosip_sandbox.url}/idauthentication/v1/auth/"
        f"{partner.licence_key}/{partner.partner_id}/{partner.api_key}",
        data=tampered.encode(),
        headers={"Content-Type": "application/json", "signature": signature,
                 "Authorization": "Authorization"},
        timeout=30,
    )  # fmt: skip
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-MLC-007",
            "errorMessage": "Request could not be processed. Please try again",
        },
        {
            "errorCode": "IDA-MPA-001",
            "errorMessage": "Digital signature verification failed for signature header",
        },
    ]


def test_a_missing_signature_or_authorization_header_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = json.dumps(partner.auth_body(number, demographics={"name": text(NAME)}))
    url = (
        f"{mosip_sandbox.url}/idauthentication/v1/auth/"
        f"{partner.licence_key}/{partner.partner_id}/{partner.api_key}"
    )
    unsigned = requests.post(
        url, data=body, headers={"Authorization": "x"}, timeout=30
    ).json()
    assert unsigned["errors"][1]["errorMessage"] == (
        "Missing Input Parameter - signature header"
    )
    partner.extra_headers = {}
    assert partner.post("auth", json.loads(body)).json()["errors"][1] == {
        "errorCode": "IDA-MLC-006",
        "errorMessage": "Missing Input Parameter - Authorization - header",
    }


def test_a_certificate_the_partner_does_not_hold_is_refused(mosip_sandbox, partner):
    other = new_partner(mosip_sandbox)
    number, _ = issue(mosip_sandbox)
    body = json.dumps(partner.auth_body(number, demographics={"name": text(NAME)}))
    # Signed correctly by another partner, with that partner's certificate.
    response = requests.post(
        f"{mosip_sandbox.url}/idauthentication/v1/auth/"
        f"{partner.licence_key}/{partner.partner_id}/{partner.api_key}",
        data=body,
        headers={"signature": other.sign(body.encode()), "Authorization": "x"},
        timeout=30,
    )
    assert filter_codes(response) == ["IDA-MPA-021"]


def test_a_self_made_certificate_is_not_trusted(mosip_sandbox, partner):
    # A certificate from a CA never uploaded to MOSIP, for the right organisation.
    stranger = Chain(partner.partner_id)
    partner.private_key_pem = stranger.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    partner.certificate_pem = stranger.pem
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert filter_codes(response) == ["IDA-MPA-001"]


def test_a_wrong_thumbprint_cannot_be_decrypted(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = partner.auth_body(number, demographics={"name": text(NAME)})
    body["thumbprint"] = "AB" * 32
    assert filter_codes(partner.post("auth", body)) == ["IDA-MPA-003"]


def test_a_base64url_thumbprint_is_read_too(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = partner.auth_body(number, demographics={"name": text(NAME)})
    body["thumbprint"] = b64url(bytes.fromhex(body["thumbprint"]))
    assert partner.post("auth", body).json()["response"]["authStatus"] is True


@pytest.mark.parametrize(
    ("part", "code"),
    [("licence_key", "IDA-MPA-007"), ("api_key", "IDA-MPA-009"),
     ("partner_id", "IDA-MPA-009")],
)  # fmt: skip
def test_wrong_path_keys_are_refused(mosip_sandbox, partner, part, code):
    number, _ = issue(mosip_sandbox)
    setattr(partner, part, "x" + getattr(partner, part))
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert filter_codes(response) == [code]


def test_a_policy_without_demo_refuses_it(mosip_sandbox):
    partner = new_partner(mosip_sandbox, authTypes=["otp", "otp-request"])
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert response.json()["errors"][1] == {
        "errorCode": "IDA-MPA-006",
        "errorMessage": "DEMO Authentication usage not allowed as per policy",
    }


def test_a_wrong_request_id_or_version_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = partner.auth_body(number, demographics={"name": text(NAME)})
    assert (
        partner.post("auth", {**body, "id": "mosip.identity.kyc"}).json()["errors"][1][
            "errorMessage"
        ]
        == "Invalid Input Parameter - id"
    )
    assert (
        partner.post("auth", {**body, "version": "v1"}).json()["errors"][1][
            "errorMessage"
        ]
        == "Invalid Input Parameter - version"
    )


# --- refusals of the validator ------------------------------------------------------


def test_a_stale_request_time_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    body = partner.auth_body(number, demographics={"name": text(NAME)})
    body["requestTime"] = now(-600)
    assert partner.post("auth", body).json()["errors"] == [
        {
            "errorCode": "IDA-MLC-001",
            "errorMessage": "Request to be received at MOSIP within 30 seconds. "
            "Attribute: requestTime",
            "actionMessage": "Please send the request within 30 seconds",
        }
    ]


def test_consent_is_required(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(
        number, demographics={"name": text(NAME)}, consentObtained=False
    )
    assert codes(response) == ["IDA-MLC-012"]


def test_an_unsupported_language_is_refused(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(number, demographics={"name": text(NAME, "xyz")})
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-DEA-002",
            "errorMessage": "Unsupported Language Code - request : xyz",
            "actionMessage": "Please provide valid Language",
        }
    ]


def test_an_x5c_holding_base64_of_pem_is_accepted_as_mosip_accepts_it(
    mosip_sandbox, partner
):
    """mosip-auth-sdk puts base64 of the PEM text, with line breaks, in x5c; Java's
    certificate factory reads PEM as well as DER (docs/mosip/ida.md §3)."""
    number, _ = issue(mosip_sandbox)
    raw = json.dumps(partner.auth_body(number, demographics={"name": text(NAME)}))
    header = {
        "alg": "RS256",
        "x5c": [base64.encodebytes(partner.certificate_pem.encode()).decode()],
    }
    encoded = b64url(json.dumps(header).encode())
    signature = partner.private_key.sign(
        f"{encoded}.{b64url(raw.encode())}".encode(), padding.PKCS1v15(),
        hashes.SHA256(),
    )  # fmt: skip
    response = requests.post(
        f"{mosip_sandbox.url}/idauthentication/v1/auth/"
        f"{partner.licence_key}/{partner.partner_id}/{partner.api_key}",
        data=raw,
        headers={"signature": f"{encoded}..{b64url(signature)}", "Authorization": "x"},
        timeout=30,
    )
    assert response.json()["response"]["authStatus"] is True


# --- fault switches ---------------------------------------------------------------


def set_ida_faults(sandbox, **switches):
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"ida": switches}, timeout=10
    ).raise_for_status()


def test_ida_can_be_down(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    set_ida_faults(mosip_sandbox, unavailable=True)
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert response.status_code == 503
    assert response.text == "no healthy upstream"
    # Only IDA: the rest of MOSIP still answers.
    assert requests.get(f"{mosip_sandbox.url}/mosip-certs/ida-partner.cer").ok
    set_ida_faults(mosip_sandbox, unavailable=False)
    assert partner.authenticate(number, demographics={"name": text(NAME)}).ok


def test_ida_can_be_slow(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    set_ida_faults(mosip_sandbox, latency_ms=1500)
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert response.elapsed.total_seconds() >= 1.5
    assert response.json()["response"]["authStatus"] is True


def test_ida_can_sign_badly(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    published = published_sign_certificate(mosip_sandbox.url)
    set_ida_faults(mosip_sandbox, tamper_response_signature=True)
    response = partner.authenticate(number, demographics={"name": text(NAME)})
    assert response.json()["response"]["authStatus"] is True
    assert not response_signature_valid(response, published)


def test_an_unknown_ida_switch_is_refused(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/faults",
        json={"ida": {"down": True}},
        timeout=10,
    )
    assert response.status_code == 400
    assert "down" in response.json()["error"]


def test_a_name_that_is_not_a_list_cannot_be_read(mosip_sandbox, partner):
    number, _ = issue(mosip_sandbox)
    response = partner.authenticate(number, demographics={"name": NAME})
    assert response.json()["errors"] == [
        {
            "errorCode": "IDA-MLC-007",
            "errorMessage": "Request could not be processed. Please try again",
        }
    ]
    assert response.json()["response"]["authStatus"] is False
