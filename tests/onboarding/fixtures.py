"""`onboarded_sandbox`: a fresh database taken to ready against the running sandbox,
through the onboarding services (not by writing rows), after the MOSIP operator's
changes for the portal were made in the sandbox's configuration (stock plus the
portal's list, docs/mosip/operator-changes.md, and nothing else)."""

import dataclasses
import threading

import pytest

from apps.mosip_sandbox import admins as seeded
from apps.onboarding import operator
from apps.onboarding.services import KeycloakAdmin, MosipAdmin
from apps.onboarding_wizard import bootstrap, embedded
from tests.waiting import wait_until

PARTNER_ID = "mosip-crvs1-client"


def sandbox_admins() -> tuple[KeycloakAdmin, MosipAdmin]:
    """The sandbox's seeded Keycloak and MOSIP administrators (apps/mosip_sandbox/
    admins.py), which the embedded run reads from the sandbox's API."""
    return (
        KeycloakAdmin(seeded.KEYCLOAK_ADMIN_USER, seeded.KEYCLOAK_ADMIN_PASSWORD),
        MosipAdmin(
            seeded.MOSIP_ADMIN_USER,
            seeded.MOSIP_ADMIN_PASSWORD,
            seeded.MOSIP_ADMIN_CLIENT_ID,
            seeded.MOSIP_ADMIN_CLIENT_SECRET,
        ),
    )


def sandbox_partner_admin() -> MosipAdmin:
    return MosipAdmin(
        seeded.PARTNER_ADMIN_USER,
        seeded.PARTNER_ADMIN_PASSWORD,
        seeded.MOSIP_ADMIN_CLIENT_ID,
        seeded.MOSIP_ADMIN_CLIENT_SECRET,
    )


def operator_list(url: str, client_id: str | None = None) -> list[str]:
    """The MOSIP operator's changes for this portal (for `client_id`, when the test
    onboards under another), made in the sandbox through its config API; what
    changed."""
    ids = operator.portal_ids()
    if client_id:
        ids = dataclasses.replace(ids, client_id=client_id)
    return embedded.apply_operator_changes(url, operator.operator_changes(ids))


def onboard(
    url: str, actor=None, *, operator_changes: bool = True, **overrides
) -> list[bootstrap.StepReport]:
    """Every onboarding step against the sandbox at `url`, e-Signet's included; first,
    unless `operator_changes` is False, the operator's list is applied to it."""
    if operator_changes:
        operator_list(url, overrides.get("client_id"))
    keycloak_admin, mosip_admin = sandbox_admins()
    arguments = {
        "keycloak_url": f"{url}/auth",
        "api_url": url,
        "hub_url": f"{url}/hub",
        "keycloak_admin": keycloak_admin,
        "mosip_admin": mosip_admin,
        "actor": actor,
        "partner_admin": sandbox_partner_admin(),
        "policy_group": embedded.SANDBOX_POLICY_GROUP,
        # The sandbox serves e-Signet at its own address.
        "esignet_url": url,
    }
    arguments.update(overrides)
    return bootstrap.onboard_all(**arguments)


def wait_for_subscriptions(timeout: float = 20.0) -> dict:
    """WebSub's health once the hub has verified every subscription (or timed out)."""
    from apps.websub.queries import subscription_health

    try:
        return wait_until(
            lambda: (health := subscription_health())["ok"] and health,
            timeout,
            interval=0.1,
        )
    except AssertionError:
        return subscription_health()


@pytest.fixture
def onboarded_sandbox(mosip_sandbox, live_server):
    """The running sandbox (freshly reset) and a fresh database taken to ready
    against it through the onboarding services, WebSub subscriptions verified by
    the hub against the live portal (`live_server`, so the database is
    transactional). The sandbox's configuration is stock plus the operator's list
    for the portal, so it issues CRVS_NEW credentials to the portal's partner.
    `onboarded_sandbox.portal_url` is the live portal's address."""
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
    # drops its subscriptions; then wait until no request is in flight at the portal.
    mosip_sandbox.reset()
    wait_until(
        lambda: not live_server_requests_in_flight(),
        timeout=30,
        observe=live_server_requests_in_flight,
    )


def live_server_requests_in_flight() -> list[str]:
    """The live server answers each request in a thread of its own, named after
    the server's `process_request_thread`."""
    return [
        thread.name
        for thread in threading.enumerate()
        if "process_request_thread" in thread.name
    ]
