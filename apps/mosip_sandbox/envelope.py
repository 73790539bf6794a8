"""MOSIP's request and response envelopes (docs/mosip/packet-api.md §1)."""

import json
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, JsonResponse


def utc_timestamp(moment: datetime | None = None) -> str:
    """MOSIP's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`: three fraction digits, literal Z."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_utc_timestamp(value: str) -> datetime:
    """Parse a MOSIP timestamp; raises ValueError on anything else."""
    if not isinstance(value, str) or not value.endswith("Z"):
        raise ValueError("not a UTC timestamp")
    return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC)


def error(code: str, message: str, key: str = "message", **extra: Any) -> dict:
    """One error item; reg-proc status services name the text `errorMessage`."""
    return {"errorCode": code, key: message, **extra}


def respond(
    *,
    id: str | None,
    version: str | None = "v1",
    response: Any = None,
    errors: list | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    """MOSIP's ResponseWrapper. Business errors still answer HTTP 200."""
    body = {
        "id": id,
        "version": version,
        "responsetime": utc_timestamp(),
        "metadata": None,
        "response": response,
        "errors": errors,
        **extra,
    }
    return JsonResponse(body, status=status, headers=headers)


class BadJson(Exception):
    pass


def read_json(request: HttpRequest) -> Any:
    """The request body as JSON; BadJson when it is not (Spring answers 400)."""
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadJson(str(exc)) from exc


def bad_json_response() -> JsonResponse:
    # Spring's default for an unreadable body: HTTP 400 with its own error shape.
    return JsonResponse(
        {
            "timestamp": utc_timestamp(),
            "status": 400,
            "error": "Bad Request",
            "message": "JSON parse error",
        },
        status=400,
    )
