"""What every masterdata endpoint shares: the kernel envelope, errors, zones of the
caller, generated ids and the history that lets packet checks ask "as of when"."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import config, envelope, security
from apps.mosip_sandbox.store import get_store


class MasterdataError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def invalid_field(field: str, message: str = "must not be null") -> MasterdataError:
    # Bean validation failures: one KER-MSD-999 per field, named as Spring names it.
    return MasterdataError("KER-MSD-999", f"request.{field}: {message}")


# Prefix of masterdata's role properties (AuthorizedRolesDto) in `kernel`.
ROLES = "mosip.role.admin.masterdata."


def endpoint(methods: dict[str, str | tuple[str, ...] | None]):
    """A masterdata view: method → accepted roles (a `kernel` property name, a
    hard-coded tuple, or None for any authenticated caller), the kernel envelope around the
    result, MasterdataError as HTTP 200 with `errors`. The view returns the
    `response` value; it reads the envelope from `request.envelope`."""

    def decorator(view: Callable[..., Any]):
        guarded = {
            method: security.requires("kernel", roles)(_unwrapped(view))
            for method, roles in methods.items()
        }

        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            handler = guarded.get(request.method)
            if handler is None:
                return envelope.respond(
                    id=None,
                    version=None,
                    errors=[envelope.error("KER-MSD-999", "Method not allowed")],
                    status=405,
                )
            return handler(request, *args, **kwargs)

        return wrapped

    return decorator


def _unwrapped(view):
    def run(request, *args, **kwargs):
        body: dict[str, Any] = {}
        if request.method in ("POST", "PUT"):
            try:
                body = envelope.read_json(request)
            except envelope.BadJson:
                return envelope.bad_json_response()
            if not isinstance(body, dict):
                return envelope.bad_json_response()
        request.envelope = body
        try:
            result = view(request, *args, **kwargs)
        except MasterdataError as exc:
            return envelope.respond(
                id=body.get("id"),
                version=body.get("version"),
                errors=[envelope.error(exc.code, exc.message)],
            )
        return envelope.respond(
            id=body.get("id"), version=body.get("version"), response=result, errors=[]
        )

    return run


def request_dto(request) -> dict[str, Any]:
    inner = request.envelope.get("request")
    if not isinstance(inner, dict):
        raise MasterdataError("KER-MSD-999", "request: must not be null")
    return inner


def require(dto: dict[str, Any], *fields: str) -> None:
    for field in fields:
        value = dto.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise invalid_field(field)
        if isinstance(value, (dict, list)):
            # Jackson cannot bind an object or array to these scalar fields.
            raise invalid_field(field, "must be a single value")


def require_size(dto: dict[str, Any], field: str, maximum: int) -> None:
    value = dto.get(field)
    if isinstance(value, str) and len(value) > maximum:
        raise invalid_field(field, f"size must be between 0 and {maximum}")


def require_lang(dto: dict[str, Any]) -> str:
    lang = dto.get("langCode")
    if lang not in config.SUPPORTED_LANGUAGES:
        raise invalid_field("langCode", "Language Code is Invalid")
    return lang


def parse_bool_param(request, name: str) -> bool:
    value = request.GET.get(name)
    if value not in ("true", "false"):
        raise MasterdataError(
            "KER-MSD-999",
            f"Required request parameter '{name}' is not present or invalid",
        )
    return value == "true"


def require_param(request, name: str) -> str:
    value = request.GET.get(name)
    if not value:
        raise MasterdataError(
            "KER-MSD-999", f"Required request parameter '{name}' is not present"
        )
    return value


def caller_id(request) -> str:
    return request.mosip_claims.get("preferred_username", "")


def stamp_created(doc: dict[str, Any], request) -> dict[str, Any]:
    """MetaDataUtils.setCreateMetaData: created inactive whatever the request says."""
    now = envelope.utc_timestamp()
    doc.update(
        isActive=False,
        isDeleted=False,
        createdBy=caller_id(request),
        createdDateTime=now,
        updatedBy=None,
        updatedDateTime=None,
        history=[{"isActive": False, "effDTimes": now}],
    )
    return doc


def stamp_status(doc: dict[str, Any], request, active: bool) -> dict[str, Any]:
    """Change isActive and append to the history, so checks can ask for the state at
    a past moment (cmd-validator reads history at packet creation time)."""
    now = envelope.utc_timestamp()
    doc.update(isActive=active, updatedBy=caller_id(request), updatedDateTime=now)
    doc.setdefault("history", []).append({"isActive": active, "effDTimes": now})
    return doc


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document as the API shows it."""
    return {k: v for k, v in doc.items() if k not in ("history", "isDeleted")}


def generate_id(counter: str) -> str:
    # Ids are 5 digits (mosip.kernel.registrationcenterid.length / machineid.length).
    return str(get_store().next_value(counter, start=10001))


# Zones ------------------------------------------------------------------------------


def zone(code: str) -> dict[str, Any] | None:
    return get_store().get("zones", code)


def sub_zones(code: str) -> set[str]:
    """The zone and every zone below it."""
    found = {code}
    frontier = [code]
    zones = get_store().all("zones")
    while frontier:
        parent = frontier.pop()
        for child in zones:
            if child.get("parentZoneCode") == parent and child["code"] not in found:
                found.add(child["code"])
                frontier.append(child["code"])
    return found


def leaf_zones(code: str) -> set[str]:
    below = sub_zones(code)
    parents = {z.get("parentZoneCode") for z in get_store().all("zones")}
    return {c for c in below if c not in parents}


def user_zone(user_id: str) -> dict[str, Any] | None:
    """The user's zone mapping (one at most), active or not."""
    return get_store().get("zone_users", user_id.lower())


def caller_zones(request, error: MasterdataError) -> set[str]:
    """Sub-zones of the calling user's active zone mapping (ZoneUtils); `error` when
    the caller has none."""
    mapping = user_zone(caller_id(request))
    if mapping is None or not mapping.get("isActive"):
        raise error
    return sub_zones(mapping["zoneCode"])
