"""The identity schemas masterdata holds, and identity validation against them.

Schemas live in the `idschemas` collection as masterdata's `identity_schema` rows
(admin-services v1.2.0.1 IdentitySchemaServiceImpl; docs/mosip/processes-and-schema.md):
created as DRAFT with version 0, published with an `effectiveFrom` that may not be in
the past, taking the version of the latest published schema plus 0.1. The latest is
the published schema with the highest version. A fresh sandbox holds two published
schemas (see data/SOURCES.md): 0.1, MOSIP's 1.2 seed schema unchanged, and 0.2, the
CRVS-enabled 1.3 schema with the civil-registration fields births, deaths and
marital-status updates need; 0.2 stands for the country's own published schema.

Validation follows what packet manager's PacketValidator applies for reg-proc
(docs/mosip/packet-api.md §8): the identity must match the published schema of its own
`IDSchemaVersion` (types, `definitions`, no undeclared field, the `validators`
regexes) and carry every mandatory attribute configured for the process
(`mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.<process>`,
where `a|b` means either). The schema's own `required` list is not used: the
per-process list replaces it.
"""

import functools
import json
import re
from pathlib import Path
from typing import Any

from apps.mosip_sandbox import envelope, seed
from apps.mosip_sandbox.store import get_store

_DATA = Path(__file__).resolve().parent / "data"
COLLECTION = "idschemas"
DRAFT = "DRAFT"
PUBLISHED = "PUBLISHED"
# The schemas a fresh sandbox has published: (id, version, file, title).
SEEDED = (
    ("1001", 0.1, "id_schema_0.1.json", "MOSIP Sample identity"),
    ("1002", 0.2, "id_schema_0.2.json", "MOSIP Sample identity with CRVS fields"),
)


def version_key(value: float) -> float:
    """id_version is numeric(5,3) in masterdata: three decimals."""
    return round(float(value), 3)


@seed.register
def seed_schemas() -> None:
    store = get_store()
    now = envelope.utc_timestamp()
    for schema_id, version, filename, title in SEEDED:
        text = (_DATA / filename).read_text(encoding="utf-8")
        store.insert(
            COLLECTION,
            schema_id,
            {
                "id": schema_id,
                "idVersion": version,
                "title": title,
                "description": json.loads(text).get("description") or title,
                "schemaJson": text,
                "status": PUBLISHED,
                "isActive": True,
                "isDeleted": False,
                "effectiveFrom": now,
                "createdBy": "superadmin",
                "createdOn": now,
                "updatedBy": None,
                "updatedOn": None,
            },
        )


def published_schemas() -> list[dict[str, Any]]:
    return [
        doc
        for doc in get_store().all(COLLECTION)
        if doc.get("status") == PUBLISHED
        and doc.get("isActive")
        and not doc.get("isDeleted")
    ]


def published(version: Any) -> dict[str, Any] | None:
    """findPublishedIdentitySchema(version): the published row of that version."""
    try:
        wanted = version_key(version)
    except (TypeError, ValueError):
        return None
    for doc in published_schemas():
        if version_key(doc["idVersion"]) == wanted:
            return doc
    return None


def latest() -> dict[str, Any] | None:
    """findLatestPublishedIdentitySchema: the published row of the highest version."""
    rows = published_schemas()
    return max(rows, key=lambda d: d["idVersion"]) if rows else None


@functools.lru_cache(maxsize=32)
def _parsed(text: str) -> dict[str, Any]:
    return json.loads(text)


def schema(version: float) -> dict[str, Any]:
    doc = published(version)
    if doc is None:
        raise KeyError(version)
    return _parsed(doc["schemaJson"])


def published_version(value: Any) -> float | None:
    """The published version a packet's `IDSchemaVersion` names, if any."""
    doc = published(value)
    return doc["idVersion"] if doc else None


def identity_properties(version: float) -> dict[str, Any]:
    return schema(version)["properties"]["identity"]["properties"]


class InvalidIdentity(Exception):
    """`message` says which rule failed, in MOSIP's words where it has them."""


def _definition(version: float, field_schema: dict) -> dict:
    ref = field_schema.get("$ref")
    if ref:
        return schema(version)["definitions"][ref.rsplit("/", 1)[-1]]
    return field_schema


def _is_type(value: Any, expected: str | list) -> bool:
    expected = expected if isinstance(expected, list) else [expected]
    checks = {
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
        "null": lambda v: v is None,
    }
    return any(checks.get(name, lambda v: False)(value) for name in expected)


def _check_structure(name: str, value: Any, definition: dict) -> None:
    expected = definition.get("type")
    if expected and not _is_type(value, expected):
        raise InvalidIdentity(f"Invalid input parameter - {name}")
    if "minimum" in definition and _is_type(value, "number"):
        if value < definition["minimum"]:
            raise InvalidIdentity(f"Invalid input parameter - {name}")
    if isinstance(value, dict):
        declared = definition.get("properties", {})
        if definition.get("additionalProperties") is False:
            if set(value) - set(declared):
                raise InvalidIdentity(f"Invalid input parameter - {name}")
        for key in definition.get("required", []):
            if key not in value:
                raise InvalidIdentity(f"Missing input parameter - {name}/{key}")
        for key, item in value.items():
            if key in declared:
                _check_structure(f"{name}/{key}", item, declared[key])
    if isinstance(value, list) and "items" in definition:
        for index, item in enumerate(value):
            _check_structure(f"{name}/{index}", item, definition["items"])


def _regexes(field_schema: dict) -> list[re.Pattern]:
    patterns = []
    for validator in field_schema.get("validators") or []:
        if validator.get("type") == "regex" and validator.get("validator"):
            try:
                patterns.append(re.compile(validator["validator"]))
            except re.error:
                continue
    return patterns


def _check_patterns(name: str, value: Any, field_schema: dict) -> None:
    patterns = _regexes(field_schema)
    if not patterns:
        return
    if isinstance(value, str):
        texts = [value]
    elif isinstance(value, list):
        texts = [v.get("value") for v in value if isinstance(v, dict)]
    else:
        return
    for text in texts:
        if isinstance(text, str) and not all(p.match(text) for p in patterns):
            raise InvalidIdentity(f"Invalid input parameter - {name}")


def _present(identity: dict, field: str) -> bool:
    value = identity.get(field)
    return value not in (None, "", [], {})


def validate(identity: dict[str, Any], mandatory: list[str]) -> float:
    """Check an identity; returns its schema version or raises InvalidIdentity."""
    version = published_version(identity.get("IDSchemaVersion"))
    if version is None:
        raise InvalidIdentity("Invalid input parameter - IDSchemaVersion")
    try:
        properties = identity_properties(version)
    except (KeyError, TypeError, ValueError) as exc:
        # A published schema without properties.identity.properties.
        raise InvalidIdentity("Invalid ID schema") from exc
    for attribute in mandatory:
        if not any(_present(identity, option) for option in attribute.split("|")):
            raise InvalidIdentity(f"Missing input parameter - {attribute}")
    for name, value in identity.items():
        if name not in properties:
            raise InvalidIdentity(f"Invalid input parameter - {name}")
        field_schema = properties[name]
        _check_structure(name, value, _definition(version, field_schema))
        _check_patterns(name, value, field_schema)
    return version


def first_value(value: Any, language: str | None = None) -> str | None:
    """A plain-text reading of a field: the string itself, or the value of a
    multilingual field in `language` (or its first entry)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        entries = [v for v in value if isinstance(v, dict)]
        for entry in entries:
            if language is None or entry.get("language") == language:
                return entry.get("value")
        return entries[0].get("value") if entries else None
    return None
