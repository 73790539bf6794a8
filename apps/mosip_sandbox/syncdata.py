"""Syncdata: `GET /v1/syncdata/latestidschema` (packet-api.md §8.3).

Roles are the syncdata controller's `@PreAuthorize` list; a client holding only
ONLINE_REGISTRATION_CLIENT is refused, as on MOSIP. The answer is the kernel
ResponseWrapper with the published schema as a JSON string in `schemaJson`.
"""

from django.urls import path

from apps.mosip_sandbox import envelope, idschema, security, spring

# Masterdata's answer when no published schema has the asked version; the exact
# code of MOSIP's IdentitySchemaHelper for this case is not verified.
SCHEMA_NOT_FOUND = ("KER-SNC-149", "Identity schema not found")


def schema_document(version: float) -> dict:
    published = idschema.PUBLISHED[version]
    parsed = idschema.schema(version)
    return {
        "id": published["id"],
        "idVersion": version,
        "title": parsed.get("title"),
        "description": parsed.get("description"),
        "schemaJson": idschema.schema_text(version),
        "effectiveFrom": published["effectiveFrom"],
        "createdBy": "superadmin",
        "updatedBy": None,
        "createdOn": published["effectiveFrom"],
        "updatedOn": None,
    }


@security.requires("syncdata", "mosip.role.admin.syncdata.getlatestidschema")
@spring.allow_methods("GET")
def latest_id_schema(request):
    raw = request.GET.get("schemaVersion", "0")
    try:
        wanted = float(raw)
    except ValueError:
        # Spring cannot bind a non-numeric `double` request parameter.
        return spring.error_body(request, 400, "Bad Request")
    version = idschema.LATEST_VERSION if wanted == 0 else wanted
    if version not in idschema.PUBLISHED:
        code, message = SCHEMA_NOT_FOUND
        return envelope.respond(
            id=None, version=None, errors=[envelope.error(code, message)]
        )
    return envelope.respond(
        id=None, version=None, response=schema_document(version), errors=[]
    )


urlpatterns = [
    path("v1/syncdata/latestidschema", latest_id_schema),
]
