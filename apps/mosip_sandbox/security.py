"""The MOSIP auth adapter's rules: the token comes only from the `Authorization`
cookie (a Bearer header alone is ignored), its `azp` must be in the serving service's
`auth.server.admin.allowed.audience`, and each endpoint accepts the realm roles of its
own `mosip.role.…` property (docs/mosip/sandbox-configuration.md)."""

from functools import wraps

from apps.mosip_sandbox import envelope, mosip_config, tokens

AUDIENCE_PROPERTY = "auth.server.admin.allowed.audience"


def allowed_audience(service: str) -> list[str]:
    return mosip_config.listed(service, AUDIENCE_PROPERTY)


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


def requires(service: str, roles: str | tuple[str, ...] | None):
    """Guard a view of MOSIP `service` like its auth adapter: 401 KER-ATH-401 without
    a valid cookie token; 403 KER-ATH-403 when the token's `azp` is not in the
    service's allowed audience, or when it holds none of `roles`: the name of the
    service's `mosip.role.…` property listing them, or a tuple where the controller
    hard-codes its @PreAuthorize list (None: any authenticated caller). Both lists are read at each request, so a configuration change
    applies at once. The view receives the claims as `request.mosip_claims`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            claims = authenticate(request)
            if claims is None:
                return _denied(401, "KER-ATH-401", "Authentication Failed")
            if claims.get("azp") not in allowed_audience(service):
                return _denied(403, "KER-ATH-403", "Forbidden")
            if roles is not None:
                held = set(claims.get("realm_access", {}).get("roles", []))
                accepted = (
                    mosip_config.listed(service, roles)
                    if isinstance(roles, str)
                    else roles
                )
                if not held.intersection(accepted):
                    return _denied(403, "KER-ATH-403", "Forbidden")
            request.mosip_claims = claims
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
