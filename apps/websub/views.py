"""The hub's callback (`/websub/<slug>/`) and the integration admin's WebSub pages.

The callback is the portal's only CSRF-exempt view: the hub cannot hold a CSRF token,
and a delivery is trusted only through its HMAC signature instead. Why each delivery
gets the status it gets is explained in apps/websub/receiver.py.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import public, roles_required
from apps.accounts.models import Role
from apps.websub import delivery, processing, quarantine, queries, services
from apps.websub.models import Subscription

log = logging.getLogger(__name__)

integration_admin = roles_required(Role.INTEGRATION_ADMIN)


@csrf_exempt
@public
def callback(request, slug):
    if request.method == "GET":
        try:
            return _verify_intent(request, slug)
        except Exception as exc:  # noqa: BLE001 - never a 500 to the hub
            log.error("websub verification failed: %s", type(exc).__name__)
            # The hub sees no challenge, so it stores nothing; the keep-alive retries.
            return HttpResponse("", status=503, content_type="text/plain")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    answer = delivery.deliver(slug, request.META, request.read)
    return HttpResponse(status=answer.status, headers=dict(answer.headers))


def _verify_intent(request, slug):
    """Echo `hub.challenge` only for a pending subscription of that topic. A denial
    is acted on only while a request of ours awaits the hub's answer, counted as
    unverified otherwise; either way it gets an empty 200, so a prober cannot tell
    which. Anything else gets 404, so nobody can subscribe our callback."""
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


# Integration admin pages --------------------------------------------------------------


@integration_admin
@require_GET
def subscription_list(request):
    context = {
        "health": queries.subscription_health(),
        "subscriptions": queries.subscriptions_with_counts(),
        "bad_inputs": queries.bad_input_counts(),
        "quarantine": queries.quarantine_summary(),
    }
    return render(request, "websub/subscriptions.html", context)


@integration_admin
@require_POST
def subscription_resubscribe(request, pk):
    sub = get_object_or_404(Subscription, pk=pk)
    if services.subscription_request(sub.pk, actor=request.user, reason="by an admin"):
        messages.success(
            request,
            _("Subscription to %(topic)s requested again.") % {"topic": sub.topic},
        )
    else:
        messages.error(
            request,
            _("The hub could not be asked about %(topic)s.") % {"topic": sub.topic},
        )
    return redirect("websub:subscriptions")


@integration_admin
@require_POST
def subscription_rotate(request, pk):
    sub = get_object_or_404(Subscription, pk=pk)
    services.subscription_rotate_secret(sub.pk, actor=request.user)
    messages.success(
        request,
        _("New secret for %(topic)s; the old one still works.") % {"topic": sub.topic},
    )
    return redirect("websub:subscriptions")


@integration_admin
@require_GET
def quarantine_list(request):
    reason = request.GET.get("reason", "")
    page = Paginator(queries.quarantine(reason), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "reason": reason,
        "reasons": queries.quarantine_reasons(),
        "summary": queries.quarantine_summary(),
    }
    return render(request, "websub/quarantine.html", context)


@integration_admin
@require_POST
def quarantine_recheck(request):
    released = quarantine.quarantine_recheck()
    messages.success(
        request,
        ngettext(
            "%(count)s held deliveries released to the inbox.",
            "%(count)s held deliveries released to the inbox.",
            released,
        )
        % {"count": released},
    )
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
        messages.success(request, _("The event will be applied again."))
    else:
        messages.error(request, _("That event cannot be retried."))
    return redirect("websub:orphans")
