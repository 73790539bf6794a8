"""The objects in MOSIP (not properties) the operator creates or lets the wizard
create for the portal: PMS policy groups, policies and approvals, the CA chain,
Keycloak users (docs/mosip/operator-changes.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from apps.onboarding.operator.stock import (
    AUTH_POLICY_WORDS,
    CREDENTIAL_TYPE,
    POLICY_ATTRIBUTES,
)

if TYPE_CHECKING:
    from apps.onboarding.operator import PortalIds


@dataclass(frozen=True)
class ObjectChange:
    kind: str
    name: str
    operator: str  # what the MOSIP operator does
    wizard: str  # what the portal's wizard does
    why: str


def objects_for(ids: PortalIds) -> list[ObjectChange]:
    group = ids.policy_group or "(not set yet: the partner step asks for it)"
    attributes = ", ".join(POLICY_ATTRIBUTES)
    partner = ids.authentication_partner
    return [
        ObjectChange(
            "PMS policy group", group,
            operator="Create the policy group in Partner Management (policy manager "
            "or partner admin) and give its name to the portal's partner step.",
            wizard="Registers the credential partner in this group and stops with "
            "PMS_PRT_002 when it does not exist.",
            why="A Credential_Partner joins an existing policy group; MOSIP has no "
            "default group for a CRVS partner.",
        ),
        ObjectChange(
            "PMS published policy", f"{ids.policy_name} in {group}",
            operator=f"Create a DataShare policy sharing {attributes} in the "
            "group and publish it.",
            wizard=f"Maps credential type {CREDENTIAL_TYPE} to this policy for "
            f"partner {ids.partner_id} (credential-type mapping).",
            why="The credential carries only what the partner's policy shares; "
            "without a published policy no credential is issued.",
        ),
        ObjectChange(
            "CA certificate chain", f"issuer of partner {ids.partner_id}'s certificate",
            operator="Give the partner step a PMS user with PARTNER_ADMIN (typed for "
            "that step, never stored), or upload the CA certificate yourself.",
            wizard="Uploads the CA of the portal's partner certificate "
            "(/partners/certificate/ca/upload), then the partner certificate, and "
            "keeps the certificate MOSIP re-signs.",
            why="Keymanager refuses a partner certificate whose CA was not uploaded "
            "first (KER-PCM-006) and a self-signed one (KER-PCM-015).",
        ),
        ObjectChange(
            "Keycloak partner user", f"{ids.partner_id} in realm mosip",
            operator="Give the partner step the Keycloak admin credentials, or create "
            "the user yourself and give its password to the step.",
            wizard="Creates the user with a password it generates and keeps "
            "encrypted; PMS calls are made as this user.",
            why="PMS lets a partner act only on the partner id equal to its "
            "preferred_username; the client's service account is named "
            f"service-account-{ids.client_id}.",
        ),
        ObjectChange(
            "PMS published Auth policy", f"{ids.auth_policy_name} in {group}",
            operator=f"Create an Auth policy ({AUTH_POLICY_WORDS}) in the group and "
            "publish it.",
            wizard=f"The IDA step registers authentication partner {partner} in the "
            "group (its certificate issued by the portal's CA), asks for this policy, "
            "generates the API key for it and gets a MISP licence key; the e-Signet "
            "step has partner management create the portal's OIDC client in e-Signet "
            "under the same policy.",
            why="IDA authenticates only for a partner whose approved policy allows the "
            "auth type (IDA-MPA-006) and whose API key was generated for it; PMS "
            "creates an OIDC client only for an Auth_Partner with an approved Auth "
            "policy and takes the client's claims from its KYC attributes: without "
            "individual_id there e-Signet never hands out the informant's UIN "
            "(docs/mosip/esignet.md §9).",
        ),
        ObjectChange(
            "Policy request approval", f"{partner} → {ids.auth_policy_name}",
            operator="Give the IDA step a PMS user with PARTNER_ADMIN (typed for that "
            "step, never stored), or approve the partner's request yourself.",
            wizard="Approves the request it made (PUT /partners/policy/{mappingkey}) "
            "as that partner admin.",
            why="PMS issues no API key (PMS_PRT_109) and creates no OIDC client "
            "(PMS_IDP_002) for a policy request that is not approved.",
        ),
        ObjectChange(
            "Keycloak users of the authentication partner and the MISP",
            f"{partner} (AUTH_PARTNER) and its MISP (MISP_PARTNER, PARTNER) in realm "
            "mosip",
            operator="Give the IDA step the Keycloak admin credentials, or create the "
            "users yourself.",
            wizard="Creates each user with a password it generates and keeps "
            "encrypted; each partner's PMS calls are made as its own user.",
            why="Only the partner itself (or a partner admin) may ask for a policy, an "
            "API key or an OIDC client for it (PMS_PRT_055); postpartnerspolicymap "
            "lists AUTH_PARTNER, postmisplicense MISP_PARTNER.",
        ),
    ]  # fmt: skip
