"""Serving the sandbox as its own process, on its own port, with its own state and
its own Django settings (apps/mosip_sandbox/django_settings.py)."""

import os
import threading


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


def use_store(db_path: str) -> None:
    """Keep this process's state in the SQLite file at `db_path` (store.get_store)."""
    os.environ["MOSIP_SANDBOX_DB"] = db_path


def start_background() -> threading.Event:
    # Imported once the command has configured Django under the sandbox's own settings:
    # these modules read the store and the URLconf, which need it.
    from apps.mosip_sandbox import background, seed, urls  # noqa: F401  (registers ticks)
    from apps.mosip_sandbox.store import get_store

    store = get_store()
    if store.get("settings", "seeded") is None:
        seed.run_all()
        store.put("settings", "seeded", {"done": True})
    stop = threading.Event()
    background.start(stop)
    return stop
