"""The embedded run's onboarding: the same services as the wizard, against the MOSIP
sandbox the run starts, with the administrators the sandbox documents (it prints
them on start; the MOSIP_SANDBOX_* variables override them on both sides)."""

import os

import requests

from apps.onboarding import bootstrap
from apps.onboarding.services import KeycloakAdmin, MosipAdmin


def sandbox_admins() -> tuple[KeycloakAdmin, MosipAdmin]:
    env = os.environ.get
    return (
        KeycloakAdmin(
            env("MOSIP_SANDBOX_KEYCLOAK_ADMIN", "admin"),
            env("MOSIP_SANDBOX_KEYCLOAK_ADMIN_PASSWORD", "sandbox-keycloak-admin"),
        ),
        MosipAdmin(
            env("MOSIP_SANDBOX_MOSIP_ADMIN", "globaladmin"),
            env("MOSIP_SANDBOX_MOSIP_ADMIN_PASSWORD", "sandbox-mosip-admin"),
            "mosip-admin-client",
            env("MOSIP_SANDBOX_ADMIN_CLIENT_SECRET", "sandbox-admin-client-secret"),
        ),
    )


def onboard_sandbox(
    sandbox_url: str, *, portal_url: str | None = None, until: str | None = None
) -> list[bootstrap.StepReport]:
    """Onboard against the sandbox; idempotent, so every start re-verifies."""
    keycloak_admin, mosip_admin = sandbox_admins()
    return bootstrap.onboard_all(
        keycloak_url=f"{sandbox_url}/auth",
        api_url=sandbox_url,
        hub_url=f"{sandbox_url}/hub",
        keycloak_admin=keycloak_admin,
        mosip_admin=mosip_admin,
        callback_base_url=portal_url,
        until=until,
    )


def configure_sandbox_partner(sandbox_url: str, partner_id: str) -> None:
    """MOSIP-side configuration a real MOSIP's operators make by hand (the
    credential-partners JSON): issue CRVS_NEW credentials to the portal's partner.
    The sandbox takes it on its own API."""
    requests.post(
        f"{sandbox_url}/sandbox/api/credential-partners",
        json={"partnerId": partner_id, "process": ["CRVS_NEW"], "shareUin": True},
        timeout=10,
    ).raise_for_status()
