"""The ID schema packets are built against (docs/mosip/packet-api.md §8.3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from apps.mosip.config import MosipClient
from apps.mosip.errors import MosipBadResponse


@dataclass(frozen=True)
class PublishedIdSchema:
    """A published ID schema. `schema_json` is the exact text to send as
    createPacket's `schemaJson`; `schema` is it parsed."""

    id: str
    id_version: float
    schema_json: str = field(repr=False)
    effective_from: str | None = None
    title: str | None = None

    @property
    def schema(self) -> dict[str, Any]:
        return json.loads(self.schema_json)

    @property
    def identity_fields(self) -> dict[str, Any]:
        return (
            self.schema.get("properties", {}).get("identity", {}).get("properties", {})
        )


def latest_id_schema(
    client: MosipClient, schema_version: float = 0
) -> PublishedIdSchema:
    """GET /v1/syncdata/latestidschema?schemaVersion= (0 = the latest published).
    Needs a registration role (REGISTRATION_PROCESSOR, REGISTRATION_OFFICER, …)."""
    version = f"{schema_version:g}" if schema_version else "0"
    response = client.call(
        "GET", "/v1/syncdata/latestidschema", params={"schemaVersion": version}
    )
    if not isinstance(response, dict) or not isinstance(
        response.get("schemaJson"), str
    ):
        raise MosipBadResponse("syncdata answered without a schemaJson")
    try:
        parsed = json.loads(response["schemaJson"])
    except ValueError as exc:
        raise MosipBadResponse("the published schemaJson is not JSON") from exc
    if not isinstance(parsed, dict) or "identity" not in parsed.get("properties", {}):
        raise MosipBadResponse("the published schema has no properties.identity")
    return PublishedIdSchema(
        id=str(response.get("id") or ""),
        id_version=float(response.get("idVersion") or 0),
        schema_json=response["schemaJson"],
        effective_from=response.get("effectiveFrom"),
        title=response.get("title"),
    )
