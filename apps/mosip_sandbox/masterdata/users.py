"""Officers: zone mapping, then centre mapping, in that order (docs/mosip/onboarding-websub.md §2.4).

Collections `zone_users` and `user_centres`, key = userId (the Keycloak username,
lower-cased as Keycloak stores it). A user holds at most one of each."""

from django.urls import path

from apps.mosip_sandbox.masterdata.common import (
    ROLES,
    MasterdataError,
    caller_zones,
    endpoint,
    leaf_zones,
    parse_bool_param,
    public,
    request_dto,
    require,
    require_lang,
    require_param,
    stamp_created,
    stamp_status,
    user_zone,
    zone,
)
from apps.mosip_sandbox.store import get_store

_NOT_AUTHORISED = MasterdataError(
    "KER-USR-014", "Admin not authorized to access for this Zone"
)
_DUPLICATE = MasterdataError("KER-USR-018", "duplicate request")
_NO_ZONE_MAPPING = MasterdataError(
    "KER-USR-008", "Zone user mapping not exists or not active"
)
_NO_USER = MasterdataError("KER-USR-007", "User Center mapping not found")


def _caller_zones(request) -> set[str]:
    return caller_zones(request, _NOT_AUTHORISED)


@endpoint({"POST": f"{ROLES}postzoneuser", "PATCH": f"{ROLES}patchzoneuser"})
def zone_user(request):
    """ZoneUserServiceImpl.createZoneUserMapping (admin-services v1.2.0.1): the zone
    must lie in the caller's zones (KER-USR-014, a zone that does not exist is in
    none), then the same mapping again is KER-USR-018 and another zone KER-USR-021."""
    if request.method == "PATCH":
        return _set_zone_user_status(request)
    dto = request_dto(request)
    require(dto, "zoneCode", "userId", "isActive")
    lang = require_lang(dto)
    user_id = str(dto["userId"]).lower()
    if dto["zoneCode"] not in _caller_zones(request):
        raise _NOT_AUTHORISED
    existing = user_zone(user_id)
    if existing is not None:
        if existing["zoneCode"] == dto["zoneCode"]:
            raise _DUPLICATE
        raise MasterdataError(
            "KER-USR-021", "The given user already mapped with different zone"
        )
    doc = stamp_created(
        {"userId": user_id, "zoneCode": dto["zoneCode"], "langCode": lang}, request
    )
    if not get_store().insert("zone_users", user_id, doc):
        raise _DUPLICATE
    return public(doc)


def _set_zone_user_status(request):
    user_id = require_param(request, "userId").lower()
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        found = store.get("zone_users", user_id)
        if found is None:
            raise MasterdataError(
                "KER-USR-017", "Zone & User mapping  not present in db"
            )
        store.put("zone_users", user_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for User"}


def _check_centre_zone(request, user_id: str, centre: dict) -> None:
    """UserDetailsServiceImpl.validateMappingData: the user's active zone mapping
    must lie in the caller's zones (KER-USR-008), and the centre's zone among the
    leaf zones of the user's zone (KER-USR-015)."""
    mapping = user_zone(user_id)
    if (
        mapping is None
        or not mapping.get("isActive")
        or mapping["zoneCode"] not in _caller_zones(request)
    ):
        raise _NO_ZONE_MAPPING
    if centre["zoneCode"] not in leaf_zones(mapping["zoneCode"]):
        raise MasterdataError(
            "KER-USR-015", "Provided center zone is not part of user zone"
        )


# UserDetailsController maps POST /usercentermapping to the `get…` list.
@endpoint(
    {
        "POST": f"{ROLES}getusercentermapping",
        "PATCH": f"{ROLES}patchusercentermapping",
    }
)
def user_centre_mapping(request):
    if request.method == "PATCH":
        return _set_user_centre_status(request)
    dto = request_dto(request)
    require(dto, "id", "regCenterId", "isActive")
    lang = require_lang(dto)
    user_id = str(dto["id"]).lower()
    store = get_store()
    # UserDetailsServiceImpl.createUser: an active zone mapping first.
    mapping = user_zone(user_id)
    if mapping is None or not mapping.get("isActive"):
        raise _NO_ZONE_MAPPING
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
    """UserDetailsServiceImpl.updateUserStatus: the zone mapping must exist
    (KER-USR-008) and, to activate, be active (KER-USR-025)."""
    user_id = require_param(request, "id").lower()
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        mapping = user_zone(user_id)
        if mapping is None:
            raise _NO_ZONE_MAPPING
        if active and not mapping.get("isActive"):
            raise MasterdataError(
                "KER-USR-025",
                "Kindly activate user-zone mapping before activating user-center",
            )
        found = store.get("user_centres", user_id)
        if found is None:
            raise _NO_USER
        if active:
            _check_centre_zone(
                request, user_id, store.get("centres", found["regCenterId"])
            )
        store.put("user_centres", user_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for User"}


@endpoint({"GET": f"{ROLES}getusersid"})
def user_details(request, user_id):
    found = get_store().get("user_centres", user_id.lower())
    if found is None:
        raise _NO_USER
    mapping = user_zone(user_id)
    return {**public(found), "zoneCode": mapping["zoneCode"] if mapping else None}


urlpatterns = [
    path("v1/masterdata/zoneuser", zone_user),
    path("v1/masterdata/usercentermapping", user_centre_mapping),
    path("v1/masterdata/users/<str:user_id>", user_details),
]
