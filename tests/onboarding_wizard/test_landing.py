"""The integration admin's landing: readiness, WebSub, queues and onboarding at a
glance, read from what is stored (the checks themselves run on the readiness page)."""

import datetime
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.onboarding import readiness
from apps.onboarding.models import ReadinessRun
from apps.onboarding.readiness import Check, CheckResult
from apps.registrations import services as registrations
from apps.registrations.models import OutboxMessage
from apps.websub.models import (
    EventKind,
    InboxEvent,
    InboxStatus,
    Subscription,
    SubscriptionState,
)
from tests.registrations.factories import load_id_schema, make_event

pytestmark = pytest.mark.django_db
LANDING = "/integration/"


@pytest.fixture
def admin_client(client, integration_admin):
    client.force_login(integration_admin)
    return client


def _text(response) -> str:
    """The page as a reader gets it: tags dropped, white space (no-break spaces
    too) collapsed to single spaces."""
    assert response.status_code == 200
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def two_checks(monkeypatch):
    """A registry of two checks, one holding and one failing with its fix."""
    monkeypatch.setattr(
        readiness,
        "_registry",
        {
            "roles": Check(
                "roles",
                "Client roles",
                lambda: CheckResult(True, "All 6 roles are in the token."),
                "onboarding:step-token",
            ),
            "schema": Check(
                "schema",
                "ID schema current",
                lambda: CheckResult(
                    False, "MOSIP publishes version 0.3; the portal holds 0.2."
                ),
                "onboarding:step-schema",
            ),
        },
    )


def test_the_home_route_lands_the_integration_admin_here(admin_client):
    response = admin_client.get(reverse("accounts:home"))
    assert response["Location"] == LANDING == reverse("integration:home")


def test_before_any_check_ran_the_landing_says_so(admin_client):
    page = _text(admin_client.get(LANDING))

    assert "— no readiness check run yet" in page
    assert "The readiness checks have not run yet" in page
    assert "Run the checks now" in page
    assert "Healthy WebSub" not in page and "no subscriptions" in page
    assert "0 packets waiting to be sent" in page
    assert "Last event received None yet" in page
    assert "0 of 13 onboarding steps done" in page
    assert "Next: Keycloak client and roles" in page


def test_a_failing_check_shows_with_its_fix_text_and_a_link_to_the_fix(
    admin_client, two_checks
):
    admin_client.get(reverse("onboarding:readiness"))  # runs the checks

    response = admin_client.get(LANDING)
    page = _text(response)

    assert "1 of 2 readiness checks held" in page
    assert re.search(
        r"Not ready: 1 of 2 checks held when last run, .+ \(0 minutes ago\)", page
    )
    failing = page.split("Failing", 1)[1].split("Run the checks again", 1)[0]
    assert (
        "ID schema current · Fix : ID schema current "
        "MOSIP publishes version 0.3; the portal holds 0.2."
    ) in failing
    assert "Client roles" not in failing
    html = response.content.decode()
    fix = reverse("onboarding:step-schema")
    assert f'<a href="{fix}">Fix<span class="visually-hidden">: ID schema current' in (
        html
    )
    assert f'href="{reverse("onboarding:readiness")}"' in html


def test_checks_failing_for_one_reason_show_it_once(admin_client, two_checks):
    unreachable = "MOSIP could not be reached (no answer, timeout or server error)."
    for key, label, step in [
        ("roles", "Client roles", "token"),
        ("machine", "Machine carries the server signing key", "machine"),
    ]:
        readiness._registry[key] = Check(
            key,
            label,
            lambda: CheckResult(False, unreachable),
            f"onboarding:step-{step}",
        )
    admin_client.get(reverse("onboarding:readiness"))

    response = admin_client.get(LANDING)
    page = _text(response)

    assert "Not ready: 0 of 3 checks held" in page
    assert page.count(unreachable) == 1
    assert (
        "Client roles · Fix : Client roles "
        "Machine carries the server signing key · Fix : Machine carries the server "
        f"signing key {unreachable} "
        "ID schema current · Fix : ID schema current MOSIP publishes version 0.3"
    ) in page
    html = response.content.decode()
    for step in ("token", "machine", "schema"):
        assert f'href="{reverse(f"onboarding:step-{step}")}"' in html


