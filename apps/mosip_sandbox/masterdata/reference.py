"""Lookups centres and machines are checked against: zones, locations, centre types,
machine types and specifications (docs/mosip/onboarding-websub.md §2.1, §2.3).

Collections: `zones` and `locations` (key = code), `centre_types` and `machine_types`
(key = code:langCode), `machine_specs` (key = id:langCode)."""

from django.urls import path

from apps.mosip_sandbox import config, envelope, seed
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
    zone,
)
from apps.mosip_sandbox.store import get_store

_ZONES = [
    # code, name, level, level name, parent
    ("MOR", "Morocco", 0, "Country", None),
    ("NTH", "North", 1, "Region", "MOR"),
    ("STH", "South", 1, "Region", "MOR"),
    ("RBT", "Rabat", 2, "City", "NTH"),
    ("KTA", "Kenitra", 2, "City", "NTH"),
    ("SLE", "Sale", 2, "City", "STH"),
]
_LOCATIONS = [
    ("MOR", "Morocco", 0, "Country", None),
    ("RSK", "Rabat Sale Kenitra", 1, "Region", "MOR"),
    ("KTA", "Kenitra", 2, "Province", "RSK"),
    ("KNT", "Kenitra", 3, "City", "KTA"),
    ("14023", "14023", 4, "Postal Code", "KNT"),
]


@seed.register
def seed_reference_data() -> None:
    store = get_store()
    lang = "eng"
    for code, name, level, level_name, parent in _ZONES:
        store.insert(
            "zones",
            code,
            {
                "code": code,
                "name": name,
                "hierarchyLevel": level,
                "hierarchyName": level_name,
                "hierarchyPath": code,
                "parentZoneCode": parent,
                "langCode": lang,
                "isActive": True,
            },
        )
    for code, name, level, level_name, parent in _LOCATIONS:
        store.insert(
            "locations",
            code,
            {
                "code": code,
                "name": name,
                "hierarchyLevel": level,
                "hierarchyName": level_name,
                "parentLocCode": parent,
                "langCode": lang,
                "isActive": True,
            },
        )
    store.insert(
        "centre_types",
        f"REG:{lang}",
        {
            "code": "REG",
            "langCode": lang,
            "name": "Regular",
            "descr": "Regular centre",
            "isActive": True,
        },
    )
    store.insert(
        "machine_types",
        f"DKS:{lang}",
        {
            "code": "DKS",
            "langCode": lang,
            "name": "Desktop",
            "description": "Desktop",
            "isActive": True,
        },
    )
    store.insert(
        "machine_specs",
        f"1001:{lang}",
        {
            "id": "1001",
            "name": "Desktop spec",
            "brand": "NA",
            "model": "NA",
            "machineTypeCode": "DKS",
            "minDriverversion": "1.0",
            "description": "Desktop spec",
            "langCode": lang,
            "isActive": True,
        },
    )
    # The MOSIP admin's own zone mapping: masterdata only lets a zone-mapped admin
    # create centres and machines in its zones.
    store.insert(
        "zone_users",
        config.MOSIP_ADMIN_USER.lower(),
        {
            "userId": config.MOSIP_ADMIN_USER.lower(),
            "zoneCode": config.MOSIP_ADMIN_ZONE,
            "langCode": lang,
            "isActive": True,
            "isDeleted": False,
            "createdBy": "superadmin",
            "createdDateTime": envelope.utc_timestamp(),
            "history": [{"isActive": True, "effDTimes": envelope.utc_timestamp()}],
        },
    )


def centre_type(code: str, lang: str) -> dict | None:
    return get_store().get("centre_types", f"{code}:{lang}")


def location(code: str, lang: str) -> dict | None:
    found = get_store().get("locations", code)
    return found if found and found["langCode"] == lang else None


def machine_spec(spec_id: str, lang: str | None = None) -> dict | None:
    store = get_store()
    if lang:
        return store.get("machine_specs", f"{spec_id}:{lang}")
    found = store.find("machine_specs", id=spec_id)
    return found[0] if found else None


def _page(items: list[dict]) -> dict:
    return {
        "pageNo": 0,
        "totalPages": 1 if items else 0,
        "totalItems": len(items),
        "pageSize": max(len(items), 10),
        "data": [public(i) for i in items],
    }


def _create_coded(
    request, collection: str, fields: tuple[str, ...], insert_error: MasterdataError
):
    dto = request_dto(request)
    require(dto, "code", "name", "isActive")
    lang = require_lang(dto)
    doc = {field: dto.get(field) for field in fields}
    doc["langCode"] = lang
    if not get_store().insert(
        collection, f"{dto['code']}:{lang}", stamp_created(doc, request)
    ):
        raise insert_error
    return {"code": dto["code"], "langCode": lang}


