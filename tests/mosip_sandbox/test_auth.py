"""Keycloak token endpoint, authmanager and the auth adapter's rules, over HTTP."""

import jwt
import requests

from apps.mosip_sandbox import config

TOKEN_PATH = "/auth/realms/mosip/protocol/openid-connect/token"
AUTHMANAGER_PATH = "/v1/authmanager/authenticate/clientidsecretkey"
VALIDATE_PATH = "/v1/authmanager/authorize/admin/validateToken"
TPM_KEY_PATH = "/v1/keymanager/tpmsigning/publickey"


def _claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def _client_credentials(sandbox, client_id, secret):
    return requests.post(
        sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
        },
        timeout=5,
    )


def _authmanager(sandbox, client_id, secret, app_id="admin"):
    return requests.post(
        sandbox.url + AUTHMANAGER_PATH,
        json={
            "id": "string",
            "version": "string",
            "requesttime": "2025-03-01T10:00:00.000Z",
            "metadata": {},
            "request": {"clientId": client_id, "secretKey": secret, "appId": app_id},
        },
        timeout=5,
    )


def _cookie_token(response):
    first = response.headers["Set-Cookie"].split(";")[0]
    name, _, value = first.partition("=")
    assert name == "Authorization"
    return value


def _mint(sandbox, roles, azp="mosip-admin-client"):
    return requests.post(
        f"{sandbox.url}/sandbox/api/tokens",
        json={"azp": azp, "roles": roles},
        timeout=5,
    ).json()["access_token"]


