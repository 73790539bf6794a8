"""`onboarded_sandbox`: a fresh database taken to ready against the running sandbox,
through the onboarding services (not by writing rows)."""

import pytest
import requests

from apps.mosip_sandbox import config as sandbox_config
from apps.onboarding import bootstrap
from apps.onboarding.services import KeycloakAdmin, MosipAdmin

PARTNER_ID = "mosip-crvs1-client"


def sandbox_admins() -> tuple[KeycloakAdmin, MosipAdmin]:
    """The sandbox's documented default administrators (run_mosip_sandbox prints them)."""
    return (
        KeycloakAdmin(
            sandbox_config.KEYCLOAK_ADMIN_USER, sandbox_config.KEYCLOAK_ADMIN_PASSWORD
        ),
        MosipAdmin(
            sandbox_config.MOSIP_ADMIN_USER,
            sandbox_config.MOSIP_ADMIN_PASSWORD,
            sandbox_config.MOSIP_ADMIN_CLIENT_ID,
            sandbox_config.MOSIP_ADMIN_CLIENT_SECRET,
        ),
    )


def onboard(url: str, actor=None, **overrides) -> list[bootstrap.StepReport]:
    keycloak_admin, mosip_admin = sandbox_admins()
    arguments = {
        "keycloak_url": f"{url}/auth",
        "api_url": url,
        "hub_url": f"{url}/hub",
        "keycloak_admin": keycloak_admin,
        "mosip_admin": mosip_admin,
        "actor": actor,
    }
    arguments.update(overrides)
    return bootstrap.onboard_all(**arguments)


def configure_credential_partner(url: str, partner_id: str = PARTNER_ID) -> None:
    """MOSIP-side configuration real operators do by hand (credential-partners
    JSON): issue CRVS_NEW credentials to the portal's partner."""
    requests.post(
        f"{url}/sandbox/api/credential-partners",
        json={"partnerId": partner_id, "process": ["CRVS_NEW"], "shareUin": True},
        timeout=10,
    ).raise_for_status()


@pytest.fixture
def onboarded_sandbox(mosip_sandbox, db):
    """The running sandbox (freshly reset) and a database onboarded against it:
    every step done through the services; WebSub only when its part is installed."""
    reports = onboard(mosip_sandbox.url)
    failed = [r for r in reports if not r.ok and r.step != "websub"]
    assert not failed, failed
    configure_credential_partner(mosip_sandbox.url)
    mosip_sandbox.onboarding_reports = reports
    return mosip_sandbox
