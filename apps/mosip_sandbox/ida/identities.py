"""The identities IDA authenticates against (docs/mosip/ida.md §5.1).

On MOSIP, IDA keeps its own copy of each identity, sent to it as a credential when a
UIN is issued or updated, and marks a UIN and its VIDs expired when ID repository
publishes DEACTIVATE_ID. The sandbox's IDA reads the sandbox's ID repository
(apps/mosip_sandbox/identity.py) directly: same facts, no delivery delay.
"""

import hashlib
import json
from dataclasses import dataclass

from apps.mosip_sandbox import identity
from apps.mosip_sandbox.ida import errors
from apps.mosip_sandbox.store import get_store

UIN = "UIN"
VID = "VID"


@dataclass(frozen=True)
class Found:
    uin: str
    id_type: str
    identity: dict
    token: str


def token_of(uin: str) -> str:
    """An opaque, stable stand-in for the UIN's token in IDA's identity cache."""
    return hashlib.sha256(f"uin-token:{uin}".encode()).hexdigest()


def find(individual_id: str, id_type: str) -> Found:
    """IdServiceImpl.processIdType: unknown ids are IDA-MLC-018, a deactivated UIN is
    IDA-MLC-022 and a VID of one IDA-MLC-023 (its VIDs are deactivated with it)."""
    if id_type == VID:
        link = get_store().get("vids", individual_id)
        record = identity.get(link["UIN"]) if link else None
    else:
        record = identity.get(individual_id)
    if record is None:
        raise errors.refusal(errors.ID_NOT_AVAILABLE, id_type)
    if record["status"] == identity.DEACTIVATED:
        raise errors.refusal(
            errors.VID_EXPIRED_DEACTIVATED_REVOKED
            if id_type == VID
            else errors.UIN_DEACTIVATED_BLOCKED
        )
    return Found(
        uin=record["UIN"],
        id_type=id_type,
        identity=record["identity"],
        token=token_of(record["UIN"]),
    )


def values(identity_doc: dict, attribute: str) -> list[dict]:
    """An attribute as IDA reads it: a list of {language, value} (a plain value has
    no language); JSON text as a packet carries it is read the same way."""
    raw = identity_doc.get(attribute)
    if isinstance(raw, str) and raw.strip()[:1] in ("[", "{"):
        try:
            raw = json.loads(raw)
        except ValueError:
            pass
    if isinstance(raw, list):
        return [
            {"language": item.get("language"), "value": item.get("value")}
            for item in raw
            if isinstance(item, dict)
        ]
    if raw is None:
        return []
    return [{"language": None, "value": str(raw)}]
