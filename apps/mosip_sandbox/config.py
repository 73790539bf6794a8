"""Sandbox defaults. Its administrators' credentials (apps/mosip_sandbox/admins.py) are
overridable by environment variables and are printed when the sandbox starts: they
belong to a stand-in, not to a real MOSIP."""

import os

# The seeded administrators, shared with the embedded run that signs in as them.
from apps.mosip_sandbox.admins import (  # noqa: F401 - read as config.<NAME>
    KEYCLOAK_ADMIN_PASSWORD,
    KEYCLOAK_ADMIN_USER,
    MOSIP_ADMIN_CLIENT_ID,
    MOSIP_ADMIN_CLIENT_SECRET,
    MOSIP_ADMIN_PASSWORD,
    MOSIP_ADMIN_USER,
    PARTNER_ADMIN_PASSWORD,
    PARTNER_ADMIN_USER,
)

MOSIP_ADMIN_ZONE = "NTH"

ACCESS_TOKEN_LIFESPAN_SECONDS = int(
    os.environ.get("MOSIP_SANDBOX_TOKEN_LIFESPAN", "86400")
)
KEYCLOAK_MASTER_ADMIN_CLIENT = "admin-cli"
# Realm roles keycloak-init creates in realm `mosip` (docs/mosip/onboarding-websub.md §1.1, §1.4).
MOSIP_REALM_ROLES = [
    "REGISTRATION_PROCESSOR",
    "ONLINE_REGISTRATION_CLIENT",
    "REGISTRATION_OFFICER",
    "REGISTRATION_SUPERVISOR",
    "REGISTRATION_ADMIN",
    "GLOBAL_ADMIN",
    "ZONAL_ADMIN",
    "MASTERDATA_ADMIN",
    "RESIDENT",
    "ID_REPOSITORY",
    "CREDENTIAL_REQUEST",
    "PARTNER_ADMIN",
    "PARTNER",
    "CREDENTIAL_PARTNER",
    "AUTH_PARTNER",
    "POLICYMANAGER",
    "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL",
    "SUBSCRIBE_REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT_GENERAL",
    "PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL",
    "PUBLISH_REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT_GENERAL",
]
# Keycloak's own default realm roles, present in every token it issues.
KEYCLOAK_DEFAULT_ROLES = ["offline_access", "uma_authorization", "default-roles-mosip"]

# mosip.kernel.auth.appids.realm.map: every appId maps to realm `mosip`.
AUTHMANAGER_APP_IDS = [
    "admin",
    "crereq",
    "creser",
    "datsha",
    "ida",
    "idrepo",
    "partner",
    "prereg",
    "regproc",
    "registrationclient",
    "resident",
]

# Endpoint role lists are read from `kernel` at each request, by property name
# (mosip_config/stock.py); docs/mosip/machines-and-packets.md lists which endpoint
# reads which.

# mosip.mandatory-languages / mosip.optional-languages.
SUPPORTED_LANGUAGES = ["eng", "fra", "ara"]
# mosip.kernel.registrationcenterid.length / machineid.length.
GENERATED_ID_LENGTH = 5
