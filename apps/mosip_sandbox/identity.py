"""The ID repository: identities by UIN, with their VID and life-cycle status.

Collection `identities`, key = UIN: {UIN, VID, registrationId, status
(ACTIVATED | DEACTIVATED), identity, createdAt, updatedAt, history[]}; collection
`vids`, key = VID: {VID, UIN}. History entries name the registration and process that
changed the record, never its values.
"""

from typing import Any

from apps.mosip_sandbox import envelope, idschema, uin
from apps.mosip_sandbox.store import get_store

ACTIVATED = "ACTIVATED"
DEACTIVATED = "DEACTIVATED"
# Fields an update packet cannot overwrite: they identify the record itself.
_NOT_UPDATABLE = {"UIN", "IDSchemaVersion"}


def get(uin_number: str) -> dict | None:
    if not isinstance(uin_number, str):
        return None
    return get_store().get("identities", uin_number)


def allocate_uin() -> str:
    return uin.generate_uin(
        taken=lambda c: get_store().get("identities", c) is not None
    )


def allocate_vid() -> str:
    return uin.generate_vid(taken=lambda c: get_store().get("vids", c) is not None)


def create(
    *, uin_number: str, vid: str, registration_id: str, process: str, identity: dict
) -> dict:
    now = envelope.utc_timestamp()
    record = {
        "UIN": uin_number,
        "VID": vid,
        "registrationId": registration_id,
        "status": ACTIVATED,
        "identity": {**identity, "UIN": uin_number},
        "createdAt": now,
        "updatedAt": now,
        "history": [
            {
                "registrationId": registration_id,
                "process": process,
                "at": now,
                "change": "CREATED",
            }
        ],
    }
    store = get_store()
    with store.transaction():
        store.put("identities", uin_number, record)
        store.put("vids", vid, {"VID": vid, "UIN": uin_number})
    return record


def update(
    *,
    uin_number: str,
    registration_id: str,
    process: str,
    changes: dict[str, Any],
    status: str | None = None,
) -> dict:
    """Merge a packet's fields into the record (and optionally change its status)."""
    store = get_store()
    with store.transaction():
        record = store.get("identities", uin_number)
        if record is None:
            raise LookupError(uin_number)
        now = envelope.utc_timestamp()
        for name, value in changes.items():
            if name not in _NOT_UPDATABLE:
                record["identity"][name] = value
        if status:
            record["status"] = status
        record["updatedAt"] = now
        record["history"].append(
            {
                "registrationId": registration_id,
                "process": process,
                "at": now,
                "change": status or "UPDATED",
            }
        )
        store.put("identities", uin_number, record)
    return record


def _names(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value.strip().lower()}
    if isinstance(value, list):
        return {
            str(v.get("value", "")).strip().lower()
            for v in value
            if isinstance(v, dict) and v.get("value")
        }
    return set()


def demographic_matches(identity: dict) -> list[str]:
    """UINs of active identities with the same name, date of birth and gender:
    the demo-dedupe stage's potential matches."""
    names = _names(identity.get("fullName"))
    genders = _names(identity.get("gender"))
    dob = identity.get("dateOfBirth")
    if not names or not dob:
        return []
    matches = []
    # Only the compared fields are read, and only of identities born that day.
    candidates = get_store().find_fields(
        "identities",
        ("UIN", "identity.dateOfBirth", "identity.fullName", "identity.gender"),
        status=ACTIVATED,
        **({"identity.dateOfBirth": dob} if isinstance(dob, str) else {}),
    )
    for number, other_dob, full_name, gender in candidates:
        if other_dob != dob:
            continue
        if names & _names(full_name) and (not genders or genders & _names(gender)):
            matches.append(number)
    return matches


def display_name(identity: dict) -> str | None:
    return idschema.first_value(identity.get("fullName"), "eng")
