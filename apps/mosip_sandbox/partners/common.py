"""What the partner and policy services share: the stored partners, the kernel
envelope, the caller's identity (PMS `UserDetailUtil`, `SearchHelper`)."""

import os

from apps.mosip_sandbox import envelope, mosip_config
from apps.mosip_sandbox.store import get_store

PARTNERS = "partners"
SERVICE = "partner-management"


def get_partner(partner_id: str) -> dict | None:
    return get_store().get(PARTNERS, partner_id)


def public_base_url() -> str:
    """Where partners can reach the sandbox (issuer and key URLs in credentials):
    MOSIP_SANDBOX_PUBLIC_URL, else the address last used to configure partners."""
    configured = os.environ.get("MOSIP_SANDBOX_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    remembered = get_store().get("settings", "public_url") or {}
    return remembered.get("url", "http://127.0.0.1")


def remember_base_url(request) -> None:
    get_store().put(
        "settings", "public_url", {"url": request.build_absolute_uri("/").rstrip("/")}
    )


def answer(id_: str | None, response=None, errors=None, version="1.0"):
    return envelope.respond(id=id_, version=version, response=response, errors=errors)


def fail(id_: str | None, code: str, message: str):
    """A business refusal: HTTP 200 with the error (PMS exception handlers)."""
    return answer(id_, errors=[envelope.error(code, message)])


def missing(id_: str | None, field: str):
    return fail(id_, "PMS_COR_001", f"Missing Input Parameter - request.{field}")


def method_not_allowed():
    return envelope.respond(
        id=None,
        version=None,
        errors=[envelope.error("PMS_COR_003", "Could not process the request")],
        status=405,
    )


def request_body(request) -> tuple[dict | None, dict | None]:
    """(whole body, its `request` object); raises envelope.BadJson."""
    body = envelope.read_json(request)
    if not isinstance(body, dict):
        return None, None
    inner = body.get("request")
    return body, inner if isinstance(inner, dict) else None


def read_request(request, fields) -> tuple[str | None, dict | None, object | None]:
    """(the envelope's id, its `request`, None), or an answer naming the first of
    `fields` that is missing or blank, as PMS's bean validation does."""
    try:
        body, payload = request_body(request)
    except envelope.BadJson:
        return None, None, envelope.bad_json_response()
    api_id = (body or {}).get("id")
    if payload is None:
        return api_id, None, missing(api_id, "request")
    for field in fields:
        if not str(payload.get(field) or "").strip():
            return api_id, None, missing(api_id, field)
    return api_id, payload, None


def caller_id(request) -> str:
    return str(request.mosip_claims.get("preferred_username") or "")


def caller_email(request) -> str | None:
    return request.mosip_claims.get("email") or None


def caller_is_partner_admin(request) -> bool:
    role = mosip_config.value(SERVICE, "mosip.pms.partneradmin.role", "PARTNER_ADMIN")
    held = request.mosip_claims.get("realm_access", {}).get("roles", [])
    return any(str(r).upper() == str(role).upper() for r in held)


def logged_in_user_may_act_for(request, partner_id: str) -> bool:
    """validateLoggedInUserAuthorization: a partner admin may act for anyone; every
    other caller only for the partner whose id is its own user name."""
    return caller_is_partner_admin(request) or caller_id(request) == partner_id


NOT_AUTHORISED = ("PMS_PRT_055", "User not authorized.")
