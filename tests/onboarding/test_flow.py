"""From an empty database to all-green against the running sandbox, and again."""

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.onboarding import readiness
from apps.onboarding.models import Centre, Connection, Machine, OfficeMapping, Officer
from tests.onboarding.fixtures import onboard

pytestmark = pytest.mark.django_db


def _red(outcomes):
    return {o.key: o.reason for o in outcomes if not o.ok}


def test_a_fresh_database_reaches_every_onboarding_check(mosip_sandbox):
    before = _red(readiness.run_checks())
    assert "onboarding.connection" in before

    reports = onboard(mosip_sandbox.url)

    assert [r.step for r in reports if not r.ok] in ([], ["websub"])
    red = _red(readiness.run_checks())
    red.pop("onboarding.websub", None)
    assert red == {}
    connection = Connection.objects.get()
    assert connection.created_in_keycloak
    assert "ONLINE_REGISTRATION_CLIENT" in connection.token_roles
    assert Centre.objects.get().state == "active"
    machine = Machine.objects.get()
    assert machine.private_key.startswith("-----BEGIN PRIVATE KEY-----")
    assert Officer.objects.get().is_mapped
    assert OfficeMapping.objects.get(office=None).machine == machine


def test_running_every_step_again_reuses_what_exists(mosip_sandbox):
    onboard(mosip_sandbox.url)
    ids = (Centre.objects.get().mosip_id, Machine.objects.get().mosip_id)
    secret = Connection.objects.get().client_secret

    reports = onboard(mosip_sandbox.url)

    assert [r.step for r in reports if not r.ok] in ([], ["websub"])
    assert (Centre.objects.get().mosip_id, Machine.objects.get().mosip_id) == ids
    assert Connection.objects.get().client_secret == secret
    assert Officer.objects.count() == 1 and OfficeMapping.objects.count() == 1


def test_mosip_check_exits_zero_only_when_every_check_holds(mosip_sandbox, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("mosip_check")
    assert exited.value.code == 1
    assert "[FAIL] MOSIP connection and token" in capsys.readouterr().out
    onboard(mosip_sandbox.url)
    for key in ("onboarding.websub",):
        readiness.unregister_check(key)
    try:
        call_command("mosip_check")
    finally:
        from apps.onboarding import checks

        readiness.register_check(
            "onboarding.websub", "WebSub installed", checks.check_websub_installed,
            "onboarding:step-websub",
        )  # fmt: skip
    out = capsys.readouterr().out
    assert "[OK  ] Registration centre active" in out
    assert "ready." in out


def test_every_step_leaves_an_audit_row(mosip_sandbox):
    onboard(mosip_sandbox.url)
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
