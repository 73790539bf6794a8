"""The stock mosip-config v1.2.4.2 facts the operator's list builds on, and the names
of what it changes (file and line of each in docs/mosip/operator-changes.md, "Stock
values")."""

STOCK_RELEASE = "v1.2.4.2"
FILES = "files"
# Service files in the order an operator goes through them.
SERVICE_ORDER = (
    "application",
    "kernel",
    "syncdata",
    "partner-management",
    "packet-manager",
    "registration-processor",
)
AUDIENCE = "auth.server.admin.allowed.audience"
DEFAULT_PARTNER_IDS = "mosip.registration.processor.credential.default.partner-ids"
CREDENTIAL_PARTNERS_FILE = "registration-processor-credential-partners.json"
PACKET_WRITER = "provider.packetwriter.crvs1"
PACKET_READER = "provider.packetreader.crvs1"
PACKET_PRIORITY = "packetmanager.default.priority"
CATEGORY_MAPPING = "registration.processor.additional-process.category-mapping"
CAMEL_FLOWS = "camel.secure.active.flows.file.names"
MANDATORY_ATTRIBUTES = (
    "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor"
)
DEATH_ROUTES = "registration-processor-camel-routes-crvs_death-default.xml"
PACKET_SOURCE = "CRVS1"
DEFAULT_POLICY = "crvs-credential-policy"
CREDENTIAL_TYPE = "vercred"
POLICY_ATTRIBUTES = ("UIN", "fullName", "dateOfBirth", "gender")

# Stock values of mosip-config v1.2.4.2 the list builds on; file and line of each in
# docs/mosip/operator-changes.md ("Stock values").
STOCK = {
    "kernel": {
        AUDIENCE: "mosip-toolkit-android-client,mosip-toolkit-client,"
        "mosip-regproc-client,mosip-prereg-client,mosip-admin-client,"
        "mosip-crereq-client,mosip-creser-client,mosip-datsha-client,mosip-ida-client,"
        "mosip-resident-client,mosip-reg-client,mpartner-default-print,"
        "mosip-idrepo-client,mpartner-default-auth,mosip-syncdata-client,"
        "mosip-masterdata-client,mosip-idrepo-client,mosip-pms-client,"
        "mosip-hotlist-client,mobileid_newlogic,opencrvs-partner,"
        "mosip-deployment-client,mpartner-default-digitalcard,mpartner-default-mobile,"
        "mosip-signup-client",
    },
    "syncdata": {
        AUDIENCE: "mosip-regproc-client,mosip-prereg-client,mosip-admin-client,"
        "mosip-reg-client,mosip-resident-client",
    },
    "partner-management": {
        AUDIENCE: "mosip-creser-client,mosip-datsha-client,mosip-ida-client,"
        "mosip-regproc-client,mosip-admin-client,mosip-reg-client,mosip-pms-client,"
        "mosip-resident-client,mosip-idrepo-client,mosip-deployment-client",
    },
    "packet-manager": {AUDIENCE: "mosip-regproc-client,mosip-crvs1-client"},
    "registration-processor": {
        AUDIENCE: "mosip-regproc-client,mosip-admin-client,mosip-resident-client,"
        "mosip-reg-client,mosip-crvs1-client",
        DEFAULT_PARTNER_IDS: "digitalcardPartner,opencrvsPartner",
        CATEGORY_MAPPING: "{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE'}",
        CAMEL_FLOWS: ",".join(
            f"registration-processor-camel-routes-{flow}-default.xml"
            for flow in (
                "new",
                "update",
                "activate",
                "res-update",
                "deactivate",
                "lost",
                "res-reprint",
                "biometric-correction",
                "opencrvs_new",
                "infant-crvs_new",
                "crvs_death",
                "backward-compatibility",
            )
        ),  # fmt: skip
    },
    "application": {
        PACKET_WRITER: "source:CRVS1,process:CRVS_NEW|CRVS_DEATH,"
        "classname:io.mosip.commons.packet.impl.PacketWriterImpl",
        PACKET_READER: "source:CRVS1,process:CRVS_NEW|CRVS_DEATH,"
        "classname:io.mosip.commons.packet.impl.PacketReaderImpl",
        PACKET_PRIORITY: "source:REGISTRATION_CLIENT/process:BIOMETRIC_CORRECTION|NEW|"
        "UPDATE|LOST,source:RESIDENT/process:ACTIVATED|DEACTIVATED|RES_UPDATE|"
        "RES_REPRINT,source:OPENCRVS/process:OPENCRVS_NEW,"
        "source:CRVS1/process:CRVS_NEW|CRVS_DEATH",
    },
}
# The stock credential-partners file's partners, in its order.
STOCK_CREDENTIAL_PARTNERS = [
    {
        "id": "digitalcardPartner",
        "partnerId": "mpartner-default-digitalcard",
        "credentialType": "PDFCard",
        "template": "RPR_UIN_CARD_TEMPLATE",
        "appIdBasedCredentialIdSuffix": "-PDF",
        "process": None,
        "metaInfoFields": None,
    },
    {
        "id": "printPartner",
        "partnerId": "mpartner-default-print",
        "credentialType": "euin",
        "template": "RPR_UIN_CARD_TEMPLATE",
        "appIdBasedCredentialIdSuffix": None,
        "process": None,
        "metaInfoFields": None,
    },
    {
        "id": "opencrvsPartner",
        "partnerId": "opencrvs-partner",
        "type": "opencrvs",
        "template": "RPR_UIN_CARD_TEMPLATE",
        "process": ["OPENCRVS_NEW"],
        "metaInfoFields": ["opencrvsBRN"],
    },
]


def properties_file(service: str) -> str:
    return f"{service}-default.properties"


def routes_file(process: str) -> str:
    return f"registration-processor-camel-routes-{process.lower()}-default.xml"


# What the Auth policy lets e-Signet share with the portal's OIDC client: the claims
# the informant step fills, through mosip-config's identity mapping (fullName → name,
# dateOfBirth → birthdate, individual_id → individual_id; docs/mosip/esignet.md §9).
AUTH_KYC_ATTRIBUTES = ("fullName", "dateOfBirth", "gender", "individual_id")
# The one Auth policy the portal's authentication partner asks for, for IDA and
# e-Signet alike: what mosip-config's auth-policy-schema.json requires
# (authTokenType, allowedAuthTypes, allowedKycAttributes); demographic authentication
# for the national ID checks, OTP for e-Signet's login, and the informant's claims
# (docs/mosip/ida.md §4.1, docs/mosip/esignet.md §9).
AUTH_POLICY = {
    "authTokenType": "partner",
    "allowedAuthTypes": [
        {"authType": "demo", "authSubType": "", "mandatory": False},
        {"authType": "otp", "authSubType": "", "mandatory": False},
        {"authType": "otp-request", "authSubType": "", "mandatory": False},
    ],
    "allowedKycAttributes": [{"attributeName": name} for name in AUTH_KYC_ATTRIBUTES],
}
AUTH_POLICY_WORDS = (
    "auth types demo, otp and otp-request, none mandatory; auth token type partner; "
    f"KYC attributes {', '.join(AUTH_KYC_ATTRIBUTES)}"
)


def auth_partner_ids(client_id: str) -> tuple[str, str]:
    """Default ids of the authentication partner and of the MISP: the client id with
    a suffix (PMS takes at most 36 characters, pmp.partner.partnerId.max.length)."""
    return f"{client_id[:31]}-auth", f"{client_id[:31]}-misp"
