"""Masterdata onboarding: centres, machines, officer mappings (docs/mosip/onboarding-websub.md §2).

Base path `{api_url}/v1/masterdata`, kernel envelopes, a zone-mapped admin identity
(GLOBAL_ADMIN / ZONAL_ADMIN). MOSIP creates everything inactive: each create is
followed by its activate (`PATCH …?isActive=true`). Business errors (KER-MSD-…,
KER-USR-…) raise MosipRejected with MOSIP's codes.
"""

from __future__ import annotations

from typing import Any

from apps.mosip.config import MosipClient
from apps.mosip.errors import MosipRejected

BASE = "/v1/masterdata"
# Codes masterdata answers when the object asked for does not exist.
CENTRE_NOT_FOUND = "KER-MSD-215"
MACHINE_NOT_FOUND = "KER-MSD-030"
USER_NOT_FOUND = "KER-USR-007"


def _set_active(client: MosipClient, path: str, active: bool, **keys: str) -> str:
    params = {**keys, "isActive": "true" if active else "false"}
    response = client.call("PATCH", f"{BASE}{path}", params=params)
    return str((response or {}).get("status") or "")


def _none_when(codes: tuple[str, ...], call, *args: Any) -> Any:
    try:
        return call(*args)
    except MosipRejected as exc:
        if set(exc.codes) & set(codes):
            return None
        raise


# Centre types ---------------------------------------------------------------------


def centre_type_create(
    client: MosipClient, *, code: str, name: str, lang: str = "eng", descr: str = ""
) -> dict:
    """POST /registrationcentertypes (created inactive)."""
    request = {
        "code": code,
        "langCode": lang,
        "name": name,
        "descr": descr or name,
        "isActive": True,
    }
    return client.call("POST", f"{BASE}/registrationcentertypes", request=request)


def centre_type_activate(client: MosipClient, code: str, active: bool = True) -> str:
    """PATCH /registrationcentertypes?code=&isActive=."""
    return _set_active(client, "/registrationcentertypes", active, code=code)


def centre_types(client: MosipClient) -> list[dict]:
    """GET /registrationcentertypes/all: every centre type, every language."""
    page = client.call("GET", f"{BASE}/registrationcentertypes/all") or {}
    return list(page.get("data") or [])


# Centres --------------------------------------------------------------------------


def centre_create(client: MosipClient, centre: dict[str, Any]) -> dict:
    """POST /registrationcenters with a RegCenterPostReqDto (no `id`: MOSIP
    generates it). Returns the created centre, its new `id` included."""
    request = {"isActive": True, "exceptionalHolidayPutPostDto": [], **centre}
    return client.call("POST", f"{BASE}/registrationcenters", request=request)


def centre_activate(client: MosipClient, centre_id: str, active: bool = True) -> str:
    """PATCH /registrationcenters?isActive=&id= (`active=False` deactivates)."""
    return _set_active(client, "/registrationcenters", active, id=str(centre_id))


def centre_get(client: MosipClient, centre_id: str, lang: str = "eng") -> dict | None:
    """GET /registrationcenters/{id}/{lang}; None when MOSIP has no such centre.
    Roles: getregistrationcentersidlangcode (admins, not the CRVS client's roles)."""

    def get() -> dict:
        body = client.call("GET", f"{BASE}/registrationcenters/{centre_id}/{lang}")
        centres = (body or {}).get("registrationCenters") or []
        return centres[0] if centres else None

    return _none_when((CENTRE_NOT_FOUND,), get)


# Machine types, specifications, machines --------------------------------------------


def machine_type_create(
    client: MosipClient,
    *,
    code: str,
    name: str,
    lang: str = "eng",
    description: str = "",
) -> dict:
    """POST /machinetypes (created inactive)."""
    request = {
        "code": code,
        "langCode": lang,
        "name": name,
        "description": description,
        "isActive": True,
    }
    return client.call("POST", f"{BASE}/machinetypes", request=request)


def machine_type_activate(client: MosipClient, code: str, active: bool = True) -> str:
    """PATCH /machinetypes?code=&isActive=."""
    return _set_active(client, "/machinetypes", active, code=code)


