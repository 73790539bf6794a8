"""The wizard and the readiness page, driven as an Integration admin would."""

import re

import pytest
from django.urls import reverse

from apps.mosip_sandbox import config as sandbox_config
from apps.onboarding.models import Centre, Connection, Machine, Officer
from apps.onboarding_wizard import checks, embedded
from apps.onboarding_wizard.steps import ACTIONS
from tests.onboarding.fixtures import operator_list, wait_for_subscriptions

pytestmark = pytest.mark.django_db

KC_ADMIN = {
    "kc_username": sandbox_config.KEYCLOAK_ADMIN_USER,
    "kc_password": sandbox_config.KEYCLOAK_ADMIN_PASSWORD,
}
MOSIP_ADMIN = {
    "admin_username": sandbox_config.MOSIP_ADMIN_USER,
    "admin_password": sandbox_config.MOSIP_ADMIN_PASSWORD,
    "admin_client_id": sandbox_config.MOSIP_ADMIN_CLIENT_ID,
    "admin_client_secret": sandbox_config.MOSIP_ADMIN_CLIENT_SECRET,
}
PARTNER_ADMIN = {
    "pa_username": sandbox_config.PARTNER_ADMIN_USER,
    "pa_password": sandbox_config.PARTNER_ADMIN_PASSWORD,
    "pa_client_id": sandbox_config.MOSIP_ADMIN_CLIENT_ID,
    "pa_client_secret": sandbox_config.MOSIP_ADMIN_CLIENT_SECRET,
}
CENTRE = {
    "mode": "create", "name": "CRVS Integration Centre", "zone_code": "RBT",
    "location_code": "14023", "holiday_location_code": "RSK", "centre_type": "REG",
    "latitude": "34.5228", "longitude": "-6.8367", "address": "Civil Registry HQ",
}  # fmt: skip


def _client_form(url, **changes):
    data = {
        "mode": "create", "keycloak_url": f"{url}/auth", "api_url": url,
        "hub_url": f"{url}/hub", "client_id": "mosip-crvs1-client",
        "token_source": "authmanager", "app_id": "regproc", **KC_ADMIN,
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client, integration_admin):
    client.force_login(integration_admin)
    return client


def _post(client, key, data):
    return client.post(reverse(f"onboarding:step-{key}"), data)


def test_the_wizard_walks_every_step_to_the_readiness_page(
    admin_client, mosip_sandbox, live_server
):
    url = mosip_sandbox.url
    # The admin hands the MOSIP changes page to the operator, who makes them.
    changes = admin_client.get(reverse("onboarding:mosip-changes"))
    assert "syncdata-default.properties" in changes.content.decode()
    operator_list(url)
    forms = {
        "client": _client_form(url),
        "token": {},
        "centre": {**CENTRE, **MOSIP_ADMIN},
        "machine": {"mode": "create", "name": "crvs-portal-01",
                    "key_source": "server", "spec_id": "1001", **MOSIP_ADMIN},
        "officer": {"mode": "create", "user_id": "crvs.officer", **KC_ADMIN},
        "mappings": MOSIP_ADMIN,
        "schema": {},
        "processes": {"source": "CRVS1", "process_birth": "CRVS_NEW",
                      "process_death": "CRVS_DEATH", "process_marriage": "",
                      "process_divorce": ""},
        "partner": {"partner_id": "", "organisation": "Civil Registry",
                    "email": "registry@example.org", "phone": "+212500000000",
                    "policy_group": embedded.SANDBOX_POLICY_GROUP,
                    "policy_name": "crvs-credential-policy", **KC_ADMIN,
                    **PARTNER_ADMIN},
        "ida": {"partner_id": "", "policy_name": "crvs-auth-policy", "ida_url": "",
                "misp_id": "", "email": "registry@example.org", **KC_ADMIN,
                **PARTNER_ADMIN},
        "offices": {"office": ""},
        "websub": {"base_url": live_server.url},
        "esignet": {"esignet_url": url, "redirect_uri": live_server.url
                    + reverse("registrations:identity-callback"),
                    "token_issuer": "", **PARTNER_ADMIN},
    }  # fmt: skip
    keys = list(ACTIONS)
    for key, data in forms.items():
        response = _post(admin_client, key, data)
        assert response.status_code == 302, (key, response.content[:3000])
        following = keys[keys.index(key) + 1] if key != "esignet" else None
        expected = (
            reverse(f"onboarding:step-{following}")
            if following
            else reverse("onboarding:readiness")
        )
        assert response["Location"] == expected

    assert wait_for_subscriptions()["ok"]
    page = admin_client.get(reverse("onboarding:readiness"))
    assert page.status_code == 200
    rows = page.content.decode()
    assert rows.count('class="badge ok">OK') == 13
    assert "Failing" not in rows and "Ready: every check holds." in rows
    wizard = admin_client.get(reverse("onboarding:wizard")).content.decode()
    assert wizard.count("badge ok") == len(ACTIONS)
    offices = admin_client.get(reverse("onboarding:step-offices")).content.decode()
    assert re.search(r"Next application id: <code>\d{29}</code>", offices)


