"""`manage.py check --deploy`: sign-in throttling needs a cache every web process
shares (docs/security/sign-in.md)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def shared_cache_for_throttling(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is not shared between web processes, so "
            "each counts failed sign-ins on its own.",
            hint="Set CACHE_URL to a shared cache, e.g. rediscache://redis:6379/1.",
            id="accounts.W001",
        )
    ]
