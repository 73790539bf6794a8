"""Keycloak 16 Admin REST API, the subset an integration needs for realm `mosip`
(docs/mosip/onboarding-websub.md §1.5). Unlike MOSIP's services, Keycloak's admin API takes the
token from `Authorization: Bearer`, and it must come from the `master` realm."""

import json
import secrets
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import tokens
from apps.mosip_sandbox.keycloak_admin import realm

ADMIN_ROLE = "admin"


def _error(status: int, message: str, key: str = "error") -> JsonResponse:
    return JsonResponse({key: message}, status=status)


def _created(request, location_tail: str) -> HttpResponse:
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(
        request.path.rstrip("/") + "/" + location_tail
    )
    return response


def _no_content() -> HttpResponse:
    return HttpResponse(status=204)


def _body(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def admin_api(methods: tuple[str, ...]):
    """Bearer token of a master-realm admin, realm `mosip`, allowed methods."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, realm_name, *args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                return _error(401, "HTTP 401 Unauthorized")
            try:
                claims = tokens.verify(token.strip(), realm="master")
            except tokens.InvalidToken:
                return _error(401, "HTTP 401 Unauthorized")
            if ADMIN_ROLE not in claims.get("realm_access", {}).get("roles", []):
                return _error(403, "HTTP 403 Forbidden")
            if realm_name != realm.REALM:
                return _error(404, "Realm not found.")
            if request.method not in methods:
                return _error(405, "HTTP 405 Method Not Allowed")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Roles ------------------------------------------------------------------------------


@admin_api(("GET", "POST"))
def roles(request):
    if request.method == "GET":
        return JsonResponse(realm.list_roles(), safe=False)
    body = _body(request)
    if not isinstance(body, dict) or not body.get("name"):
        return _error(400, "Role name is missing", key="errorMessage")
    if realm.create_role(body["name"], body.get("description", "")) is None:
        return _error(
            409, f"Role with name {body['name']} already exists", key="errorMessage"
        )
    return _created(request, body["name"])


@admin_api(("GET",))
def role(request, name):
    found = realm.get_role(name)
    return JsonResponse(found) if found else _error(404, "Could not find role")


# Clients ----------------------------------------------------------------------------


@admin_api(("GET", "POST"))
def clients(request):
    if request.method == "GET":
        wanted = request.GET.get("clientId")
        listed = [
            realm.client_representation(c)
            for c in realm.list_clients()
            if wanted is None or c["clientId"] == wanted
        ]
        return JsonResponse(listed, safe=False)
    body = _body(request)
    if not isinstance(body, dict) or not body.get("clientId"):
        return _error(400, "Client id is missing", key="errorMessage")
    created = realm.create_client(body)
    if created is None:
        return _error(
            409, f"Client {body['clientId']} already exists", key="errorMessage"
        )
    return _created(request, created["id"])


def _client_or_404(client_uuid):
    client = realm.get_client_by_id(client_uuid)
    return client, (None if client else _error(404, "Could not find client"))


# Fields PUT /clients/{id} changes (Keycloak merges the representation it is given).
_UPDATABLE = (
    "enabled",
    "standardFlowEnabled",
    "directAccessGrantsEnabled",
    "serviceAccountsEnabled",
    "redirectUris",
    "description",
    "name",
)


@admin_api(("GET", "PUT"))
def client(request, client_uuid):
    found, missing = _client_or_404(client_uuid)
    if missing:
        return missing
    if request.method == "PUT":
        body = _body(request)
        if not isinstance(body, dict):
            return _error(400, "unknown_error")
        found.update({k: body[k] for k in _UPDATABLE if k in body})
        realm.save_client(found)
        return _no_content()
    return JsonResponse(realm.client_representation(found))


@admin_api(("GET", "POST"))
def client_secret(request, client_uuid):
    found, missing = _client_or_404(client_uuid)
    if missing:
        return missing
    if found["publicClient"]:
        return _error(400, "unknown_error")
    if request.method == "POST":
        # Regenerating invalidates the old secret at once, as in Keycloak.
        found["secret"] = secrets.token_urlsafe(24)
        realm.save_client(found)
    return JsonResponse({"type": "secret", "value": found["secret"]})


@admin_api(("GET",))
def client_service_account_user(request, client_uuid):
    found, missing = _client_or_404(client_uuid)
    if missing:
        return missing
    user = realm.service_account_user(found)
    if not found["serviceAccountsEnabled"] or user is None:
        return _error(
            400, f"Service account not enabled for the client '{found['clientId']}'"
        )
    return JsonResponse(realm.user_representation(user))


# Users ------------------------------------------------------------------------------


def _password_credential(credentials) -> tuple[str | None, bool] | None:
    """(password, temporary) from a credentials list; None when malformed."""
    if credentials is None:
        return None, False
    if not isinstance(credentials, list):
        return None
    for credential in credentials:
        if not isinstance(credential, dict):
            return None
        if credential.get("type", "password") == "password":
            value = credential.get("value")
            if not isinstance(value, str) or not value:
                return None
            return value, bool(credential.get("temporary", False))
    return None, False


@admin_api(("GET", "POST"))
def users(request):
    if request.method == "GET":
        return _search_users(request)
    body = _body(request)
    if not isinstance(body, dict) or not body.get("username"):
        return _error(400, "User name is missing", key="errorMessage")
    credential = _password_credential(body.get("credentials"))
    if credential is None:
        return _error(400, "Invalid credentials", key="errorMessage")
    password, temporary = credential
    # Keycloak ignores `realmRoles` on create: roles are mapped separately.
    created = realm.create_user(
        str(body["username"]),
        password=password,
        temporary=temporary,
        enabled=bool(body.get("enabled", False)),
        email=body.get("email"),
        first_name=body.get("firstName"),
        last_name=body.get("lastName"),
    )
    if created is None:
        return _error(409, "User exists with same username", key="errorMessage")
    return _created(request, created["id"])


def _search_users(request):
    wanted = request.GET.get("username") or request.GET.get("search")
    exact = request.GET.get("exact") == "true"
    found = []
    for user in realm.list_users():
        if user.get("serviceAccountClientId"):
            continue  # Keycloak leaves service accounts out of user searches.
        name = user["username"]
        if wanted is None or (
            name == wanted.lower() if exact else wanted.lower() in name
        ):
            found.append(realm.user_representation(user))
    return JsonResponse(found, safe=False)


def _user_or_404(user_id):
    user = realm.get_user_by_id(user_id)
    return user, (None if user else _error(404, "User not found"))


@admin_api(("GET",))
def user(request, user_id):
    found, missing = _user_or_404(user_id)
    return missing or JsonResponse(realm.user_representation(found))


@admin_api(("PUT",))
def reset_password(request, user_id):
    found, missing = _user_or_404(user_id)
    if missing:
        return missing
    body = _body(request)
    value = body.get("value") if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        return _error(400, "missing password", key="errorMessage")
    found["password"] = value
    found["temporaryPassword"] = bool(body.get("temporary", True))
    realm.save_user(found)
    return _no_content()


@admin_api(("GET", "POST", "DELETE"))
def realm_role_mappings(request, user_id):
    found, missing = _user_or_404(user_id)
    if missing:
        return missing
    if request.method == "GET":
        mapped = [realm.get_role(name) for name in found["roles"]]
        return JsonResponse([r for r in mapped if r], safe=False)
    body = _body(request)
    if not isinstance(body, list) or not all(isinstance(r, dict) for r in body):
        return _error(400, "unknown_error")
    names = []
    for item in body:
        # Keycloak resolves each entry by its name.
        known = realm.get_role(str(item.get("name", "")))
        if known is None:
            return _error(404, "Role not found")
        names.append(known["name"])
    held = set(found["roles"])
    found["roles"] = sorted(
        held | set(names) if request.method == "POST" else held - set(names)
    )
    realm.save_user(found)
    return _no_content()
