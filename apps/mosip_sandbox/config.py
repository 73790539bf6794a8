"""Sandbox defaults. Credentials are overridable by environment variables and are
printed when the sandbox starts: they belong to a stand-in, not to a real MOSIP."""

import os

KEYCLOAK_ADMIN_USER = os.environ.get("MOSIP_SANDBOX_KEYCLOAK_ADMIN", "admin")
KEYCLOAK_ADMIN_PASSWORD = os.environ.get(
    "MOSIP_SANDBOX_KEYCLOAK_ADMIN_PASSWORD", "sandbox-keycloak-admin"
)
MOSIP_ADMIN_USER = os.environ.get("MOSIP_SANDBOX_MOSIP_ADMIN", "globaladmin")
MOSIP_ADMIN_PASSWORD = os.environ.get(
    "MOSIP_SANDBOX_MOSIP_ADMIN_PASSWORD", "sandbox-mosip-admin"
)
MOSIP_ADMIN_CLIENT_ID = "mosip-admin-client"
MOSIP_ADMIN_CLIENT_SECRET = os.environ.get(
    "MOSIP_SANDBOX_ADMIN_CLIENT_SECRET", "sandbox-admin-client-secret"
)
MOSIP_ADMIN_ZONE = "NTH"

ACCESS_TOKEN_LIFESPAN_SECONDS = int(
    os.environ.get("MOSIP_SANDBOX_TOKEN_LIFESPAN", "86400")
)
# auth.server.admin.allowed.audience of packet manager and reg-proc (mosip-config).
ALLOWED_AUDIENCE = [
    "mosip-regproc-client",
    "mosip-admin-client",
    "mosip-crvs1-client",
    "mpartner-default-auth",
    "mosip-resident-client",
    "mosip-reg-client",
]
EXTRA_AUDIENCE = [
    a for a in os.environ.get("MOSIP_SANDBOX_ALLOWED_AUDIENCE", "").split(",") if a
]
