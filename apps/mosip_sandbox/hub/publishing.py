"""Publishing over HTTP: `POST /hub?hub.mode=publish&hub.topic=...` with a JSON body
(docs/mosip/onboarding-websub.md §4.2). The message joins the same ordered log as the
sandbox's own publications (`bus.publish`)."""

from collections.abc import Callable
from typing import Any

from apps.mosip_sandbox import bus
from apps.mosip_sandbox.hub import subscriptions, wire

# Sandbox services that consume a topic, as MOSIP's own subscribers would
# (e.g. credential-request-generator on CREDENTIAL_STATUS_UPDATE).
_listeners: dict[str, list[Callable[[Any], None]]] = {}


def listen(topic: str):
    def decorator(fn: Callable[[Any], None]):
        _listeners.setdefault(topic, []).append(fn)
        return fn

    return decorator


def publish_over_http(request, params: dict[str, str]):
    topic = wire.decoded_parameter(params, "hub.topic")
    try:
        publisher = wire.authorize_publisher(request, topic)
    except wire.NotAuthorized as exc:
        return wire.hub_response("denied", str(exc))
    try:
        text = request.body.decode("utf-8")
        content = wire.parse_json(text)
    except ValueError:
        # The body cannot be read as the declared JSON: websubhub answers 400.
        return wire.text_response("Error in accessing content")
    subscriptions.ensure_topic(topic)
    bus.publish(topic, text, publisher=publisher)
    for listener in _listeners.get(topic, []):
        listener(content)
    return wire.hub_response("accepted")
