"""The embedded run's onboarding: the same services as the wizard, against the MOSIP
sandbox the run starts, with the administrators the sandbox seeds (it serves them at
/sandbox/api/admins and prints them on start; the MOSIP_SANDBOX_* variables change
them)."""

import requests

from apps.mosip import partners
from apps.mosip.config import MosipClient, MosipConfig
from apps.onboarding import operator
from apps.onboarding.models import DEFAULT_AUTH_POLICY_NAME, DEFAULT_POLICY_NAME
from apps.onboarding.operator.stock import AUTH_POLICY
from apps.onboarding.services import KeycloakAdmin, MosipAdmin
from apps.onboarding_wizard import bootstrap


def _seeded_admins(sandbox_url: str) -> dict:
    response = requests.get(f"{sandbox_url}/sandbox/api/admins", timeout=10)
    response.raise_for_status()
    return response.json()


def sandbox_admins(sandbox_url: str) -> tuple[KeycloakAdmin, MosipAdmin]:
    """The Keycloak and MOSIP administrators the sandbox at `sandbox_url` seeded."""
    seeded = _seeded_admins(sandbox_url)
    mosip = seeded["mosip_admin"]
    return (
        KeycloakAdmin(
            seeded["keycloak_admin"]["username"], seeded["keycloak_admin"]["password"]
        ),
        MosipAdmin(
            mosip["username"],
            mosip["password"],
            mosip["client"]["id"],
            mosip["client"]["secret"],
        ),
    )


def sandbox_partner_admin(sandbox_url: str) -> MosipAdmin:
    """The sandbox's partner admin (PARTNER_ADMIN, POLICYMANAGER), signing in
    through the admin client like the MOSIP admin."""
    partner = _seeded_admins(sandbox_url)["partner_admin"]
    return MosipAdmin(
        partner["username"],
        partner["password"],
        partner["client"]["id"],
        partner["client"]["secret"],
    )


# The policy group the embedded run's operator creates in the sandbox.
SANDBOX_POLICY_GROUP = "crvs-policy-group"
# What the credential policy shares: UIN and VID (the portal records both) and the
# demographics.
SHARED_ATTRIBUTES = ("UIN", "VID", "fullName", "dateOfBirth", "gender")


def _sandbox_admin_client(sandbox_url: str) -> MosipClient:
    admin = sandbox_partner_admin(sandbox_url)
    return MosipClient(
        MosipConfig(
            api_url=sandbox_url, keycloak_url=f"{sandbox_url}/auth",
            client_id=admin.client_id, client_secret=admin.client_secret,
            username=admin.username, password=admin.password, app_id="partner",
            token_source="keycloak",
        )
    )  # fmt: skip


def _published_policy(
    client: MosipClient, *, group: str, name: str, desc: str, policy_type: str,
    policies: dict,
) -> None:  # fmt: skip
    """Policy group `group` with a published policy `name` in it; idempotent."""

    def find_group() -> dict | None:
        for entry in partners.policy_groups(client):
            if entry["policyGroup"]["name"] == group:
                return entry
        return None

    entry = find_group()
    if entry is None:
        partners.policy_group_create(client, name=group, desc="CRVS partners")
        entry = find_group()
    found = next((p for p in entry["policies"] if p["policyName"] == name), None)
    if found is None:
        created = partners.policy_create(
            client, group=group, name=name, desc=desc, policies=policies,
            policy_type=policy_type,
        )  # fmt: skip
        found = {"policyId": created["id"], "status": "DRAFT"}
    if found.get("status") != "PUBLISHED":
        partners.policy_publish(
            client, policy_id=found["policyId"], group_id=entry["policyGroup"]["id"]
        )


