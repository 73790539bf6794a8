"""Building and submitting CRVS packets against the running sandbox, over HTTP."""

import itertools
import json
from datetime import UTC, date, datetime, timedelta

import requests

from tests.waiting import wait_until

CENTRE = "10011"
MACHINE = "10022"
OFFICER = "crvs.officer"
CLIENT_ROLES = ["ONLINE_REGISTRATION_CLIENT"]
STATUS_ROLES = ["REGISTRATION_OFFICER"]
_sequence = itertools.count(1)


def token(sandbox, roles, azp="mosip-crvs1-client") -> str:
    response = requests.post(
        f"{sandbox.url}/sandbox/api/tokens",
        json={"azp": azp, "roles": roles},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def cookie(sandbox, roles=CLIENT_ROLES, azp="mosip-crvs1-client") -> dict:
    return {"Cookie": f"Authorization={token(sandbox, roles, azp)}"}


def put_document(sandbox, collection: str, key: str, doc: dict) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/documents",
        json={"collection": collection, "key": key, "doc": doc},
        timeout=10,
    ).raise_for_status()


def server_signing_key(sandbox) -> str:
    """POST /v1/keymanager/tpmsigning/publickey, as an admin client reads it."""
    response = requests.post(
        f"{sandbox.url}/v1/keymanager/tpmsigning/publickey",
        json={"request": {"serverProfile": "CRVS"}},
        headers=cookie(sandbox, ["GLOBAL_ADMIN"], azp="mosip-admin-client"),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["response"]["publicKey"]


def onboard(sandbox, *, centre_active=True, start="00:00:00", end="23:59:59", **centre):
    """A centre, its machine and a default officer mapped to both, as onboarding leaves them."""
    put_document(
        sandbox,
        "centres",
        CENTRE,
        {
            "id": CENTRE,
            "name": "CRVS centre",
            "isActive": centre_active,
            "zoneCode": "NTH",
            "centerStartTime": start,
            "centerEndTime": end,
            "lunchStartTime": "00:00:00",
            "lunchEndTime": "00:00:00",
            "timeZone": "UTC",
            **centre,
        },
    )
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {
            "id": MACHINE,
            "name": "crvs-machine",
            "regCenterId": CENTRE,
            "isActive": True,
            # The server's signing key, which createPacket signs sub-packets with.
            "publicKey": server_signing_key(sandbox),
            "signPublicKey": server_signing_key(sandbox),
        },
    )
    put_document(
        sandbox,
        "kc_users",
        OFFICER,
        {"username": OFFICER, "enabled": True, "roles": ["REGISTRATION_OFFICER"]},
    )
    put_document(
        sandbox,
        "zone_users",
        OFFICER,
        {"userId": OFFICER, "zoneCode": "NTH", "isActive": True},
    )
    put_document(
        sandbox,
        "user_centres",
        OFFICER,
        {"userId": OFFICER, "regCenterId": CENTRE, "isActive": True},
    )


def new_rid() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    return f"{CENTRE}{MACHINE}{next(_sequence) % 100000:05d}{stamp}"


def latest_schema(sandbox) -> dict:
    response = requests.get(
        f"{sandbox.url}/v1/syncdata/latestidschema",
        # Stock syncdata does not list the CRVS client in its audience; reg-proc's is.
        headers=cookie(sandbox, ["REGISTRATION_PROCESSOR"], azp="mosip-regproc-client"),
        timeout=10,
    )
    return response.json()["response"]


def text(value: str) -> str:
    return json.dumps([{"language": "eng", "value": value}])


def birth_fields(name="Amina Bello", born: date | None = None, **extra) -> dict:
    born = born or (date.today() - timedelta(days=30))
    return {
        "fullName": text(name),
        "dateOfBirth": born.strftime("%Y/%m/%d"),
        "gender": text("Female"),
        "addressLine1": text("12 Market Road"),
        "region": text("North"),
        "province": text("Lakeside"),
        "city": text("Port Town"),
        "zone": text("Ward 4"),
        "placeOfBirth": text("Port Town Hospital"),
        "birthCertificateNumber": "BRN-2025-000123",
        **extra,
    }


def meta_info(process="CRVS_NEW", officer=OFFICER, password="true", supervisor=None):
    return {
        "metaData": json.dumps(
            [
                {"label": "registrationType", "value": process},
                {"label": "centerId", "value": CENTRE},
                {"label": "machineId", "value": MACHINE},
            ]
        ),
        "operationsData": json.dumps(
            [
                {"label": "officerId", "value": officer},
                {"label": "officerPassword", "value": password},
                {"label": "supervisorId", "value": supervisor},
            ]
        ),
        "capturedRegisteredDevices": "[]",
    }


