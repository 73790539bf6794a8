"""Sandbox test API for packet processing (not part of MOSIP):

- `POST /sandbox/api/outcomes {"registrationId", "outcome", "process"?}` forces how a
  registration's workflow ends (PROCESSED, REJECTED or FAILED) at its next step;
- `GET /sandbox/api/processing` shows, `POST` changes, the sandbox-only timing and
  rules (`{"timing": {...}, "rules": {...}}`, each part optional and partial);
  processes are MOSIP configuration (`/sandbox/api/config`), and
  `GET /sandbox/api/processing` also shows what the sandbox derives from it;
- `GET /sandbox/api/workflows?registrationId=` lists the registration rows;
- `GET /sandbox/api/registrations` counts, for every registration id the sandbox
  holds a packet or a workflow of, its packets and workflows, with totals;
- `GET /sandbox/api/packets?id=&source=&process=` shows a stored packet;
- `GET /sandbox/api/identities?uin=` shows an ID repository record.
"""

import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import identity, packets, processes, processing
from apps.mosip_sandbox.processing import camel, settings
from apps.mosip_sandbox.store import get_store


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_POST
def outcomes(request):
    try:
        spec = json.loads(request.body)
        processing.force_outcome(
            str(spec["registrationId"]), spec["outcome"], spec.get("process")
        )
    except (ValueError, KeyError, TypeError) as exc:
        return _bad(str(exc))
    return JsonResponse({"status": "forced"})


def _processes_summary() -> dict:
    """What the sandbox derives from the configuration."""
    routes: dict[str, list[str]] = {}
    for process, stage in camel.active_routes():
        routes.setdefault(process, []).append(stage)
    return {
        "writers": [p.__dict__ for p in processes.providers("writer")],
        "readers": [p.__dict__ for p in processes.providers("reader")],
        "categoryMapping": processes.category_mapping(),
        "mainProcesses": processes.main_processes(),
        "routes": routes,
    }


def processing_settings(request):
    if request.method == "POST":
        try:
            changes = json.loads(request.body)
            if not isinstance(changes, dict):
                raise ValueError("a JSON object is expected")
            settings.update(changes)
        except (ValueError, TypeError, AttributeError) as exc:
            return _bad(str(exc))
    elif request.method != "GET":
        return _bad("GET or POST")
    return JsonResponse({**settings.current(), "processes": _processes_summary()})


@require_GET
def workflows(request):
    registration_id = request.GET.get("registrationId")
    if not registration_id:
        return _bad("registrationId is required")
    rows = get_store().find("workflows", registrationId=registration_id)
    return JsonResponse({"workflows": rows})


@require_GET
def registrations(request):
    """Every registration id with its packets and workflows counted, so a test can
    see at once that nothing was stored or triggered twice."""
    store = get_store()
    counted: dict[str, dict] = {}

    def entry(registration_id: str) -> dict:
        return counted.setdefault(
            registration_id,
            {"registrationId": registration_id, "packets": 0, "workflows": 0,
             "statuses": []},
        )  # fmt: skip

    # A packet's key starts with its id (`packets.packet_key`); packets are large,
    # so their documents are not read.
    for key in store.keys("packets"):
        entry(key.split("/", 1)[0])["packets"] += 1
    for registration_id, status in store.find_fields(
        "workflows", ("registrationId", "statusCode")
    ):
        row = entry(str(registration_id))
        row["workflows"] += 1
        row["statuses"].append(status)
    rows = list(counted.values())
    statuses: dict[str, int] = {}
    for row in rows:
        for status in row["statuses"]:
            statuses[status] = statuses.get(status, 0) + 1
    return JsonResponse(
        {
            "registrations": rows,
            "packets": sum(r["packets"] for r in rows),
            "workflows": sum(r["workflows"] for r in rows),
            "workflowStatuses": statuses,
        }
    )


@require_GET
def packet(request):
    try:
        found = packets.stored_packet(
            request.GET["id"], request.GET["source"], request.GET["process"]
        )
    except KeyError as exc:
        return _bad(f"{exc} is required")
    if found is None:
        return JsonResponse({"error": "no such packet"}, status=404)
    return JsonResponse(found)


@require_GET
def identities(request):
    record = identity.get(request.GET.get("uin", ""))
    if record is None:
        return JsonResponse({"error": "no such identity"}, status=404)
    return JsonResponse(record)


urlpatterns = [
    path("sandbox/api/packets", packet),
    path("sandbox/api/identities", identities),
    path("sandbox/api/outcomes", outcomes),
    path("sandbox/api/processing", processing_settings),
    path("sandbox/api/workflows", workflows),
    path("sandbox/api/registrations", registrations),
]
