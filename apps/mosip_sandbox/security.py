"""The MOSIP auth adapter's rules: the token comes only from the `Authorization`
cookie (a Bearer header alone is ignored), its `azp` must be an allowed audience, and
each endpoint accepts a fixed set of realm roles (onboarding-websub.md §1.3–1.4)."""

from functools import wraps

from apps.mosip_sandbox import config, envelope, tokens
from apps.mosip_sandbox.store import get_store


def allowed_audience() -> list[str]:
    extra = (get_store().get("settings", "allowed_audience") or {}).get("clients", [])
    return config.ALLOWED_AUDIENCE + config.EXTRA_AUDIENCE + extra


def token_from_cookie(request) -> str | None:
    # Like the adapter's filter: any cookie whose name contains "Authorization".
    for name, value in request.COOKIES.items():
        if "Authorization" in name and value:
            return value
    return None


def _denied(status: int, code: str, message: str):
    return envelope.respond(
        id=None,
        version=None,
        errors=[envelope.error(code, message)],
        status=status,
    )


def authenticate(request) -> dict | None:
    """The verified claims of the request's cookie token, or None."""
    token = token_from_cookie(request)
    if not token:
        return None
    try:
        return tokens.verify(token)
    except tokens.InvalidToken:
        return None


def requires_roles(*roles: str, check_audience: bool = True):
    """Guard a sandbox view like MOSIP's auth adapter: 401 KER-ATH-401 without a
    valid cookie token, 403 KER-ATH-403 when no accepted role (or audience) is held.
    The view receives the claims as `request.mosip_claims`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            claims = authenticate(request)
            if claims is None:
                return _denied(401, "KER-ATH-401", "Authentication Failed")
            held = set(claims.get("realm_access", {}).get("roles", []))
            if roles and not held.intersection(roles):
                return _denied(403, "KER-ATH-403", "Forbidden")
            if check_audience and claims.get("azp") not in allowed_audience():
                return _denied(403, "KER-ATH-403", "Forbidden")
            request.mosip_claims = claims
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
