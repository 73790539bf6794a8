"""Identity schema: `/v1/masterdata/idschema` (admin-services v1.2.0.1
SchemaController, IdentitySchemaServiceImpl; docs/mosip/processes-and-schema.md).

- `POST` creates a DRAFT (version 0, inactive) after checking the schema is JSON;
- `PUT ?id=` replaces a draft's title, description and schema;
- `PUT /publish` `{id, effectiveFrom}` publishes a draft: `effectiveFrom` may not be
  in the past; the version is the latest published version plus 0.1;
- `GET /latest?schemaVersion=` serves the published schema of that version, or the
  latest when the version is 0 or absent.
Errors are masterdata's SchemaErrorCode (KER-SCH-0xx) with HTTP 200.
"""

import json
import uuid
from datetime import UTC, datetime

from django.urls import path

from apps.mosip_sandbox import envelope, idschema, security, spring
from apps.mosip_sandbox.masterdata.common import (
    MasterdataError,
    caller_id,
    endpoint,
    invalid_field,
    request_dto,
)
from apps.mosip_sandbox.store import get_store

NOT_FOUND = ("KER-SCH-007", "Identity schema not found")
ALREADY_PUBLISHED = ("KER-SCH-009", "Schema already published")
EFFECTIVE_FROM_OLDER = ("KER-SCH-010", "Schema effective from date cannot be older")
PARSE_ERROR = ("KER-SCH-013", "Error while parsing json string")


def _error(pair: tuple[str, str]) -> MasterdataError:
    return MasterdataError(*pair)


def response_dto(doc: dict) -> dict:
    """IdSchemaResponseDto."""
    return {
        "id": doc["id"],
        "idVersion": doc["idVersion"],
        "title": doc.get("title"),
        "description": doc.get("description"),
        "schemaJson": doc.get("schemaJson"),
        "status": doc.get("status"),
        "effectiveFrom": doc.get("effectiveFrom"),
        "createdBy": doc.get("createdBy"),
        "updatedBy": doc.get("updatedBy"),
        "createdOn": doc.get("createdOn"),
        "updatedOn": doc.get("updatedOn"),
    }


def _schema_request(request) -> dict:
    dto = request_dto(request)
    # IdentitySchemaDto: @NotBlank title and description, @NotEmpty schema.
    for name in ("title", "description"):
        value = dto.get(name)
        if not isinstance(value, str) or not value.strip():
            raise invalid_field(name, "must not be blank")
    if not isinstance(dto.get("schema"), str) or not dto["schema"]:
        raise invalid_field("schema", "must not be empty")
    return dto


def _create(request) -> dict:
    dto = _schema_request(request)
    try:
        json.loads(dto["schema"])
    except ValueError as exc:
        raise _error(PARSE_ERROR) from exc
    now = envelope.utc_timestamp()
    doc = {
        "id": str(uuid.uuid4()),
        "idVersion": 0,
        "title": dto["title"],
        "description": dto["description"],
        "schemaJson": dto["schema"],
        "status": idschema.DRAFT,
        "isActive": False,
        "isDeleted": False,
        "effectiveFrom": None,
        "createdBy": caller_id(request),
        "createdOn": now,
        "updatedBy": None,
        "updatedOn": None,
    }
    get_store().put(idschema.COLLECTION, doc["id"], doc)
    return response_dto(doc)


def _update(request) -> dict:
    schema_id = request.GET.get("id")
    if not schema_id:
        raise MasterdataError(
            "KER-MSD-999", "Required request parameter 'id' is not present"
        )
    dto = _schema_request(request)
    store = get_store()
    with store.transaction():
        doc = store.get(idschema.COLLECTION, schema_id)
        if doc is None or doc.get("isDeleted"):
            raise _error(NOT_FOUND)
        if doc.get("status") == idschema.PUBLISHED:
            raise _error(ALREADY_PUBLISHED)
        # updateSchema does not re-check that the schema is JSON.
        doc.update(
            title=dto["title"],
            description=dto["description"],
            schemaJson=dto["schema"],
        )
        store.put(idschema.COLLECTION, schema_id, doc)
    return response_dto(doc)


def _effective_from(value) -> datetime:
    if not isinstance(value, str):
        raise invalid_field("effectiveFrom")
    try:
        if value.endswith("Z"):
            return envelope.parse_utc_timestamp(value)
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError as exc:
        raise invalid_field("effectiveFrom", "Invalid date format") from exc


@endpoint({"POST": "mosip.role.admin.masterdata.postidschema",
           "PUT": "mosip.role.admin.masterdata.putidschema"})  # fmt: skip
def schemas(request):
    return _create(request) if request.method == "POST" else _update(request)


@endpoint({"PUT": "mosip.role.admin.masterdata.putidschemapublish"})
def publish(request):
    dto = request_dto(request)
    if dto.get("id") is None:
        raise invalid_field("id")
    effective = _effective_from(dto.get("effectiveFrom"))
    if effective < datetime.now(UTC):
        raise _error(EFFECTIVE_FROM_OLDER)
    store = get_store()
    with store.transaction():
        doc = store.get(idschema.COLLECTION, str(dto["id"]))
        if doc is None or doc.get("isDeleted"):
            raise _error(NOT_FOUND)
        if doc.get("status") == idschema.PUBLISHED:
            raise _error(ALREADY_PUBLISHED)
        current = idschema.latest()
        version = (
            0.1 if current is None else idschema.version_key(current["idVersion"] + 0.1)
        )
        doc.update(
            isActive=True,
            status=idschema.PUBLISHED,
            effectiveFrom=envelope.utc_timestamp(effective),
            idVersion=version,
            updatedBy=caller_id(request),
            updatedOn=envelope.utc_timestamp(),
        )
        store.put(idschema.COLLECTION, doc["id"], doc)
    return doc["id"]


@security.requires("kernel", "mosip.role.admin.masterdata.getidschemalatest")
@spring.allow_methods("GET")
def latest(request):
    try:
        wanted = float(request.GET.get("schemaVersion") or "0")
    except ValueError:
        # Spring cannot bind a non-numeric `double` request parameter.
        return spring.error_body(request, 400, "Bad Request")
    found = latest_schema_document(wanted)
    if found is None:
        return envelope.respond(
            id=None, version=None, errors=[envelope.error(*NOT_FOUND)]
        )
    # populateResponse: the schema's fields (no UI specs are defined here).
    return envelope.respond(id=None, version=None, response=found, errors=[])


def latest_schema_document(version: float) -> dict | None:
    """The `latest` answer for a version (0: the latest), for syncdata."""
    doc = idschema.latest() if version <= 0 else idschema.published(version)
    return response_dto(doc) if doc else None


urlpatterns = [
    path("v1/masterdata/idschema", schemas),
    path("v1/masterdata/idschema/publish", publish),
    path("v1/masterdata/idschema/latest", latest),
]
