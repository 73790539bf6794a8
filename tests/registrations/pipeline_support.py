"""The portal connected to a running sandbox, and ways to watch the sandbox's side.

`connect_portal` does over HTTP what onboarding does: a Keycloak client for the
portal with the roles it needs, the centre, machine and officer, and the ID schema
MOSIP publishes. The portal then reaches the sandbox only through apps.mosip.
"""

import json
import time

import requests

from apps.mosip import keycloak_admin
from apps.mosip.config import tokens
from apps.mosip_sandbox import config as sandbox_config
from apps.registrations import services
from tests.mosip_sandbox import packet_helpers as helpers

CLIENT_ID = "mosip-crvs1-client"
CLIENT_SECRET = "portal-test-client-secret"
CLIENT_ROLES = ["ONLINE_REGISTRATION_CLIENT", "REGISTRATION_OFFICER"]
COMPLETED_TOPIC = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"


def connect_portal(sandbox, settings, *, speed: float = 1000) -> None:
    admin = keycloak_admin.connect(
        f"{sandbox.url}/auth",
        sandbox_config.KEYCLOAK_ADMIN_USER,
        sandbox_config.KEYCLOAK_ADMIN_PASSWORD,
    )
    client = keycloak_admin.client_find(
        admin, CLIENT_ID
    ) or keycloak_admin.client_create(admin, CLIENT_ID, secret=CLIENT_SECRET)
    account = keycloak_admin.service_account_user(admin, client["id"])
    keycloak_admin.realm_roles_assign(admin, account["id"], CLIENT_ROLES)
    helpers.onboard(sandbox)
    schema = helpers.latest_schema(sandbox)
    services.id_schema_record(
        version=str(schema["idVersion"]), schema_json=schema["schemaJson"]
    )
    settings.MOSIP_API_URL = sandbox.url
    settings.MOSIP_CLIENT_ID = CLIENT_ID
    settings.MOSIP_CLIENT_SECRET = CLIENT_SECRET
    settings.MOSIP_APP_ID = "regproc"
    settings.MOSIP_DEFAULT_CENTRE_ID = helpers.CENTRE
    settings.MOSIP_DEFAULT_MACHINE_ID = helpers.MACHINE
    settings.MOSIP_DEFAULT_OFFICER_ID = helpers.OFFICER
    tokens.clear()
    sandbox.set_speed(speed)


def set_faults(sandbox, **switches) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json=switches, timeout=5
    ).raise_for_status()


def clear_faults(sandbox) -> None:
    requests.delete(f"{sandbox.url}/sandbox/api/faults", timeout=5).raise_for_status()


def workflows(sandbox, application_id) -> list[dict]:
    return requests.get(
        f"{sandbox.url}/sandbox/api/workflows",
        params={"registrationId": application_id},
        timeout=10,
    ).json()["workflows"]


def stored_packet(sandbox, application_id, process) -> dict | None:
    response = requests.get(
        f"{sandbox.url}/sandbox/api/packets",
        params={"id": application_id, "source": "CRVS1", "process": process},
        timeout=10,
    )
    return response.json() if response.ok else None


def wait_until_done(sandbox, application_id, timeout=30.0) -> dict:
    return helpers.wait_until_done(sandbox, application_id, timeout=timeout)


def completed_events(sandbox, application_id) -> list[dict]:
    """WORKFLOW_COMPLETED events the sandbox published for an application id."""
    events = requests.get(
        f"{sandbox.url}/sandbox/api/events",
        params={"topic": COMPLETED_TOPIC},
        timeout=10,
    ).json()["events"]
    bodies = [json.loads(e["body"]) for e in events]
    return [
        body.get("event", body)
        for body in bodies
        if body.get("event", body).get("instanceId") == application_id
    ]


def wait_for(predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


def force_outcome(sandbox, application_id, outcome) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/outcomes",
        json={"registrationId": application_id, "outcome": outcome},
        timeout=5,
    ).raise_for_status()
