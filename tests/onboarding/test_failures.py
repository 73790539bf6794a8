"""Each way a step can fail gives a plain message and saves nothing half-done."""

import dataclasses

import pytest
import requests

from apps.onboarding import services
from apps.onboarding.models import Centre, Connection, Machine, Officer
from tests.onboarding.fixtures import onboard, sandbox_admins
from tests.sandbox_process import free_port

pytestmark = pytest.mark.django_db


def _connect(url, **overrides):
    keycloak_admin, _ = sandbox_admins()
    arguments = {
        "actor": None,
        "keycloak_url": f"{url}/auth",
        "api_url": url,
        "hub_url": f"{url}/hub",
        "client_id": "mosip-crvs1-client",
        "keycloak_admin": keycloak_admin,
    }
    arguments.update(overrides)
    return services.connection_setup(**arguments)


def _faults(sandbox, **switches):
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json=switches, timeout=10
    ).raise_for_status()


def _until_step(sandbox, last: str):
    reports = onboard(sandbox.url, until=last)
    assert all(r.ok for r in reports) and reports[-1].step == last, reports
    return reports


def test_a_wrong_api_url_says_so_and_saves_nothing(mosip_sandbox):
    with pytest.raises(services.OnboardingError) as failed:
        _connect(mosip_sandbox.url, api_url=f"{mosip_sandbox.url}/not-mosip")
    assert "not as MOSIP does" in failed.value.message
    assert Connection.objects.count() == 0


def test_an_unreachable_mosip_says_so_and_saves_nothing(mosip_sandbox):
    nowhere = f"http://127.0.0.1:{free_port()}"
    keycloak_admin, _ = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.connection_setup(
            actor=None, keycloak_url=f"{nowhere}/auth", api_url=nowhere,
            hub_url=f"{nowhere}/hub", client_id="mosip-crvs1-client",
            keycloak_admin=keycloak_admin,
        )  # fmt: skip
    assert "could not be reached" in failed.value.message
    assert Connection.objects.count() == 0


def test_a_mosip_outage_is_reported_as_unreachable(mosip_sandbox):
    _faults(mosip_sandbox, outage={"mode": "503", "until": None})
    with pytest.raises(services.OnboardingError) as failed:
        _connect(mosip_sandbox.url)
    assert "could not be reached" in failed.value.message
    assert Connection.objects.count() == 0


def test_a_wrong_keycloak_admin_password_is_refused(mosip_sandbox):
    with pytest.raises(services.OnboardingError) as failed:
        _connect(
            mosip_sandbox.url,
            keycloak_admin=services.KeycloakAdmin("admin", "not-the-password"),
        )
    assert failed.value.message.startswith("Setting up the client in Keycloak")
    assert "credentials" in failed.value.message
    assert Connection.objects.count() == 0


def test_an_existing_client_with_a_wrong_secret_is_refused(mosip_sandbox):
    _connect(mosip_sandbox.url)
    Connection.objects.all().delete()
    with pytest.raises(services.OnboardingError) as failed:
        _connect(mosip_sandbox.url, keycloak_admin=None, client_secret="wrong")
    assert "did not accept the credentials" in failed.value.message
    assert Connection.objects.count() == 0


def test_the_keycloak_token_source_works_too(mosip_sandbox):
    connection = _connect(mosip_sandbox.url, token_source="keycloak")
    assert connection.verified_at is not None
    checked = services.connection_check_token(actor=None)
    assert "ONLINE_REGISTRATION_CLIENT" in checked.token_roles


def test_a_badly_formed_latitude_is_explained(mosip_sandbox):
    _until_step(mosip_sandbox, "token")
    _, admin = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.centre_setup(
            actor=None, admin=admin,
            details=dataclasses.replace(services.CentreDetails(), latitude="100.1"),
        )  # fmt: skip
    assert "KER-MSD-307" in failed.value.message
    assert "at least 4 decimals" in failed.value.message
    assert Centre.objects.count() == 0


def test_a_centre_outside_the_admins_zones_is_explained(mosip_sandbox):
    _connect(mosip_sandbox.url)
    _, admin = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.centre_setup(
            actor=None, admin=admin,
            details=dataclasses.replace(services.CentreDetails(), zone_code="SLE"),
        )  # fmt: skip
    assert "KER-MSD-441" in failed.value.message
    assert Centre.objects.count() == 0


def test_a_wrong_mosip_admin_password_saves_no_centre(mosip_sandbox):
    _connect(mosip_sandbox.url)
    _, admin = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.centre_setup(
            actor=None,
            admin=dataclasses.replace(admin, password="wrong"),
            details=services.CentreDetails(),
        )
    assert "credentials" in failed.value.message
    assert Centre.objects.count() == 0


def test_an_interrupted_centre_step_resumes_without_a_second_centre(mosip_sandbox):
    _connect(mosip_sandbox.url)
    _, admin = sandbox_admins()
    # Reading the centre back fails after MOSIP created and activated it.
    _faults(mosip_sandbox, error_rates={"/v1/masterdata/registrationcenters/": 1.0})
    with pytest.raises(services.OnboardingError):
        services.centre_setup(actor=None, admin=admin, details=services.CentreDetails())
    centre = Centre.objects.get()
    assert centre.state == "created"
    requests.delete(f"{mosip_sandbox.url}/sandbox/api/faults", timeout=10)

    resumed = services.centre_setup(
        actor=None, admin=admin, details=services.CentreDetails()
    )

    assert resumed.mosip_id == centre.mosip_id
    assert resumed.state == "active"
    assert Centre.objects.count() == 1


