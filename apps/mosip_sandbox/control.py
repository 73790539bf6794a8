"""The sandbox's own test API under /sandbox/api/ (not part of MOSIP)."""

import json

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.mosip_sandbox import clock, config, faults, mosip_config, seed, tokens
from apps.mosip_sandbox.store import get_store


def _from_form(request) -> bool:
    return request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )


def _back_to_page():
    return HttpResponseRedirect("/sandbox/")


@require_GET
def health(request):
    return JsonResponse({"status": "ok"})


@require_GET
def admins(request):
    """The administrators seeded here, for the embedded run that signs in as them."""
    client = {
        "id": config.MOSIP_ADMIN_CLIENT_ID,
        "secret": config.MOSIP_ADMIN_CLIENT_SECRET,
    }
    return JsonResponse(
        {
            "keycloak_admin": {
                "username": config.KEYCLOAK_ADMIN_USER,
                "password": config.KEYCLOAK_ADMIN_PASSWORD,
            },
            "mosip_admin": {
                "username": config.MOSIP_ADMIN_USER,
                "password": config.MOSIP_ADMIN_PASSWORD,
                "client": client,
            },
            "partner_admin": {
                "username": config.PARTNER_ADMIN_USER,
                "password": config.PARTNER_ADMIN_PASSWORD,
                "client": client,
            },
        }
    )


@csrf_exempt
@require_POST
def reset(request):
    get_store().reset()
    seed.run_all()
    return _back_to_page() if _from_form(request) else JsonResponse({"status": "reset"})


@csrf_exempt
def clock_view(request):
    if request.method == "POST":
        try:
            if _from_form(request):
                clock.set_speed(float(request.POST["speed"]))
                return _back_to_page()
            clock.set_speed(float(json.loads(request.body)["speed"]))
        except (ValueError, KeyError, TypeError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"speed": clock.speed()})


@csrf_exempt
def faults_view(request):
    """GET the switches, POST changes (JSON object, or the admin page's form),
    DELETE to clear them all."""
    if request.method == "DELETE":
        return JsonResponse(faults.clear())
    if request.method == "POST":
        try:
            if _from_form(request):
                faults.update(faults.parse_form(request.POST.dict()))
                return _back_to_page()
            return JsonResponse(faults.update(json.loads(request.body or b"{}")))
        except (ValueError, faults.InvalidFaults) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    if request.method != "GET":
        return JsonResponse({"error": "method not allowed"}, status=405)
    return JsonResponse(faults.current())


@csrf_exempt
@require_POST
def faults_clear(request):
    faults.clear()
    return _back_to_page() if _from_form(request) else JsonResponse(faults.current())


