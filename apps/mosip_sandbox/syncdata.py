"""Syncdata: `GET /v1/syncdata/latestidschema` (docs/mosip/packet-api.md §8.3;
docs/mosip/processes-and-schema.md).

Syncdata asks masterdata's `/idschema/latest` with the same `schemaVersion` and
passes its answer on (admin-services v1.2.0.1 IdentitySchemaHelper). When masterdata
answers with errors, syncdata fails with KER-SNC-166. A request without `version`,
`domain` and `type` is taken for a registration client older than 1.2.0 and gets
only `schema`, `schemaJson`, `id`, `idVersion` and `effectiveFrom`.
"""

from django.urls import path

from apps.mosip_sandbox import envelope, security, spring
from apps.mosip_sandbox.masterdata.idschema import latest_schema_document

FETCH_FAILED = ("KER-SNC-166", "Identity schema fetch failed")
_OLD_CLIENT_FIELDS = ("schema", "schemaJson", "id", "idVersion", "effectiveFrom")


@security.requires("syncdata", "mosip.role.admin.syncdata.getlatestidschema")
@spring.allow_methods("GET")
def latest_id_schema(request):
    raw = request.GET.get("schemaVersion") or "0"
    try:
        wanted = float(raw)
    except ValueError:
        # Spring cannot bind a non-numeric `double` request parameter.
        return spring.error_body(request, 400, "Bad Request")
    document = latest_schema_document(wanted)
    if document is None:
        code, message = FETCH_FAILED
        return envelope.respond(
            id=None,
            version=None,
            errors=[
                envelope.error(
                    code, f"{message} : KER-SCH-007 Identity schema not found"
                )
            ],
        )
    if not any(request.GET.get(p) for p in ("version", "domain", "type")):
        document = {k: v for k, v in document.items() if k in _OLD_CLIENT_FIELDS}
    return envelope.respond(id=None, version=None, response=document, errors=[])


urlpatterns = [
    path("v1/syncdata/latestidschema", latest_id_schema),
]
