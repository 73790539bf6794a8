"""The `esignet` fault switch (one key of apps/mosip_sandbox/faults.py): e-Signet alone
down or slow, and forged, expired or replayed answers for a relying party's tests of
bad input. Read from the stored switches directly, since faults.py imports this."""

import base64
import json
import time
from typing import Any

from django.http import HttpResponse

from apps.mosip_sandbox.store import get_store

ID_TOKEN_WRONG_KEY = "id_token_wrong_key"
ID_TOKEN_EXPIRED = "id_token_expired"
ID_TOKEN_REPLAYED = "id_token_replayed"
USERINFO_WRONG_KEY = "userinfo_wrong_key"
USERINFO_ALTERED = "userinfo_altered"
TAMPERS = (
    ID_TOKEN_WRONG_KEY,
    ID_TOKEN_EXPIRED,
    ID_TOKEN_REPLAYED,
    USERINFO_WRONG_KEY,
    USERINFO_ALTERED,
)
DEFAULT: dict[str, Any] = {"down": False, "latency_ms": 0, "tamper": None}
# Every path e-Signet answers, its UI's included.
PREFIXES = ("/v1/esignet/", "/authorize", "/.well-known/")


def validate(value: Any) -> dict[str, Any]:
    """The switch merged over its defaults; ValueError naming what is wrong."""
    if value is None:
        return dict(DEFAULT)
    if not isinstance(value, dict):
        raise ValueError('esignet must be {"down", "latency_ms", "tamper"}')
    unknown = set(value) - set(DEFAULT)
    if unknown:
        raise ValueError(f"esignet: unknown keys {', '.join(sorted(unknown))}")
    merged = {**DEFAULT, **value}
    if not isinstance(merged["down"], bool):
        raise ValueError("esignet.down must be true or false")
    try:
        merged["latency_ms"] = int(merged["latency_ms"])
    except (TypeError, ValueError) as exc:
        raise ValueError("esignet.latency_ms must be an integer") from exc
    if not 0 <= merged["latency_ms"] <= 120_000:
        raise ValueError("esignet.latency_ms must be between 0 and 120000")
    if merged["tamper"] not in (None, *TAMPERS):
        raise ValueError(f"esignet.tamper must be null or one of {', '.join(TAMPERS)}")
    return merged


def current() -> dict[str, Any]:
    stored = (get_store().get("settings", "faults") or {}).get("esignet")
    return {**DEFAULT, **(stored or {})}


def tamper() -> str | None:
    return current()["tamper"]


def alter_payload(jws: str) -> str:
    """The JWS with its payload changed after signing: a name swapped, the signature
    kept, as a man in the middle would leave it."""
    header, payload, signature = jws.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims = {**claims, "name": "Someone Else"}
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([header, forged, signature])


def guard(view):
    """Apply `down` (the ingress's 503, no e-Signet pod ready) and `latency_ms`
    before an e-Signet view."""

    def wrapped(request, *args, **kwargs):
        switches = current()
        if switches["latency_ms"]:
            time.sleep(switches["latency_ms"] / 1000)
        if switches["down"]:
            return HttpResponse(
                "no healthy upstream",
                status=503,
                content_type="text/plain",
                reason="Service Unavailable",
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