def machine_spec_create(
    client: MosipClient,
    *,
    spec_id: str,
    name: str,
    machine_type_code: str,
    lang: str = "eng",
    brand: str = "NA",
    model: str = "NA",
    min_driver_version: str = "1.0",
    description: str = "",
) -> dict:
    """POST /machinespecifications (created inactive)."""
    request = {
        "id": spec_id,
        "name": name,
        "brand": brand,
        "model": model,
        "machineTypeCode": machine_type_code,
        "minDriverversion": min_driver_version,
        "description": description,
        "langCode": lang,
        "isActive": True,
    }
    return client.call("POST", f"{BASE}/machinespecifications", request=request)


def machine_spec_activate(
    client: MosipClient, spec_id: str, active: bool = True
) -> str:
    """PATCH /machinespecifications?id=&isActive=."""
    return _set_active(client, "/machinespecifications", active, id=spec_id)


def machine_specs(client: MosipClient) -> list[dict]:
    """GET /machinespecifications/all."""
    page = client.call("GET", f"{BASE}/machinespecifications/all") or {}
    return list(page.get("data") or [])


def machine_create(client: MosipClient, machine: dict[str, Any]) -> dict:
    """POST /machines with a MachinePostReqDto (no `id`: MOSIP generates it;
    `publicKey` and `signPublicKey` are base64 X.509 SubjectPublicKeyInfo).
    Returns the created machine with its new `id`."""
    request = {"isActive": True, "langCode": "eng", **machine}
    return client.call("POST", f"{BASE}/machines", request=request)


def machine_activate(client: MosipClient, machine_id: str, active: bool = True) -> str:
    """PATCH /machines?id=&isActive=."""
    return _set_active(client, "/machines", active, id=str(machine_id))


def machine_get(client: MosipClient, machine_id: str) -> dict | None:
    """GET /machines/{id} (admin-services 1.2 maps no /{lang} variant); None when
    MOSIP has no such machine. Roles: getmachinesidlangcode (admins, not the CRVS
    client's roles)."""

    def get() -> dict | None:
        body = client.call("GET", f"{BASE}/machines/{machine_id}")
        machines = (body or {}).get("machines") or []
        return machines[0] if machines else None

    return _none_when((MACHINE_NOT_FOUND,), get)


# Officer mappings (strict order: zone, activate, centre, activate) -------------------


def zone_user_create(
    client: MosipClient, *, user_id: str, zone_code: str, lang: str = "eng"
) -> dict:
    """POST /zoneuser: map the officer (Keycloak username) to a zone. A user holds
    one zone (KER-USR-021 for another, KER-USR-018 for the same again)."""
    request = {
        "zoneCode": zone_code,
        "userId": user_id,
        "langCode": lang,
        "isActive": True,
    }
    return client.call("POST", f"{BASE}/zoneuser", request=request)


def zone_user_activate(client: MosipClient, user_id: str, active: bool = True) -> str:
    """PATCH /zoneuser?isActive=&userId=."""
    return _set_active(client, "/zoneuser", active, userId=user_id)


def user_centre_create(
    client: MosipClient,
    *,
    user_id: str,
    centre_id: str,
    name: str = "",
    lang: str = "eng",
) -> dict:
    """POST /usercentermapping. Needs an active zone mapping first (KER-USR-008);
    KER-USR-013 when the mapping already exists."""
    request = {
        "id": user_id,
        "name": name or user_id,
        "statusCode": "ACT",
        "regCenterId": str(centre_id),
        "langCode": lang,
        "isActive": True,
    }
    return client.call("POST", f"{BASE}/usercentermapping", request=request)


def user_centre_activate(client: MosipClient, user_id: str, active: bool = True) -> str:
    """PATCH /usercentermapping?isActive=&id= (re-checks the zone mapping)."""
    return _set_active(client, "/usercentermapping", active, id=user_id)


def user_get(client: MosipClient, user_id: str) -> dict | None:
    """GET /users/{id}: the officer's centre mapping (with its zone); None when
    there is none."""
    return _none_when((USER_NOT_FOUND,), client.call, "GET", f"{BASE}/users/{user_id}")


def zone_leafs(client: MosipClient, lang: str = "eng") -> list[dict]:
    """GET /zones/leafs/{lang}: the leaf zones the caller administers."""
    return list(client.call("GET", f"{BASE}/zones/leafs/{lang}") or [])
