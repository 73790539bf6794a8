"""The embedded run's onboarding: the same services as the wizard, against the MOSIP
sandbox the run starts, with the administrators the sandbox documents (it prints
them on start; the MOSIP_SANDBOX_* variables override them on both sides)."""

import json
import os

import requests

from apps.mosip import partners
from apps.mosip.config import MosipClient, MosipConfig
from apps.onboarding import bootstrap
from apps.onboarding.models import DEFAULT_POLICY_NAME
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


def sandbox_partner_admin() -> MosipAdmin:
    """The sandbox's partner admin (PARTNER_ADMIN, POLICYMANAGER), signing in
    through the admin client like the MOSIP admin."""
    env = os.environ.get
    return MosipAdmin(
        env("MOSIP_SANDBOX_PARTNER_ADMIN", "partneradmin"),
        env("MOSIP_SANDBOX_PARTNER_ADMIN_PASSWORD", "sandbox-partner-admin"),
        "mosip-admin-client",
        env("MOSIP_SANDBOX_ADMIN_CLIENT_SECRET", "sandbox-admin-client-secret"),
    )


# The policy group the embedded run's operator creates in the sandbox.
SANDBOX_POLICY_GROUP = "crvs-policy-group"
# What the credential policy shares: UIN and VID (the portal records both) and the
# demographics.
SHARED_ATTRIBUTES = ("UIN", "VID", "fullName", "dateOfBirth", "gender")
CREDENTIAL_PARTNERS_FILE = "registration-processor-credential-partners.json"
DEFAULT_PARTNER_IDS = "mosip.registration.processor.credential.default.partner-ids"


def _sandbox_admin_client(sandbox_url: str) -> MosipClient:
    admin = sandbox_partner_admin()
    return MosipClient(
        MosipConfig(
            api_url=sandbox_url, keycloak_url=f"{sandbox_url}/auth",
            client_id=admin.client_id, client_secret=admin.client_secret,
            username=admin.username, password=admin.password, app_id="partner",
            token_source="keycloak",
        )
    )  # fmt: skip


def sandbox_partner_policy(
    sandbox_url: str, *, group: str, policy: str = DEFAULT_POLICY_NAME
) -> None:
    """What a MOSIP operator does with partner-admin rights before the partner step
    (docs/mosip/credential-partner.md §5): policy group `group`, and in it a
    published DataShare policy `policy` sharing UIN, VID, fullName, dateOfBirth,
    gender.
    Through the sandbox's PMS API with its partner admin; idempotent."""
    client = _sandbox_admin_client(sandbox_url)

    def find_group() -> dict | None:
        for entry in partners.policy_groups(client):
            if entry["policyGroup"]["name"] == group:
                return entry
        return None

    entry = find_group()
    if entry is None:
        partners.policy_group_create(
            client, name=group, desc="CRVS credential partners"
        )
        entry = find_group()
    found = next((p for p in entry["policies"] if p["policyName"] == policy), None)
    if found is None:
        created = partners.policy_create(
            client, group=group, name=policy, desc="Credential for the CRVS portal",
            policies={
                "dataSharePolicies": {
                    "typeOfShare": "direct", "transactionsAllowed": "2",
                    "shareDomain": "datashare.datashare",
                    "encryptionType": "partnerBased", "source": "IDRepository",
                    "validForInMinutes": "30",
                },
                "shareableAttributes": [
                    {"attributeName": name, "source": [{"attribute": name}],
                     "encrypted": False}
                    for name in SHARED_ATTRIBUTES
                ],
            },
        )  # fmt: skip
        found = {"policyId": created["id"], "status": "DRAFT"}
    if found.get("status") != "PUBLISHED":
        partners.policy_publish(
            client, policy_id=found["policyId"], group_id=entry["policyGroup"]["id"]
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
        partner_admin=sandbox_partner_admin(),
        policy_group=SANDBOX_POLICY_GROUP,
    )


def configure_sandbox_partner(sandbox_url: str, partner_id: str) -> None:
    """MOSIP-side configuration a real MOSIP's operators make (contract §2): the
    partner in reg-proc's credential-partners file, for CRVS_NEW, and its id in
    the default partner ids. Through the sandbox's configuration API; idempotent."""
    effective = requests.get(f"{sandbox_url}/sandbox/api/config", timeout=10)
    effective.raise_for_status()
    config = effective.json()["effective"]
    listed = json.loads(config["files"][CREDENTIAL_PARTNERS_FILE])["partners"]
    listed = [p for p in listed if p.get("id") != partner_id] + [
        {"id": partner_id, "partnerId": partner_id, "credentialType": "vercred",
         "template": "RPR_UIN_CARD_TEMPLATE", "appIdBasedCredentialIdSuffix": None,
         "process": ["CRVS_NEW"], "metaInfoFields": None}
    ]  # fmt: skip
    ids = [
        i.strip()
        for i in config["registration-processor"]
        .get(DEFAULT_PARTNER_IDS, "")
        .split(",")
        if i.strip()
    ]
    if partner_id not in ids:
        ids.append(partner_id)
    requests.patch(
        f"{sandbox_url}/sandbox/api/config",
        json={
            "files": {CREDENTIAL_PARTNERS_FILE: json.dumps({"partners": listed})},
            "registration-processor": {DEFAULT_PARTNER_IDS: ",".join(ids)},
        },
        timeout=10,
    ).raise_for_status()
