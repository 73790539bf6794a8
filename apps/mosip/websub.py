"""MOSIP's WebSub hub: register, subscribe, unsubscribe, publish
(docs/mosip/onboarding-websub.md §4).

One endpoint, `hub_url`. Subscribe/unsubscribe/register are form posts; publish
sends JSON with `hub.mode` and `hub.topic` in the query string. The hub reads the
token only from the `Authorization` cookie and answers in form encoding:
`hub.mode=accepted`, or `hub.mode=denied&hub.reason=…` (HTTP 500 for a refused
subscription, HTTP 200 for a refused publish or registration).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import requests

from apps.mosip import transport
from apps.mosip.config import MosipClient
from apps.mosip.errors import MosipForbidden, MosipRejected, MosipUnavailable

logger = logging.getLogger("apps.mosip")

FORM = "application/x-www-form-urlencoded"
# What the hub answers when validateToken refuses the token (it never says 401).
_TOKEN_REFUSED = {"Unauthorized", "Authorization token cannot be found"}
_NOT_AUTHORISED = ("Subscriber is not authorized", "Publisher is not authorized")


@dataclass(frozen=True)
class HubAnswer:
    """The hub's verdict: `accepted`, or not with its `reason`."""

    accepted: bool
    reason: str = ""
    http_status: int = 200


def _answer(response: requests.Response) -> HubAnswer:
    fields = parse_qs(response.text or "", keep_blank_values=True)
    mode = (fields.get("hub.mode") or [""])[0]
    reason = (fields.get("hub.reason") or [""])[0]
    if mode == "accepted" or (response.status_code == 202 and mode != "denied"):
        return HubAnswer(True, "", response.status_code)
    if mode == "denied":
        return HubAnswer(False, reason, response.status_code)
    if response.status_code >= 500 or response.status_code == 429:
        raise MosipUnavailable(
            f"the WebSub hub answered HTTP {response.status_code}",
            http_status=response.status_code,
        )
    # websubhub answers a bad parameter with HTTP 400 and a plain-text message.
    raise MosipRejected(
        f"the WebSub hub refused the request: {(response.text or '').strip()[:200]}",
        code=f"HUB-{response.status_code}",
        http_status=response.status_code,
    )


def _check_value(name: str, value: str) -> None:
    # The hub URL-decodes topic and callback once more after the form decoding, so
    # `%` and `+` would arrive changed (websubhub retrieveQueryParameter).
    if not value:
        raise ValueError(f"{name} is required")
    if "%" in value or "+" in value:
        raise ValueError(
            f"{name} must not contain '%' or '+' (MOSIP's hub decodes it twice)"
        )


def _post(client: MosipClient, **kwargs: Any) -> HubAnswer:
    """POST to the hub; a token the hub refuses is renewed and sent once more."""
    for attempt in (1, 2):
        token = client.token()
        answer = _answer(client.request("POST", client.config.hub_url, **kwargs))
        if answer.accepted or answer.reason not in _TOKEN_REFUSED:
            return answer
        client.discard_token(token)
        if attempt == 2:
            break
    return answer


def _denied(answer: HubAnswer, action: str) -> None:
    logger.warning("websub %s denied", action)
    if answer.reason in _NOT_AUTHORISED or answer.reason in _TOKEN_REFUSED:
        raise MosipForbidden(
            f"the WebSub hub refused to {action}: {answer.reason}",
            code="HUB-DENIED",
            http_status=answer.http_status,
        )
    raise MosipRejected(
        f"the WebSub hub refused to {action}: {answer.reason}",
        code="HUB-DENIED",
        http_status=answer.http_status,
    )


def register_topic(client: MosipClient, topic: str) -> bool:
    """Register a topic (publisher roles). True when created, False when it
    already existed; topics are also created on first subscribe or publish."""
    _check_value("topic", topic)
    answer = _post(client, data={"hub.mode": "register", "hub.topic": topic})
    if answer.accepted:
        return True
    if "already registered" in answer.reason:
        return False
    _denied(answer, "register the topic")
    return False


def subscribe(
    client: MosipClient,
    *,
    topic: str,
    callback: str,
    secret: str,
    lease_seconds: int | None = None,
) -> HubAnswer:
    """Ask the hub to deliver `topic` to `callback`, signing each delivery with
    `secret` (HMAC-SHA256 in X-Hub-Signature). The hub answers 202 and then
    verifies intent with a GET to the callback; a live duplicate is denied there,
    not here. Partner topics `<partnerId>/EVENT` need SUBSCRIBE_EVENT_INDIVIDUAL
    and a token whose user is the partner; general topics
    SUBSCRIBE_<TOPIC>_GENERAL. MosipForbidden when the hub refuses the identity."""
    _check_value("topic", topic)
    _check_value("callback", callback)
    if not secret:
        raise ValueError("a subscription needs its own secret")
    form = {
        "hub.mode": "subscribe",
        "hub.topic": topic,
        "hub.callback": callback,
        "hub.secret": secret,
    }
    if lease_seconds:
        form["hub.lease_seconds"] = str(int(lease_seconds))
    answer = _post(client, data=form)
    if not answer.accepted:
        _denied(answer, "subscribe")
    return answer


def unsubscribe(
    client: MosipClient, *, topic: str, callback: str, secret: str = "-"
) -> HubAnswer:
    """Ask the hub to stop delivering `topic` to `callback` (verified by a GET to
    the callback). The hub reads `hub.secret` unconditionally, so one is sent."""
    _check_value("topic", topic)
    _check_value("callback", callback)
    answer = _post(
        client,
        data={
            "hub.mode": "unsubscribe",
            "hub.topic": topic,
            "hub.callback": callback,
            "hub.secret": secret or "-",
        },
    )
    if not answer.accepted:
        _denied(answer, "unsubscribe")
    return answer


def publish(client: MosipClient, topic: str, content: dict[str, Any]) -> HubAnswer:
    """Publish `content` (JSON) to `topic`, e.g. CREDENTIAL_STATUS_UPDATE, which
    needs PUBLISH_<TOPIC>_GENERAL."""
    _check_value("topic", topic)
    answer = _post(
        client,
        params={"hub.mode": "publish", "hub.topic": topic},
        data=json.dumps(content).encode(),
        headers={"Content-Type": "application/json"},
    )
    if not answer.accepted:
        _denied(answer, "publish")
    return answer


def credential_status_update(
    *, request_id: str, status: str, event_id: str, publisher: str = "CRVS_PORTAL"
) -> dict[str, Any]:
    """The CREDENTIAL_STATUS_UPDATE event acknowledging a received credential
    (docs/mosip/onboarding-websub.md §5.3): `request_id` is the credential event's
    `transactionId`; `status` `served` or a `serving_error_*` value."""
    now = transport.utc_timestamp()
    return {
        "publisher": publisher,
        "topic": "CREDENTIAL_STATUS_UPDATE",
        "publishedOn": now,
        "event": {
            "id": event_id,
            "requestId": request_id,
            "status": status,
            "timestamp": now,
            "url": None,
        },
    }


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `X-Hub-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact
    received bytes under the subscription's secret (docs/mosip/onboarding-websub.md §4.2).
    Compare over the raw body: the hub re-serialises what the publisher sent."""
    if not header or not secret:
        return False
    method, _, received = header.strip().partition("=")
    if method.lower() != "sha256" or not received:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received.strip().lower())
