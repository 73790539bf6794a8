"""The e-Signet step as MOSIP 1.2 requires it (docs/mosip/esignet.md §9): the OIDC
client partner management creates in e-Signet, for the portal's key, for the
authentication partner the IDA step registered and under the Auth policy approved for
it (one partner and one policy hold both the IDA API key and the client)."""

import pytest
import requests
from django.db import connection
from django.urls import reverse

from apps.onboarding import readiness, services
from apps.onboarding.models import EsignetClient, IdaPartner
from apps.onboarding_wizard import embedded
from tests.onboarding.fixtures import onboard, sandbox_partner_admin

pytestmark = pytest.mark.django_db
CALLBACK = "http://portal.test/registrations/verify-identity/callback/"


@pytest.fixture
def before_esignet(mosip_sandbox):
    reports = onboard(mosip_sandbox.url, until="offices")
    assert all(r.ok for r in reports), reports
    return mosip_sandbox.url


def esignet_step(url, **overrides):
    arguments = {
        "actor": None, "partner_admin": sandbox_partner_admin(), "esignet_url": url,
        "redirect_uri": CALLBACK,
    }  # fmt: skip
    arguments.update(overrides)
    return services.esignet_client_setup(**arguments)


def pms_client(url, client: EsignetClient) -> dict:
    """The client as partner management holds it, read by the partner admin."""
    admin = sandbox_partner_admin()
    token = requests.post(
        f"{url}/auth/realms/mosip/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": admin.client_id,
              "client_secret": admin.client_secret, "username": admin.username,
              "password": admin.password},
        timeout=10,
    ).json()["access_token"]  # fmt: skip
    return requests.get(
        f"{url}/v1/partnermanager/oidc/client/{client.client_id}",
        cookies={"Authorization": token},
        timeout=10,
    ).json()["response"]


def test_the_client_is_created_through_partner_management(before_esignet):
    client = esignet_step(before_esignet)

    # The IDA step's authentication partner, under the policy approved for it.
    partner = IdaPartner.objects.get()
    assert client.is_registered and client.partner_id == "mosip-crvs1-client-auth"
    assert client.partner_id == partner.partner_id
    assert client.policy_name == partner.policy_name == "crvs-auth-policy"
    held = pms_client(before_esignet, client)
    assert held["status"] == "ACTIVE"
    assert held["redirectUris"] == [CALLBACK]
    assert held["relyingPartyId"] == client.partner_id
    assert set(held["claims"]) == {"name", "gender", "birthdate", "individual_id"}
    assert held["acrValues"] == ["mosip:idp:acr:generated-code"]
    assert client.claims == held["claims"]
    # Stock e-Signet signs tokens as its domain plus /v1/esignet.
    assert client.token_issuer == f"{before_esignet}/v1/esignet"
    assert client.public_jwk["kty"] == "RSA" and "d" not in client.public_jwk
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_key FROM onboarding_esignetclient")
        (stored_key,) = cursor.fetchone()
    assert client.private_key.startswith("-----BEGIN PRIVATE KEY-----")
    assert "PRIVATE KEY" not in stored_key
    # The partner's API key still authenticates with IDA: both live on one partner.
    checks = {o.key: o for o in readiness.run_checks()}
    assert checks["onboarding.ida"].ok, checks["onboarding.ida"].reason
    assert checks["onboarding.esignet"].ok, checks["onboarding.esignet"].reason


def test_running_the_step_again_keeps_the_client(before_esignet):
    first = esignet_step(before_esignet)
    again = esignet_step(before_esignet)
    assert again.client_id == first.client_id
    assert again.private_key == first.private_key
    assert EsignetClient.objects.count() == 1


def test_another_redirect_uri_gets_a_new_client(before_esignet):
    first = esignet_step(before_esignet)
    moved = esignet_step(
        before_esignet,
        redirect_uri="https://crvs.example/registrations/verify-identity/callback/",
    )
    assert moved.client_id != first.client_id
    assert pms_client(before_esignet, moved)["redirectUris"] == [moved.redirect_uri]


def test_before_the_ida_step_the_step_names_it(mosip_sandbox):
    assert all(r.ok for r in onboard(mosip_sandbox.url, until="partner"))
    with pytest.raises(services.OnboardingError) as failed:
        esignet_step(mosip_sandbox.url)
    assert "IDA step comes first" in failed.value.message
    assert not EsignetClient.objects.exists()


def test_an_auth_policy_without_the_informants_uin_fails_readiness(mosip_sandbox):
    # The operator published the Auth policy without individual_id among its KYC
    # attributes: PMS makes a client that may never receive the informant's UIN.
    embedded.apply_operator_changes(mosip_sandbox.url, objects=False)
    embedded.sandbox_partner_policy(
        mosip_sandbox.url, group=embedded.SANDBOX_POLICY_GROUP
    )
    embedded.sandbox_auth_policy(
        mosip_sandbox.url, group=embedded.SANDBOX_POLICY_GROUP,
        policies={**embedded.AUTH_POLICY, "allowedKycAttributes": [
            {"attributeName": "fullName"}, {"attributeName": "dateOfBirth"},
        ]},
    )  # fmt: skip
    reports = onboard(mosip_sandbox.url, operator_changes=False, until="offices")
    assert all(r.ok for r in reports), reports
    esignet_step(mosip_sandbox.url)
    outcome = {o.key: o for o in readiness.run_checks()}["onboarding.esignet"]
    assert not outcome.ok
    assert "may not receive individual_id" in outcome.reason
    assert "crvs-auth-policy" in outcome.reason


def test_esignet_down_stops_the_step_before_anything(before_esignet):
    requests.post(f"{before_esignet}/sandbox/api/faults",
                  json={"esignet": {"down": True}}, timeout=10).raise_for_status()  # fmt: skip
    with pytest.raises(services.OnboardingError) as failed:
        esignet_step(before_esignet)
    assert "discovery" in failed.value.message
    assert not EsignetClient.objects.exists()


def test_the_readiness_check_follows_the_client(before_esignet):
    esignet_step(before_esignet)
    outcome = {o.key: o for o in readiness.run_checks()}["onboarding.esignet"]
    assert outcome.ok, outcome.reason

    requests.post(f"{before_esignet}/sandbox/api/faults",
                  json={"esignet": {"down": True}}, timeout=10).raise_for_status()  # fmt: skip
    outcome = {o.key: o for o in readiness.run_checks()}["onboarding.esignet"]
    assert not outcome.ok and "could not be reached" in outcome.reason


def test_without_a_client_the_check_fails_only_where_esignet_is_configured(
    db, settings
):
    settings.ESIGNET_URL = ""
    assert {o.key: o for o in readiness.run_checks()}["onboarding.esignet"].ok
    settings.ESIGNET_URL = "https://esignet.example"
    assert not {o.key: o for o in readiness.run_checks()}["onboarding.esignet"].ok


def test_the_wizard_step_offers_esignet_url_and_this_portals_callback(
    client, integration_admin, settings
):
    settings.ESIGNET_URL = "https://esignet.example"
    client.force_login(integration_admin)
    page = client.get(reverse("onboarding:step-esignet")).content.decode()
    assert 'value="https://esignet.example"' in page
    assert 'value="http://testserver/registrations/verify-identity/callback/"' in page