def test_a_machine_name_taken_in_mosip_is_explained(mosip_sandbox):
    _until_step(mosip_sandbox, "centre")
    _, admin = sandbox_admins()
    services.machine_setup(actor=None, admin=admin, name="taken-name")
    Machine.objects.all().delete()
    with pytest.raises(services.OnboardingError) as failed:
        services.machine_setup(actor=None, admin=admin, name="taken-name")
    assert "KER-MSD-413" in failed.value.message
    assert "already exists in MOSIP" in failed.value.message
    assert Machine.objects.count() == 0


def test_an_officer_already_in_another_zone_is_explained(mosip_sandbox):
    _until_step(mosip_sandbox, "officer")
    _, admin = sandbox_admins()
    token = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": admin.client_id,
              "client_secret": admin.client_secret, "username": admin.username,
              "password": admin.password},
        timeout=10,
    ).json()["access_token"]  # fmt: skip
    requests.post(
        f"{mosip_sandbox.url}/v1/masterdata/zoneuser",
        json={"request": {"zoneCode": "KTA", "userId": "crvs.officer",
                          "langCode": "eng", "isActive": True}},
        headers={"Cookie": f"Authorization={token}"},
        timeout=10,
    ).raise_for_status()  # fmt: skip
    with pytest.raises(services.OnboardingError) as failed:
        services.officer_map(actor=None, admin=admin)
    assert "KER-USR-021" in failed.value.message
    assert "one zone per user" in failed.value.message
    officer = Officer.objects.get()
    assert officer.zone_mapping == "" and officer.centre_mapping == ""


def _admin_token(sandbox, admin) -> str:
    return requests.post(
        f"{sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": admin.client_id,
              "client_secret": admin.client_secret, "username": admin.username,
              "password": admin.password},
        timeout=10,
    ).json()["access_token"]  # fmt: skip


def test_a_zone_mapping_mosip_already_has_is_taken_over(mosip_sandbox):
    # A run stopped after MOSIP made the zone mapping: the re-run gets KER-USR-018
    # for it, counts it as made, activates it and goes on to the centre mapping.
    _until_step(mosip_sandbox, "officer")
    _, admin = sandbox_admins()
    centre = Centre.objects.get()
    requests.post(
        f"{mosip_sandbox.url}/v1/masterdata/zoneuser",
        json={"request": {"zoneCode": centre.zone_code, "userId": "crvs.officer",
                          "langCode": "eng", "isActive": True}},
        headers={"Cookie": f"Authorization={_admin_token(mosip_sandbox, admin)}"},
        timeout=10,
    ).raise_for_status()  # fmt: skip
    officer = services.officer_map(actor=None, admin=admin)
    assert officer.is_mapped and officer.centre == centre


def test_a_mapping_recorded_before_its_activation_failed_resumes(
    mosip_sandbox, monkeypatch
):
    from apps.mosip.errors import MosipUnavailable
    from apps.onboarding import remote

    _until_step(mosip_sandbox, "officer")
    _, admin = sandbox_admins()

    def down(*args, **kwargs):
        raise MosipUnavailable("down")

    monkeypatch.setattr(remote, "user_centre_activate", down)
    with pytest.raises(services.OnboardingError):
        services.officer_map(actor=None, admin=admin)
    officer = Officer.objects.get()
    # What MOSIP made is recorded, so nothing is left unknown to the portal.
    assert (officer.zone_mapping, officer.centre_mapping) == ("active", "created")
    monkeypatch.undo()
    assert services.officer_map(actor=None, admin=admin).is_mapped


def test_a_step_out_of_order_says_what_comes_first(mosip_sandbox):
    _connect(mosip_sandbox.url)
    _, admin = sandbox_admins()
    with pytest.raises(services.OnboardingError) as failed:
        services.machine_setup(actor=None, admin=admin)
    assert "centre first" in failed.value.message
    with pytest.raises(services.OnboardingError):
        services.office_mapping_set(actor=None)


def test_an_existing_client_without_the_roles_is_named_on_the_checklist(mosip_sandbox):
    from apps.mosip import keycloak_admin
    from apps.onboarding import readiness

    keycloak_admin_login, _ = sandbox_admins()
    admin = keycloak_admin.connect(
        f"{mosip_sandbox.url}/auth",
        keycloak_admin_login.username,
        keycloak_admin_login.password,
    )
    keycloak_admin.client_create(admin, "mosip-crvs1-client", secret="bare-secret")
    _connect(mosip_sandbox.url, keycloak_admin=None, client_secret="bare-secret")

    checked = services.connection_check_token(actor=None)

    assert "ONLINE_REGISTRATION_CLIENT" in services.missing_roles(checked)
    outcome = next(o for o in readiness.run_checks() if o.key == "onboarding.roles")
    assert not outcome.ok
    assert "ONLINE_REGISTRATION_CLIENT" in outcome.reason
    assert outcome.fix_url == "/onboarding/steps/token/"


def test_an_existing_machine_without_the_server_key_is_not_recorded(mosip_sandbox):
    _until_step(mosip_sandbox, "centre")
    _, admin = sandbox_admins()
    generated = services.machine_setup(
        actor=None, admin=admin, name="own-key", key_source="generated"
    )
    with pytest.raises(services.OnboardingError) as failed:
        services.machine_record_existing(
            actor=None, admin=admin, mosip_id=generated.mosip_id
        )
    assert "does not carry MOSIP's server signing key" in failed.value.message


def test_an_existing_machine_with_the_server_key_is_recorded(mosip_sandbox):
    _until_step(mosip_sandbox, "machine")
    _, admin = sandbox_admins()
    machine = Machine.objects.get()
    recorded = services.machine_record_existing(
        actor=None, admin=admin, mosip_id=machine.mosip_id
    )
    assert recorded.pk == machine.pk and recorded.state == "active"
