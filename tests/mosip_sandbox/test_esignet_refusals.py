"""What e-Signet refuses, with its error codes (docs/mosip/esignet.md §4, §5, §7, §8),
and its fault switch: down, slow, forged, expired and replayed answers."""

import time

import jwt
import pytest
import requests

from tests.mosip_sandbox.esignet_rp import RelyingParty, page_error, put_identity

UIN = "3920716381"
VID = "5817263549102837"
DEACTIVATED_UIN = "4829175630"


@pytest.fixture
def rp(mosip_sandbox):
    put_identity(mosip_sandbox.url, UIN, VID)
    put_identity(
        mosip_sandbox.url, DEACTIVATED_UIN, "7261839405162738", status="DEACTIVATED"
    )
    party = RelyingParty(mosip_sandbox.url)
    assert party.register().json()["errors"] == []
    return party


def faults(url, **switch):
    requests.post(
        f"{url}/sandbox/api/faults", json={"esignet": switch}, timeout=10
    ).raise_for_status()


def code_for(rp, individual_id=UIN):
    params = rp.authorize_params()
    return rp.code_from(rp.login(individual_id, params), params["state"]), params


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"redirect_uri": "https://evil.example/callback"}, "invalid_redirect_uri"),
        ({"client_id": "nobody"}, "invalid_client_id"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"response_type": "token"}, "invalid_response_type"),
        ({"code_challenge": "abc"}, "invalid_pkce_challenge"),
        (
            {"code_challenge": "abc", "code_challenge_method": "plain"},
            "unsupported_pkce_challenge_method",
        ),
    ],
)
def test_authorize_refuses_a_bad_request_on_the_page(rp, override, code):
    page = requests.get(
        f"{rp.url}/authorize", params=rp.authorize_params(**override), timeout=10
    )
    assert page.status_code == 200
    assert page_error(page) == code


def test_wrong_otp_and_deactivated_identity_cannot_log_in(rp):
    wrong = rp.login(UIN, rp.authorize_params(), otp="000000")
    assert page_error(wrong) == "IDA-OTA-004"
    deactivated = rp.login(DEACTIVATED_UIN, rp.authorize_params())
    assert page_error(deactivated) == "IDA-MLC-022"
    unknown = rp.login("2345678901", rp.authorize_params())
    assert page_error(unknown) == "IDA-MLC-018"


def test_a_code_is_single_use(rp):
    code, _ = code_for(rp)
    assert rp.token(code).status_code == 200
    replayed = rp.token(code)
    assert replayed.status_code == 400
    assert replayed.json() == {
        "error": "invalid_transaction",
        "error_description": "invalid_transaction",
    }


def test_a_code_expires_with_its_cache(rp, mosip_sandbox):
    requests.patch(
        f"{mosip_sandbox.url}/sandbox/api/config",
        json={"esignet": {"mosip.esignet.cache.expire-in-seconds": "{'preauth': 300, "
              "'authenticated': 120, 'authcodegenerated': 1, 'userinfo': 3600, 'blocked': 300}"}},
        timeout=10,
    ).raise_for_status()  # fmt: skip
    code, _ = code_for(rp)
    time.sleep(1.5)
    expired = rp.token(code)
    assert expired.status_code == 400
    assert expired.json()["error"] == "invalid_transaction"


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "someone-else"},
        {"sub": "someone-else"},
        {"aud": "https://elsewhere.example/token"},
        {"exp": int(time.time()) - 5},
    ],
)
def test_a_bad_client_assertion_is_refused_and_the_code_kept(rp, claims):
    code, _ = code_for(rp)
    endpoint = rp.discovery()["token_endpoint"]
    refused = rp.token(code, assertion=rp.assertion(endpoint, **claims))
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_assertion"
    assert rp.token(code).status_code == 200


def test_an_assertion_signed_by_another_key_or_for_v1_is_refused(rp):
    code, _ = code_for(rp)
    impostor = RelyingParty(rp.url, client_id=rp.client_id)
    endpoint = rp.discovery()["token_endpoint"]
    assert (
        rp.token(code, assertion=impostor.assertion(endpoint)).json()["error"]
        == "invalid_assertion"
    )
    # v1's audience is the issuer id followed by /oauth/token.
    v1 = rp.token(code, v2=False, assertion=rp.assertion(endpoint))
    assert v1.json()["error"] == "invalid_assertion"
    assert rp.token(code, v2=False).status_code == 200


def test_token_refuses_a_redirect_uri_other_than_the_authorized_one(rp):
    code, _ = code_for(rp)
    refused = rp.token(code, redirect_uri="https://portal.example/other")
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_redirect_uri"


def test_userinfo_refuses_a_token_it_did_not_issue(rp, mosip_sandbox):
    url = f"{mosip_sandbox.url}/v1/esignet/oidc/userinfo"
    refused = requests.get(
        url, headers={"Authorization": "Bearer abc.def.ghi"}, timeout=10
    )
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'error="invalid_token"'
    missing = requests.get(url, timeout=10)
    assert missing.headers["WWW-Authenticate"] == 'error="missing_header"'


def test_down_and_slow(rp, mosip_sandbox):
    faults(mosip_sandbox.url, down=True)
    down = requests.get(
        f"{mosip_sandbox.url}/.well-known/openid-configuration", timeout=10
    )
    assert down.status_code == 503
    assert down.text == "no healthy upstream"
    faults(mosip_sandbox.url, down=False, latency_ms=600)
    started = time.monotonic()
    assert requests.get(f"{mosip_sandbox.url}/.well-known/jwks.json", timeout=10).ok
    assert time.monotonic() - started >= 0.6
    bad = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/faults",
        json={"esignet": {"tamper": "x"}},
        timeout=10,
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("tamper", "failure"),
    [
        ("id_token_wrong_key", jwt.InvalidSignatureError),
        ("id_token_expired", jwt.ExpiredSignatureError),
    ],
)
def test_forged_and_expired_id_tokens_fail_verification(
    rp, mosip_sandbox, tamper, failure
):
    faults(mosip_sandbox.url, tamper=tamper)
    code, _ = code_for(rp)
    body = rp.token(code).json()
    with pytest.raises(failure):
        rp.verify(
            body["id_token"], audience=rp.client_id, options={"verify_iss": False}
        )


def test_a_replayed_id_token_carries_the_old_nonce(rp, mosip_sandbox):
    first_code, first = code_for(rp)
    rp.token(first_code).raise_for_status()
    faults(mosip_sandbox.url, tamper="id_token_replayed")
    code, second = code_for(rp)
    id_token = rp.verify(
        rp.token(code).json()["id_token"],
        audience=rp.client_id,
        options={"verify_iss": False},
    )
    assert id_token["nonce"] == first["nonce"] != second["nonce"]


@pytest.mark.parametrize("tamper", ["userinfo_wrong_key", "userinfo_altered"])
def test_a_forged_userinfo_fails_verification(rp, mosip_sandbox, tamper):
    faults(mosip_sandbox.url, tamper=tamper)
    code, _ = code_for(rp)
    body = rp.token(code).json()
    userinfo = requests.get(
        f"{mosip_sandbox.url}/v1/esignet/oidc/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    with pytest.raises(jwt.InvalidSignatureError):
        rp.verify(userinfo.text)
