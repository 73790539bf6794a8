"""Keycloak Admin REST API subset, driven as an onboarding would (§1.5)."""

import jwt
import requests

from apps.mosip_sandbox import config

ADMIN = "/auth/admin/realms/mosip"


def _admin_headers(sandbox):
    response = requests.post(
        f"{sandbox.url}/auth/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": config.KEYCLOAK_ADMIN_USER,
            "password": config.KEYCLOAK_ADMIN_PASSWORD,
        },
        timeout=5,
    )
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _create_client(sandbox, headers, client_id="mosip-crvs1-client", secret="s3cret"):
    return requests.post(
        sandbox.url + ADMIN + "/clients",
        json={
            "clientId": client_id,
            "protocol": "openid-connect",
            "publicClient": False,
            "serviceAccountsEnabled": True,
            "standardFlowEnabled": False,
            "directAccessGrantsEnabled": False,
            "secret": secret,
            "redirectUris": ["*"],
        },
        headers=headers,
        timeout=5,
    )


def _client_uuid(sandbox, headers, client_id):
    listed = requests.get(
        sandbox.url + ADMIN + "/clients",
        params={"clientId": client_id},
        headers=headers,
        timeout=5,
    ).json()
    assert len(listed) == 1
    return listed[0]["id"]


def _client_token_roles(sandbox, client_id, secret):
    response = requests.post(
        f"{sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
        },
        timeout=5,
    )
    assert response.status_code == 200, response.text
    claims = jwt.decode(
        response.json()["access_token"], options={"verify_signature": False}
    )
    return claims["realm_access"]["roles"]


def test_the_master_admin_password_is_checked(mosip_sandbox):
    response = requests.post(
        f"{mosip_sandbox.url}/auth/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": config.KEYCLOAK_ADMIN_USER,
            "password": "wrong",
        },
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_grant"


def test_the_admin_api_requires_a_master_realm_bearer_token(mosip_sandbox):
    assert (
        requests.get(mosip_sandbox.url + ADMIN + "/roles", timeout=5).status_code == 401
    )
    mosip_token = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-admin-client", "roles": ["GLOBAL_ADMIN"]},
        timeout=5,
    ).json()["access_token"]
    response = requests.get(
        mosip_sandbox.url + ADMIN + "/roles",
        headers={"Authorization": f"Bearer {mosip_token}"},
        timeout=5,
    )
    assert response.status_code == 401


