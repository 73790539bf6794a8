"""Officers: zone mapping, then centre mapping, in that order (onboarding-websub.md §2.4).

Collections `zone_users` and `user_centres`, key = userId (the Keycloak username,
lower-cased as Keycloak stores it). A user holds at most one of each."""

from django.urls import path

from apps.mosip_sandbox import config
from apps.mosip_sandbox.masterdata.common import (
    MasterdataError,
    caller_zones,
    endpoint,
    parse_bool_param,
    public,
    request_dto,
    require,
    require_lang,
    require_param,
    stamp_created,
    stamp_status,
    sub_zones,
    user_zone,
    zone,
)
from apps.mosip_sandbox.store import get_store

_ROLES = config.MASTERDATA_ADMIN_ROLES
_NOT_AUTHORISED = MasterdataError(
    "KER-USR-014", "Admin not authorized to access for this Zone"
)


def _caller_zones(request) -> set[str]:
    return caller_zones(request, _NOT_AUTHORISED)


@endpoint({"POST": _ROLES, "PATCH": _ROLES})
def zone_user(request):
    if request.method == "PATCH":
        return _set_zone_user_status(request)
    dto = request_dto(request)
    require(dto, "zoneCode", "userId", "isActive")
    lang = require_lang(dto)
    user_id = str(dto["userId"]).lower()
    existing = user_zone(user_id)
    if existing is not None:
        if existing["zoneCode"] == dto["zoneCode"]:
            raise MasterdataError("KER-USR-007", "duplicate request")
        raise MasterdataError(
            "KER-USR-010", "The given user already mapped with different zone"
        )
    if zone(dto["zoneCode"]) is None:
        raise MasterdataError("KER-MSD-340", f"Zone {dto['zoneCode']} doesn't exist")
    if dto["zoneCode"] not in _caller_zones(request):
        raise _NOT_AUTHORISED
    doc = stamp_created(
        {"userId": user_id, "zoneCode": dto["zoneCode"], "langCode": lang}, request
    )
    if not get_store().insert("zone_users", user_id, doc):
        raise MasterdataError("KER-USR-007", "duplicate request")
    return public(doc)


def _set_zone_user_status(request):
    user_id = require_param(request, "userId").lower()
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        found = store.get("zone_users", user_id)
        if found is None:
            raise MasterdataError(
                "KER-USR-006", "Zone & User mapping  not present in db"
            )
        store.put("zone_users", user_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for User"}


def _check_centre_zone(request, user_id: str, centre: dict) -> None:
    """The user needs an active zone mapping inside the caller's zones, and the
    centre has to lie in the user's zone."""
    mapping = user_zone(user_id)
    if mapping is None or not mapping.get("isActive"):
        raise MasterdataError(
            "KER-USR-008", "Zone user mapping not exists or not active"
        )
    if mapping["zoneCode"] not in _caller_zones(request):
        raise _NOT_AUTHORISED
    if centre["zoneCode"] not in sub_zones(mapping["zoneCode"]):
        raise _NOT_AUTHORISED


@endpoint({"POST": _ROLES, "PATCH": _ROLES})
def user_centre_mapping(request):
    if request.method == "PATCH":
        return _set_user_centre_status(request)
    dto = request_dto(request)
    require(dto, "id", "regCenterId", "isActive")
    lang = require_lang(dto)
    user_id = str(dto["id"]).lower()
    store = get_store()
    if store.get("user_centres", user_id) is not None:
        raise MasterdataError("KER-USR-013", "User already exists")
    centre = store.get("centres", str(dto["regCenterId"]))
    if centre is None or centre["langCode"] != lang:
        raise MasterdataError(
            "KER-USR-012", "Reg center is not exists for given language"
        )
    _check_centre_zone(request, user_id, centre)
    doc = stamp_created(
        {
            "id": user_id,
            "userId": user_id,
            "name": dto.get("name"),
            "statusCode": dto.get("statusCode") or "ACT",
            "regCenterId": centre["id"],
            "langCode": lang,
        },
        request,
    )
    if not store.insert("user_centres", user_id, doc):
        raise MasterdataError("KER-USR-013", "User already exists")
    centre_zone = zone(centre["zoneCode"])
    return {
        **public(doc),
        "regCenterName": centre["name"],
        "zoneCode": centre["zoneCode"],
        "zoneName": centre_zone["name"] if centre_zone else None,
    }


def _set_user_centre_status(request):
    user_id = require_param(request, "id").lower()
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        found = store.get("user_centres", user_id)
        if found is None:
            raise MasterdataError("KER-USR-007", "User not found")
        if active:
            # Activation re-checks the zone mapping, as creation does.
            _check_centre_zone(
                request, user_id, store.get("centres", found["regCenterId"])
            )
        store.put("user_centres", user_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for User"}


@endpoint({"GET": config.MASTERDATA_READ_ROLES})
def user_details(request, user_id):
    found = get_store().get("user_centres", user_id.lower())
    if found is None:
        raise MasterdataError("KER-USR-007", "User not found")
    mapping = user_zone(user_id)
    return {**public(found), "zoneCode": mapping["zoneCode"] if mapping else None}


urlpatterns = [
    path("v1/masterdata/zoneuser", zone_user),
    path("v1/masterdata/usercentermapping", user_centre_mapping),
    path("v1/masterdata/users/<str:user_id>", user_details),
]