def sandbox_partner_policy(
    sandbox_url: str, *, group: str, policy: str = DEFAULT_POLICY_NAME
) -> None:
    """What a MOSIP operator does with partner-admin rights before the partner step
    (docs/mosip/credential-partner.md §5): policy group `group`, and in it a
    published DataShare policy `policy` sharing UIN, VID, fullName, dateOfBirth,
    gender.
    Through the sandbox's PMS API with its partner admin; idempotent."""
    _published_policy(
        _sandbox_admin_client(sandbox_url), group=group, name=policy,
        desc="Credential for the CRVS portal", policy_type="DataShare",
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


def sandbox_auth_policy(
    sandbox_url: str, *, group: str, policy: str = DEFAULT_AUTH_POLICY_NAME,
    policies: dict | None = None,
) -> None:  # fmt: skip
    """The operator's Auth policy for the portal's authentication partner, for IDA's
    national ID checks and e-Signet's informant login alike (docs/mosip/ida.md §4.1,
    docs/mosip/esignet.md §9), published in `group`; idempotent. `policies`: another
    policy body than the one the portal asks for (`AUTH_POLICY`)."""
    _published_policy(
        _sandbox_admin_client(sandbox_url), group=group, name=policy,
        desc="National ID checks and informant verification of the CRVS portal",
        policy_type="Auth", policies=policies or AUTH_POLICY,
    )  # fmt: skip


def onboard_sandbox(
    sandbox_url: str, *, portal_url: str | None = None, until: str | None = None
) -> list[bootstrap.StepReport]:
    """Onboard against the sandbox; idempotent, so every start re-verifies."""
    keycloak_admin, mosip_admin = sandbox_admins(sandbox_url)
    return bootstrap.onboard_all(
        keycloak_url=f"{sandbox_url}/auth",
        api_url=sandbox_url,
        hub_url=f"{sandbox_url}/hub",
        keycloak_admin=keycloak_admin,
        mosip_admin=mosip_admin,
        callback_base_url=portal_url,
        until=until,
        partner_admin=sandbox_partner_admin(sandbox_url),
        policy_group=SANDBOX_POLICY_GROUP,
        # The sandbox serves e-Signet at its own address, as MOSIP's UI does.
        esignet_url=sandbox_url,
        portal_url=portal_url,
    )


def apply_operator_changes(
    sandbox_url: str,
    changes: "operator.OperatorChanges | None" = None,
    *,
    objects: bool = True,
) -> list[str]:
    """Make the changes a MOSIP operator makes for this portal
    (docs/mosip/operator-changes.md) in the sandbox's configuration, through
    `PATCH /sandbox/api/config`, as an operator changes a running deployment: each
    value is the sandbox's current one with the portal's addition. Returns what it
    changed, `<file>: <property line>` (or `<file>: <what it holds>` for a file);
    nothing when everything is already in place. The sandbox starts from stock
    configuration, so this is all it gets beyond stock. With `objects`, the PMS
    objects the operator creates follow (`apply_operator_objects`)."""
    changes = changes or operator.operator_changes()
    config_url = f"{sandbox_url}/sandbox/api/config"
    response = requests.get(config_url, timeout=10)
    response.raise_for_status()
    effective = response.json()["effective"]
    body = changes.patch_body(effective)
    patch: dict[str, dict[str, str]] = {}
    changed: list[str] = []
    for service, properties in body.items():
        for name, value in properties.items():
            if (effective.get(service) or {}).get(name) == value:
                continue
            patch.setdefault(service, {})[name] = value
            if service == operator.FILES:
                described = next(f.addition for f in changes.files if f.name == name)
                changed.append(f"{name}: {described}")
            else:
                changed.append(f"{operator.properties_file(service)}: {name}={value}")
    if patch:
        requests.patch(config_url, json=patch, timeout=10).raise_for_status()
    if objects:
        changed += apply_operator_objects(sandbox_url, changes)
    return changed


def operator_changes_not_made(
    sandbox_url: str, changes: "operator.OperatorChanges | None" = None
) -> list[str]:
    """Files of the list the sandbox's configuration cannot make (a route file
    without the death routes it is copied from), in words."""
    changes = changes or operator.operator_changes()
    response = requests.get(f"{sandbox_url}/sandbox/api/config", timeout=10)
    response.raise_for_status()
    return [
        f"{missing.name}: not made, the sandbox has no {operator.DEATH_ROUTES}"
        for missing in changes.missing_files(response.json()["effective"])
    ]


def apply_operator_objects(
    sandbox_url: str, changes: "operator.OperatorChanges | None" = None
) -> list[str]:
    """The PMS objects the operator creates for the portal (policy group, published
    credential and Auth policies), through the sandbox's PMS API as an operator
    would. Returns what it did."""
    changes = changes or operator.operator_changes()
    group = changes.ids.policy_group or SANDBOX_POLICY_GROUP
    sandbox_partner_policy(sandbox_url, group=group, policy=changes.ids.policy_name)
    sandbox_auth_policy(sandbox_url, group=group, policy=changes.ids.auth_policy_name)
    return [
        f"PMS policy group {group} with published policy {changes.ids.policy_name}",
        f"PMS published Auth policy {changes.ids.auth_policy_name} in {group}",
    ]
