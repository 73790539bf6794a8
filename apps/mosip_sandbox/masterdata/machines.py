"""Machines (docs/mosip/onboarding-websub.md §2.3). Collection `machines`, key = id; documents
keep MOSIP's field names (regCenterId, publicKey, signPublicKey, keyIndex, ...)."""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import path

from apps.mosip_sandbox import security, spring
from apps.mosip_sandbox.masterdata import reference
from apps.mosip_sandbox.masterdata.common import (
    ROLES,
    MasterdataError,
    caller_zones,
    endpoint,
    generate_id,
    parse_bool_param,
    public,
    request_dto,
    require,
    require_param,
    require_size,
    stamp_created,
    stamp_status,
    sub_zones,
    zone,
)
from apps.mosip_sandbox.store import get_store

_FIELDS = (
    "name",
    "serialNum",
    "macAddress",
    "ipAddress",
    "machineSpecId",
    "regCenterId",
    "zoneCode",
    "validityDateTime",
)


def _decode_base64(text: str) -> bytes:
    # MOSIP accepts either alphabet, padded or not.
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    return base64.b64decode(cleaned, validate=True)


def _rsa_key_bytes(text, error: MasterdataError) -> bytes:
    """The DER SubjectPublicKeyInfo of an RSA key given in base64; `error` otherwise.

    Real MOSIP also takes a TPM 2.0 TPMT_PUBLIC; the sandbox takes only X.509 keys."""
    if not isinstance(text, str) or not text.strip():
        raise error
    try:
        der = _decode_base64(text)
        key = serialization.load_der_public_key(der)
    except (binascii.Error, ValueError, TypeError):
        raise error from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise error
    return der


def fingerprint(der: bytes) -> str:
    """MOSIP's key index: lowercase colon-separated hex SHA-256 of the key bytes."""
    digest = hashlib.sha256(der).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _url_safe(der: bytes) -> str:
    return base64.urlsafe_b64encode(der).decode().rstrip("=")


def _validate(request, dto: dict) -> None:
    require(
        dto,
        "name",
        "ipAddress",
        "machineSpecId",
        "zoneCode",
        "isActive",
        "publicKey",
        "signPublicKey",
    )
    require_size(dto, "ipAddress", 17)
    require_size(dto, "name", 64)
    if reference.machine_spec(dto["machineSpecId"]) is None:
        raise MasterdataError("KER-MSD-117", "Machine Specification not Found")
    if zone(dto["zoneCode"]) is None:
        raise MasterdataError("KER-MSD-343", f"Zone {dto['zoneCode']} doesn't exist")
    allowed = caller_zones(
        request, MasterdataError("KER-MSD-342", "No zone assigned to the user")
    )
    if dto["zoneCode"] not in allowed:
        raise MasterdataError(
            "KER-MSD-255", "Admin not authorized to access this Machine for this Zone"
        )
    centre_id = dto.get("regCenterId")
    if centre_id:
        centre = get_store().get("centres", str(centre_id))
        if centre is None:
            raise MasterdataError(
                "KER-MSD-222",
                "The registration center in the request is not present in db",
            )
        # The centre has to sit in the machine's zone or below it.
        if centre["zoneCode"] not in sub_zones(dto["zoneCode"]):
            raise MasterdataError(
                "KER-MSD-219",
                "The zone of the  registration center in the request does not match the zone of the device",
            )


def _keys(dto: dict) -> tuple[bytes, bytes]:
    public_key = _rsa_key_bytes(
        dto["publicKey"], MasterdataError("KER-MSD-257", "Invalid public key provided")
    )
    sign_key = _rsa_key_bytes(
        dto["signPublicKey"],
        MasterdataError("KER-MSD-410", "Invalid sign public key provided"),
    )
    return public_key, sign_key


@endpoint({"POST": f"{ROLES}postmachines", "PATCH": f"{ROLES}patchmachines"})
def machines(request):
    if request.method == "PATCH":
        return _set_status(request)
    dto = request_dto(request)
    _validate(request, dto)
    store = get_store()
    with store.transaction():
        # MachineServiceImpl.createMachine: the name first, then the keys, whose
        # index (fingerprint) no other machine may carry.
        existing = store.all("machines")
        if any(m.get("name", "").lower() == dto["name"].lower() for m in existing):
            raise MasterdataError(
                "KER-MSD-413", "Entry already found for the provided machine name"
            )
        public_key, sign_key = _keys(dto)
        key_index, sign_key_index = fingerprint(public_key), fingerprint(sign_key)
        if any(
            m.get("keyIndex") == key_index or m.get("signKeyIndex") == sign_key_index
            for m in existing
        ):
            raise MasterdataError(
                "KER-MSD-414", "Entry already found for the provided public keys"
            )
        doc = {"id": generate_id("machine_id")}
        doc.update({field: dto.get(field) for field in _FIELDS})
        doc.update(
            langCode=dto.get("langCode") or "eng",
            regCenterId=str(dto["regCenterId"]) if dto.get("regCenterId") else None,
            publicKey=_url_safe(public_key),
            signPublicKey=_url_safe(sign_key),
            keyIndex=key_index,
            signKeyIndex=sign_key_index,
        )
        stamp_created(doc, request)
        store.put("machines", doc["id"], doc)
    return public(doc)


def _set_status(request):
    machine_id = require_param(request, "id")
    active = parse_bool_param(request, "isActive")
    store = get_store()
    with store.transaction():
        found = store.get("machines", machine_id)
        if found is None:
            raise MasterdataError("KER-MSD-030", "Machine not Found")
        store.put("machines", machine_id, stamp_status(found, request, active))
    return {"status": "Status updated successfully for Machine"}


# MachineController maps only GET /machines/{id} (its role property keeps the old
# "idlangcode" name); /machines/{id}/{lang} is unmapped and answers Spring's 404.
@endpoint({"GET": f"{ROLES}getmachinesidlangcode"})
def machine(request, machine_id):
    found = get_store().get("machines", machine_id)
    if found is None:
        raise MasterdataError("KER-MSD-030", "Machine not Found")
    return {"machines": [public(found)]}


@security.requires("kernel", None)
def _unmapped(request, **kwargs):
    # The auth filter runs before the dispatcher, which then finds no handler.
    return spring.error_body(request, 404, "Not Found")


urlpatterns = [
    path("v1/masterdata/machines", machines),
    path("v1/masterdata/machines/<str:machine_id>", machine),
    path("v1/masterdata/machines/<str:machine_id>/<str:lang>", _unmapped),
]
