"""e-Signet's HTTP API (docs/mosip/esignet.md §3, §5, §7): discovery documents, JWKS,
token, userinfo and client management, at e-Signet's paths and its UI's proxy paths."""

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import spring, tokens
from apps.mosip_sandbox.esignet import clients, keys, oauth, properties
from apps.mosip_sandbox.esignet.fault_switches import guard
from apps.mosip_sandbox.esignet.responses import (
    EsignetError,
    oauth_error,
    userinfo_refused,
    wrapped,
    wrapped_error,
)


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@guard
@spring.allow_methods("GET")
def openid_configuration(request):
    return JsonResponse(
        properties.inline("mosip.esignet.discovery.key-values", base_url(request))
    )


@guard
@spring.allow_methods("GET")
def oauth_server_metadata(request):
    return JsonResponse(
        properties.inline("mosip.esignet.oauth.key-values", base_url(request))
    )


@guard
@spring.allow_methods("GET")
def jwks(request):
    return JsonResponse(keys.jwks())


def _token(request, *, v2: bool):
    if request.content_type != "application/x-www-form-urlencoded":
        return spring.error_body(request, 415, "Unsupported Media Type")
    try:
        body = oauth.issue_tokens(request.POST.dict(), base_url(request), v2=v2)
    except EsignetError as error:
        return oauth_error(error)
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


@guard
@csrf_exempt
@spring.allow_methods("POST")
def token(request):
    return _token(request, v2=False)


@guard
@csrf_exempt
@spring.allow_methods("POST")
def token_v2(request):
    return _token(request, v2=True)


@guard
@spring.allow_methods("GET")
def userinfo(request):
    header = request.headers.get("Authorization")
    if header is None:
        return userinfo_refused("missing_header")
    try:
        jws = oauth.userinfo(header, base_url(request))
    except oauth.NotAuthenticated:
        return userinfo_refused()
    return HttpResponse(jws, content_type="application/jwt")


# --- client management -----------------------------------------------------------

CLIENT_MGMT_PATH = f"{properties.SERVLET_PATH}/client-mgmt/oidc-client"


def _bearer_claims(header: str, scope: str):
    """Spring Security's resource server over realm `mosip` tokens: (claims, None),
    or (None, the refusal)."""
    if not header.startswith("Bearer "):
        # No token: the entry point hands Spring's exception to e-Signet's advice.
        return None, wrapped_error(
            "unknown_error", "Full authentication is required to access this resource"
        )
    try:
        claims = tokens.verify(header[7:].strip())
    except tokens.InvalidToken:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = (
            'Bearer error="invalid_token", error_description="An error occurred while '
            'attempting to decode the Jwt", '
            'error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"'
        )
        return None, response
    granted = {f"SCOPE_{s}" for s in str(claims.get("scope", "")).split()}
    if scope not in granted:
        response = HttpResponse(status=403)
        response["WWW-Authenticate"] = (
            'Bearer error="insufficient_scope", error_description="The request '
            'requires higher privileges than provided by the access token.", '
            'error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"'
        )
        return None, response
    return claims, None


def _required_scope(path: str, method: str) -> str:
    table = properties.inline(f"mosip.esignet.security.auth.{method}-urls") or {}
    for pattern, scopes in table.items():
        if clients.ant_match(pattern, path):
            return scopes[0] if scopes else ""
    return ""


def client_management(authorization: str, method: str, path: str, body: bytes, action):
    """One client-management call as e-Signet answers it, whoever makes it: a
    relying party's operator over HTTP, or MOSIP's partner management with its own
    token (docs/mosip/esignet.md §9)."""
    _, refusal = _bearer_claims(authorization, _required_scope(path, method.lower()))
    if refusal is not None:
        return refusal
    try:
        wrapper = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return wrapped_error("unknown_error", "JSON parse error")
    errors = clients.check_request_time(wrapper)
    try:
        if errors:
            raise clients.ValidationErrors(errors)
        record = action(wrapper["request"])
    except clients.ValidationErrors as exc:
        return wrapped(
            errors=[
                {"errorCode": code, "errorMessage": f"request.{field}: {code}"}
                for code, field in exc.errors
            ]
        )
    except EsignetError as error:
        return wrapped_error(error.code)
    return wrapped({"clientId": record["clientId"], "status": record["status"]})


def _client_mgmt(request, action):
    return client_management(
        request.headers.get("Authorization", ""),
        request.method,
        request.path,
        request.body,
        action,
    )


def create_v1(request: dict) -> dict:
    return clients.create(request, with_name_map=False)


@guard
@csrf_exempt
@spring.allow_methods("POST")
def create_oidc_client(request):
    return _client_mgmt(request, create_v1)


@guard
@csrf_exempt
@spring.allow_methods("PUT")
def update_oidc_client(request, client_id):
    return _client_mgmt(
        request, lambda r: clients.update(client_id, r, with_name_map=False)
    )


@guard
@csrf_exempt
@spring.allow_methods("POST")
def create_oauth_client(request):
    return _client_mgmt(request, lambda r: clients.create(r, with_name_map=True))


@guard
@csrf_exempt
@spring.allow_methods("PUT")
def update_oauth_client(request, client_id):
    return _client_mgmt(
        request, lambda r: clients.update(client_id, r, with_name_map=True)
    )
