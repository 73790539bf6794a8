"""The single `/hub` endpoint (docs/mosip/onboarding-websub.md §4.1–4.2, §6 items 8–10).

`hub.mode` comes from the form for form-encoded bodies and from the query string
for JSON (and the other raw) bodies, as websubhub's `retrieveParams` reads it.
"""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox.hub import subscriptions, wire
from apps.mosip_sandbox.hub.publishing import publish_over_http
from apps.mosip_sandbox.store import get_store

RAW_CONTENT_TYPES = {
    "application/json",
    "application/xml",
    "application/octet-stream",
    "text/plain",
}
FORM = "application/x-www-form-urlencoded"


def _params(request) -> dict[str, str]:
    content_type = (request.content_type or "").strip().lower()
    if content_type == FORM:
        # Ballerina's form reader drops empty values.
        return {k: v for k, v in request.POST.items() if v != ""}
    if content_type in RAW_CONTENT_TYPES:
        # Topic is URL-decoded once more by the handler, as for form values.
        return {
            key: request.GET[key]
            for key in ("hub.mode", "hub.topic")
            if request.GET.get(key)
        }
    raise wire.BadParameter(
        "Endpoint only supports content type of application/x-www-form-urlencoded, "
        "application/json, application/xml, application/octet-stream and text/plain"
    )


@csrf_exempt
def hub(request):
    if request.method != "POST":
        return wire.text_response("Method not allowed", status=405)
    try:
        params = _params(request)
    except wire.BadParameter as exc:
        return wire.text_response(str(exc))
    mode = params.get("hub.mode")
    handler = {
        "subscribe": _subscribe,
        "unsubscribe": _unsubscribe,
        "register": _register,
        "deregister": _deregister,
        "publish": publish_over_http,
    }.get(mode)
    if handler is None:
        return wire.text_response(
            "The request does not include valid `hub.mode` form param."
        )
    try:
        return handler(request, params)
    except wire.BadParameter as exc:
        return wire.text_response(str(exc))


def _subscription_message(request, params: dict[str, str]) -> dict:
    topic = wire.decoded_parameter(params, "hub.topic")
    callback = wire.decoded_parameter(params, "hub.callback")
    try:
        lease = int(params.get("hub.lease_seconds", ""))
    except ValueError:
        lease = wire.DEFAULT_LEASE_SECONDS
    return {
        "topic": topic,
        "callback": callback,
        "secret": params.get("hub.secret"),
        "lease_seconds": lease,
        "hub": request.build_absolute_uri("/hub"),
    }


def _subscribe(request, params):
    message = _subscription_message(request, params)
    try:
        message["subscriber"] = wire.authorize_subscriber(request, message["topic"])
    except wire.NotAuthorized as exc:
        # A plain error from onSubscription becomes websubhub's internal error.
        return wire.hub_response("denied", str(exc), status=500)
    subscriptions.verify_subscription_later(message)
    return wire.hub_response("accepted", status=202)


def _unsubscribe(request, params):
    message = _subscription_message(request, params)
    try:
        wire.authorize_subscriber(request, message["topic"])
    except wire.NotAuthorized as exc:
        return wire.hub_response("denied", str(exc), status=500)
    subscriptions.verify_unsubscription_later(message)
    return wire.hub_response("accepted", status=202)


def _register(request, params):
    topic = wire.decoded_parameter(params, "hub.topic")
    try:
        wire.authorize_publisher(request, topic)
    except wire.NotAuthorized as exc:
        return wire.hub_response("denied", str(exc))
    if not subscriptions.register_topic(topic):
        return wire.hub_response("denied", "Topic has already registered with the Hub")
    return wire.hub_response("accepted")


def _deregister(request, params):
    topic = wire.decoded_parameter(params, "hub.topic")
    try:
        wire.authorize_publisher(request, topic)
    except wire.NotAuthorized as exc:
        return wire.hub_response("denied", str(exc))
    if not subscriptions.deregister_topic(topic):
        return wire.hub_response("denied", "Topic has not been registered in the Hub")
    return wire.hub_response("accepted")


def health(request):
    return JsonResponse({"status": "UP"})


def subscriptions_view(request):
    """Sandbox view of the hub's subscriber list (not a MOSIP API): secrets are
    left out."""
    docs = get_subscription_summaries()
    return JsonResponse({"subscriptions": docs})


def get_subscription_summaries() -> list[dict]:
    keep = ("topic", "callback", "lease_seconds", "halted", "committed", "subscriber")
    return [
        {k: doc.get(k) for k in keep}
        for doc in get_store().all(subscriptions.SUBSCRIPTIONS)
    ]


urlpatterns = [
    path("hub", hub),
    path("hub/", hub),
    path("hub/actuator/health", health),
    path("sandbox/api/hub/subscriptions", subscriptions_view),
]
