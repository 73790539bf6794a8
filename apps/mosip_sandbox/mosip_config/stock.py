"""The stock values of mosip-config v1.2.4.2 for what the sandbox serves.

Only properties the sandbox acts on are listed, each under the file that holds it in
mosip-config (docs/mosip/sandbox-configuration.md gives the file and line of each).
A property absent here and in every change is absent, as on MOSIP.
"""

from pathlib import Path

_ROUTES = Path(__file__).resolve().parent.parent / "data" / "camel-routes"

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
# The camel routes are those of the CRVS processes (data/SOURCES.md); the other
# route files of the active flows list are not served, so their processes are
# picked up by no route in the sandbox.
FILES: dict[str, str] = {
    path.name: path.read_text(encoding="utf-8")
    for path in sorted(_ROUTES.glob("registration-processor-camel-routes-*.xml"))
}
