"""Keycloak's token endpoint and MOSIP's authmanager (docs/mosip/onboarding-websub.md §1,
docs/mosip/packet-api.md §2)."""

import base64
import binascii
import hmac
from urllib.parse import unquote

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import config, envelope, security, tokens
from apps.mosip_sandbox.keycloak_admin import realm

MASTER_ADMIN_ROLES = ["admin", "create-realm", "offline_access", "uma_authorization"]


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    return JsonResponse(
        {"error": error, "error_description": description}, status=status
    )


def _client_credentials(request) -> tuple[str | None, str | None]:
    """client_id / client_secret from the form or from HTTP Basic, as Keycloak allows."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip()).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return request.POST.get("client_id"), request.POST.get("client_secret")


def _token_response(token: str, *, with_refresh: bool) -> JsonResponse:
    body = {
        "access_token": token,
        "expires_in": config.ACCESS_TOKEN_LIFESPAN_SECONDS,
        "refresh_expires_in": 1800 if with_refresh else 0,
        "token_type": "Bearer",
        "not-before-policy": 0,
        "scope": "profile email",
    }
    return JsonResponse(
        body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"}
    )


def _check_form(request) -> JsonResponse | None:
    if request.method != "POST":
        return JsonResponse({"error": "HTTP 405 Method Not Allowed"}, status=405)
    if not request.content_type == "application/x-www-form-urlencoded":
        return _oauth_error(
            400, "invalid_request", "Missing form parameter: grant_type"
        )
    if not request.POST.get("grant_type"):
        return _oauth_error(
            400, "invalid_request", "Missing form parameter: grant_type"
        )
    return None


@csrf_exempt
def mosip_token(request):
    """POST /auth/realms/mosip/protocol/openid-connect/token (form-encoded)."""
    problem = _check_form(request)
    if problem:
        return problem
    client_id, secret = _client_credentials(request)
    client = realm.get_client(client_id) if client_id else None
    if client is None:
        return _oauth_error(401, "invalid_client", "Invalid client credentials")
    if not client["enabled"]:
        return _oauth_error(401, "invalid_client", "Invalid client credentials")
    if not client["publicClient"]:
        if not secret or not hmac.compare_digest(
            secret.encode(), (client["secret"] or "").encode()
        ):
            return _oauth_error(401, "unauthorized_client", "Invalid client secret")
    grant = request.POST["grant_type"]
    issuer = request.build_absolute_uri("/")
    if grant == "client_credentials":
        account = realm.service_account_user(client)
        if (
            client["publicClient"]
            or not client["serviceAccountsEnabled"]
            or not account
        ):
            return _oauth_error(
                400,
                "unauthorized_client",
                "Client not enabled to retrieve service account",
            )
        token = tokens.issue(
            issuer_base=issuer,
            azp=client["clientId"],
            preferred_username=account["username"],
            roles=realm.token_roles(account),
            clientHost=request.META.get("REMOTE_ADDR", "127.0.0.1"),
            clientAddress=request.META.get("REMOTE_ADDR", "127.0.0.1"),
        )
        return _token_response(token, with_refresh=False)
    if grant == "password":
        if not client["directAccessGrantsEnabled"]:
            return _oauth_error(
                400,
                "unauthorized_client",
                "Client not allowed for direct access grants",
            )
        user = realm.get_user(request.POST.get("username", ""))
        if (
            user is None
            or user.get("serviceAccountClientId")
            or not realm.password_matches(user, request.POST.get("password", ""))
        ):
            return _oauth_error(401, "invalid_grant", "Invalid user credentials")
        if not user["enabled"]:
            return _oauth_error(400, "invalid_grant", "Account disabled")
        if user.get("temporaryPassword"):
            return _oauth_error(400, "invalid_grant", "Account is not fully set up")
        token = tokens.issue(
            issuer_base=issuer,
            azp=client["clientId"],
            preferred_username=user["username"],
            roles=realm.token_roles(user),
            email=user.get("email"),
            name=" ".join(
                n for n in (user.get("firstName"), user.get("lastName")) if n
            ),
            clientId=None,
        )
        return _token_response(token, with_refresh=True)
    return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")


@csrf_exempt
def master_token(request):
    """POST /auth/realms/master/protocol/openid-connect/token: the Keycloak admin,
    password grant on the public client `admin-cli`."""
    problem = _check_form(request)
    if problem:
        return problem
    client_id, _ = _client_credentials(request)
    if client_id != config.KEYCLOAK_MASTER_ADMIN_CLIENT:
        return _oauth_error(401, "invalid_client", "Invalid client credentials")
    if request.POST["grant_type"] != "password":
        return _oauth_error(
            400, "unauthorized_client", "Client not enabled to retrieve service account"
        )
    username = request.POST.get("username", "")
    password = request.POST.get("password", "")
    if not (
        hmac.compare_digest(
            username.lower().encode(), config.KEYCLOAK_ADMIN_USER.lower().encode()
        )
        and hmac.compare_digest(
            password.encode(), config.KEYCLOAK_ADMIN_PASSWORD.encode()
        )
    ):
        return _oauth_error(401, "invalid_grant", "Invalid user credentials")
    token = tokens.issue(
        issuer_base=request.build_absolute_uri("/"),
        azp=config.KEYCLOAK_MASTER_ADMIN_CLIENT,
        preferred_username=config.KEYCLOAK_ADMIN_USER.lower(),
        roles=MASTER_ADMIN_ROLES,
        realm="master",
        # Keycloak's default admin token lifespan in the master realm.
        lifespan=60,
        clientId=None,
    )
    return _token_response(token, with_refresh=True)


@csrf_exempt
def unknown_realm_token(request, realm_name):
    return JsonResponse(
        {"error": "Realm does not exist", "error_description": "Realm does not exist"},
        status=404,
    )


# Authmanager ------------------------------------------------------------------------

_CLIENT_SECRET_OK = "Clientid and Token combination had been validated successfully"
_USER_PASSWORD_OK = "Username and password combination had been validated successfully"


def _authmanager_error(body, code: str, message: str, status: int = 200):
    # Authmanager copies id/version of the request into its error envelope.
    body = body if isinstance(body, dict) else {}
    return envelope.respond(
        id=body.get("id"),
        version=body.get("version"),
        errors=[envelope.error(code, message)],
        status=status,
    )


def _read_authmanager_request(request, fields: tuple[str, ...]):
    """(body, request dict) or (body, error response)."""
    if request.method != "POST":
        return None, JsonResponse({"error": "Method Not Allowed"}, status=405)
    try:
        body = envelope.read_json(request)
    except envelope.BadJson:
        return None, _authmanager_error(
            None, "KER-ATH-019", "request should not be null or empty"
        )
    inner = body.get("request") if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        return body, _authmanager_error(
            body, "KER-ATH-019", "request should not be null or empty"
        )
    for field in fields:
        if not isinstance(inner.get(field), str) or not inner[field].strip():
            return body, _authmanager_error(
                body, "KER-ATH-019", f"request.{field} should not be null or empty"
            )
    if inner["appId"].lower() not in config.AUTHMANAGER_APP_IDS:
        return body, _authmanager_error(
            body, "KER-ATH-026", f"Realm not found:: {inner['appId']}"
        )
    return body, inner


def _with_cookie(response, token: str):
    # The token travels only in this cookie, never in the body (§1.2).
    response["Set-Cookie"] = f"Authorization={token}; Path=/; HttpOnly; Secure"
    return response


@csrf_exempt
def authenticate_client(request):
    """POST /v1/authmanager/authenticate/clientidsecretkey."""
    body, inner = _read_authmanager_request(request, ("clientId", "secretKey", "appId"))
    if not isinstance(inner, dict):
        return inner
    client = realm.get_client(inner["clientId"])
    valid = (
        client is not None
        and client["enabled"]
        and not client["publicClient"]
        and client["serviceAccountsEnabled"]
        and hmac.compare_digest(
            inner["secretKey"].encode(), (client["secret"] or "").encode()
        )
    )
    if not valid:
        # Authmanager lets Keycloak's 401 escape to its catch-all handler: HTTP 500
        # with the RestTemplate message as the error (authmanager API docs).
        return _authmanager_error(body, "500", "401 Unauthorized", status=500)
    account = realm.service_account_user(client)
    token = tokens.issue(
        issuer_base=request.build_absolute_uri("/"),
        azp=client["clientId"],
        preferred_username=account["username"],
        roles=realm.token_roles(account),
    )
    response = envelope.respond(
        id=body.get("id"),
        version=body.get("version"),
        response={"status": "Success", "message": _CLIENT_SECRET_OK},
    )
    return _with_cookie(response, token)


@csrf_exempt
def authenticate_user(request):
    """POST /v1/authmanager/authenticate/useridPwd: a user's password through the
    admin client (`mosip.admin.clientid`)."""
    body, inner = _read_authmanager_request(request, ("userName", "password", "appId"))
    if not isinstance(inner, dict):
        return inner
    user = realm.get_user(inner["userName"])
    if (
        user is None
        or user.get("serviceAccountClientId")
        or not realm.password_matches(user, inner["password"])
    ):
        return _authmanager_error(
            body, "KER-ATH-007", "Invalid credentials: username or password is wrong"
        )
    if not user["enabled"] or user.get("temporaryPassword"):
        return _authmanager_error(body, "KER-ATH-008", "Request validation error")
    token = tokens.issue(
        issuer_base=request.build_absolute_uri("/"),
        azp=config.MOSIP_ADMIN_CLIENT_ID,
        preferred_username=user["username"],
        roles=realm.token_roles(user),
        email=user.get("email"),
        clientId=None,
    )
    response = envelope.respond(
        id=body.get("id"),
        version=body.get("version"),
        response={"status": "Success", "message": _USER_PASSWORD_OK},
    )
    return _with_cookie(response, token)


def validate_token(request):
    """GET /v1/authmanager/authorize/admin/validateToken (cookie)."""
    token = security.token_from_cookie(request)
    if not token:
        return _authmanager_error(None, "KER-ATH-006", "Cookies are empty")
    try:
        claims = tokens.verify(token)
    except tokens.InvalidToken:
        return _authmanager_error(
            None,
            "KER-ATH-401",
            "Authentication Failed : Invalid Token :Token verification failed",
            status=401,
        )
    roles = claims.get("realm_access", {}).get("roles", [])
    username = claims.get("preferred_username")
    return envelope.respond(
        id=None,
        version=None,
        response={
            "userId": username,
            "mobile": None,
            "mail": claims.get("email"),
            "langCode": None,
            "userPassword": None,
            "name": username,
            # Authmanager appends a comma after every role, the last one included.
            "role": "".join(f"{role}," for role in roles),
            "token": token,
            "rid": None,
        },
    )


urlpatterns = [
    path("auth/realms/mosip/protocol/openid-connect/token", mosip_token),
    path("auth/realms/master/protocol/openid-connect/token", master_token),
    path(
        "auth/realms/<str:realm_name>/protocol/openid-connect/token",
        unknown_realm_token,
    ),
    path("v1/authmanager/authenticate/clientidsecretkey", authenticate_client),
    path("v1/authmanager/authenticate/useridPwd", authenticate_user),
    path("v1/authmanager/authorize/admin/validateToken", validate_token),
]
