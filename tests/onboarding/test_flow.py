"""From an empty database to all-green against the running sandbox, and again."""

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.onboarding import readiness
from apps.onboarding.models import Centre, Connection, Machine, OfficeMapping, Officer
from apps.websub.models import Subscription
from tests.onboarding.fixtures import (
    onboard,
    wait_for_subscriptions,
)


def _red(outcomes):
    return {o.key: o.reason for o in outcomes if not o.ok}


def test_a_fresh_database_reaches_every_check(mosip_sandbox, live_server):
    before = _red(readiness.run_checks())
    assert "onboarding.connection" in before and "websub" in before

    reports = onboard(mosip_sandbox.url, callback_base_url=live_server.url)

    assert [r.step for r in reports if not r.ok] == []
    assert wait_for_subscriptions()["ok"]
    assert _red(readiness.run_checks()) == {}
    connection = Connection.objects.get()
    assert connection.created_in_keycloak
    assert "ONLINE_REGISTRATION_CLIENT" in connection.token_roles
    assert Centre.objects.get().state == "active"
    machine = Machine.objects.get()
    # MOSIP's server signing key by default: packet manager signs with it.
    assert machine.key_source == "server" and machine.private_key == ""
    assert Officer.objects.get().is_mapped
    assert OfficeMapping.objects.get(office=None).centre == Centre.objects.get()
    assert Subscription.objects.filter(
        topic="mosip-crvs1-client/CREDENTIAL_ISSUED"
    ).exists()


def test_running_every_step_again_reuses_what_exists(mosip_sandbox, live_server):
    onboard(mosip_sandbox.url, callback_base_url=live_server.url)
    wait_for_subscriptions()
    ids = (Centre.objects.get().mosip_id, Machine.objects.get().mosip_id)
    secret = Connection.objects.get().client_secret
    subscriptions = set(Subscription.objects.values_list("pk", flat=True))

    reports = onboard(mosip_sandbox.url, callback_base_url=live_server.url)

    assert [r.step for r in reports if not r.ok] == []
    assert (Centre.objects.get().mosip_id, Machine.objects.get().mosip_id) == ids
    assert Connection.objects.get().client_secret == secret
    assert Officer.objects.count() == 1 and OfficeMapping.objects.count() == 1
    assert set(Subscription.objects.values_list("pk", flat=True)) == subscriptions
    assert _red(readiness.run_checks()) == {}


def test_mosip_check_exits_zero_only_when_every_check_holds(
    mosip_sandbox, live_server, capsys
):
    with pytest.raises(SystemExit) as exited:
        call_command("mosip_check")
    assert exited.value.code == 1
    assert "[FAIL] MOSIP connection and token" in capsys.readouterr().out

    onboard(mosip_sandbox.url, callback_base_url=live_server.url)
    wait_for_subscriptions()
    call_command("mosip_check")

    out = capsys.readouterr().out
    assert "[OK  ] Registration centre active" in out
    assert "[FAIL]" not in out
    assert out.strip().endswith("ready.")


@pytest.mark.django_db
def test_without_a_callback_address_websub_and_esignet_are_reported_not_done(
    mosip_sandbox, settings
):
    settings.WEBSUB_CALLBACK_BASE_URL = ""
    reports = onboard(mosip_sandbox.url)
    # e-Signet's redirect URI is on the portal's address too.
    assert [r.step for r in reports if not r.ok] == ["websub", "esignet"]
    assert "WEBSUB_CALLBACK_BASE_URL" in reports[-2].message
    assert "the portal's address" in reports[-1].message


@pytest.mark.django_db
def test_every_step_leaves_an_audit_row(mosip_sandbox):
    onboard(mosip_sandbox.url, until="offices")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "onboarding.client_created",
        "onboarding.centre_created",
        "onboarding.centre_activated",
        "onboarding.machine_created",
        "onboarding.officer_created",
        "onboarding.officer_centre_mapped",
        "onboarding.partner_registered",
        "onboarding.office_mapped",
    } <= actions


def test_the_embedded_run_onboards_with_the_sandbox_defaults(
    mosip_sandbox, live_server
):
    from apps.onboarding_wizard import embedded

    # As run_embedded: the operator's changes first, on the stock sandbox.
    assert embedded.apply_operator_changes(mosip_sandbox.url)
    first = embedded.onboard_sandbox(mosip_sandbox.url, portal_url=live_server.url)
    again = embedded.onboard_sandbox(mosip_sandbox.url, portal_url=live_server.url)

    assert [r.step for r in first if not r.ok] == []
    assert [r.step for r in again if not r.ok] == []
    assert wait_for_subscriptions()["ok"]
    assert _red(readiness.run_checks()) == {}
    assert Centre.objects.count() == 1 and Machine.objects.count() == 1


@pytest.mark.django_db
def test_a_machine_with_a_generated_key_is_flagged(mosip_sandbox):
    from apps.onboarding import services
    from tests.onboarding.fixtures import sandbox_admins

    onboard(mosip_sandbox.url, until="centre")
    _, admin = sandbox_admins()
    machine = services.machine_setup(actor=None, admin=admin, key_source="generated")
    assert machine.state == "active"
    assert machine.private_key.startswith("-----BEGIN PRIVATE KEY-----")
    # Packet manager would fail every packet naming it: readiness says so.
    reason = _red(readiness.run_checks())["onboarding.machine"]
    assert "does not carry MOSIP's server signing key" in reason