def packet_request(
    rid, process="CRVS_NEW", fields=None, schema=None, **overrides
) -> dict:
    schema = schema or {}
    dto = {
        "id": rid,
        "refId": f"{CENTRE}_{MACHINE}",
        "offlineMode": False,
        "process": process,
        "source": "CRVS1",
        "schemaVersion": str(schema.get("idVersion", "0.2")),
        "schemaJson": schema.get("schemaJson"),
        "fields": fields if fields is not None else birth_fields(),
        "metaInfo": meta_info(process),
        "audits": [{"uuid": "a1", "eventId": "CRVS-EVT-001", "id": rid}],
        **overrides,
    }
    return {"id": "string", "version": "string", "requesttime": now(), "request": dto}


def now(offset_seconds: float = 0) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def create_packet(sandbox, rid, process="CRVS_NEW", fields=None, **overrides):
    schema = latest_schema(sandbox)
    body = packet_request(rid, process, fields, schema, **overrides)
    return requests.put(
        f"{sandbox.url}/commons/v1/packetmanager/createPacket",
        json=body,
        headers=cookie(sandbox),
        timeout=10,
    )


def trigger_body(rid, process="CRVS_NEW", source="CRVS1", **envelope) -> dict:
    return {
        "id": "mosip.registration.processor.workflow.instance",
        "version": "v1",
        "requesttime": now(),
        "request": {
            "registrationId": rid,
            "process": process,
            "source": source,
            "additionalInfoReqId": "",
            "notificationInfo": {
                "name": "Guardian",
                "phone": "0711000000",
                "email": None,
            },
        },
        **envelope,
    }


def trigger(sandbox, rid, process="CRVS_NEW", **envelope):
    return requests.post(
        f"{sandbox.url}/registrationprocessor/v1/workflowmanager/workflowinstance",
        json=trigger_body(rid, process, **envelope),
        headers=cookie(sandbox),
        timeout=10,
    )


def workflow(sandbox, rid) -> dict | None:
    rows = requests.get(
        f"{sandbox.url}/sandbox/api/workflows",
        params={"registrationId": rid},
        timeout=10,
    ).json()["workflows"]
    return rows[-1] if rows else None


def wait_until_done(sandbox, rid, timeout=60.0) -> dict:
    return wait_until(
        lambda: (
            (row := workflow(sandbox, rid))
            and row["statusCode"] in ("PROCESSED", "REJECTED", "FAILED")
            and row
        ),
        timeout,
        f"workflow {rid} finished",
        observe=lambda: workflow(sandbox, rid),
    )


def completed_events(sandbox) -> list[dict]:
    events = requests.get(
        f"{sandbox.url}/sandbox/api/events",
        params={"topic": "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"},
        timeout=10,
    ).json()["events"]
    return [json.loads(e["body"]) for e in events]


def register_birth(sandbox, rid=None, **fields) -> dict:
    """A birth packet processed to the end; returns the finished workflow row."""
    rid = rid or new_rid()
    assert create_packet(sandbox, rid, fields=birth_fields(**fields)).json()["response"]
    assert trigger(sandbox, rid).json()["errors"] is None
    return wait_until_done(sandbox, rid)


def configure(sandbox, changes: dict) -> dict:
    """Change MOSIP's configuration as an operator would (PATCH /sandbox/api/config)."""
    response = requests.patch(
        f"{sandbox.url}/sandbox/api/config", json=changes, timeout=10
    )
    response.raise_for_status()
    return response.json()


def sandbox_config(sandbox) -> dict:
    return requests.get(f"{sandbox.url}/sandbox/api/config", timeout=10).json()


DEATH_ROUTE = "registration-processor-camel-routes-crvs_death-default.xml"


def process_changes(sandbox, process: str) -> dict:
    """The configuration changes that add a process the way the death process is
    configured: packet writer and reader, default priority, category UPDATE, a camel
    route made from the death route, and its mandatory attributes."""
    effective = sandbox_config(sandbox)["effective"]
    application = effective["application"]
    regproc = effective["registration-processor"]
    lower = process.lower()

    def with_process(value: str) -> str:
        return value.replace("CRVS_NEW|CRVS_DEATH", f"CRVS_NEW|CRVS_DEATH|{process}")

    route_file = f"registration-processor-camel-routes-{lower}-default.xml"
    mapping = regproc["registration.processor.additional-process.category-mapping"]
    return {
        "application": {
            "provider.packetwriter.crvs1": with_process(
                application["provider.packetwriter.crvs1"]
            ),
            "provider.packetreader.crvs1": with_process(
                application["provider.packetreader.crvs1"]
            ),
            "packetmanager.default.priority": with_process(
                application["packetmanager.default.priority"]
            ),
            "mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor."
            + lower: "IDSchemaVersion,UIN",
        },
        "registration-processor": {
            "registration.processor.additional-process.category-mapping": (
                mapping[:-1] + f",'{process}':'UPDATE'}}"
            ),
            "camel.secure.active.flows.file.names": (
                regproc["camel.secure.active.flows.file.names"] + "," + route_file
            ),
        },
        "files": {
            route_file: effective["files"][DEATH_ROUTE].replace("crvs_death", lower)
        },
    }


def add_process(sandbox, process: str) -> None:
    configure(sandbox, process_changes(sandbox, process))
