"""The MOSIP ID schema, read into the field specs event forms and packets use.

An ID schema is JSON Schema draft-07 with MOSIP extensions (docs/mosip/packet-api.md §8.1): the
identity fields are `properties.identity.properties`, each a `$ref` to `simpleType`
(multilingual text), `documentType` or `biometricsType`, or a plain `type`, with
`fieldCategory`, `format`, `fieldType`, `validators` and, in newer schemas, `requiredOn`.
"""

import json
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum

from apps.core.kept import KeptForAWhile
from apps.onboarding.models import IdSchemaVersion

logger = logging.getLogger(__name__)


class IdSchemaMissingError(Exception):
    """No ID schema has been fetched from MOSIP yet."""


class FieldKind(StrEnum):
    MULTILINGUAL = "multilingual"
    DOCUMENT = "document"
    BIOMETRICS = "biometrics"
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    OTHER = "other"


_REF_KINDS = {
    "#/definitions/simpleType": FieldKind.MULTILINGUAL,
    "#/definitions/documentType": FieldKind.DOCUMENT,
    "#/definitions/biometricsType": FieldKind.BIOMETRICS,
}
_TYPE_KINDS = {
    "string": FieldKind.STRING,
    "number": FieldKind.NUMBER,
    "integer": FieldKind.NUMBER,
    "boolean": FieldKind.BOOLEAN,
}


@dataclass(frozen=True)
class SchemaField:
    id: str
    kind: FieldKind
    category: str = "none"
    format: str = "none"
    field_type: str = "default"
    # Regular expressions the value must match (validators of type "regex").
    patterns: tuple[str, ...] = ()
    required: bool = False
    required_on: tuple = ()

    def check(self, value: str) -> bool:
        """Whether `value` passes every regex validator of this field."""
        return all(_matches(pattern, value) for pattern in self.patterns)


@dataclass(frozen=True)
class IdSchema:
    version: str
    text: str
    fields: dict[str, SchemaField] = field(default_factory=dict)

    def has(self, field_id: str) -> bool:
        return field_id in self.fields

    def get(self, field_id: str) -> SchemaField | None:
        return self.fields.get(field_id)


def _matches(pattern: str, value: str) -> bool:
    try:
        # MOSIP validates with Java's Pattern.matches, which anchors at both ends
        # and whose \d, \w and \s are ASCII only (Python's take any script's digits).
        return re.fullmatch(pattern, value, flags=re.ASCII) is not None
    except re.error:
        # A Java-only construct: do not block entry on a check we cannot run.
        logger.warning("ID schema validator is not a Python regex: %r", pattern)
        return True


def _field_from(field_id: str, spec: dict, required: set[str]) -> SchemaField:
    kind = _REF_KINDS.get(spec.get("$ref", ""))
    if kind is None:
        declared = spec.get("type")
        kind = _TYPE_KINDS.get(
            declared if isinstance(declared, str) else "", FieldKind.OTHER
        )
    patterns = tuple(
        v["validator"]
        for v in spec.get("validators") or []
        if v.get("type") == "regex" and v.get("validator")
    )
    return SchemaField(
        id=field_id,
        kind=kind,
        category=(spec.get("fieldCategory") or "none").lower(),
        format=spec.get("format") or "none",
        field_type=spec.get("fieldType") or "default",
        patterns=patterns,
        required=field_id in required,
        required_on=tuple(spec.get("requiredOn") or ()),
    )


def parse_id_schema(text: str, *, version: str) -> IdSchema:
    """Read the identity fields of a MOSIP ID schema given as JSON text."""
    document = json.loads(text)
    identity = document["properties"]["identity"]
    required = set(identity.get("required") or ())
    fields = {
        field_id: _field_from(field_id, spec, required)
        for field_id, spec in identity["properties"].items()
    }
    return IdSchema(version=version, text=text, fields=fields)


# Parsed schemas by stored row (id and fetch time): a row never changes, so each is
# read once per process.
_parsed = KeptForAWhile(most=8)
# Which row is the newest: every submission and every send asks. A schema fetched
# in this process is seen at once (`forget_newest_schema`, called on save), one
# fetched in another process within 15 s.
_newest = KeptForAWhile(15.0)
forget_newest_schema = _newest.forget


def id_schema_current() -> IdSchema:
    """The newest ID schema the portal has cached from MOSIP."""
    key = _newest.get(
        "key",
        lambda: (
            IdSchemaVersion.objects.order_by("-fetched_at", "-id")
            .values_list("pk", "fetched_at")
            .first()
        ),
    )
    if key is None:
        raise IdSchemaMissingError("No ID schema has been fetched from MOSIP yet.")

    def parse() -> IdSchema:
        stored = IdSchemaVersion.objects.get(pk=key[0])
        return parse_id_schema(stored.schema_json, version=stored.version)

    return _parsed.get(key, parse)