def test_the_standard_mosip_roles_exist(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    names = {
        r["name"]
        for r in requests.get(
            mosip_sandbox.url + ADMIN + "/roles", headers=headers, timeout=5
        ).json()
    }
    assert {
        "REGISTRATION_PROCESSOR",
        "ONLINE_REGISTRATION_CLIENT",
        "REGISTRATION_OFFICER",
        "GLOBAL_ADMIN",
        "ZONAL_ADMIN",
        "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL",
        "SUBSCRIBE_REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT_GENERAL",
        "PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL",
    } <= names


def test_a_role_is_created_once_then_conflicts(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    body = {"name": "CRVS_BIRTH_REGISTRATION_ROLE", "description": "CRVS"}
    first = requests.post(
        mosip_sandbox.url + ADMIN + "/roles", json=body, headers=headers, timeout=5
    )
    again = requests.post(
        mosip_sandbox.url + ADMIN + "/roles", json=body, headers=headers, timeout=5
    )
    assert first.status_code == 201
    assert again.status_code == 409
    fetched = requests.get(
        mosip_sandbox.url + ADMIN + "/roles/CRVS_BIRTH_REGISTRATION_ROLE",
        headers=headers,
        timeout=5,
    ).json()
    assert fetched["name"] == "CRVS_BIRTH_REGISTRATION_ROLE"
    assert fetched["id"]


def test_a_new_client_gets_a_location_and_a_duplicate_conflicts(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    created = _create_client(mosip_sandbox, headers)
    assert created.status_code == 201
    uuid_ = _client_uuid(mosip_sandbox, headers, "mosip-crvs1-client")
    assert created.headers["Location"].endswith(f"/clients/{uuid_}")
    assert _create_client(mosip_sandbox, headers).status_code == 409


def test_the_client_secret_can_be_read_and_regenerated(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    _create_client(mosip_sandbox, headers, secret="first-secret")
    uuid_ = _client_uuid(mosip_sandbox, headers, "mosip-crvs1-client")
    url = f"{mosip_sandbox.url}{ADMIN}/clients/{uuid_}/client-secret"
    assert requests.get(url, headers=headers, timeout=5).json() == {
        "type": "secret",
        "value": "first-secret",
    }
    new_secret = requests.post(url, headers=headers, timeout=5).json()["value"]
    assert new_secret != "first-secret"
    old = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "mosip-crvs1-client",
            "client_secret": "first-secret",
        },
        timeout=5,
    )
    assert old.status_code == 401
    assert "ONLINE_REGISTRATION_CLIENT" not in _client_token_roles(
        mosip_sandbox, "mosip-crvs1-client", new_secret
    )


def test_a_mapped_role_appears_in_the_clients_token(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    _create_client(mosip_sandbox, headers, secret="s3cret")
    uuid_ = _client_uuid(mosip_sandbox, headers, "mosip-crvs1-client")
    account = requests.get(
        f"{mosip_sandbox.url}{ADMIN}/clients/{uuid_}/service-account-user",
        headers=headers,
        timeout=5,
    ).json()
    assert account["username"] == "service-account-mosip-crvs1-client"
    assert "ONLINE_REGISTRATION_CLIENT" not in _client_token_roles(
        mosip_sandbox, "mosip-crvs1-client", "s3cret"
    )
    role = requests.get(
        mosip_sandbox.url + ADMIN + "/roles/ONLINE_REGISTRATION_CLIENT",
        headers=headers,
        timeout=5,
    ).json()
    mapped = requests.post(
        f"{mosip_sandbox.url}{ADMIN}/users/{account['id']}/role-mappings/realm",
        json=[{"id": role["id"], "name": role["name"]}],
        headers=headers,
        timeout=5,
    )
    assert mapped.status_code == 204
    assert "ONLINE_REGISTRATION_CLIENT" in _client_token_roles(
        mosip_sandbox, "mosip-crvs1-client", "s3cret"
    )
    listed = requests.get(
        f"{mosip_sandbox.url}{ADMIN}/users/{account['id']}/role-mappings/realm",
        headers=headers,
        timeout=5,
    ).json()
    assert [r["name"] for r in listed] == ["ONLINE_REGISTRATION_CLIENT"]


def test_an_unmapped_role_leaves_the_token(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    _create_client(mosip_sandbox, headers, secret="s3cret")
    uuid_ = _client_uuid(mosip_sandbox, headers, "mosip-crvs1-client")
    account_id = requests.get(
        f"{mosip_sandbox.url}{ADMIN}/clients/{uuid_}/service-account-user",
        headers=headers,
        timeout=5,
    ).json()["id"]
    url = f"{mosip_sandbox.url}{ADMIN}/users/{account_id}/role-mappings/realm"
    roles = [{"name": "ONLINE_REGISTRATION_CLIENT"}]
    requests.post(url, json=roles, headers=headers, timeout=5)
    deleted = requests.delete(url, json=roles, headers=headers, timeout=5)
    assert deleted.status_code == 204
    assert "ONLINE_REGISTRATION_CLIENT" not in _client_token_roles(
        mosip_sandbox, "mosip-crvs1-client", "s3cret"
    )


def test_mapping_an_unknown_role_is_not_found(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    user_id = requests.get(
        mosip_sandbox.url + ADMIN + "/users",
        params={"username": config.MOSIP_ADMIN_USER, "exact": "true"},
        headers=headers,
        timeout=5,
    ).json()[0]["id"]
    response = requests.post(
        f"{mosip_sandbox.url}{ADMIN}/users/{user_id}/role-mappings/realm",
        json=[{"name": "NO_SUCH_ROLE"}],
        headers=headers,
        timeout=5,
    )
    assert response.status_code == 404


def _create_officer(sandbox, headers, temporary=False):
    return requests.post(
        sandbox.url + ADMIN + "/users",
        json={
            "username": "crvs.officer1",
            "enabled": True,
            "firstName": "CRVS",
            "lastName": "Officer",
            "credentials": [
                {"type": "password", "value": "officer-pw", "temporary": temporary}
            ],
        },
        headers=headers,
        timeout=5,
    )


def _officer_password_grant(sandbox, password="officer-pw"):
    return requests.post(
        f"{sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
            "username": "crvs.officer1",
            "password": password,
        },
        timeout=5,
    )


def test_an_officer_user_is_created_found_and_carries_its_roles(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    created = _create_officer(mosip_sandbox, headers)
    assert created.status_code == 201
    assert _create_officer(mosip_sandbox, headers).status_code == 409
    found = requests.get(
        mosip_sandbox.url + ADMIN + "/users",
        params={"username": "crvs.officer1"},
        headers=headers,
        timeout=5,
    ).json()
    assert [u["username"] for u in found] == ["crvs.officer1"]
    assert created.headers["Location"].endswith("/users/" + found[0]["id"])
    requests.post(
        f"{mosip_sandbox.url}{ADMIN}/users/{found[0]['id']}/role-mappings/realm",
        json=[{"name": "REGISTRATION_OFFICER"}],
        headers=headers,
        timeout=5,
    )
    token = _officer_password_grant(mosip_sandbox).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["preferred_username"] == "crvs.officer1"
    assert "REGISTRATION_OFFICER" in claims["realm_access"]["roles"]


def test_a_temporary_password_blocks_sign_in_until_reset(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    _create_officer(mosip_sandbox, headers, temporary=True)
    assert _officer_password_grant(mosip_sandbox).json()["error"] == "invalid_grant"
    user_id = requests.get(
        mosip_sandbox.url + ADMIN + "/users",
        params={"username": "crvs.officer1"},
        headers=headers,
        timeout=5,
    ).json()[0]["id"]
    reset = requests.put(
        f"{mosip_sandbox.url}{ADMIN}/users/{user_id}/reset-password",
        json={"type": "password", "value": "new-pw", "temporary": False},
        headers=headers,
        timeout=5,
    )
    assert reset.status_code == 204
    assert _officer_password_grant(mosip_sandbox, "new-pw").status_code == 200


def test_a_client_update_turns_on_password_sign_in(mosip_sandbox):
    headers = _admin_headers(mosip_sandbox)
    assert _create_client(mosip_sandbox, headers).status_code == 201
    uuid_ = _client_uuid(mosip_sandbox, headers, "mosip-crvs1-client")
    requests.post(
        f"{mosip_sandbox.url}{ADMIN}/users",
        json={"username": "mosip-crvs1-client", "enabled": True,
              "credentials": [{"type": "password", "value": "pw", "temporary": False}]},
        headers=headers, timeout=5,
    )  # fmt: skip
    token_url = f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token"
    form = {"grant_type": "password", "client_id": "mosip-crvs1-client",
            "client_secret": "s3cret", "username": "mosip-crvs1-client", "password": "pw"}  # fmt: skip
    refused = requests.post(token_url, data=form, timeout=5)
    assert refused.json()["error"] == "unauthorized_client"

    updated = requests.put(
        f"{mosip_sandbox.url}{ADMIN}/clients/{uuid_}",
        json={"directAccessGrantsEnabled": True}, headers=headers, timeout=5,
    )  # fmt: skip

    assert updated.status_code == 204
    client = requests.get(
        f"{mosip_sandbox.url}{ADMIN}/clients/{uuid_}", headers=headers, timeout=5
    ).json()
    assert client["directAccessGrantsEnabled"] is True
    assert client["serviceAccountsEnabled"] is True
    token = requests.post(token_url, data=form, timeout=5).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["preferred_username"] == "mosip-crvs1-client"
    assert claims["azp"] == "mosip-crvs1-client"
