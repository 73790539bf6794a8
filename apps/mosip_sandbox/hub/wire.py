"""What MOSIP's WebSub hub puts on the wire, and how it reads what it is sent.

MOSIP runs Ballerina `websubhub` 2201.0.x with MOSIP's own `security.bal`
(docs/mosip/onboarding-websub.md §1.3, §4). Everything here reproduces those programs' text
handling, including the parts a subscriber may not expect.
"""

import json
import re
import urllib.parse
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from apps.mosip_sandbox import tokens

PARTNER_USER_ID_PREFIX = "service-account-"
DEFAULT_LEASE_SECONDS = 864000


class NotAuthorized(Exception):
    """Authorisation failed; the message is the hub's `hub.reason`."""


def sanitize_topic(topic: str) -> str:
    # The Kafka topic (and the registry key) replaces every non-alphanumeric with
    # `_`, so `a-b/X` and `a_b/X` are one topic at MOSIP (util.bal).
    return re.sub(r"[^a-zA-Z0-9]", "_", topic)


def token_from_cookie_header(request) -> str | None:
    """The token as security.bal reads it: split the raw Cookie header on "; ",
    take the first part starting with `Authorization=`, keep what follows the first
    `=` up to the next one. A Bearer header is never looked at."""
    header = request.META.get("HTTP_COOKIE")
    if not header:
        return None
    for part in header.split("; "):
        if part.startswith("Authorization="):
            return part.split("=")[1]
    return None


def _validated_identity(request) -> tuple[str, list[str]]:
    """userId and roles, as authmanager's validateToken reports them (§1.3)."""
    token = token_from_cookie_header(request)
    if not token:
        raise NotAuthorized("Authorization token cannot be found")
    try:
        claims = tokens.verify(token)
    except tokens.InvalidToken as exc:
        # validateToken answers 401; the hub passes on its reason phrase.
        raise NotAuthorized("Unauthorized") from exc
    user_id = str(claims.get("preferred_username", ""))
    if user_id.startswith(PARTNER_USER_ID_PREFIX):
        user_id = user_id[len(PARTNER_USER_ID_PREFIX) :]
    roles = list((claims.get("realm_access") or {}).get("roles") or [])
    return user_id, roles


def _split_topic(topic: str) -> tuple[str | None, str]:
    partner_id, slash, event = topic.partition("/")
    return (partner_id, event) if slash else (None, topic)


def authorize_subscriber(request, topic: str) -> str:
    """The subscriber's userId, or NotAuthorized (security.bal, §4.3)."""
    user_id, roles = _validated_identity(request)
    partner_id, event = _split_topic(topic)
    if partner_id is not None:
        allowed = f"SUBSCRIBE_{event}_INDIVIDUAL" in roles and partner_id == user_id
    else:
        allowed = f"SUBSCRIBE_{event}_GENERAL" in roles
    if not allowed:
        raise NotAuthorized("Subscriber is not authorized")
    return user_id


def authorize_publisher(request, topic: str) -> str:
    user_id, roles = _validated_identity(request)
    partner_id, event = _split_topic(topic)
    suffix = "_ALL_INDIVIDUAL" if partner_id is not None else "_GENERAL"
    if f"PUBLISH_{event}{suffix}" not in roles:
        raise NotAuthorized("Publisher is not authorized")
    return user_id


def hub_response(mode: str, reason: str | None = None, status: int = 200):
    """Ballerina's form answer. The reason goes out as is, spaces included."""
    payload = f"hub.mode={mode}" + (f"&hub.reason={reason}" if reason else "")
    return HttpResponse(
        payload, status=status, content_type="application/x-www-form-urlencoded"
    )


def text_response(message: str, status: int = 400):
    return HttpResponse(message, status=status, content_type="text/plain")


class BadParameter(Exception):
    pass


def decoded_parameter(params: dict[str, str], key: str) -> str:
    """websubhub's retrieveQueryParameter: it URL-decodes topic and callback once
    more after the form was decoded, so a literal `+` or `%xx` in them changes."""
    value = params.get(key, "")
    if re.search(r"%(?![0-9a-fA-F]{2})", value):
        raise BadParameter(
            f"Invalid value found for parameter '{key}' : URLDecoder: Illegal hex "
            "characters in escape (%) pattern"
        )
    decoded = urllib.parse.unquote_plus(value, errors="strict") if value else ""
    if not decoded:
        raise BadParameter(f"Empty value found for parameter '{key}'")
    return decoded


def notification_url(callback: str, params: list[tuple[str, str | None]]) -> str:
    """websubhub's generateQueryString: values appended unencoded."""
    pairs = "&".join(f"{k}={v}" for k, v in params if v is not None)
    return callback + ("&" if "?" in callback else "?") + pairs


def link_header(hub_url: str, topic: str) -> str:
    # generateLinkUrl: no angle brackets around either URL.
    return f'{hub_url}; rel="hub", {topic}; rel="self"'


def parse_json(text: str) -> Any:
    """Decimals stay as written (Ballerina keeps `1.50` a decimal)."""
    return json.loads(text, parse_float=Decimal)


def ballerina_json(value: Any) -> str:
    """The hub stores and delivers `content.toJsonString()`, not the publisher's
    bytes: members are joined by ", " and keys by ":" (Ballerina's JSON writer),
    key order kept. A subscriber must verify the signature over the bytes it
    receives, never over a re-serialisation of its own. [I: §4.2]"""
    if isinstance(value, dict):
        members = ", ".join(
            f"{_json_string(str(k))}:{ballerina_json(v)}" for k, v in value.items()
        )
        return "{" + members + "}"
    if isinstance(value, list):
        return "[" + ", ".join(ballerina_json(v) for v in value) + "]"
    if isinstance(value, str):
        return _json_string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
