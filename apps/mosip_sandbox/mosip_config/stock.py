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

_PMS_CREDENTIAL_TYPE_ROLES = (
    "PARTNER,CREDENTIAL_PARTNER,PARTNER_ADMIN,CREDENTIAL_ISSUANCE,CREATE_SHARE,"
    "ONLINE_VERIFICATION_PARTNER"
)

STOCK: dict[str, dict[str, str]] = {
    # application-default.properties: read by every service.
    "application": {
        "packetmanager.packet.signature.disable-verification": "false",
    },
    # kernel-default.properties: masterdata, keymanager, auth manager.
    "kernel": {
        "auth.server.admin.allowed.audience": _KERNEL_AUDIENCE,
        # keymanager partner certificates (PartnerCertificateManagerServiceImpl).
        "mosip.kernel.partner.sign.masterkey.application.id": "PMS",
        "mosip.kernel.partner.allowed.domains": "AUTH,DEVICE,FTM,MISP",
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
        # CredentialRequestorStage: which partners get a credential.
        "mosip.registration.processor.credential.partner-profiles": (
            "registration-processor-credential-partners.json"
        ),
        "mosip.registration.processor.credential.default.partner-ids": (
            "digitalcardPartner,opencrvsPartner"
        ),
    },
    # partner-management-default.properties.
    "partner-management": {
        "auth.server.admin.allowed.audience": (
            "mosip-creser-client,mosip-datsha-client,mosip-ida-client,"
            "mosip-regproc-client,mosip-admin-client,mosip-reg-client,mosip-pms-client,"
            "mosip-resident-client,mosip-idrepo-client,mosip-deployment-client"
        ),
        "mosip.pms.partneradmin.role": "PARTNER_ADMIN",
        "pmp.allowed.policy.types": "Auth,DataShare,CredentialIssuance,MISP",
        "pmp.allowed.credential.types": "auth,qrcode,euin,reprint,vercred,opencrvs",
        "policy.credential.type.mapping.allowed.partner.types": (
            "Credential_Partner,Online_Verification_Partner,Auth_Partner"
        ),
        "mosip.role.pms.postpoliciesgroupnew": "PARTNER_ADMIN,POLICYMANAGER",
        "mosip.role.pms.postpolicies": "PARTNER_ADMIN,POLICYMANAGER",
        "mosip.role.pms.postpoliciespolicyidgrouppublish": "PARTNER_ADMIN,POLICYMANAGER",
        "mosip.role.pms.getpoliciesgroupall": "PARTNER_ADMIN,POLICYMANAGER",
        "mosip.role.pms.postpartnerscredentialtypepolicies": _PMS_CREDENTIAL_TYPE_ROLES,
        "mosip.role.pms.getpartnerscredentialtypepolicies": _PMS_CREDENTIAL_TYPE_ROLES,
        "mosip.role.pms.postpartnerscacertificateupload": "PARTNERMANAGER,PARTNER_ADMIN",
        "mosip.role.pms.postpartnerscertificateupload": (
            "PARTNER,PMS_USER,AUTH_PARTNER,ABIS_PARTNER,SDK_PARTNER,DEVICE_PROVIDER,"
            "FTM_PROVIDER,CREDENTIAL_PARTNER,CREDENTIAL_ISSUANCE,ID_AUTHENTICATION,"
            "PARTNER_ADMIN,ONLINE_VERIFICATION_PARTNER"
        ),
    },
}

# Files the config server serves by name (JSON, camel route XML), stock content.
FILES: dict[str, str] = {
    # The stock file, byte for byte (tab included).
    "registration-processor-credential-partners.json": '{\n  "partners": [\n    {\n      "id": "digitalcardPartner",\n      "partnerId": "mpartner-default-digitalcard",\n      "credentialType": "PDFCard",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "appIdBasedCredentialIdSuffix": "-PDF",\n      "process": null,\n      "metaInfoFields": null\n    },\n    {\n      "id": "printPartner",\n      "partnerId": "mpartner-default-print",\n      "credentialType": "euin",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "appIdBasedCredentialIdSuffix": null,\n      "process": null,\n      "metaInfoFields": null\n    },\n    {\n      "id": "opencrvsPartner",\n\t  "partnerId": "opencrvs-partner",\n      "type": "opencrvs",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "process": ["OPENCRVS_NEW"],\n      "metaInfoFields": ["opencrvsBRN"]\n    }\n  ]\n}\n',
}