def test_client_credentials_give_a_service_account_token(mosip_sandbox):
    response = _client_credentials(
        mosip_sandbox, config.MOSIP_ADMIN_CLIENT_ID, config.MOSIP_ADMIN_CLIENT_SECRET
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == config.ACCESS_TOKEN_LIFESPAN_SECONDS
    claims = _claims(body["access_token"])
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "RS256"
    assert claims["azp"] == config.MOSIP_ADMIN_CLIENT_ID
    assert claims["preferred_username"] == "service-account-mosip-admin-client"
    assert "GLOBAL_ADMIN" in claims["realm_access"]["roles"]
    assert claims["iss"].endswith("/auth/realms/mosip")
    assert claims["exp"] > claims["iat"]


def test_a_wrong_client_secret_is_refused_like_keycloak(mosip_sandbox):
    response = _client_credentials(mosip_sandbox, config.MOSIP_ADMIN_CLIENT_ID, "nope")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized_client"
    assert "access_token" not in response.json()


def test_an_unknown_client_is_refused(mosip_sandbox):
    response = _client_credentials(mosip_sandbox, "no-such-client", "x")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_a_token_request_must_be_form_encoded(mosip_sandbox):
    response = requests.post(
        mosip_sandbox.url + TOKEN_PATH,
        json={"grant_type": "client_credentials"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_mosip_admin_user_gets_a_token_by_password(mosip_sandbox):
    response = requests.post(
        mosip_sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "password",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
            "username": config.MOSIP_ADMIN_USER,
            "password": config.MOSIP_ADMIN_PASSWORD,
        },
        timeout=5,
    )
    assert response.status_code == 200
    claims = _claims(response.json()["access_token"])
    assert claims["preferred_username"] == config.MOSIP_ADMIN_USER
    assert {"GLOBAL_ADMIN", "ZONAL_ADMIN"} <= set(claims["realm_access"]["roles"])


def test_a_wrong_user_password_is_an_invalid_grant(mosip_sandbox):
    response = requests.post(
        mosip_sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "password",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
            "username": config.MOSIP_ADMIN_USER,
            "password": "wrong",
        },
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_grant"


def test_authmanager_returns_the_token_only_in_set_cookie(mosip_sandbox):
    response = _authmanager(
        mosip_sandbox, config.MOSIP_ADMIN_CLIENT_ID, config.MOSIP_ADMIN_CLIENT_SECRET
    )
    assert response.status_code == 200
    body = response.json()
    assert body["response"] == {
        "status": "Success",
        "message": "Clientid and Token combination had been validated successfully",
    }
    assert body["errors"] is None
    cookie = response.headers["Set-Cookie"]
    assert "Path=/" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    token = _cookie_token(response)
    assert token not in response.text
    assert _claims(token)["azp"] == config.MOSIP_ADMIN_CLIENT_ID


def test_authmanager_refuses_a_wrong_secret_without_a_cookie(mosip_sandbox):
    response = _authmanager(mosip_sandbox, config.MOSIP_ADMIN_CLIENT_ID, "wrong")
    body = response.json()
    assert body["response"] is None
    assert body["errors"][0] == {"errorCode": "500", "message": "401 Unauthorized"}
    assert "Set-Cookie" not in response.headers


def test_authmanager_refuses_an_unknown_app_id(mosip_sandbox):
    response = _authmanager(
        mosip_sandbox,
        config.MOSIP_ADMIN_CLIENT_ID,
        config.MOSIP_ADMIN_CLIENT_SECRET,
        app_id="adminXX",
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-026"
    assert "Set-Cookie" not in response.headers


def test_authmanager_names_a_missing_field(mosip_sandbox):
    response = _authmanager(mosip_sandbox, config.MOSIP_ADMIN_CLIENT_ID, "")
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-019"


def test_authmanager_accepts_the_admin_user_password(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}/v1/authmanager/authenticate/useridPwd",
        json={
            "request": {
                "userName": config.MOSIP_ADMIN_USER,
                "password": config.MOSIP_ADMIN_PASSWORD,
                "appId": "admin",
            }
        },
        timeout=5,
    )
    assert response.json()["response"]["status"] == "Success"
    assert _claims(_cookie_token(response))["preferred_username"] == (
        config.MOSIP_ADMIN_USER
    )


def test_validate_token_names_the_user_and_comma_joined_roles(mosip_sandbox):
    token = _cookie_token(
        _authmanager(
            mosip_sandbox,
            config.MOSIP_ADMIN_CLIENT_ID,
            config.MOSIP_ADMIN_CLIENT_SECRET,
        )
    )
    response = requests.get(
        mosip_sandbox.url + VALIDATE_PATH,
        headers={"Cookie": f"Authorization={token}"},
        timeout=5,
    )
    assert response.status_code == 200
    validated = response.json()["response"]
    assert validated["userId"] == "service-account-mosip-admin-client"
    roles = validated["role"].split(",")
    assert roles[-1] == ""  # authmanager's trailing comma
    assert "GLOBAL_ADMIN" in roles


def test_validate_token_without_a_cookie_says_cookies_are_empty(mosip_sandbox):
    response = requests.get(
        mosip_sandbox.url + VALIDATE_PATH,
        headers={"Authorization": "Bearer whatever"},
        timeout=5,
    )
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-006"


def test_validate_token_rejects_a_forged_token(mosip_sandbox):
    forged = jwt.encode(
        {"preferred_username": "x", "realm_access": {"roles": ["GLOBAL_ADMIN"]}},
        "a-key-that-is-not-the-realm-key-at-all",
        algorithm="HS256",
    )
    response = requests.get(
        mosip_sandbox.url + VALIDATE_PATH,
        headers={"Cookie": f"Authorization={forged}"},
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-401"


def test_a_bearer_header_alone_is_refused_with_ker_ath_401(mosip_sandbox):
    token = _mint(mosip_sandbox, ["GLOBAL_ADMIN"])
    response = requests.post(
        mosip_sandbox.url + TPM_KEY_PATH,
        json={"request": {"serverProfile": "Prod"}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-401"


def test_a_token_without_an_accepted_role_is_refused_with_ker_ath_403(mosip_sandbox):
    token = _mint(mosip_sandbox, ["ONLINE_REGISTRATION_CLIENT"])
    response = requests.post(
        mosip_sandbox.url + TPM_KEY_PATH,
        json={"request": {"serverProfile": "Prod"}},
        headers={"Cookie": f"Authorization={token}"},
        timeout=5,
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-403"


def test_a_client_outside_the_kernel_audience_is_refused_until_added(mosip_sandbox):
    token = _mint(mosip_sandbox, ["GLOBAL_ADMIN"], azp="crvs-newcomer")
    cookie = {"Cookie": f"Authorization={token}"}
    body = {"request": {"serverProfile": "Prod"}}
    refused = requests.post(
        mosip_sandbox.url + TPM_KEY_PATH, json=body, headers=cookie, timeout=5
    )
    assert refused.status_code == 403

    audience = "auth.server.admin.allowed.audience"
    stock = requests.get(f"{mosip_sandbox.url}/sandbox/api/config", timeout=5).json()
    listed = stock["effective"]["kernel"][audience]
    added = requests.patch(
        f"{mosip_sandbox.url}/sandbox/api/config",
        json={"kernel": {audience: listed + ",crvs-newcomer"}},
        timeout=5,
    )
    assert added.json()["changed"]["kernel"][audience].endswith(",crvs-newcomer")
    accepted = requests.post(
        mosip_sandbox.url + TPM_KEY_PATH, json=body, headers=cookie, timeout=5
    )
    assert accepted.status_code == 200


def test_a_master_realm_token_is_not_accepted_by_mosip_services(mosip_sandbox):
    master = requests.post(
        f"{mosip_sandbox.url}/auth/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": config.KEYCLOAK_ADMIN_USER,
            "password": config.KEYCLOAK_ADMIN_PASSWORD,
        },
        timeout=5,
    ).json()["access_token"]
    response = requests.post(
        mosip_sandbox.url + TPM_KEY_PATH,
        json={"request": {"serverProfile": "Prod"}},
        headers={"Cookie": f"Authorization={master}"},
        timeout=5,
    )
    assert response.status_code == 401
