"""Realm `mosip` as Keycloak keeps it: realm roles, clients, users.

Documents (store collections named in store.py):
- `kc_roles`, key = role name: {id, name, description, composite, clientRole, containerId}
- `kc_clients`, key = clientId: {id, clientId, secret, enabled, publicClient,
  serviceAccountsEnabled, directAccessGrantsEnabled, standardFlowEnabled, protocol,
  redirectUris, serviceAccountUser, roles}; `roles` mirrors the realm roles mapped
  to the service-account user.
- `kc_users`, key = username: {id, username, password, temporaryPassword, enabled,
  roles, email, firstName, lastName, serviceAccountClientId, createdTimestamp}.
Every document carries a Keycloak-style UUID `id`; the admin API addresses by it.
"""

import hmac
import time
import uuid
from typing import Any

from apps.mosip_sandbox import config, seed
from apps.mosip_sandbox.store import get_store

REALM = "mosip"
SERVICE_ACCOUNT_PREFIX = "service-account-"


def _new_id() -> str:
    return str(uuid.uuid4())


# Roles ------------------------------------------------------------------------------


def get_role(name: str) -> dict[str, Any] | None:
    return get_store().get("kc_roles", name)


def list_roles() -> list[dict[str, Any]]:
    return get_store().all("kc_roles")


def create_role(name: str, description: str = "") -> dict[str, Any] | None:
    """The new role, or None when one of that name exists."""
    doc = {
        "id": _new_id(),
        "name": name,
        "description": description,
        "composite": False,
        "clientRole": False,
        "containerId": REALM,
    }
    return doc if get_store().insert("kc_roles", name, doc) else None


# Users ------------------------------------------------------------------------------


def get_user(username: str) -> dict[str, Any] | None:
    return get_store().get("kc_users", username.lower())


def get_user_by_id(user_id: str) -> dict[str, Any] | None:
    found = get_store().find("kc_users", id=user_id)
    return found[0] if found else None


def list_users() -> list[dict[str, Any]]:
    return get_store().all("kc_users")


def create_user(
    username: str,
    *,
    password: str | None = None,
    temporary: bool = False,
    enabled: bool = True,
    roles: list[str] | None = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    service_account_client_id: str | None = None,
) -> dict[str, Any] | None:
    """The new user, or None when the username is taken. Keycloak lower-cases
    usernames."""
    username = username.lower()
    doc = {
        "id": _new_id(),
        "username": username,
        "password": password,
        "temporaryPassword": temporary,
        "enabled": enabled,
        "roles": sorted(set(roles or [])),
        "email": email,
        "firstName": first_name,
        "lastName": last_name,
        "serviceAccountClientId": service_account_client_id,
        "createdTimestamp": int(time.time() * 1000),
    }
    return doc if get_store().insert("kc_users", username, doc) else None


def save_user(user: dict[str, Any]) -> None:
    store = get_store()
    with store.transaction():
        store.put("kc_users", user["username"], user)
        client_id = user.get("serviceAccountClientId")
        client = store.get("kc_clients", client_id) if client_id else None
        if client is not None:
            client["roles"] = user["roles"]
            store.put("kc_clients", client_id, client)


def password_matches(user: dict[str, Any], password: str) -> bool:
    stored = user.get("password")
    return bool(stored) and hmac.compare_digest(stored.encode(), password.encode())


def user_representation(user: dict[str, Any]) -> dict[str, Any]:
    """The user as Keycloak's admin API shows it (no credentials)."""
    rep = {
        "id": user["id"],
        "createdTimestamp": user["createdTimestamp"],
        "username": user["username"],
        "enabled": user["enabled"],
        "totp": False,
        "emailVerified": False,
        "disableableCredentialTypes": [],
        "requiredActions": ["UPDATE_PASSWORD"] if user.get("temporaryPassword") else [],
        "notBefore": 0,
        "access": {
            "manageGroupMembership": True,
            "view": True,
            "mapRoles": True,
            "impersonate": True,
            "manage": True,
        },
    }
    for field in ("email", "firstName", "lastName"):
        if user.get(field):
            rep[field] = user[field]
    if user.get("serviceAccountClientId"):
        client = get_client(user["serviceAccountClientId"])
        if client:
            rep["serviceAccountClientId"] = client["id"]
    return rep


def token_roles(user: dict[str, Any]) -> list[str]:
    """Realm roles a token for this user carries: its mappings plus Keycloak's defaults."""
    return sorted(set(user.get("roles", [])) | set(config.KEYCLOAK_DEFAULT_ROLES))


# Clients ----------------------------------------------------------------------------


def get_client(client_id: str) -> dict[str, Any] | None:
    return get_store().get("kc_clients", client_id)


def get_client_by_id(uuid_: str) -> dict[str, Any] | None:
    found = get_store().find("kc_clients", id=uuid_)
    return found[0] if found else None


