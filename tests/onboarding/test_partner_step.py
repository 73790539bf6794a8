"""The partner step as MOSIP requires it (docs/mosip/credential-partner.md §5): the
portal's CA uploaded by a partner admin, a CA-issued certificate with the
organisation in O=, the partner's own Keycloak user for PMS, the policy group
checked, the re-signed certificate kept, re-runs recognised."""

import pytest
from cryptography import x509
from django.db import connection

from apps.mosip import keycloak_admin as kc
from apps.mosip_sandbox import config as sandbox_config
from apps.onboarding import services
from apps.onboarding.models import CredentialPartner
from apps.onboarding_wizard import embedded
from tests.onboarding.fixtures import (
    PARTNER_ID,
    onboard,
    sandbox_admins,
    sandbox_partner_admin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def before_partner(mosip_sandbox):
    reports = onboard(mosip_sandbox.url, until="processes")
    assert all(r.ok for r in reports), reports
    return mosip_sandbox.url


def partner_step(**overrides):
    keycloak_admin, _ = sandbox_admins()
    arguments = {
        "actor": None,
        "keycloak_admin": keycloak_admin,
        "partner_admin": sandbox_partner_admin(),
        "policy_group": embedded.SANDBOX_POLICY_GROUP,
    }
    arguments.update(overrides)
    return services.partner_setup(**arguments)


def raw(column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM onboarding_credentialpartner")
        return cursor.fetchone()[0]


def test_the_partner_certificate_is_issued_by_the_portals_ca_and_kept_re_signed(
    before_partner,
):
    partner = partner_step(organisation="Civil Registry of Rabat")
    ca = x509.load_pem_x509_certificate(partner.ca_certificate.encode())
    own = x509.load_pem_x509_certificate(partner.certificate.encode())
    signed = x509.load_pem_x509_certificate(partner.signed_certificate.encode())
    organisation = x509.oid.NameOID.ORGANIZATION_NAME
    assert own.issuer == ca.subject
    assert own.subject.get_attributes_for_oid(organisation)[0].value == (
        "Civil Registry of Rabat"
    )
    assert signed.issuer != ca.subject
    assert signed.public_key().public_numbers() == own.public_key().public_numbers()
    assert partner.policy_name == "crvs-credential-policy"
    assert partner.policy_mapped_at is not None


def test_the_keys_and_the_partner_password_are_encrypted_at_rest(before_partner):
    partner = partner_step()
    for column, value in (
        ("private_key", partner.private_key),
        ("ca_private_key", partner.ca_private_key),
        ("keycloak_password", partner.keycloak_password),
    ):
        assert value and value not in raw(column)


def test_pms_is_called_by_a_keycloak_user_named_like_the_partner(before_partner):
    partner_step()
    keycloak_admin, _ = sandbox_admins()
    session = kc.connect(
        f"{before_partner}/auth", keycloak_admin.username, keycloak_admin.password
    )
    user = kc.user_find(session, PARTNER_ID)
    assert user is not None
    assert "CREDENTIAL_PARTNER" in kc.realm_roles_of(session, user["id"])


def test_running_the_step_again_recognises_the_registered_partner(before_partner):
    first = partner_step()
    again = partner_step()
    assert CredentialPartner.objects.count() == 1
    assert again.certificate == first.certificate
    assert again.ca_certificate == first.ca_certificate


def test_a_missing_policy_group_names_the_group_to_create(before_partner):
    with pytest.raises(services.OnboardingError) as failed:
        partner_step(policy_group="crvs-missing-group")
    assert failed.value.code == "PMS_PRT_002"
    assert "'crvs-missing-group'" in failed.value.message
    assert "partner admin creates it" in failed.value.message
    assert CredentialPartner.objects.count() == 0


def test_the_policy_group_has_no_default(before_partner):
    with pytest.raises(services.OnboardingError, match="policy group"):
        partner_step(policy_group="")


def test_a_policy_missing_from_the_group_is_named(before_partner):
    with pytest.raises(services.OnboardingError) as failed:
        partner_step(policy_name="no-such-policy")
    assert failed.value.code == "PMS_PRT_098"
    assert "no-such-policy" in failed.value.message


def test_the_ca_upload_needs_a_partner_admin(before_partner):
    not_admin = services.MosipAdmin(
        sandbox_config.MOSIP_ADMIN_USER, sandbox_config.MOSIP_ADMIN_PASSWORD,
        sandbox_config.MOSIP_ADMIN_CLIENT_ID, sandbox_config.MOSIP_ADMIN_CLIENT_SECRET,
    )  # fmt: skip
    with pytest.raises(services.OnboardingError) as failed:
        partner_step(partner_admin=not_admin)
    assert "CA certificate" in failed.value.message
    assert failed.value.code == "KER-ATH-403"
