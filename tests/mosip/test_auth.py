"""Token sources: authmanager (cookie only) and Keycloak grants."""

from urllib.parse import parse_qs

import pytest

from apps.mosip.config import MosipClient, MosipConfig, fetch_token
from apps.mosip.errors import MosipAuthError, MosipBadResponse, MosipUnavailable
from tests.mosip.helpers import API, SECRET, authmanager_answer, make_jwt

AUTH_URL = f"{API}/v1/authmanager/authenticate/clientidsecretkey"
KC_URL = f"{API}/auth/realms/mosip/protocol/openid-connect/token"


def test_token_claims_are_read(mocked, client):
    mocked.post(AUTH_URL, **authmanager_answer(make_jwt(roles=("A", "B"))))
    token = client.token()
    assert token.roles == ["A", "B"]
    assert token.username == "service-account-crvs-client"
    assert token.azp == "crvs-client"
    assert token.value not in repr(token)


def test_authmanager_wrong_secret_is_an_auth_error(mocked, client):
    # Authmanager lets Keycloak's 401 escape as HTTP 500 "401 Unauthorized".
    mocked.post(
        AUTH_URL,
        status=500,
        json={
            "id": "string",
            "response": None,
            "errors": [{"errorCode": "500", "message": "401 Unauthorized"}],
        },
    )
    with pytest.raises(MosipAuthError):
        client.token()


def test_authmanager_outage_is_unavailable(mocked, client):
    mocked.post(AUTH_URL, status=503, body="")
    with pytest.raises(MosipUnavailable):
        client.token()


def test_authmanager_without_cookie_is_a_bad_response(mocked, client):
    mocked.post(AUTH_URL, json={"response": {"status": "Success"}, "errors": None})
    with pytest.raises(MosipBadResponse, match="cookie"):
        client.token()


def test_authmanager_user_password_uses_useridpwd(mocked):
    token = make_jwt(username="globaladmin")
    call = mocked.post(
        f"{API}/v1/authmanager/authenticate/useridPwd", **authmanager_answer(token)
    )
    config = MosipConfig(
        api_url=API,
        client_id="mosip-admin-client",
        client_secret="x",
        app_id="admin",
        username="globaladmin",
        password="pw-not-logged",
    )
    assert fetch_token(config).value == token
    assert b'"userName": "globaladmin"' in call.calls[0].request.body


def test_keycloak_client_credentials(mocked):
    token = make_jwt()
    call = mocked.post(KC_URL, json={"access_token": token, "expires_in": 300})
    config = MosipConfig(
        api_url=API,
        client_id="crvs-client",
        client_secret=SECRET,
        token_source="keycloak",
    )
    assert MosipClient(config).token().value == token
    form = parse_qs(call.calls[0].request.body)
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["crvs-client"],
        "client_secret": [SECRET],
    }


def test_keycloak_password_grant(mocked):
    call = mocked.post(KC_URL, json={"access_token": make_jwt()})
    config = MosipConfig(
        api_url=API,
        client_id="mosip-admin-client",
        client_secret="s",
        token_source="keycloak",
        username="globaladmin",
        password="pw",
    )
    fetch_token(config)
    form = parse_qs(call.calls[0].request.body)
    assert form["grant_type"] == ["password"] and form["username"] == ["globaladmin"]


@pytest.mark.parametrize(
    "status,error",
    [
        (401, "unauthorized_client"),
        (400, "unauthorized_client"),
        (401, "invalid_grant"),
    ],
)
def test_keycloak_refusal_is_an_auth_error(mocked, status, error):
    mocked.post(KC_URL, status=status, json={"error": error, "error_description": "no"})
    config = MosipConfig(
        api_url=API, client_id="c", client_secret="s", token_source="keycloak"
    )
    with pytest.raises(MosipAuthError) as caught:
        fetch_token(config)
    assert caught.value.code == error


def test_keycloak_unknown_realm_points_at_the_url(mocked):
    mocked.post(KC_URL, status=404, json={"error": "Realm does not exist"})
    config = MosipConfig(
        api_url=API, client_id="c", client_secret="s", token_source="keycloak"
    )
    with pytest.raises(MosipBadResponse, match="/auth"):
        fetch_token(config)
