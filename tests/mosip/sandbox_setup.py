"""Setting the sandbox up through the MOSIP client, as onboarding does it: Keycloak
clients with realm roles, a centre, a machine on the server key, an officer mapped to
zone and centre; and birth packets to send. Used by the client's tests and bench."""

import itertools
import json
import uuid
from datetime import UTC, date, datetime, timedelta

from apps.mosip import keycloak_admin, keymanager, masterdata
from apps.mosip.config import MosipClient, MosipConfig
from apps.mosip.idschema import PublishedIdSchema
from apps.mosip_sandbox import config as sandbox_defaults

TIMEOUT = (5.0, 15.0)
CRVS_CLIENT = "mosip-crvs1-client"
CRVS_ROLES = [
    "ONLINE_REGISTRATION_CLIENT",
    "REGISTRATION_PROCESSOR",
    "REGISTRATION_OFFICER",
]
OFFICER = "crvs.officer1"
ZONE = "RBT"
_sequence = itertools.count(1)


def connect_keycloak_admin(url: str) -> keycloak_admin.KeycloakAdmin:
    return keycloak_admin.connect(
        f"{url}/auth",
        sandbox_defaults.KEYCLOAK_ADMIN_USER,
        sandbox_defaults.KEYCLOAK_ADMIN_PASSWORD,
        timeout=TIMEOUT,
    )


def operator_list(url: str, client_id: str = CRVS_CLIENT, partner_id: str = "") -> list:
    """The MOSIP operator's changes for a portal with this client (and partner) id,
    made in the sandbox's stock configuration through its config API (what the
    embedded run and the onboarding fixtures apply); what changed."""
    from apps.onboarding import operator
    from apps.onboarding_wizard import embedded

    ids = operator.PortalIds(client_id, partner_id or client_id)
    return embedded.apply_operator_changes(url, operator.operator_changes(ids))


def client_config(url: str, client_id: str, secret: str, **extra) -> MosipConfig:
    extra.setdefault("timeout", TIMEOUT)
    return MosipConfig(api_url=url, client_id=client_id, client_secret=secret, **extra)


def admin_client(url: str) -> MosipClient:
    """The zone-mapped MOSIP admin user, through authmanager."""
    return MosipClient(
        client_config(
            url,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_ID,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_SECRET,
            app_id="admin",
            username=sandbox_defaults.MOSIP_ADMIN_USER,
            password=sandbox_defaults.MOSIP_ADMIN_PASSWORD,
        )
    )


def make_service_client(kc_admin, client_id: str, roles: list[str]) -> tuple[str, dict]:
    """A confidential client whose service account holds `roles`; (secret, client)."""
    for role in roles:
        keycloak_admin.role_ensure(kc_admin, role)
    created = keycloak_admin.client_create(kc_admin, client_id)
    account = keycloak_admin.service_account_user(kc_admin, created["id"])
    keycloak_admin.realm_roles_assign(kc_admin, account["id"], roles)
    return keycloak_admin.client_secret_get(kc_admin, created["id"]), created


def centre_request(**changes) -> dict:
    return {
        "name": "CRVS Integration Centre",
        "centerTypeCode": "REG",
        "langCode": "eng",
        "addressLine1": "Civil Registry HQ",
        "latitude": "34.5228",
        "longitude": "-6.8367",
        "locationCode": "14023",
        "holidayLocationCode": "RSK",
        "zoneCode": ZONE,
        "contactPhone": "+212500000000",
        "contactPerson": "Registrar",
        "workingHours": "24:00:00",
        "perKioskProcessTime": "00:15:00",
        "centerStartTime": "00:00:00",
        "centerEndTime": "23:59:59",
        "lunchStartTime": "00:00:00",
        "lunchEndTime": "00:00:00",
        "timeZone": "UTC",
        "numberOfKiosks": 1,
        **changes,
    }


def _text(value: str) -> str:
    return json.dumps([{"language": "eng", "value": value}])


def _label_values(pairs) -> str:
    return json.dumps([{"label": k, "value": v} for k, v in pairs])


def new_rid(centre: str, machine: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return f"{centre}{machine}{next(_sequence) % 100000:05d}{stamp}"


def packet(
    rid: str, centre: str, machine: str, schema: PublishedIdSchema, **changes
) -> dict:
    born = date.today() - timedelta(days=30)
    return {
        "id": rid,
        "refId": f"{centre}_{machine}",
        "offlineMode": False,
        "process": "CRVS_NEW",
        "source": "CRVS1",
        "schemaVersion": str(schema.id_version),
        "schemaJson": schema.schema_json,
        "fields": {
            "fullName": _text("Amina Bello"),
            "dateOfBirth": born.strftime("%Y/%m/%d"),
            "gender": _text("Female"),
            "addressLine1": _text("12 Market Road"),
            "region": _text("North"),
            "province": _text("Lakeside"),
            "city": _text("Port Town"),
            "zone": _text("Ward 4"),
            "birthCertificateNumber": "BRN-2025-000123",
        },
        "metaInfo": {
            "metaData": _label_values(
                [
                    ("registrationType", "CRVS_NEW"),
                    ("centerId", centre),
                    ("machineId", machine),
                ]
            ),
            "operationsData": _label_values(
                [
                    ("officerId", OFFICER),
                    ("officerPassword", "true"),
                    ("supervisorId", None),
                ]
            ),
            "capturedRegisteredDevices": "[]",
        },
        "audits": [{"uuid": str(uuid.uuid4()), "eventId": "CRVS-EVT-001", "id": rid}],
        **changes,
    }


def onboard(admin: MosipClient, kc_admin) -> tuple[str, str]:
    """Centre, machine (server key), officer and its mappings; (centre, machine)."""
    centre = masterdata.centre_create(admin, centre_request())
    masterdata.centre_activate(admin, centre["id"])
    key = keymanager.tpm_signing_public_key(admin)
    machine = masterdata.machine_create(admin, machine_request(centre["id"], key))
    masterdata.machine_activate(admin, machine["id"])
    officer = keycloak_admin.user_create(kc_admin, OFFICER, "Officer-pass-1")
    keycloak_admin.realm_roles_assign(kc_admin, officer["id"], ["REGISTRATION_OFFICER"])
    masterdata.zone_user_create(admin, user_id=OFFICER, zone_code=ZONE)
    masterdata.zone_user_activate(admin, OFFICER)
    masterdata.user_centre_create(
        admin, user_id=OFFICER, centre_id=centre["id"], name="CRVS Officer"
    )
    masterdata.user_centre_activate(admin, OFFICER)
    return centre["id"], machine["id"]


def machine_request(centre_id: str, key: str, name: str = "crvs-server-01") -> dict:
    return {
        "name": name,
        "serialNum": "CRVS-0001",
        "macAddress": "00-00-00-00-00-01",
        "ipAddress": "10.0.0.5",
        "machineSpecId": "1001",
        "regCenterId": centre_id,
        "zoneCode": ZONE,
        "publicKey": key,
        "signPublicKey": key,
    }
