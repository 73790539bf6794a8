"""The stock values of mosip-config v1.2.4.2 for what the sandbox serves.

Only properties the sandbox acts on are listed, each under the file that holds it in
mosip-config (docs/mosip/sandbox-configuration.md gives the file and line of each).
A property absent here and in every change is absent, as on MOSIP.
"""

# auth.server.admin.allowed.audience, per service file (kernel-auth-adapter refuses a
# token whose azp is not listed with KER-ATH-403).
_KERNEL_AUDIENCE = (
    "mosip-toolkit-android-client,mosip-toolkit-client,mosip-regproc-client,"
    "mosip-prereg-client,mosip-admin-client,mosip-crereq-client,mosip-creser-client,"
    "mosip-datsha-client,mosip-ida-client,mosip-resident-client,mosip-reg-client,"
    "mpartner-default-print,mosip-idrepo-client,mpartner-default-auth,"
    "mosip-syncdata-client,mosip-masterdata-client,mosip-idrepo-client,"
    "mosip-pms-client,mosip-hotlist-client,mobileid_newlogic,opencrvs-partner,"
    "mosip-deployment-client,mpartner-default-digitalcard,mpartner-default-mobile,"
    "mosip-signup-client"
)

STOCK: dict[str, dict[str, str]] = {
    # application-default.properties: read by every service.
    "application": {
        "packetmanager.packet.signature.disable-verification": "false",
    },
    # kernel-default.properties: masterdata, keymanager, auth manager.
    "kernel": {
        "auth.server.admin.allowed.audience": _KERNEL_AUDIENCE,
    },
    # syncdata-default.properties.
    "syncdata": {
        "auth.server.admin.allowed.audience": (
            "mosip-regproc-client,mosip-prereg-client,mosip-admin-client,"
            "mosip-reg-client,mosip-resident-client"
        ),
        "mosip.role.admin.syncdata.getlatestidschema": (
            "REGISTRATION_SUPERVISOR,REGISTRATION_OFFICER,REGISTRATION_ADMIN,default,"
            "PRE_REGISTRATION_ADMIN,REGISTRATION_PROCESSOR,INDIVIDUAL,RESIDENT,"
            "ID_AUTHENTICATION"
        ),
    },
    # packet-manager-default.properties.
    "packet-manager": {
        "auth.server.admin.allowed.audience": "mosip-regproc-client,mosip-crvs1-client",
        "mosip.role.commons-packet.putcreatepacket": (
            "REGISTRATION_PROCESSOR,ONLINE_REGISTRATION_CLIENT"
        ),
    },
    # registration-processor-default.properties.
    "registration-processor": {
        "auth.server.admin.allowed.audience": (
            "mosip-regproc-client,mosip-admin-client,mosip-resident-client,"
            "mosip-reg-client,mosip-crvs1-client"
        ),
        "mosip.role.registration.getPostsearch": (
            "REGISTRATION_ADMIN,REGISTRATION_OFFICER,REGISTRATION_SUPERVISOR,RESIDENT"
        ),
        "mosip.role.registration.getPostexternalstatussearch": (
            "REGISTRATION_ADMIN,REGISTRATION_OFFICER,REGISTRATION_SUPERVISOR,RESIDENT"
        ),
        "mosip.role.registration.getPostpacketexternalstatus": (
            "REGISTRATION_ADMIN,REGISTRATION_OFFICER,REGISTRATION_SUPERVISOR,RESIDENT"
        ),
    },
    # partner-management-default.properties.
    "partner-management": {
        "auth.server.admin.allowed.audience": (
            "mosip-creser-client,mosip-datsha-client,mosip-ida-client,"
            "mosip-regproc-client,mosip-admin-client,mosip-reg-client,mosip-pms-client,"
            "mosip-resident-client,mosip-idrepo-client,mosip-deployment-client"
        ),
    },
}

# Files the config server serves by name (JSON, camel route XML), stock content.
FILES: dict[str, str] = {}
