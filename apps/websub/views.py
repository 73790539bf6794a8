"""The hub's callback (`/websub/<slug>/`) and the integration admin's WebSub pages.

The callback is the portal's only CSRF-exempt view: the hub cannot hold a CSRF token,
and a delivery is trusted only through its HMAC signature instead. Why each delivery
gets the status it gets is explained in apps/websub/receiver.py.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import public, roles_required
from apps.accounts.models import Role
from apps.websub import processing, queries, receiver, services
from apps.websub.models import Subscription

log = logging.getLogger(__name__)

integration_admin = roles_required(Role.INTEGRATION_ADMIN)


@csrf_exempt
@public
def callback(request, slug):
    if request.method == "GET":
        return _verify_intent(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        return _deliver(request, slug)
    except DatabaseError as exc:
        log.error("websub delivery not stored: %s", type(exc).__name__)
    except Exception as exc:  # noqa: BLE001 - never a 500 to the hub (receiver.py)
        log.error("websub delivery failed: %s", type(exc).__name__)
    return HttpResponse(status=503)


def _verify_intent(request, slug):
    """Echo `hub.challenge` only for a pending subscription of that topic; record a
    denial. Anything else gets 404, so nobody can subscribe our callback."""
    params = request.GET
    mode = params.get("hub.mode", "")
    topic = params.get("hub.topic", "")
    if mode == "denied":
        services.subscription_record_denial(slug, topic, params.get("hub.reason", ""))
        return HttpResponse("", content_type="text/plain")
    if mode == "subscribe":
        challenge = services.subscription_confirm(
            slug, topic, params.get("hub.challenge", "")
        )
        if challenge is not None:
            return HttpResponse(challenge, content_type="text/plain")
    return HttpResponse("", status=404, content_type="text/plain")


def _deliver(request, slug):
    sub = receiver.load_subscription(slug)
    body = receiver.read_body(request, sub)
    signature = request.META.get("HTTP_X_HUB_SIGNATURE", "")

    def hold(reason, signature_valid=False):
        services.delivery_quarantine(
            subscription_id=sub.id if sub else None,
            slug=slug,
            reason=reason,
            body=body.kept,
            body_size=body.size,
            body_sha256=body.sha256,
            signature=signature,
            signature_valid=signature_valid,
        )

    if body.over_drain_limit:
        hold("too_large")
        return HttpResponse(status=413)
    if sub is None:
        hold("unknown_subscription")
        return HttpResponse(status=410)
    if not signature:
        hold("missing_signature")
        return HttpResponse(status=202)
    signer = receiver.signed_by(signature, body.macs)
    if signer is None and not body.too_large:
        # The cached secrets may be out of date (a rotation just started).
        sub = receiver.load_subscription(slug, fresh=True)
        signer = receiver.signed_by(signature, receiver.secret_macs(sub, body.kept))
    if signer is None:
        hold("bad_signature")
        return HttpResponse(status=202)
    if body.too_large:
        hold("too_large", signature_valid=True)
        return HttpResponse(status=202)
    link = request.META.get("HTTP_LINK", "")
    try:
        key, application_id = receiver.inbox_key(sub, body.kept, link)
    except receiver.Unusable as bad:
        hold(bad.reason, signature_valid=True)
        return HttpResponse(status=202)
    if not receiver.store(sub, key, body.kept, application_id):
        services.bad_input_count("duplicate")
    if signer == "previous" and sub.hub_holds_previous_secret:
        services.subscription_flag_trouble(sub.id, "hub signs with the previous secret")
        return HttpResponse(status=503)
    return HttpResponse(status=202)


# Integration admin pages --------------------------------------------------------------


@integration_admin
@require_GET
def subscription_list(request):
    context = {
        "health": queries.subscription_health(),
        "subscriptions": queries.subscriptions_with_counts(),
        "bad_inputs": queries.bad_input_counts(),
    }
    return render(request, "websub/subscriptions.html", context)


@integration_admin
@require_POST
def subscription_resubscribe(request, pk):
    sub = get_object_or_404(Subscription, pk=pk)
    if services.subscription_request(sub.pk, actor=request.user, reason="by an admin"):
        messages.success(request, f"Subscription to {sub.topic} requested again.")
    else:
        messages.error(request, f"The hub could not be asked about {sub.topic}.")
    return redirect("websub:subscriptions")


@integration_admin
@require_POST
def subscription_rotate(request, pk):
    sub = get_object_or_404(Subscription, pk=pk)
    services.subscription_rotate_secret(sub.pk, actor=request.user)
    messages.success(request, f"New secret for {sub.topic}; the old one still works.")
    return redirect("websub:subscriptions")


@integration_admin
@require_GET
def quarantine_list(request):
    reason = request.GET.get("reason", "")
    page = Paginator(queries.quarantine(reason), 50).get_page(request.GET.get("page"))
    context = {"page": page, "reason": reason, "reasons": queries.quarantine_reasons()}
    return render(request, "websub/quarantine.html", context)


@integration_admin
@require_POST
def quarantine_recheck(request):
    released = services.quarantine_recheck()
    messages.success(request, f"{released} held deliveries released to the inbox.")
    return redirect("websub:quarantine")


@integration_admin
@require_GET
def orphan_list(request):
    page = Paginator(queries.orphans(), 50).get_page(request.GET.get("page"))
    return render(request, "websub/orphans.html", {"page": page})


@integration_admin
@require_POST
def orphan_retry(request, pk):
    if processing.inbox_retry(pk, actor=request.user):
        messages.success(request, "The event will be applied again.")
    else:
        messages.error(request, "That event cannot be retried.")
    return redirect("websub:orphans")
