from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.access import public
from apps.core import health


@public
@never_cache
@require_GET
def healthz(request):
    """Database and broker must answer; the worker heartbeat is reported, not required,
    so a load balancer keeps serving pages while background work catches up."""
    checks = {}
    for name, check in [
        ("database", health.check_database),
        ("broker", health.check_broker),
    ]:
        ok, detail = check()
        checks[name] = {"ok": ok, "detail": detail}
    healthy = all(c["ok"] for c in checks.values())
    if checks["database"]["ok"]:
        checks["worker"] = health.worker_heartbeat()
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": checks},
        status=200 if healthy else 503,
    )
