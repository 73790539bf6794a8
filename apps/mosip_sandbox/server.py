"""Serving the sandbox as its own process, on its own port, with its own state."""

import os
import threading

from django.conf import settings

SANDBOX_MIDDLEWARE = [
    "apps.mosip_sandbox.server.ContentLengthMiddleware",
    "apps.mosip_sandbox.faults.FaultMiddleware",
]


class ContentLengthMiddleware:
    """Every answer carries its length, so HTTP/1.1 clients keep their connection
    open between calls, as they do with the gateway in front of MOSIP (without a
    length the development server closes each connection)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


def configure(db_path: str) -> None:
    """Point this process at the sandbox's URLs, middleware and store.

    The sandbox shares the portal's code base but not its configuration: it answers only
    MOSIP's paths, without sessions, CSRF or the portal's database."""
    os.environ["MOSIP_SANDBOX_DB"] = db_path
    settings.ROOT_URLCONF = "apps.mosip_sandbox.urls"
    settings.MIDDLEWARE = SANDBOX_MIDDLEWARE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
    settings.APPEND_SLASH = False
    settings.DEBUG = False
    # The sandbox serves JSON to machines, with no pages to frame or script.
    settings.SECURE_CSP = {}


def start_background() -> threading.Event:
    from apps.mosip_sandbox import background, seed, urls  # noqa: F401  (registers ticks)
    from apps.mosip_sandbox.store import get_store

    store = get_store()
    if store.get("settings", "seeded") is None:
        seed.run_all()
        store.put("settings", "seeded", {"done": True})
    stop = threading.Event()
    background.start(stop)
    return stop
