"""The credential service's public keys, and sandbox views of issuance.

`/.well-known/*` are what a credential's `issuer`, `@context` and
`proof.verificationMethod` point to. `/sandbox/api/...` are sandbox-only: issue a
credential for a registration without running a packet, list issued credentials
with the status partners reported, and list the raw status updates received."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import envelope, partners
from apps.mosip_sandbox.credentials import (
    ISSUED,
    issue_for_registration,
    ldproof,
    record_status_update,
    vercred,
)
from apps.mosip_sandbox.hub import publishing
from apps.mosip_sandbox.store import get_store

publishing.listen("CREDENTIAL_STATUS_UPDATE")(record_status_update)


@require_GET
def public_key(request):
    base = partners.public_base_url()
    return JsonResponse(
        {
            "@context": "https://w3id.org/security/v2",
            "type": "RsaVerificationKey2018",
            "id": f"{base}/.well-known/public-key.json",
            "controller": f"{base}/.well-known/controller.json",
            "publicKeyPem": vercred.public_key_pem(),
        }
    )


@require_GET
def controller(request):
    base = partners.public_base_url()
    return JsonResponse(
        {
            "@context": "https://w3id.org/security/v2",
            "id": f"{base}/.well-known/controller.json",
            "assertionMethod": [f"{base}/.well-known/public-key.json"],
        }
    )


@require_GET
def mosip_context(request):
    """MOSIP's context file (mosip-config `mosip-context.json`) for this host."""
    return JsonResponse(ldproof.mosip_context(request.get_host()))


@csrf_exempt
@require_POST
def issue(request):
    """Body: {"registrationId", "process", "identity", "uin", "vid"}."""
    try:
        spec = envelope.read_json(request)
        sequences = issue_for_registration(
            registration_id=str(spec["registrationId"]),
            process=str(spec.get("process", "CRVS_NEW")),
            identity=dict(spec.get("identity") or {}),
            uin=str(spec["uin"]),
            vid=str(spec["vid"]),
        )
    except (envelope.BadJson, KeyError, TypeError, ValueError) as exc:
        return JsonResponse({"error": f"bad request: {exc}"}, status=400)
    return JsonResponse({"published": sequences})


@require_GET
def issued(request):
    return JsonResponse({"credentials": get_store().all(ISSUED)})


@require_GET
def status_updates(request):
    entries = get_store().after("credential_status_updates", 0, limit=1000)
    return JsonResponse({"updates": [doc["message"] for _, doc in entries]})


urlpatterns = [
    path(".well-known/public-key.json", public_key),
    path(".well-known/controller.json", controller),
    path(".well-known/mosip-context.json", mosip_context),
    path("sandbox/api/credentials/issue", issue),
    path("sandbox/api/credentials/issued", issued),
    path("sandbox/api/credential-status-updates", status_updates),
]