def _set_status(
    request, collection: str, field: str, not_found: MasterdataError, label: str
):
    key = require_param(request, field)
    active = parse_bool_param(request, "isActive")
    store = get_store()
    found = store.find(collection, **{field: key})
    if not found:
        raise not_found
    with store.transaction():
        for doc in found:
            store.put(
                collection,
                f"{doc[field]}:{doc['langCode']}",
                stamp_status(doc, request, active),
            )
    return {"status": f"Status updated successfully for {label}"}


@endpoint(
    {
        "POST": f"{ROLES}postregistrationcentertypes",
        "PATCH": f"{ROLES}patchregistrationcentertypes",
    }
)
def centre_types(request):
    if request.method == "PATCH":
        return _set_status(
            request,
            "centre_types",
            "code",
            MasterdataError("KER-MSD-120", "Registration Center Type not found"),
            "Registration Center Types",
        )
    return _create_coded(
        request,
        "centre_types",
        ("code", "name", "descr"),
        MasterdataError(
            "KER-MSD-050",
            "Error occurred while inserting Registration Center Type details",
        ),
    )


@endpoint({"POST": f"{ROLES}postmachinetypes", "PATCH": f"{ROLES}patchmachinetypes"})
def machine_types(request):
    if request.method == "PATCH":
        return _set_status(
            request,
            "machine_types",
            "code",
            MasterdataError("KER-MSD-061", "Machine Type not found"),
            "Machine Types",
        )
    return _create_coded(
        request,
        "machine_types",
        ("code", "name", "description"),
        MasterdataError(
            "KER-MSD-061", "Error occurred while inserting Machine Type details"
        ),
    )


@endpoint(
    {
        "POST": f"{ROLES}postmachinespecifications",
        "PATCH": f"{ROLES}patchmachinespecifications",
    }
)
def machine_specifications(request):
    if request.method == "PATCH":
        return _set_status(
            request,
            "machine_specs",
            "id",
            MasterdataError("KER-MSD-117", "Machine Specification not Found"),
            "Machine Specifications",
        )
    dto = request_dto(request)
    require(
        dto,
        "id",
        "name",
        "brand",
        "model",
        "machineTypeCode",
        "minDriverversion",
        "isActive",
    )
    lang = require_lang(dto)
    if get_store().get("machine_types", f"{dto['machineTypeCode']}:{lang}") is None:
        raise MasterdataError("KER-MSD-722", "Invalid mtype_code received")
    fields = (
        "id",
        "name",
        "brand",
        "model",
        "machineTypeCode",
        "minDriverversion",
        "description",
    )
    doc = {f: dto.get(f) for f in fields}
    doc["langCode"] = lang
    if not get_store().insert(
        "machine_specs", f"{dto['id']}:{lang}", stamp_created(doc, request)
    ):
        raise MasterdataError(
            "KER-MSD-062",
            "Error occurred while inserting Machine Specification details",
        )
    return {"id": dto["id"], "langCode": lang}


def _lister(collection: str, roles: str | None):
    # GET /registrationcentertypes/all has its @PreAuthorize commented out: any
    # authenticated caller of an allowed audience.
    @endpoint({"GET": roles})
    def listing(request):
        return _page(get_store().all(collection))

    return listing


# ZoneController's @PreAuthorize for /zones/leafs is commented out.
@endpoint({"GET": None})
def zone_leafs(request, lang):
    zones = caller_zones(
        request,
        MasterdataError(
            "KER-MSD-339",
            f"No zone found for the logged-in user {request.mosip_claims.get('preferred_username')}",
        ),
    )
    leafs = set()
    for code in zones:
        leafs |= leaf_zones(code)
    return [
        public(zone(code)) for code in sorted(leafs) if zone(code)["langCode"] == lang
    ]


urlpatterns = [
    path("v1/masterdata/registrationcentertypes", centre_types),
    path("v1/masterdata/registrationcentertypes/all", _lister("centre_types", None)),
    path("v1/masterdata/machinetypes", machine_types),
    path(
        "v1/masterdata/machinetypes/all",
        _lister("machine_types", f"{ROLES}getmachinetypesall"),
    ),
    path("v1/masterdata/machinespecifications", machine_specifications),
    path(
        "v1/masterdata/machinespecifications/all",
        _lister("machine_specs", f"{ROLES}getmachinespecificationsall"),
    ),
    path("v1/masterdata/zones/leafs/<str:lang>", zone_leafs),
]
