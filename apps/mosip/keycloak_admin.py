"""Keycloak Admin REST, the subset onboarding needs in realm `mosip`
(docs/mosip/onboarding-websub.md §1.5; Keycloak 16 with the `/auth` prefix).

Unlike MOSIP's services, Keycloak's admin API takes `Authorization: Bearer` with a
master-realm admin token (password grant on `admin-cli`). The admin's password is
held only by the `KeycloakAdmin` object for its lifetime (one wizard step) and
never stored or logged. MOSIP roles are realm roles: client roles never reach
`realm_access` and MOSIP would not see them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from apps.mosip import auth, transport
from apps.mosip.config import DEFAULT_TIMEOUT
from apps.mosip.errors import (
    MosipAuthError,
    MosipBadResponse,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)


@dataclass(eq=False)
class KeycloakAdmin:
    """An authenticated admin session on one Keycloak, managing `realm`."""

    keycloak_url: str
    username: str
    password: str = field(repr=False)
    realm: str = "mosip"
    timeout: transport.Timeout = DEFAULT_TIMEOUT
    admin_realm: str = "master"
    admin_client_id: str = "admin-cli"
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    _token: auth.Token | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def token(self, renew: bool = False) -> auth.Token:
        with self._lock:
            if renew or self._token is None or self._token.expires_within(10):
                self._token = auth.keycloak_password_token(
                    self.session,
                    keycloak_url=self.keycloak_url,
                    realm=self.admin_realm,
                    client_id=self.admin_client_id,
                    username=self.username,
                    password=self.password,
                    timeout=self.timeout,
                )
            return self._token

    def url(self, path: str) -> str:
        return f"{self.keycloak_url}/admin/realms/{self.realm}{path}"


def connect(
    keycloak_url: str,
    username: str,
    password: str,
    *,
    realm: str = "mosip",
    timeout: transport.Timeout = DEFAULT_TIMEOUT,
) -> KeycloakAdmin:
    """Sign in as a Keycloak admin (master realm, `admin-cli`); MosipAuthError on
    wrong credentials. `keycloak_url` includes the `/auth` prefix where used."""
    admin = KeycloakAdmin(
        keycloak_url=keycloak_url.rstrip("/"),
        username=username,
        password=password,
        realm=realm,
        timeout=timeout,
    )
    admin.token()
    return admin


def _send(
    admin: KeycloakAdmin, method: str, path: str, **kwargs: Any
) -> requests.Response:
    """One admin call with the Bearer token; renewed once on 401."""
    for attempt in (1, 2):
        token = admin.token(renew=attempt == 2)
        response = transport.send(
            admin.session,
            method,
            admin.url(path),
            headers={"Authorization": f"Bearer {token.value}"},
            timeout=admin.timeout,
            **kwargs,
        )
        if response.status_code != 401:
            break
    status = response.status_code
    if status < 300 or status in (404, 409):
        return response
    if status == 401:
        raise MosipAuthError("Keycloak refused the admin token", http_status=401)
    if status == 403:
        raise MosipForbidden(
            "the Keycloak user may not administer this realm", http_status=403
        )
    if status == 429 or status >= 500:
        raise MosipUnavailable(f"Keycloak answered HTTP {status}", http_status=status)
    raise MosipRejected(
        f"Keycloak refused the request (HTTP {status}): {_message(response)}",
        code=f"KEYCLOAK-{status}",
        http_status=status,
    )


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        return str(body.get("errorMessage") or body.get("error") or "")
    return ""


def _json(response: requests.Response) -> Any:
    return transport.json_body(response)


def _not_found(response: requests.Response, what: str) -> None:
    if response.status_code == 404:
        raise MosipRejected(
            f"Keycloak has no {what}: {_message(response)}",
            code="KEYCLOAK-404",
            http_status=404,
        )


def _conflict(response: requests.Response, what: str) -> None:
    if response.status_code == 409:
        raise MosipRejected(
            f"{what} already exists in Keycloak",
            code="KEYCLOAK-409",
            http_status=409,
        )


# Realm roles ------------------------------------------------------------------------


def role_get(admin: KeycloakAdmin, name: str) -> dict | None:
    """GET /roles/{name}; None when the realm has no such role."""
    response = _send(admin, "GET", f"/roles/{quote(name, safe='')}")
    return None if response.status_code == 404 else _json(response)


def role_create(admin: KeycloakAdmin, name: str, description: str = "") -> None:
    """POST /roles; MosipRejected KEYCLOAK-409 when it exists."""
    response = _send(
        admin, "POST", "/roles", json={"name": name, "description": description}
    )
    _conflict(response, f"Role {name}")


def role_ensure(admin: KeycloakAdmin, name: str, description: str = "") -> dict:
    """The realm role, created first when missing."""
    found = role_get(admin, name)
    if found is None:
        try:
            role_create(admin, name, description)
        except MosipRejected as exc:
            if exc.code != "KEYCLOAK-409":
                raise
        found = role_get(admin, name)
    if found is None:
        raise MosipBadResponse(f"Keycloak did not keep the role {name}")
    return found


# Clients ----------------------------------------------------------------------------


def client_find(admin: KeycloakAdmin, client_id: str) -> dict | None:
    """GET /clients?clientId=: the client's representation (with its uuid `id`)."""
    response = _send(admin, "GET", "/clients", params={"clientId": client_id})
    found = [c for c in _json(response) or [] if c.get("clientId") == client_id]
    return found[0] if found else None


