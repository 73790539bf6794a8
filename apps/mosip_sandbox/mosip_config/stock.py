"""The stock values of mosip-config v1.2.4.2 for what the sandbox serves.

Only properties the sandbox acts on are listed, each under the file that holds it in
mosip-config (docs/mosip/sandbox-configuration.md gives the file and line of each).
A property absent here and in every change is absent, as on MOSIP.
"""

from pathlib import Path

from apps.mosip_sandbox.esignet.stock import (
    AMR_ACR_MAPPING,
    AMR_ACR_MAPPING_FILE,
    ESIGNET_STOCK,
)

_DATA = Path(__file__).resolve().parent.parent / "data"
_ROUTES = _DATA / "camel-routes"
IDENTITY_MAPPING_FILE = "identity-mapping.json"

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

_KEYMANAGER_CLIENT_CRYPTO = (
    "ZONAL_ADMIN,GLOBAL_ADMIN,INDIVIDUAL,ID_AUTHENTICATION,TEST,REGISTRATION_ADMIN,"
    "REGISTRATION_SUPERVISOR,REGISTRATION_OFFICER,REGISTRATION_PROCESSOR,"
    "PRE_REGISTRATION_ADMIN,RESIDENT"
)
_PMS_CREDENTIAL_TYPE_ROLES = (
    "PARTNER,CREDENTIAL_PARTNER,PARTNER_ADMIN,CREDENTIAL_ISSUANCE,CREATE_SHARE,"
    "ONLINE_VERIFICATION_PARTNER"
)

