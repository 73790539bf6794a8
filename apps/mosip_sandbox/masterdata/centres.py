"""Registration centres (docs/mosip/onboarding-websub.md §2.2). Collection `centres`, key = id;
documents keep MOSIP's field names, which packet processing reads."""

import re
from datetime import time

from django.urls import path

from apps.mosip_sandbox.masterdata import reference
from apps.mosip_sandbox.masterdata.common import (
    ROLES,
    MasterdataError,
    caller_zones,
    endpoint,
    generate_id,
    invalid_field,
    parse_bool_param,
    public,
    request_dto,
    require,
    require_lang,
    require_param,
    require_size,
    stamp_created,
    stamp_status,
    zone,
)
from apps.mosip_sandbox.store import get_store

# RegistrationCenterValidator: 1–2 integer digits, at least 4 fraction digits.
_LAT_LONG = re.compile(r"^-?\d{1,2}\.\d{4,}$")
_REQUIRED = (
    "name",
    "addressLine1",
    "isActive",
    "centerTypeCode",
    "latitude",
    "longitude",
    "locationCode",
    "holidayLocationCode",
    "workingHours",
    "perKioskProcessTime",
    "centerStartTime",
    "centerEndTime",
    "zoneCode",
)
_FIELDS = (
    "name",
    "centerTypeCode",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "latitude",
    "longitude",
    "locationCode",
    "holidayLocationCode",
    "contactPhone",
    "workingHours",
    "numberOfKiosks",
    "perKioskProcessTime",
    "centerStartTime",
    "centerEndTime",
    "lunchStartTime",
    "lunchEndTime",
    "timeZone",
    "contactPerson",
    "zoneCode",
    "workingNonWorkingDays",
    "exceptionalHolidayPutPostDto",
)
_NO_LUNCH = time(0, 0, 0)
_HH_MM_SS = re.compile(r"^\d{2}:\d{2}:\d{2}$")


def _parse_time(dto: dict, field: str) -> time | None:
    value = dto.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, str) and _HH_MM_SS.match(value):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise invalid_field(field, "Invalid time format, expected HH:mm:ss")


def _validate_hours(dto: dict) -> None:
    start = _parse_time(dto, "centerStartTime")
    end = _parse_time(dto, "centerEndTime")
    lunch_start = _parse_time(dto, "lunchStartTime")
    lunch_end = _parse_time(dto, "lunchEndTime")
    _parse_time(dto, "perKioskProcessTime")
    if start > end:
        raise MasterdataError(
            "KER-MSD-309", "Center Start Time must be smaller than Center End Time"
        )
    if (
        lunch_start is None
        or lunch_end is None
        or lunch_start == lunch_end == _NO_LUNCH
    ):
        return
    if lunch_start > lunch_end:
        raise MasterdataError(
            "KER-MSD-308",
            "Center Lunch Start Time must be smaller than Center Lunch End Time",
        )
    if lunch_start < start:
        raise MasterdataError(
            "KER-MSD-259", "Lunch Start time cannot less than Center Start time"
        )
    if lunch_end > end:
        raise MasterdataError(
            "KER-MSD-260", "Lunch end Time cannot be Greater Than Center End Time"
        )


def _validate(request, dto: dict) -> str:
    require(dto, *_REQUIRED)
    lang = require_lang(dto)
    require_size(dto, "contactPhone", 16)
    require_size(dto, "timeZone", 64)
    require_size(dto, "name", 128)
    for field in ("latitude", "longitude"):
        if not isinstance(dto[field], str) or not _LAT_LONG.match(dto[field]):
            raise MasterdataError(
                "KER-MSD-307",
                "Latitude or Longitude must have maximum 2 digits before and minimum 4 digits after decimal",
            )
    _validate_hours(dto)
    if reference.centre_type(dto["centerTypeCode"], lang) is None:
        raise MasterdataError(
            "KER-MSD-321",
            f"No Registration Center type found for value {dto['centerTypeCode']}",
        )
    if reference.location(dto["locationCode"], lang) is None:
        raise MasterdataError(
            "KER-MSD-320", f"No Location found for value {dto['locationCode']}"
        )
    if reference.location(dto["holidayLocationCode"], lang) is None:
        raise MasterdataError("KER-MSD-221", "HolidayLocationCode Not Found")
    if zone(dto["zoneCode"]) is None:
        raise MasterdataError("KER-MSD-340", f"Zone {dto['zoneCode']} doesn't exist")
    allowed = caller_zones(
        request, MasterdataError("KER-MSD-341", "No zone assigned to the user")
    )
    if dto["zoneCode"] not in allowed:
        raise MasterdataError(
            "KER-MSD-441",
            "Admin not authorized to access this Registration Center for this Zone",
        )
    return lang


@endpoint(
    {
        "POST": f"{ROLES}postregistrationcenters",
        "PATCH": f"{ROLES}patchregistrationcenters",
    }
)
def registration_centers(request):
    if request.method == "PATCH":
        return _set_status(request)
    dto = request_dto(request)
    lang = _validate(request, dto)
    doc = {"id": generate_id("centre_id"), "langCode": lang}
    doc.update({field: dto.get(field) for field in _FIELDS})
    doc["numberOfKiosks"] = int(dto.get("numberOfKiosks") or 0)
    stamp_created(doc, request)
    get_store().put("centres", doc["id"], doc)
    return public(doc)


def _set_status(request):
    centre_id = require_param(request, "id")
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        found = store.get("centres", centre_id)
        if found is None:
            raise MasterdataError("KER-MSD-215", "Registration Center not found")
        store.put("centres", centre_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for Registration Centers"}


@endpoint({"GET": f"{ROLES}getregistrationcentersidlangcode"})
def registration_center(request, centre_id, lang):
    found = get_store().get("centres", centre_id)
    if found is None or found["langCode"] != lang:
        raise MasterdataError("KER-MSD-215", "Registration Center not found")
    return {"registrationCenters": [public(found)]}


urlpatterns = [
    path("v1/masterdata/registrationcenters", registration_centers),
    path(
        "v1/masterdata/registrationcenters/<str:centre_id>/<str:lang>",
        registration_center,
    ),
]
