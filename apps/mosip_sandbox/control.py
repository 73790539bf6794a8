"""The sandbox's own test API under /sandbox/api/ (not part of MOSIP)."""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import clock, seed, tokens
from apps.mosip_sandbox.store import get_store


@require_GET
def health(request):
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def reset(request):
    get_store().reset()
    seed.run_all()
    return JsonResponse({"status": "reset"})


@csrf_exempt
def clock_view(request):
    if request.method == "POST":
        try:
            clock.set_speed(float(json.loads(request.body)["speed"]))
        except (ValueError, KeyError, TypeError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"speed": clock.speed()})


@require_GET
def events(request):
    """Messages published to the hub, oldest first: ?topic=&after=<seq>."""
    filters = {"topic": request.GET["topic"]} if "topic" in request.GET else {}
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        return JsonResponse({"error": "after must be an integer"}, status=400)
    entries = get_store().after("hub_messages", after, limit=500, **filters)
    return JsonResponse({"events": [{"seq": s, **doc} for s, doc in entries]})


@csrf_exempt
@require_POST
def mint_token(request):
    """A realm token with chosen roles, for tests that exercise one endpoint in
    isolation. The portal never uses this: it authenticates as it would on MOSIP."""
    try:
        spec = json.loads(request.body)
        token = tokens.issue(
            issuer_base=request.build_absolute_uri("/"),
            azp=spec["azp"],
            preferred_username=spec.get("username", f"service-account-{spec['azp']}"),
            roles=list(spec.get("roles", [])),
            lifespan=spec.get("lifespan"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"access_token": token})


@csrf_exempt
@require_POST
def put_document(request):
    """Write one document into a store collection, for test set-up of state that
    has no MOSIP API of its own here."""
    try:
        spec = json.loads(request.body)
        get_store().put(spec["collection"], str(spec["key"]), dict(spec["doc"]))
    except (ValueError, KeyError, TypeError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"status": "stored"})


urlpatterns = [
    path("sandbox/api/tokens", mint_token),
    path("sandbox/api/documents", put_document),
    path("sandbox/api/health", health),
    path("sandbox/api/reset", reset),
    path("sandbox/api/clock", clock_view),
    path("sandbox/api/events", events),
]