def client_create(
    admin: KeycloakAdmin,
    client_id: str,
    *,
    secret: str | None = None,
    description: str = "",
    direct_access_grants: bool = False,
) -> dict:
    """POST /clients: a confidential client with its service account on (as
    keycloak-init creates MOSIP's clients). MosipRejected KEYCLOAK-409 when it
    exists. Returns the created representation."""
    body: dict[str, Any] = {
        "clientId": client_id,
        "description": description,
        "protocol": "openid-connect",
        "publicClient": False,
        "serviceAccountsEnabled": True,
        "standardFlowEnabled": False,
        "directAccessGrantsEnabled": direct_access_grants,
        "redirectUris": ["*"],
        "enabled": True,
    }
    if secret:
        body["secret"] = secret
    response = _send(admin, "POST", "/clients", json=body)
    _conflict(response, f"Client {client_id}")
    found = client_find(admin, client_id)
    if found is None:
        raise MosipBadResponse(f"Keycloak did not keep the client {client_id}")
    return found


def client_update(admin: KeycloakAdmin, client_uuid: str, changes: dict) -> None:
    """PUT /clients/{id} with the fields to change (Keycloak keeps the others),
    e.g. {"directAccessGrantsEnabled": True} so a user can sign in through it."""
    response = _send(admin, "PUT", f"/clients/{client_uuid}", json=changes)
    _not_found(response, "such client")


def client_secret_get(admin: KeycloakAdmin, client_uuid: str) -> str:
    """GET /clients/{uuid}/client-secret."""
    response = _send(admin, "GET", f"/clients/{client_uuid}/client-secret")
    _not_found(response, "such client")
    return str((_json(response) or {}).get("value") or "")


def client_secret_regenerate(admin: KeycloakAdmin, client_uuid: str) -> str:
    """POST /clients/{uuid}/client-secret: a new secret; the old one stops working
    at once."""
    response = _send(admin, "POST", f"/clients/{client_uuid}/client-secret")
    _not_found(response, "such client")
    return str((_json(response) or {}).get("value") or "")


def service_account_user(admin: KeycloakAdmin, client_uuid: str) -> dict:
    """GET /clients/{uuid}/service-account-user: the user whose realm roles the
    client's tokens carry (`service-account-<clientId>`)."""
    response = _send(admin, "GET", f"/clients/{client_uuid}/service-account-user")
    _not_found(response, "such client")
    return _json(response)


# Users ------------------------------------------------------------------------------


def user_find(admin: KeycloakAdmin, username: str) -> dict | None:
    """GET /users?username=&exact=true."""
    response = _send(
        admin, "GET", "/users", params={"username": username, "exact": "true"}
    )
    wanted = username.lower()
    found = [u for u in _json(response) or [] if u.get("username") == wanted]
    return found[0] if found else None


def user_create(
    admin: KeycloakAdmin,
    username: str,
    password: str,
    *,
    first_name: str = "",
    last_name: str = "",
    email: str | None = None,
    temporary: bool = False,
) -> dict:
    """POST /users: an enabled user with a password (e.g. the default officer).
    MosipRejected KEYCLOAK-409 when the username is taken. Returns the user."""
    body: dict[str, Any] = {
        "username": username,
        "enabled": True,
        "firstName": first_name,
        "lastName": last_name,
        "credentials": [
            {"type": "password", "value": password, "temporary": temporary}
        ],
    }
    if email:
        body["email"] = email
    response = _send(admin, "POST", "/users", json=body)
    _conflict(response, f"User {username}")
    found = user_find(admin, username)
    if found is None:
        raise MosipBadResponse(f"Keycloak did not keep the user {username}")
    return found


def user_password_set(
    admin: KeycloakAdmin, user_id: str, password: str, *, temporary: bool = False
) -> None:
    """PUT /users/{id}/reset-password."""
    response = _send(
        admin,
        "PUT",
        f"/users/{user_id}/reset-password",
        json={"type": "password", "value": password, "temporary": temporary},
    )
    _not_found(response, "such user")


def realm_roles_of(admin: KeycloakAdmin, user_id: str) -> list[str]:
    """GET /users/{id}/role-mappings/realm: names of the user's realm roles."""
    response = _send(admin, "GET", f"/users/{user_id}/role-mappings/realm")
    _not_found(response, "such user")
    return [str(r.get("name")) for r in _json(response) or []]


def realm_roles_assign(admin: KeycloakAdmin, user_id: str, names: list[str]) -> None:
    """POST /users/{id}/role-mappings/realm with each role's id and name (mapping
    a role twice changes nothing). MosipRejected KEYCLOAK-404 for an unknown role."""
    roles = []
    for name in names:
        role = role_get(admin, name)
        if role is None:
            raise MosipRejected(
                f"Keycloak has no realm role {name}", code="KEYCLOAK-404"
            )
        roles.append({"id": role.get("id"), "name": role.get("name")})
    response = _send(admin, "POST", f"/users/{user_id}/role-mappings/realm", json=roles)
    _not_found(response, "such user or role")
