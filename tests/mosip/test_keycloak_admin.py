"""Keycloak Admin REST: Bearer token from the master realm, 404/409 handling."""

import json

import pytest

from apps.mosip import keycloak_admin
from apps.mosip.errors import MosipAuthError, MosipRejected
from tests.mosip.helpers import make_jwt

KC = "https://iam.test/auth"
MASTER = f"{KC}/realms/master/protocol/openid-connect/token"
ADMIN = f"{KC}/admin/realms/mosip"


@pytest.fixture
def admin(mocked):
    mocked.post(MASTER, json={"access_token": make_jwt(lifetime=60)})
    return keycloak_admin.connect(KC, "admin", "kc-admin-password")


def test_connect_uses_the_password_grant_on_admin_cli(mocked):
    call = mocked.post(MASTER, json={"access_token": make_jwt()})
    keycloak_admin.connect(KC, "admin", "pw")
    assert b"client_id=admin-cli" in call.calls[0].request.body.encode()
    assert "pw" not in repr(keycloak_admin.connect(KC, "admin", "pw"))


def test_connect_with_wrong_password_is_an_auth_error(mocked):
    mocked.post(MASTER, status=401, json={"error": "invalid_grant"})
    with pytest.raises(MosipAuthError):
        keycloak_admin.connect(KC, "admin", "wrong")


def test_role_ensure_creates_a_missing_role(mocked, admin):
    mocked.get(
        f"{ADMIN}/roles/ONLINE_REGISTRATION_CLIENT",
        status=404,
        json={"error": "Could not find role"},
    )
    create = mocked.post(f"{ADMIN}/roles", status=201)
    mocked.get(
        f"{ADMIN}/roles/ONLINE_REGISTRATION_CLIENT",
        json={"id": "r1", "name": "ONLINE_REGISTRATION_CLIENT"},
    )
    role = keycloak_admin.role_ensure(admin, "ONLINE_REGISTRATION_CLIENT", "CRVS")
    assert role["id"] == "r1"
    request = create.calls[0].request
    assert request.headers["Authorization"].startswith("Bearer ")
    assert json.loads(request.body) == {
        "name": "ONLINE_REGISTRATION_CLIENT",
        "description": "CRVS",
    }


def test_client_create_conflict_is_rejected(mocked, admin):
    mocked.post(f"{ADMIN}/clients", status=409, json={"errorMessage": "exists"})
    with pytest.raises(MosipRejected) as caught:
        keycloak_admin.client_create(admin, "crvs-client")
    assert caught.value.code == "KEYCLOAK-409"


def test_client_create_makes_a_confidential_service_account_client(mocked, admin):
    call = mocked.post(f"{ADMIN}/clients", status=201)
    mocked.get(f"{ADMIN}/clients", json=[{"id": "u-1", "clientId": "crvs-client"}])
    assert (
        keycloak_admin.client_create(admin, "crvs-client", secret="s3")["id"] == "u-1"
    )
    body = json.loads(call.calls[0].request.body)
    assert body["publicClient"] is False and body["serviceAccountsEnabled"] is True
    assert body["secret"] == "s3"


def test_realm_roles_assign_sends_ids_and_names(mocked, admin):
    mocked.get(
        f"{ADMIN}/roles/REGISTRATION_OFFICER",
        json={"id": "r9", "name": "REGISTRATION_OFFICER"},
    )
    call = mocked.post(f"{ADMIN}/users/u-7/role-mappings/realm", status=204)
    keycloak_admin.realm_roles_assign(admin, "u-7", ["REGISTRATION_OFFICER"])
    assert json.loads(call.calls[0].request.body) == [
        {"id": "r9", "name": "REGISTRATION_OFFICER"}
    ]


def test_an_unknown_role_is_rejected_before_mapping(mocked, admin):
    mocked.get(f"{ADMIN}/roles/NOPE", status=404, json={"error": "Could not find role"})
    with pytest.raises(MosipRejected, match="NOPE"):
        keycloak_admin.realm_roles_assign(admin, "u-7", ["NOPE"])


def test_an_expired_admin_token_is_renewed_once(mocked):
    first, second = make_jwt(lifetime=60), make_jwt(lifetime=60)
    mocked.post(MASTER, json={"access_token": first})
    mocked.post(MASTER, json={"access_token": second})
    admin = keycloak_admin.connect(KC, "admin", "pw")
    mocked.get(f"{ADMIN}/users", status=401, json={"error": "HTTP 401 Unauthorized"})
    mocked.get(f"{ADMIN}/users", json=[{"id": "u-1", "username": "crvs.officer1"}])
    assert keycloak_admin.user_find(admin, "crvs.officer1")["id"] == "u-1"
    bearers = [
        c.request.headers["Authorization"]
        for c in mocked.calls
        if "/users" in c.request.url
    ]
    assert bearers == [f"Bearer {first}", f"Bearer {second}"]