STOCK: dict[str, dict[str, str]] = {
    # application-default.properties: read by every service.
    "application": {
        "packetmanager.packet.signature.disable-verification": "false",
        # The CMD validator reads centres in the first mandatory language.
        "mosip.mandatory-languages": "eng",
        # OTPs and their check (kernel OTP manager, IDA), and IDA's response header.
        "mosip.kernel.otp.default-length": "6",
        "mosip.kernel.otp.expiry-time": "180",
        "mosip.kernel.pin.length": "6",
        "mosip.signed.response.header": "response-signature",
        "mosip.optional-languages": "ara,fra",
        # Processes (docs/mosip/processes-and-schema.md): packet readers and writers
        # per source and process, the priority packet manager reads a source by,
        # and the identity fields the packet validator requires per process.
        "provider.packetreader.mosip": (
            "source:REGISTRATION_CLIENT,process:NEW|UPDATE|LOST|BIOMETRIC_CORRECTION,"
            "classname:io.mosip.commons.packet.impl.PacketReaderImpl"
        ),
        "provider.packetreader.resident": (
            "source:RESIDENT,process:ACTIVATED|DEACTIVATED|RES_UPDATE|LOST|RES_REPRINT,"
            "classname:io.mosip.commons.packet.impl.PacketReaderImpl"
        ),
        "provider.packetreader.opencrvs": (
            "source:OPENCRVS,process:OPENCRVS_NEW,"
            "classname:io.mosip.commons.packet.impl.PacketReaderImpl"
        ),
        "provider.packetreader.crvs1": (
            "source:CRVS1,process:CRVS_NEW|CRVS_DEATH,"
            "classname:io.mosip.commons.packet.impl.PacketReaderImpl"
        ),
        "provider.packetwriter.mosip": (
            "source:REGISTRATION_CLIENT,process:NEW|UPDATE|LOST|BIOMETRIC_CORRECTION,"
            "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
        ),
        "provider.packetwriter.resident": (
            "source:RESIDENT,process:ACTIVATED|DEACTIVATED|RES_UPDATE|LOST|RES_REPRINT,"
            "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
        ),
        "provider.packetwriter.opencrvs": (
            "source:OPENCRVS,process:OPENCRVS_NEW,"
            "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
        ),
        "provider.packetwriter.crvs1": (
            "source:CRVS1,process:CRVS_NEW|CRVS_DEATH,"
            "classname:io.mosip.commons.packet.impl.PacketWriterImpl"
        ),
        "packetmanager.default.read.strategy": "defaultPriority",
        # The file writes `\/`, a properties escape for `/`.
        "packetmanager.default.priority": (
            "source:REGISTRATION_CLIENT/process:BIOMETRIC_CORRECTION|NEW|UPDATE|LOST,"
            "source:RESIDENT/process:ACTIVATED|DEACTIVATED|RES_UPDATE|RES_REPRINT,"
            "source:OPENCRVS/process:OPENCRVS_NEW,"
            "source:CRVS1/process:CRVS_NEW|CRVS_DEATH"
        ),
        "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.other": (
            "IDSchemaVersion,UIN"
        ),
        "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.opencrvs_new": (
            "IDSchemaVersion"
        ),
        "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.crvs_new": (
            "IDSchemaVersion,UIN,fullName,dateOfBirth|age,gender,addressLine1,region,"
            "province,city,zone"
        ),
        "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.crvs_death": (
            "IDSchemaVersion,UIN"
        ),
    },
    # kernel-default.properties: masterdata, keymanager, auth manager.
    "kernel": {
        "auth.server.admin.allowed.audience": _KERNEL_AUDIENCE,
        # Masterdata role lists (AuthorizedRolesDto, prefix mosip.role.admin.masterdata);
        # docs/mosip/machines-and-packets.md names the controller method of each.
        "mosip.role.admin.masterdata.getmachinesidlangcode": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,REGISTRATION_CLIENT,PRE_REGISTRATION_ADMIN,"
            "REGISTRATION_PROCESSOR,RESIDENT"
        ),
        "mosip.role.admin.masterdata.postmachines": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,RESIDENT,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.patchmachines": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.postmachinespecifications": (
            "ZONAL_ADMIN,GLOBAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.patchmachinespecifications": (
            "ZONAL_ADMIN,GLOBAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.getmachinespecificationsall": (
            "ZONAL_ADMIN,PRE_REGISTRATION_ADMIN,GLOBAL_ADMIN,REGISTRATION_OFFICER,"
            "REGISTRATION_SUPERVISOR,REGISTRATION_PROCESSOR,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.postmachinetypes": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.patchmachinetypes": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.getmachinetypesall": (
            "GLOBAL_ADMIN,PRE_REGISTRATION_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.getregistrationcentersidlangcode": (
            "INDIVIDUAL,REGISTRATION_PROCESSOR,ZONAL_ADMIN,GLOBAL_ADMIN,"
            "PRE_REGISTRATION_ADMIN,PRE_REGISTRATION,RESIDENT"
        ),
        "mosip.role.admin.masterdata.postregistrationcenters": "ZONAL_ADMIN,GLOBAL_ADMIN",
        "mosip.role.admin.masterdata.patchregistrationcenters": "ZONAL_ADMIN,GLOBAL_ADMIN",
        "mosip.role.admin.masterdata.postregistrationcentertypes": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.patchregistrationcentertypes": (
            "GLOBAL_ADMIN,ZONAL_ADMIN,MASTERDATA_ADMIN"
        ),
        "mosip.role.admin.masterdata.getusersid": (
            "PRE_REGISTRATION_ADMIN,ID_AUTHENTICATION,ZONAL_ADMIN,REGISTRATION_OFFICER,"
            "REGISTRATION_SUPERVISOR,REGISTRATION_PROCESSOR"
        ),
        "mosip.role.admin.masterdata.getusercentermapping": (
            "PRE_REGISTRATION_ADMIN,GLOBAL_ADMIN,ZONAL_ADMIN"
        ),
        "mosip.role.admin.masterdata.patchusercentermapping": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.postzoneuser": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.patchzoneuser": "GLOBAL_ADMIN,ZONAL_ADMIN",
        # Keymanager client crypto (AuthorizedRolesDTO, prefix mosip.role.keymanager).
        "mosip.role.keymanager.posttpmsigningpublickey": _KEYMANAGER_CLIENT_CRYPTO,
        "mosip.role.keymanager.postcssign": _KEYMANAGER_CLIENT_CRYPTO,
        "mosip.role.keymanager.postcsverifysign": _KEYMANAGER_CLIENT_CRYPTO,
        # keymanager partner certificates (PartnerCertificateManagerServiceImpl).
        "mosip.kernel.partner.sign.masterkey.application.id": "PMS",
        "mosip.kernel.partner.allowed.domains": "AUTH,DEVICE,FTM,MISP",
        # Identity schema (masterdata SchemaController).
        "mosip.role.admin.masterdata.postidschema": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.putidschema": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.putidschemapublish": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.deleteidschema": "GLOBAL_ADMIN,ZONAL_ADMIN",
        "mosip.role.admin.masterdata.getidschemaall": (
            "PRE_REGISTRATION_ADMIN,GLOBAL_ADMIN,ZONAL_ADMIN"
        ),
        "mosip.role.admin.masterdata.getidschemalatest": (
            "PRE_REGISTRATION_ADMIN,GLOBAL_ADMIN,ZONAL_ADMIN,REGISTRATION_CLIENT,"
            "REGISTRATION_OFFICER,REGISTRATION_PROCESSOR,REGISTRATION_SUPERVISOR,"
            "RESIDENT,ID_REPOSITORY"
        ),
    },
    # id-authentication-default.properties: read by IDA's auth, OTP and internal
    # services (docs/mosip/ida.md gives the line of each).
    "id-authentication": {
        "ida.api.id.auth": "mosip.identity.auth",
        "ida.api.id.otp": "mosip.identity.otp",
        "authrequest.received-time-allowed.seconds": "30",
        "authrequest.received-time-adjustment.seconds": "30",
        "auth.types.allowed": "demo,otp,bio-Finger,bio-Iris,bio-Face,pwd,kbt",
        "request.idtypes.allowed": "UIN,VID,HANDLE",
        "mosip.ida.allowed.enviromemnts": "Staging,Developer,Pre-Production,Production",
        "mosip.ida.allowed.domain.uris": (
            "${mosip.api.internal.url},https://${mosip.esignet.host}"
        ),
        "mosip.date-of-birth.pattern": "yyyy/MM/dd",
        # Name normalisation, `${ida.norm.sep}` resolved: pattern=replacement.
        "ida.norm.sep": "=",
        "ida.demo.common.normalization.regex.any[0]": (
            "[\\.|,|\\-|\\*|\\(|\\)|\\[|\\]|`|\\'|/|\\|#|\"]= ."
        ),
        "ida.demo.common.normalization.regex.any[1]": "\\s+= .",
        "ida.demo.common.normalization.regex.any[2]": "\\.=",
        "otp.request.flooding.duration": "1",
        "otp.request.flooding.max-count": "100",
        "mosip.ida.otp.validation.attempt.count.threshold": "5",
        "mosip.ida.otp.frozen.duration.minutes": "30",
        "static.token.enable": "true",
        "mosip.role.keymanager.getgetcertificate": (
            "INDIVIDUAL,ID_AUTHENTICATION,REGISTRATION_SUPERVISOR,REGISTRATION_OFFICER,"
            "REGISTRATION_PROCESSOR,PRE_REGISTRATION_ADMIN,RESIDENT,KEY_MAKER"
        ),
    },
    # id-authentication-internal-default.properties.
    "id-authentication-internal": {
        "auth.server.admin.allowed.audience": (
            "mosip-resident-client,mosip-regproc-client,mosip-admin-client,"
            "mosip-reg-client,mosip-ida-client,mosip-deployment-client"
        ),
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
        # Processes (docs/mosip/processes-and-schema.md).
        "registration.processor.main-processes": (
            "NEW,UPDATE,LOST,RES_UPDATE,ACTIVATE,DEACTIVATE,OPENCRVS_NEW"
        ),
        "registration.processor.sub-processes": "BIOMETRIC_CORRECTION",
        "registration.processor.additional-process.category-mapping": (
            "{'CRVS_NEW':'NEW','CRVS_DEATH':'UPDATE'}"
        ),
        "camel.secure.active.flows.file.names": (
            "registration-processor-camel-routes-new-default.xml,"
            "registration-processor-camel-routes-update-default.xml,"
            "registration-processor-camel-routes-activate-default.xml,"
            "registration-processor-camel-routes-res-update-default.xml,"
            "registration-processor-camel-routes-deactivate-default.xml,"
            "registration-processor-camel-routes-lost-default.xml,"
            "registration-processor-camel-routes-res-reprint-default.xml,"
            "registration-processor-camel-routes-biometric-correction-default.xml,"
            "registration-processor-camel-routes-opencrvs_new-default.xml,"
            "registration-processor-camel-routes-infant-crvs_new-default.xml,"
            "registration-processor-camel-routes-crvs_death-default.xml,"
            "registration-processor-camel-routes-backward-compatibility-default.xml"
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
        # CMDValidationProcessor / CenterValidator (registration release-1.2.1.x).
        "mosip.regproc.cmd-validator.center-validation.processes": (
            "NEW,UPDATE,LOST,BIOMETRIC_CORRECTION,CRVS_NEW,CRVS_DEATH"
        ),
        "mosip.regproc.cmd-validator.machine-validation.processes": (
            "NEW,UPDATE,LOST,BIOMETRIC_CORRECTION,CRVS_NEW,CRVS_DEATH"
        ),
        "mosip.regproc.cmd-validator.working-hour-validation-required": "true",
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
        # Authentication partners (docs/mosip/ida.md §4).
        "mosip.pms.misp.partner.type": "MISP_Partner",
        "mosip.kernel.idgenerator.misp.license-key-length": "50",
        "mosip.pmp.misp.license.expiry.period.indays": "90",
        "mosip.pmp.partner.policy.expiry.period.indays": "90",
        "pmp.bioextractors.required.partner.types": (
            "Credential_Partner,Online_Verification_Partner"
        ),
        "mosip.role.pms.postmisplicense": "MISP_PARTNER,MISP,PARTNERMANAGER,PARTNER_ADMIN",
        "mosip.role.pms.postpartnerspolicymap": (
            "AUTH_PARTNER,ABIS_PARTNER,CREDENTIAL_PARTNER,CREDENTIAL_ISSUANCE,"
            "ONLINE_VERIFICATION_PARTNER,PARTNER_ADMIN"
        ),
        "mosip.role.pms.putpartnerspolicymapping": "PARTNERMANAGER,PARTNER_ADMIN",
        "mosip.role.pms.patchpartnersgenerateapikey": (
            "AUTH_PARTNER,ABIS_PARTNER,CREDENTIAL_PARTNER,CREDENTIAL_ISSUANCE,"
            "ONLINE_VERIFICATION_PARTNER"
        ),
        "mosip.role.pms.postpartnerscertificateupload": (
            "PARTNER,PMS_USER,AUTH_PARTNER,ABIS_PARTNER,SDK_PARTNER,DEVICE_PROVIDER,"
            "FTM_PROVIDER,CREDENTIAL_PARTNER,CREDENTIAL_ISSUANCE,ID_AUTHENTICATION,"
            "PARTNER_ADMIN,ONLINE_VERIFICATION_PARTNER"
        ),
    },
    # esignet-default.properties (apps/mosip_sandbox/esignet/stock.py).
    "esignet": ESIGNET_STOCK,
}

# Files the config server serves by name (JSON, camel route XML), stock content.
FILES: dict[str, str] = {
    # The stock file, byte for byte (tab included).
    "registration-processor-credential-partners.json": '{\n  "partners": [\n    {\n      "id": "digitalcardPartner",\n      "partnerId": "mpartner-default-digitalcard",\n      "credentialType": "PDFCard",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "appIdBasedCredentialIdSuffix": "-PDF",\n      "process": null,\n      "metaInfoFields": null\n    },\n    {\n      "id": "printPartner",\n      "partnerId": "mpartner-default-print",\n      "credentialType": "euin",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "appIdBasedCredentialIdSuffix": null,\n      "process": null,\n      "metaInfoFields": null\n    },\n    {\n      "id": "opencrvsPartner",\n\t  "partnerId": "opencrvs-partner",\n      "type": "opencrvs",\n      "template": "RPR_UIN_CARD_TEMPLATE",\n      "process": ["OPENCRVS_NEW"],\n      "metaInfoFields": ["opencrvsBRN"]\n    }\n  ]\n}\n',
    # The camel routes are those of the CRVS processes (data/SOURCES.md); the other
    # route files of the active flows list are not served, so their processes are
    # picked up by no route in the sandbox.
    **{
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(_ROUTES.glob("registration-processor-camel-routes-*.xml"))
    },
    AMR_ACR_MAPPING_FILE: AMR_ACR_MAPPING,
    # mosip-config's claim-to-field mapping (data/SOURCES.md), which PMS reads to
    # turn an auth policy's KYC attributes into an OIDC client's claims.
    IDENTITY_MAPPING_FILE: (_DATA / IDENTITY_MAPPING_FILE).read_text(encoding="utf-8"),
}