def list_clients() -> list[dict[str, Any]]:
    return get_store().all("kc_clients")


def create_client(rep: dict[str, Any]) -> dict[str, Any] | None:
    """Create a client (and its service-account user when service accounts are on);
    None when the clientId is taken."""
    client_id = rep["clientId"]
    public = bool(rep.get("publicClient", False))
    service_accounts = bool(rep.get("serviceAccountsEnabled", False)) and not public
    doc = {
        "id": _new_id(),
        "clientId": client_id,
        "name": rep.get("name", ""),
        "secret": None if public else (rep.get("secret") or str(uuid.uuid4())),
        "enabled": bool(rep.get("enabled", True)),
        "publicClient": public,
        "serviceAccountsEnabled": service_accounts,
        "directAccessGrantsEnabled": bool(rep.get("directAccessGrantsEnabled", False)),
        "standardFlowEnabled": bool(rep.get("standardFlowEnabled", True)),
        "protocol": rep.get("protocol", "openid-connect"),
        "redirectUris": list(rep.get("redirectUris", [])),
        "serviceAccountUser": None,
        "roles": [],
    }
    store = get_store()
    with store.transaction():
        if not store.insert("kc_clients", client_id, doc):
            return None
        if service_accounts:
            account = SERVICE_ACCOUNT_PREFIX + client_id
            user = create_user(account, service_account_client_id=client_id)
            if user is None:  # a stale account of a deleted client of that name
                user = get_user(account)
                user["serviceAccountClientId"] = client_id
                store.put("kc_users", user["username"], user)
            doc["serviceAccountUser"] = user["username"]
            doc["roles"] = user["roles"]
            store.put("kc_clients", client_id, doc)
    return doc


def save_client(client: dict[str, Any]) -> None:
    get_store().put("kc_clients", client["clientId"], client)


def service_account_user(client: dict[str, Any]) -> dict[str, Any] | None:
    name = client.get("serviceAccountUser")
    return get_user(name) if name else None


def client_representation(client: dict[str, Any]) -> dict[str, Any]:
    """The client as Keycloak's admin API lists it (the secret only via client-secret)."""
    return {
        "id": client["id"],
        "clientId": client["clientId"],
        "name": client.get("name", ""),
        "surrogateAuthRequired": False,
        "enabled": client["enabled"],
        "alwaysDisplayInConsole": False,
        "clientAuthenticatorType": "client-secret",
        "redirectUris": client.get("redirectUris", []),
        "webOrigins": [],
        "notBefore": 0,
        "bearerOnly": False,
        "consentRequired": False,
        "standardFlowEnabled": client["standardFlowEnabled"],
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": client["directAccessGrantsEnabled"],
        "serviceAccountsEnabled": client["serviceAccountsEnabled"],
        "publicClient": client["publicClient"],
        "frontchannelLogout": False,
        "protocol": client.get("protocol", "openid-connect"),
        "attributes": {},
        "fullScopeAllowed": True,
        "nodeReRegistrationTimeout": -1,
        "defaultClientScopes": ["web-origins", "roles", "profile", "email"],
        "optionalClientScopes": [
            "address",
            "phone",
            "offline_access",
            "microprofile-jwt",
        ],
        "access": {"view": True, "configure": True, "manage": True},
    }


# Default state ------------------------------------------------------------------------


@seed.register
def seed_realm() -> None:
    for name in config.MOSIP_REALM_ROLES + config.KEYCLOAK_DEFAULT_ROLES:
        create_role(name)
    if get_client(config.MOSIP_ADMIN_CLIENT_ID) is None:
        create_client(
            {
                "clientId": config.MOSIP_ADMIN_CLIENT_ID,
                "secret": config.MOSIP_ADMIN_CLIENT_SECRET,
                "publicClient": False,
                "serviceAccountsEnabled": True,
                "directAccessGrantsEnabled": True,
                "standardFlowEnabled": True,
                "redirectUris": ["*"],
            }
        )
        account = service_account_user(get_client(config.MOSIP_ADMIN_CLIENT_ID))
        account["roles"] = ["GLOBAL_ADMIN", "ZONAL_ADMIN", "MASTERDATA_ADMIN"]
        save_user(account)
    if get_user(config.MOSIP_ADMIN_USER) is None:
        create_user(
            config.MOSIP_ADMIN_USER,
            password=config.MOSIP_ADMIN_PASSWORD,
            roles=["GLOBAL_ADMIN", "ZONAL_ADMIN"],
            first_name="Global",
            last_name="Admin",
            email=f"{config.MOSIP_ADMIN_USER}@sandbox.invalid",
        )
    if get_user(config.PARTNER_ADMIN_USER) is None:
        create_user(
            config.PARTNER_ADMIN_USER,
            password=config.PARTNER_ADMIN_PASSWORD,
            roles=["PARTNER_ADMIN", "POLICYMANAGER"],
            first_name="Partner",
            last_name="Admin",
        )
