"""The IDA step as MOSIP 1.2 requires it (docs/mosip/ida.md §4): an Auth_Partner and
a MISP certified through the portal's CA, the Auth policy requested and approved,
an API key and a licence key, IDA's certificates from the file server; proved with a
harmless authentication, re-runs continuing, and the readiness check naming the fix
when IDA refuses."""

import dataclasses

import pytest
import requests
from django.db import connection

from apps.audit.models import AuditEvent
from apps.mosip import ida
from apps.onboarding import services
from apps.onboarding.models import IdaPartner
from apps.onboarding.queries import ida_partner_as_client
from apps.onboarding_wizard import checks
from tests.onboarding.fixtures import onboard, sandbox_admins, sandbox_partner_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def before_ida(mosip_sandbox):
    reports = onboard(mosip_sandbox.url, until="partner")
    assert all(r.ok for r in reports), reports
    return mosip_sandbox.url


def ida_step(**overrides):
    keycloak_admin, _ = sandbox_admins()
    arguments = {
        "actor": None,
        "keycloak_admin": keycloak_admin,
        "partner_admin": sandbox_partner_admin(),
    }
    arguments.update(overrides)
    return services.ida_partner_setup(**arguments)


def raw(column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM onboarding_idapartner")
        return cursor.fetchone()[0]


def test_the_step_makes_the_portal_an_authentication_partner(before_ida):
    partner = ida_step()
    assert partner.partner_id == "mosip-crvs1-client-auth"
    assert partner.misp_id == "mosip-crvs1-client-misp"
    assert partner.complete and partner.verified_at
    assert len(partner.licence_key) == 50
    assert partner.api_key.isdigit()
    assert partner.ida_url == before_ida
    # IDA's certificates are those MOSIP's file server publishes.
    assert partner.ida_certificate == ida.fetch_partner_certificate(before_ida)
    assert partner.ida_signing_certificates == ida.fetch_signing_certificates(
        before_ida
    )
    # The certificate IDA checks is the one PMS re-signed, not the CA-issued one.
    assert partner.signed_certificate and partner.signed_certificate != (
        partner.certificate
    )
    assert AuditEvent.objects.filter(action="onboarding.ida_partner_ready").exists()
    answer = services.ida_probe(partner)
    assert answer.ok, answer.reason
    assert answer.answer.outcome == ida.Outcome.NOT_FOUND


def test_secrets_are_encrypted_at_rest(before_ida):
    partner = ida_step()
    for column in ("private_key", "misp_private_key", "keycloak_password",
                   "misp_keycloak_password", "api_key", "licence_key"):  # fmt: skip
        value = getattr(partner, column)
        assert value and value not in raw(column), column


def test_a_rerun_keeps_what_mosip_issued(before_ida):
    first = ida_step()
    again = ida_step()
    assert IdaPartner.objects.count() == 1
    assert (again.api_key, again.licence_key, again.certificate) == (
        first.api_key, first.licence_key, first.certificate,
    )  # fmt: skip
    # MOSIP re-signs the key at each upload; IDA takes the latest.
    assert again.verified_at > first.verified_at


def test_a_kept_api_key_mosip_no_longer_holds_is_replaced(before_ida):
    first = ida_step()
    IdaPartner.objects.filter(pk=first.pk).update(api_key="999999999")
    again = ida_step()
    assert again.api_key not in ("999999999", "") and again.verified_at


def test_the_credential_partner_comes_first(mosip_sandbox):
    onboard(mosip_sandbox.url, until="processes")
    with pytest.raises(services.OnboardingError, match="credential partner step"):
        ida_step()


def test_without_the_published_auth_policy_the_step_names_it(before_ida):
    with pytest.raises(services.OnboardingError) as refused:
        ida_step(policy_name="no-such-policy")
    assert "PMS_PRT_098" in refused.value.message
    assert "no-such-policy" in refused.value.message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"licence_key": "x" * 50}, "licence key"),
        ({"api_key": "1"}, "API key"),
    ],
)
def test_readiness_names_the_fix_when_ida_refuses(before_ida, change, words):
    partner = ida_step()
    assert checks.check_ida().ok
    IdaPartner.objects.filter(pk=partner.pk).update(**change)
    result = checks.check_ida()
    assert not result.ok
    assert words in result.reason and "run the IDA step" in result.reason


def test_readiness_when_ida_is_down_or_its_answers_are_forged(before_ida):
    ida_step()
    faults = f"{before_ida}/sandbox/api/faults"
    requests.post(faults, json={"ida": {"unavailable": True}}, timeout=5)
    result = checks.check_ida()
    assert not result.ok and "could not be reached" in result.reason
    requests.post(
        faults,
        json={"ida": {"unavailable": False, "tamper_response_signature": True}},
        timeout=5,
    )
    result = checks.check_ida()
    assert not result.ok and "not signed with a certificate" in result.reason


def test_before_the_step_readiness_says_ids_are_not_checked(db):
    result = checks.check_ida()
    assert not result.ok and "not checked" in result.reason


def test_the_client_view_of_the_partner(before_ida):
    partner = ida_step()
    client = ida_partner_as_client(partner)
    assert client.certificate_pem == partner.signed_certificate
    assert dataclasses.replace(client, api_key="1").api_key == "1"
