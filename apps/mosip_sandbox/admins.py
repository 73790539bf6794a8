"""The administrators the MOSIP sandbox seeds, which the embedded run signs in as.

The sandbox stands in for MOSIP in the embedded run and the tests, and so do its
administrators. Each can be changed by the environment variable read beside it; the
sandbox prints them when it starts and serves them at /sandbox/api/admins, where the
embedded run reads them, so the two always agree. Plain values, importable without
Django.
"""

import os

KEYCLOAK_ADMIN_USER = os.environ.get("MOSIP_SANDBOX_KEYCLOAK_ADMIN", "admin")
KEYCLOAK_ADMIN_PASSWORD = os.environ.get(
    "MOSIP_SANDBOX_KEYCLOAK_ADMIN_PASSWORD", "sandbox-keycloak-admin"
)
MOSIP_ADMIN_USER = os.environ.get("MOSIP_SANDBOX_MOSIP_ADMIN", "globaladmin")
MOSIP_ADMIN_PASSWORD = os.environ.get(
    "MOSIP_SANDBOX_MOSIP_ADMIN_PASSWORD", "sandbox-mosip-admin"
)
# A partner administrator (PARTNER_ADMIN, POLICYMANAGER): uploads CA certificates
# and keeps policy groups and policies (docs/mosip/credential-partner.md).
PARTNER_ADMIN_USER = os.environ.get("MOSIP_SANDBOX_PARTNER_ADMIN", "partneradmin")
PARTNER_ADMIN_PASSWORD = os.environ.get(
    "MOSIP_SANDBOX_PARTNER_ADMIN_PASSWORD", "sandbox-partner-admin"
)
# The client both MOSIP administrators sign in through.
MOSIP_ADMIN_CLIENT_ID = "mosip-admin-client"
MOSIP_ADMIN_CLIENT_SECRET = os.environ.get(
    "MOSIP_SANDBOX_ADMIN_CLIENT_SECRET", "sandbox-admin-client-secret"
)
