"""`onboarded_sandbox`: a fresh database taken to ready against the running sandbox,
through the onboarding services (not by writing rows)."""

import time

import pytest
import requests

from apps.mosip_sandbox import config as sandbox_config
from apps.onboarding import bootstrap, embedded
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


def onboard(
    url: str, actor=None, operator: bool = True, **overrides
) -> list[bootstrap.StepReport]:
    """Every step against the sandbox at `url`; with `operator`, MOSIP's side is
    first configured for the portal (configure_operator_for_partner)."""
    if operator:
        configure_operator_for_partner(url)
    keycloak_admin, mosip_admin = sandbox_admins()
    arguments = {
        "keycloak_url": f"{url}/auth",
        "api_url": url,
        "hub_url": f"{url}/hub",
        "keycloak_admin": keycloak_admin,
        "mosip_admin": mosip_admin,
        "actor": actor,
        "partner_admin": embedded.sandbox_partner_admin(),
        "policy_group": embedded.SANDBOX_POLICY_GROUP,
    }
    arguments.update(overrides)
    return bootstrap.onboard_all(**arguments)


def configure_credential_partner(url: str, partner_id: str = PARTNER_ID) -> None:
    """MOSIP-side configuration real operators make (contract §2): reg-proc issues
    CRVS_NEW credentials to the portal's partner."""
    embedded.configure_sandbox_partner(url, partner_id)


# Until the operator's list is applied here for every area: what the credential
# partner needs besides (contract §2): the client in the kernel, syncdata and PMS
# allowed audiences, and the policy group with its published policy.
AUDIENCE = "auth.server.admin.allowed.audience"


def configure_operator_for_partner(url: str, client_id: str = PARTNER_ID) -> None:
    from apps.mosip_sandbox.mosip_config.stock import STOCK

    requests.patch(
        f"{url}/sandbox/api/config",
        json={
            service: {AUDIENCE: f"{STOCK[service][AUDIENCE]},{client_id}"}
            for service in ("kernel", "syncdata", "partner-management")
        },
        timeout=10,
    ).raise_for_status()
    embedded.sandbox_partner_policy(url, group=embedded.SANDBOX_POLICY_GROUP)


def wait_for_subscriptions(timeout: float = 20.0) -> dict:
    """WebSub's health once the hub has verified every subscription (or timed out)."""
    from apps.websub.queries import subscription_health

    deadline = time.monotonic() + timeout
    health = subscription_health()
    while not health["ok"] and time.monotonic() < deadline:
        time.sleep(0.1)
        health = subscription_health()
    return health


@pytest.fixture
def onboarded_sandbox(mosip_sandbox, live_server):
    """The running sandbox (freshly reset) and a fresh database taken to ready
    against it through the onboarding services, WebSub subscriptions verified by
    the hub against the live portal (`live_server`, so the database is
    transactional). The sandbox issues CRVS_NEW credentials to the portal's
    partner. `onboarded_sandbox.portal_url` is the live portal's address."""
    configure_credential_partner(mosip_sandbox.url)
    reports = onboard(mosip_sandbox.url, callback_base_url=live_server.url)
    failed = [r for r in reports if not r.ok]
    assert not failed, failed
    health = wait_for_subscriptions()
    assert health["ok"], health
    mosip_sandbox.onboarding_reports = reports
    mosip_sandbox.portal_url = live_server.url
    yield mosip_sandbox
    # The hub may still be delivering to the live portal; a delivery landing while
    # the test database is emptied deadlocks with the TRUNCATE. Resetting the sandbox
    # drops its subscriptions, and the pause lets a delivery already in flight end.
    mosip_sandbox.reset()
    time.sleep(0.5)
