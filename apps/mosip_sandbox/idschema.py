"""The ID schemas the sandbox has published, and identity validation against them.

Two versions are published (see data/SOURCES.md): 0.1, MOSIP's 1.2 seed schema
unchanged, and 0.2, the CRVS-enabled 1.3 schema with the civil-registration fields
births, deaths and marital-status updates need. The latest is 0.2.

Validation follows what reg-proc's packet validator and the ID repository apply
(packet-api.md §8): the identity must match the published schema of its own
`IDSchemaVersion` (types, `definitions`, no undeclared field, the `validators`
regexes) and carry every mandatory attribute configured for the process
(`mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.<process>`,
where `a|b` means either). The schema's own `required` list is not used: reg-proc
replaces it with the per-process list.
"""

import functools
import json
import re
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent / "data"

PUBLISHED = {
    0.1: {
        "id": "1001",
        "file": "id_schema_0.1.json",
        "effectiveFrom": "2021-12-01T00:00:00.000Z",
    },
    0.2: {
        "id": "1002",
        "file": "id_schema_0.2.json",
        "effectiveFrom": "2025-01-01T00:00:00.000Z",
    },
}
LATEST_VERSION = max(PUBLISHED)


@functools.cache
def schema_text(version: float) -> str:
    return (_DATA / PUBLISHED[version]["file"]).read_text(encoding="utf-8")


@functools.cache
def schema(version: float) -> dict[str, Any]:
    return json.loads(schema_text(version))


def published_version(value: Any) -> float | None:
    """The published version a packet's `IDSchemaVersion` names, if any."""
    try:
        version = float(value)
    except (TypeError, ValueError):
        return None
    return version if version in PUBLISHED else None


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
    properties = identity_properties(version)
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