def test_a_failing_step_shows_the_reason_and_keeps_nothing(admin_client, mosip_sandbox):
    response = _post(
        admin_client,
        "client",
        _client_form(
            mosip_sandbox.url,
            mode="existing",
            kc_username="",
            client_secret="typed-s3cret-9",
        ),  # fmt: skip
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved." in body
    assert "did not accept the credentials" in body
    assert "typed-s3cret-9" not in body
    assert Connection.objects.count() == 0


def test_admin_passwords_are_never_rendered_back(admin_client, mosip_sandbox):
    _post(admin_client, "client", _client_form(mosip_sandbox.url))
    response = _post(admin_client, "centre", {**CENTRE, **MOSIP_ADMIN, "latitude": "1"})
    body = response.content.decode()
    assert "KER-MSD-307" in body
    assert sandbox_config.MOSIP_ADMIN_PASSWORD not in body
    assert Centre.objects.count() == 0 and Machine.objects.count() == 0


def test_a_step_without_the_admin_login_is_a_form_error(admin_client, mosip_sandbox):
    _post(admin_client, "client", _client_form(mosip_sandbox.url))
    response = _post(admin_client, "mappings", {})
    assert response.status_code == 200
    assert (
        "MOSIP admin&#x27;s user and password are needed" in response.content.decode()
    )
    assert Officer.objects.count() == 0


def test_the_readiness_checklist_refreshes_as_a_fragment(admin_client):
    response = admin_client.get(reverse("onboarding:readiness"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'hx-trigger="every 30s"' in body
    assert "No MOSIP connection is set up." in body
    assert reverse("onboarding:step-client") in body


def test_registrars_cannot_open_the_wizard(client, registrar):
    client.force_login(registrar)
    assert client.get(reverse("onboarding:wizard")).status_code == 403
    assert client.get(reverse("onboarding:step-client")).status_code == 403


def test_rotating_to_a_secret_mosip_refuses_changes_nothing(
    admin_client, onboarded_sandbox
):
    secret = Connection.objects.get().client_secret
    response = admin_client.post(
        reverse("onboarding:rotate-secret"), {"new_secret": "not-in-keycloak"}
    )
    assert response.status_code == 200
    assert "Nothing was changed." in response.content.decode()
    assert Connection.objects.get().client_secret == secret


def test_rotating_the_server_key_machine_is_refused_on_the_page(
    admin_client, onboarded_sandbox
):
    old = Machine.objects.get()
    response = admin_client.post(reverse("onboarding:rotate-machine"), MOSIP_ADMIN)
    assert response.status_code == 200
    assert "KER-MSD-414" in response.content.decode()
    assert Machine.objects.get() == old


def test_the_machine_form_explains_why_the_server_key(admin_client, mosip_sandbox):
    page = admin_client.get(reverse("onboarding:step-machine")).content.decode()
    assert "disable-verification" in page
    assert '<option value="server" selected>' in page


def test_recording_an_existing_centre_asks_for_the_mosip_admin(admin_client, db):
    response = _post(admin_client, "centre", {**CENTRE, "mode": "existing",
                                              "existing_id": "10001"})  # fmt: skip
    assert response.status_code == 200
    assert "The MOSIP admin" in response.content.decode()


def test_the_token_step_and_readiness_count_the_same_roles(admin_client, mosip_sandbox):
    operator_list(mosip_sandbox.url)
    assert (
        _post(admin_client, "client", _client_form(mosip_sandbox.url)).status_code
        == 302
    )
    assert _post(admin_client, "token", {}).status_code == 302
    connection = Connection.objects.get()
    needed = len(connection.roles)
    assert len(connection.token_roles) > needed  # Keycloak adds its default roles

    page = admin_client.get(reverse("onboarding:step-token")).content.decode()
    check = checks.check_roles()

    assert f"Token obtained with all {needed} roles the portal needs." in page
    assert f"Roles the portal needs ({needed})" in page
    assert f"Done: all {needed} roles the portal needs" in page
    assert check.ok
    assert check.reason == f"All {needed} roles the portal needs are in the token."
