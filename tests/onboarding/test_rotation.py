"""Rotating the client secret and the machine key without downtime, audited."""

import pytest
import requests

from apps.audit.models import AuditEvent
from apps.onboarding import readiness, services
from apps.onboarding.models import Connection, Machine
from tests.onboarding.fixtures import sandbox_admins

pytestmark = pytest.mark.django_db


def _green():
    return {o.key for o in readiness.run_checks() if o.ok}


def test_a_regenerated_secret_is_verified_then_used(onboarded_sandbox):
    old = Connection.objects.get().client_secret
    keycloak_admin, _ = sandbox_admins()

    services.connection_rotate_secret(actor=None, keycloak_admin=keycloak_admin)

    connection = Connection.objects.get()
    assert connection.client_secret != old
    assert connection.previous_client_secret == old
    assert connection.secret_rotated_at is not None
    assert "onboarding.connection" in _green()
    assert AuditEvent.objects.filter(action="onboarding.client_secret_rotated").exists()


def test_a_new_secret_that_mosip_refuses_leaves_the_old_one_in_use(onboarded_sandbox):
    old = Connection.objects.get().client_secret
    with pytest.raises(services.OnboardingError) as failed:
        services.connection_rotate_secret(
            actor=None, new_secret="not-what-keycloak-has"
        )
    assert "did not accept" in failed.value.message
    connection = Connection.objects.get()
    assert connection.client_secret == old
    assert connection.previous_client_secret == ""
    assert not AuditEvent.objects.filter(
        action="onboarding.client_secret_rotated"
    ).exists()


def test_the_server_signing_key_is_not_rotated_from_the_portal(onboarded_sandbox):
    machine = Machine.objects.get()
    _, admin = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.machine_rotate_key(actor=None, admin=admin)
    assert "KER-MSD-414" in failed.value.message
    assert Machine.objects.get() == machine and machine.retired_at is None


def test_a_generated_machine_key_is_replaced_and_the_old_machine_kept_active(
    mosip_sandbox,
):
    from apps.onboarding.queries import current_machine
    from tests.onboarding.fixtures import onboard

    onboard(mosip_sandbox.url, until="centre")
    _, admin = sandbox_admins()
    old = services.machine_setup(actor=None, admin=admin, key_source="generated")

    new = services.machine_rotate_key(actor=None, admin=admin)

    assert new.mosip_id != old.mosip_id
    assert new.public_key != old.public_key and new.replaces == old
    old.refresh_from_db()
    assert old.retired_at is not None
    assert current_machine() == new
    # Packets already sent under the old machine keep validating in MOSIP.
    token = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": admin.client_id,
              "client_secret": admin.client_secret, "username": admin.username,
              "password": admin.password},
        timeout=10,
    ).json()["access_token"]  # fmt: skip
    found = requests.get(
        f"{mosip_sandbox.url}/v1/masterdata/machines/{old.mosip_id}",
        headers={"Cookie": f"Authorization={token}"},
        timeout=10,
    ).json()["response"]["machines"][0]
    assert found["isActive"] is True
    assert AuditEvent.objects.filter(action="onboarding.machine_key_rotated").exists()
