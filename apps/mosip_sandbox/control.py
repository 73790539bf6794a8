"""The sandbox's own test API under /sandbox/api/ (not part of MOSIP)."""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import clock, seed
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


urlpatterns = [
    path("sandbox/api/health", health),
    path("sandbox/api/reset", reset),
    path("sandbox/api/clock", clock_view),
    path("sandbox/api/events", events),
]