@csrf_exempt
def config_view(request):
    """MOSIP's configuration (docs/mosip/sandbox-configuration.md): GET the effective
    properties per service and what differs from stock; PATCH
    `{"service": {"property": "value"}}` changes them as an operator changes a running
    deployment (null takes a property back); the page's form posts one property."""
    if request.method in ("PATCH", "POST"):
        try:
            if _from_form(request):
                mosip_config.update(
                    {
                        request.POST["service"]: {
                            request.POST["property"]: request.POST["value"]
                        }
                    }
                )
                return _back_to_page()
            mosip_config.update(json.loads(request.body or b"{}"))
        except (ValueError, KeyError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    elif request.method != "GET":
        return JsonResponse({"error": "method not allowed"}, status=405)
    return JsonResponse(
        {"effective": mosip_config.effective(), "changed": mosip_config.changed()}
    )


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
            **({"email": spec["email"]} if spec.get("email") else {}),
            # Client scopes (e.g. e-Signet's add_oidc_client), space-separated.
            **({"scope": spec["scope"]} if spec.get("scope") else {}),
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


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MOSIP sandbox</title></head>
<body>
<h1>MOSIP sandbox</h1>
<p>A stand-in for MOSIP. Its own test API lives under <code>/sandbox/api/</code>.</p>

<h2>Clock</h2>
<form method="post" action="/sandbox/api/clock">
  <label>Speed <input name="speed" value="{speed}" size="6"></label>
  <button>Set speed</button>
</form>

<h2>Faults</h2>
<pre id="faults">{faults}</pre>
<p>Outage now: <strong>{outage}</strong></p>
<form method="post" action="/sandbox/api/faults">
  <input type="hidden" name="flags" value="1">
  <p><label>Latency (ms) <input name="latency_ms" value="{latency_ms}" size="6"></label></p>
  <p><label>Error rates (JSON: path prefix to probability)
    <input name="error_rates" value="{error_rates}" size="50"></label></p>
  <p><label>Outage
    <select name="outage_mode">
      <option value="none"{none_selected}>none</option>
      <option value="503"{http503_selected}>503 Service Unavailable</option>
      <option value="refuse"{refuse_selected}>refuse connections</option>
    </select></label>
    <label>for minutes (empty: until cleared) <input name="outage_minutes" size="4"></label></p>
  <p><label>Duplicate delivery rate (0..1)
    <input name="duplicate_rate" value="{duplicate_rate}" size="5"></label></p>
  <p><label><input type="checkbox" name="reorder"{reorder_checked}> Reorder deliveries</label></p>
  <p><label><input type="checkbox" name="halt_subscribers"{halt_checked}>
    Halt subscribers</label></p>
  <button>Save faults</button>
</form>
<form method="post" action="/sandbox/api/faults/clear"><button>Clear all faults</button></form>

<h2>MOSIP configuration</h2>
<p>Stock mosip-config v1.2.4.2, with these changes (<code>--config</code> files, then
<code>PATCH /sandbox/api/config</code>); every effective value is at
<a href="/sandbox/api/config">/sandbox/api/config</a>.</p>
<pre id="config-changes">{config_changes}</pre>
<form method="post" action="/sandbox/api/config">
  <label>Service <select name="service">{service_options}</select></label>
  <label>Property <input name="property" size="50"></label>
  <label>Value <input name="value" size="50"></label>
  <button>Set</button>
</form>

<h2>Reset</h2>
<form method="post" action="/sandbox/api/reset"><button>Reset to the fresh state</button></form>

<h2>Accounts</h2>
<ul>
  <li>Keycloak master admin: <code>{kc_admin}</code> (password grant on <code>admin-cli</code>)</li>
  <li>MOSIP admin user: <code>{mosip_admin}</code>, zone <code>{zone}</code></li>
  <li>MOSIP admin client: <code>{admin_client}</code></li>
</ul>
</body></html>
"""


@require_GET
def admin_page(request):
    """A plain page showing and changing the switches through the API above."""
    switches = faults.current()
    mode = switches["outage"]["mode"] or "none"
    page = _PAGE.format(
        speed=escape(clock.speed()),
        faults=escape(json.dumps(switches, indent=2)),
        outage=escape(faults.active_outage(switches) or "none"),
        latency_ms=escape(switches["latency_ms"]),
        error_rates=escape(json.dumps(switches["error_rates"])),
        none_selected=" selected" if mode == "none" else "",
        http503_selected=" selected" if mode == "503" else "",
        refuse_selected=" selected" if mode == "refuse" else "",
        duplicate_rate=escape(switches["duplicate_rate"]),
        reorder_checked=" checked" if switches["reorder"] else "",
        halt_checked=" checked" if switches["halt_subscribers"] else "",
        config_changes=escape(json.dumps(mosip_config.changed(), indent=2)),
        service_options="".join(
            f"<option>{escape(name)}</option>"
            for name in (*mosip_config.SERVICES, mosip_config.FILES_SERVICE)
        ),
        kc_admin=escape(config.KEYCLOAK_ADMIN_USER),
        mosip_admin=escape(config.MOSIP_ADMIN_USER),
        zone=escape(config.MOSIP_ADMIN_ZONE),
        admin_client=escape(config.MOSIP_ADMIN_CLIENT_ID),
    )
    return HttpResponse(page)


urlpatterns = [
    path("sandbox/", admin_page),
    path("sandbox/api/faults", faults_view),
    path("sandbox/api/faults/clear", faults_clear),
    path("sandbox/api/config", config_view),
    path("sandbox/api/tokens", mint_token),
    path("sandbox/api/documents", put_document),
    path("sandbox/api/health", health),
    path("sandbox/api/admins", admins),
    path("sandbox/api/reset", reset),
    path("sandbox/api/clock", clock_view),
    path("sandbox/api/events", events),
]