def test_the_landing_shows_the_latest_run_not_an_older_one(admin_client, two_checks):
    with pytest.raises(SystemExit):
        call_command("mosip_check")  # exits 1: a check fails; the run is kept
    assert ReadinessRun.objects.count() == 1
    readiness._registry["schema"] = Check(
        "schema", "ID schema current", lambda: CheckResult(True, "Current."), ""
    )
    admin_client.get(reverse("onboarding:readiness"))

    page = _text(admin_client.get(LANDING))

    assert ReadinessRun.objects.count() == 1
    assert "Ready: all 2 checks held when last run" in page
    assert "Failing" not in page


def test_a_queued_packet_shows_in_the_depth(admin_client, registrar):
    load_id_schema()
    event = registrations.event_submit(
        event=make_event(registrar, "birth"), actor=registrar
    )
    outbox = OutboxMessage.objects.get(event=event)

    first = _text(admin_client.get(LANDING))
    # MOSIP was unavailable: the send waits for its retry.
    OutboxMessage.objects.filter(pk=outbox.pk).update(
        failing_since=timezone.now(),
        last_error_code="HTTP 503",
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    retrying = _text(admin_client.get(LANDING))

    assert "1 packet waiting to be sent" in first
    assert (
        "Packets waiting to be sent to MOSIP 1 Due now 1 "
        "Waiting to retry after a failure 0 Oldest waiting since"
    ) in first
    assert "Due now 0 Waiting to retry after a failure 1" in retrying
    assert "Sends given up on None" in retrying


def test_websub_health_and_the_inbox_show(admin_client):
    now = timezone.now()
    sub = Subscription.objects.create(
        topic="REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT",
        kind=EventKind.WORKFLOW_COMPLETED,
        callback_url="http://testserver/websub/x/",
        secret="s3cr3t",
        state=SubscriptionState.VERIFIED,
        verified_at=now,
        requested_at=now,
    )
    # Stored as they arrive: a day-old event MOSIP's result named no packet of
    # ours, then one applied two minutes ago, and one waiting since a minute ago.
    arrivals = [
        (datetime.timedelta(days=1), InboxStatus.ORPHAN),
        (datetime.timedelta(minutes=2), InboxStatus.APPLIED),
        (datetime.timedelta(minutes=1), InboxStatus.PENDING),
    ]
    for n, (ago, status) in enumerate(arrivals):
        InboxEvent.objects.create(
            subscription=sub, kind=sub.kind, key=f"event:{n}", body="{}",
            received_at=now - ago, next_attempt_at=now, status=status,
        )  # fmt: skip

    response = admin_client.get(LANDING)
    page = _text(response)

    assert "Healthy WebSub subscriptions" in page
    assert "1 subscriptions verified" in page
    assert "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT : Verified" in page
    last = timezone.localtime(now - datetime.timedelta(minutes=1))
    assert f"Last event received {last:%-d %b %Y %H:%M} (1 minute ago)" in page
    assert "Events from MOSIP waiting to be applied 1" in page
    assert "Events that could not be applied 1" in page
    assert f'<a href="{reverse("websub:orphans")}">1</a>' in response.content.decode()


def test_a_denied_subscription_needs_attention(admin_client):
    Subscription.objects.create(
        topic="mosip-crvs1-client/CREDENTIAL_ISSUED",
        kind=EventKind.CREDENTIAL_ISSUED,
        callback_url="http://testserver/websub/y/",
        secret="s3cr3t",
        state=SubscriptionState.DENIED,
        denied_reason="no such topic",
    )

    page = _text(admin_client.get(LANDING))

    assert "Needs attention WebSub subscriptions" in page
    assert "mosip-crvs1-client/CREDENTIAL_ISSUED : denied: no such topic" in page


def test_the_figures_refresh_as_a_fragment(admin_client):
    response = admin_client.get(LANDING, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="glance"')
    assert "<h1>" not in html and "<html" not in html
    assert 'hx-trigger="every 30s"' in html


@pytest.mark.parametrize("persona", ["registrar", "supervisor"])
def test_other_roles_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LANDING).status_code == 403
