"""One HTTP exchange with MOSIP: mandatory timeout, error mapping, safe logging.

MOSIP's kernel envelope (docs/mosip/packet-api.md §1): requests are
`{id, version, requesttime, metadata, request}`, answers
`{id, version, responsetime, metadata, response, errors}`, and business errors come
back as HTTP 200 with `errors[]`. Logs carry the method, the path (never the query
string or bodies), the status, the duration and MOSIP's error codes: no token,
secret or personal data.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from apps.mosip.errors import (
    MosipBadResponse,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)

logger = logging.getLogger("apps.mosip")

Timeout = tuple[float, float]


def utc_timestamp(moment: datetime | None = None) -> str:
    """MOSIP's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`: UTC, three fraction digits, literal Z."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def envelope(
    request: Any,
    *,
    id: str = "string",
    version: str = "v1",
    metadata: dict | None = None,
) -> dict:
    """Kernel RequestWrapper around `request`, stamped with the current time."""
    return {
        "id": id,
        "version": version,
        "requesttime": utc_timestamp(),
        "metadata": {} if metadata is None else metadata,
        "request": request,
    }


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: Timeout,
    **kwargs: Any,
) -> requests.Response:
    """Send one request; connection problems and timeouts become MosipUnavailable.

    `timeout` is (connect, read) seconds and has no default: no call without one."""
    if not timeout or any(t is None or t <= 0 for t in timeout):
        raise ValueError("every MOSIP call needs a positive (connect, read) timeout")
    started = time.monotonic()
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout as exc:
        logger.warning("mosip %s %s timed out", method, _path(url))
        raise MosipUnavailable(f"MOSIP did not answer in time ({_path(url)})") from exc
    except requests.exceptions.SSLError as exc:
        logger.warning("mosip %s %s TLS failure", method, _path(url))
        raise MosipUnavailable(
            f"the TLS handshake with MOSIP failed ({_path(url)}): is its certificate "
            "trusted here?"
        ) from exc
    except requests.ConnectionError as exc:
        logger.warning("mosip %s %s unreachable", method, _path(url))
        raise MosipUnavailable(f"MOSIP is unreachable ({_path(url)})") from exc
    except requests.RequestException as exc:
        logger.warning("mosip %s %s failed: %s", method, _path(url), type(exc).__name__)
        raise MosipUnavailable(f"MOSIP call failed ({_path(url)})") from exc
    status = response.status_code
    level = (
        logging.WARNING
        if status >= 500 or status == 429
        else logging.INFO
        if status >= 400
        else logging.DEBUG
    )
    logger.log(
        level,
        "mosip %s %s -> %s in %.0f ms",
        method,
        _path(url),
        response.status_code,
        (time.monotonic() - started) * 1000,
    )
    return response


def json_body(response: requests.Response) -> Any:
    """The parsed JSON answer; MosipBadResponse when it is not JSON."""
    try:
        return response.json()
    except ValueError as exc:
        raise MosipBadResponse(
            f"{_path(response.url or '')} answered HTTP {response.status_code} "
            "with something that is not JSON: is the URL right?",
            http_status=response.status_code,
        ) from exc


def error_items(body: Any) -> list[dict]:
    """MOSIP's `errors` list (None, [] or missing mean none)."""
    if not isinstance(body, dict):
        return []
    errors = body.get("errors")
    if not isinstance(errors, list):
        return []
    return [e if isinstance(e, dict) else {"message": str(e)} for e in errors]


def error_text(item: dict) -> str:
    # kernel services say `message`, reg-proc status services `errorMessage`.
    return str(item.get("message") or item.get("errorMessage") or "")


def rejected(errors: list[dict], http_status: int | None) -> MosipRejected:
    text = "; ".join(
        f"{e.get('errorCode') or '?'}: {error_text(e)}".rstrip(": ") for e in errors
    )
    logger.warning(
        "mosip rejected the request: %s",
        ",".join(str(e.get("errorCode")) for e in errors),
    )
    return MosipRejected(
        text or "MOSIP rejected the request", errors=errors, http_status=http_status
    )


def check_status(response: requests.Response) -> None:
    """Map a non-2xx answer to a named error (401 is left to the caller)."""
    status = response.status_code
    if status < 300:
        return
    path = _path(response.url or "")
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = error_items(body)
    code = str(errors[0].get("errorCode")) if errors else None
    if status == 403:
        raise MosipForbidden(
            f"MOSIP refused access to {path}: the identity lacks the role or "
            "audience this API needs",
            code=code or "KER-ATH-403",
            http_status=status,
        )
    if status == 429 or status >= 500:
        raise MosipUnavailable(
            f"MOSIP answered HTTP {status} for {path}", code=code, http_status=status
        )
    if status == 404 and not errors:
        raise MosipBadResponse(
            f"{path} does not exist on this server (HTTP 404): is the URL right?",
            http_status=status,
        )
    if errors:
        raise rejected(errors, status)
    raise MosipRejected(f"MOSIP answered HTTP {status} for {path}", http_status=status)


def unwrap(response: requests.Response) -> Any:
    """`response` of a kernel envelope; MosipRejected when `errors[]` is not empty."""
    check_status(response)
    body = json_body(response)
    if not isinstance(body, dict):
        raise MosipBadResponse(
            f"{_path(response.url or '')} answered JSON that is not a MOSIP envelope",
            http_status=response.status_code,
        )
    errors = error_items(body)
    if errors:
        raise rejected(errors, response.status_code)
    return body.get("response")
