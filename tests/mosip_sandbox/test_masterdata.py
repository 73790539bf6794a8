"""Masterdata onboarding over HTTP: centres, machines, zone and centre mappings (§2)."""

import base64

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.mosip_sandbox import config

MASTERDATA = "/v1/masterdata"


@pytest.fixture
def admin(mosip_sandbox):
    """A session of the zone-mapped MOSIP admin user."""
    response = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
            "username": config.MOSIP_ADMIN_USER,
            "password": config.MOSIP_ADMIN_PASSWORD,
        },
        timeout=5,
    )
    session = requests.Session()
    session.headers["Cookie"] = f"Authorization={response.json()['access_token']}"
    session.base = mosip_sandbox.url + MASTERDATA
    return session


def post(session, path, request):
    response = session.post(
        session.base + path,
        json={
            "id": "string",
            "version": "1.0",
            "requesttime": "2025-03-01T10:00:00.000Z",
            "metadata": {},
            "request": request,
        },
        timeout=5,
    )
    assert response.status_code == 200, response.text
    return response.json()


def patch(session, path, **params):
    response = session.patch(session.base + path, params=params, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def error_code(body):
    assert body["response"] is None
    return body["errors"][0]["errorCode"]


def centre_request(**changes):
    request = {
        "name": "CRVS Integration Centre",
        "centerTypeCode": "REG",
        "langCode": "eng",
        "addressLine1": "Civil Registry HQ",
        "addressLine2": "",
        "addressLine3": "",
        "latitude": "34.5228",
        "longitude": "-6.8367",
        "locationCode": "14023",
        "holidayLocationCode": "RSK",
        "zoneCode": "RBT",
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
        "isActive": True,
        "exceptionalHolidayPutPostDto": [],
    }
    request.update(changes)
    return request


def _public_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def machine_request(centre_id, name="crvs-server-01", key=None):
    key = key or _public_key()
    return {
        "name": name,
        "serialNum": "CRVS-0001",
        "macAddress": "00-00-00-00-00-01",
        "ipAddress": "10.0.0.5",
        "machineSpecId": "1001",
        "regCenterId": centre_id,
        "zoneCode": "RBT",
        "langCode": "eng",
        "isActive": True,
        "publicKey": key,
        "signPublicKey": key,
    }


def create_centre(admin):
    return post(admin, "/registrationcenters", centre_request())["response"]["id"]


def test_a_centre_is_created_inactive_with_a_generated_id(admin):
    body = post(admin, "/registrationcenters", centre_request())
    assert body["errors"] == []
    centre = body["response"]
    assert len(centre["id"]) == 5 and centre["id"].isdigit()
    assert centre["isActive"] is False
    assert centre["zoneCode"] == "RBT"


def test_a_centre_is_active_only_after_the_patch(admin):
    centre_id = create_centre(admin)
    patched = patch(admin, "/registrationcenters", isActive="true", id=centre_id)
    assert patched["response"]["status"]
    fetched = admin.get(f"{admin.base}/registrationcenters/{centre_id}/eng", timeout=5)
    assert fetched.json()["response"]["registrationCenters"][0]["isActive"] is True


@pytest.mark.parametrize("latitude", ["100.1234", "34.52", "34", "abc"])
def test_a_badly_formed_latitude_is_refused(admin, latitude):
    body = post(admin, "/registrationcenters", centre_request(latitude=latitude))
    assert error_code(body) == "KER-MSD-307"


def test_a_centre_opening_after_it_closes_is_refused(admin):
    body = post(
        admin,
        "/registrationcenters",
        centre_request(centerStartTime="18:00:00", centerEndTime="08:00:00"),
    )
    assert error_code(body) == "KER-MSD-309"


def test_a_centre_without_a_name_is_a_validation_error(admin):
    body = post(admin, "/registrationcenters", centre_request(name=None))
    assert error_code(body) == "KER-MSD-999"
    assert "name" in body["errors"][0]["message"]


def test_a_centre_outside_the_admins_zones_is_refused(admin):
    body = post(admin, "/registrationcenters", centre_request(zoneCode="SLE"))
    assert error_code(body) == "KER-MSD-441"


def test_an_unknown_centre_type_is_refused(admin):
    body = post(admin, "/registrationcenters", centre_request(centerTypeCode="NOPE"))
    assert error_code(body) == "KER-MSD-321"


def test_an_admin_without_a_zone_mapping_cannot_create_a_centre(mosip_sandbox):
    # The admin client's service account holds GLOBAL_ADMIN but no zone mapping.
    response = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
        },
        timeout=5,
    )
    session = requests.Session()
    session.headers["Cookie"] = f"Authorization={response.json()['access_token']}"
    session.base = mosip_sandbox.url + MASTERDATA
    body = post(session, "/registrationcenters", centre_request())
    assert error_code(body) == "KER-MSD-341"


def test_creating_a_centre_needs_an_admin_role(mosip_sandbox):
    token = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-crvs1-client", "roles": ["ONLINE_REGISTRATION_CLIENT"]},
        timeout=5,
    ).json()["access_token"]
    response = requests.post(
        f"{mosip_sandbox.url}{MASTERDATA}/registrationcenters",
        json={"request": centre_request()},
        headers={"Cookie": f"Authorization={token}"},
        timeout=5,
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-403"


def test_a_machine_is_created_inactive_with_key_indexes(admin):
    centre_id = create_centre(admin)
    body = post(admin, "/machines", machine_request(centre_id))
    machine = body["response"]
    assert len(machine["id"]) == 5 and machine["id"].isdigit()
    assert machine["isActive"] is False
    assert machine["regCenterId"] == centre_id
    assert len(machine["keyIndex"].split(":")) == 32
    patch(admin, "/machines", id=machine["id"], isActive="true")
    fetched = admin.get(f"{admin.base}/machines/{machine['id']}", timeout=5)
    assert fetched.json()["response"]["machines"][0]["isActive"] is True


def test_a_duplicate_machine_name_is_refused(admin):
    centre_id = create_centre(admin)
    post(admin, "/machines", machine_request(centre_id))
    body = post(admin, "/machines", machine_request(centre_id))
    assert error_code(body) == "KER-MSD-413"


def test_a_machine_reusing_another_machines_key_is_refused(admin):
    centre_id = create_centre(admin)
    key = _public_key()
    post(admin, "/machines", machine_request(centre_id, key=key))
    body = post(admin, "/machines", machine_request(centre_id, "second", key=key))
    assert error_code(body) == "KER-MSD-414"


def test_a_machine_needs_an_existing_centre(admin):
    body = post(admin, "/machines", machine_request("99999"))
    assert error_code(body) == "KER-MSD-222"


def test_a_machine_key_must_be_an_rsa_public_key(admin):
    centre_id = create_centre(admin)
    request = machine_request(centre_id)
    request["publicKey"] = base64.b64encode(b"not a key").decode()
    assert error_code(post(admin, "/machines", request)) == "KER-MSD-257"


def zone_user(admin, user_id="crvs.officer1", zone="RBT"):
    return post(
        admin,
        "/zoneuser",
        {"zoneCode": zone, "userId": user_id, "langCode": "eng", "isActive": True},
    )


def centre_mapping(admin, centre_id, user_id="crvs.officer1"):
    return post(
        admin,
        "/usercentermapping",
        {
            "id": user_id,
            "name": "CRVS Officer",
            "statusCode": "ACT",
            "regCenterId": centre_id,
            "langCode": "eng",
            "isActive": True,
        },
    )


def test_a_centre_mapping_before_the_zone_mapping_is_ker_usr_008(admin):
    centre_id = create_centre(admin)
    assert error_code(centre_mapping(admin, centre_id)) == "KER-USR-008"


def test_an_inactive_zone_mapping_is_not_enough(admin):
    centre_id = create_centre(admin)
    created = zone_user(admin)["response"]
    assert created["isActive"] is False
    assert error_code(centre_mapping(admin, centre_id)) == "KER-USR-008"


def test_the_officer_mappings_succeed_in_order_and_duplicate_is_ker_usr_013(admin):
    centre_id = create_centre(admin)
    zone_user(admin)
    patch(admin, "/zoneuser", isActive="true", userId="crvs.officer1")
    mapped = centre_mapping(admin, centre_id)
    assert mapped["errors"] == []
    assert mapped["response"]["isActive"] is False
    assert error_code(centre_mapping(admin, centre_id)) == "KER-USR-013"
    patch(admin, "/usercentermapping", isActive="true", id="crvs.officer1")
    details = admin.get(f"{admin.base}/users/crvs.officer1", timeout=5).json()
    assert details["response"]["isActive"] is True
    assert details["response"]["regCenterId"] == centre_id
    assert details["response"]["zoneCode"] == "RBT"


def test_a_user_holds_one_zone_only(admin):
    zone_user(admin, zone="RBT")
    # admin-services 1.2.0.1 ZoneUserErrorCode (KER-USR-010/007 were 1.1.5's).
    assert error_code(zone_user(admin, zone="KTA")) == "KER-USR-021"
    assert error_code(zone_user(admin, zone="RBT")) == "KER-USR-018"


def test_a_zone_mapping_outside_the_admins_zones_is_refused(admin):
    assert error_code(zone_user(admin, zone="SLE")) == "KER-USR-014"


def test_the_seeded_lookups_are_listed(admin):
    types = admin.get(f"{admin.base}/registrationcentertypes/all", timeout=5).json()
    assert "REG" in {t["code"] for t in types["response"]["data"]}
    leafs = admin.get(f"{admin.base}/zones/leafs/eng", timeout=5).json()["response"]
    assert {z["code"] for z in leafs} == {"RBT", "KTA"}


def test_a_new_centre_type_is_created_inactive_then_activated(admin):
    created = post(
        admin,
        "/registrationcentertypes",
        {
            "code": "CRVS",
            "langCode": "eng",
            "name": "CRVS virtual centre",
            "descr": "",
            "isActive": True,
        },
    )
    assert created["response"] == {"code": "CRVS", "langCode": "eng"}
    listed = admin.get(f"{admin.base}/registrationcentertypes/all", timeout=5).json()
    crvs = [t for t in listed["response"]["data"] if t["code"] == "CRVS"][0]
    assert crvs["isActive"] is False
    patch(admin, "/registrationcentertypes", code="CRVS", isActive="true")
    body = post(admin, "/registrationcenters", centre_request(centerTypeCode="CRVS"))
    assert body["errors"] == []


def test_a_machine_specification_needs_a_known_machine_type(admin):
    body = post(
        admin,
        "/machinespecifications",
        {
            "id": "CRVS_SPEC",
            "name": "CRVS spec",
            "brand": "NA",
            "model": "NA",
            "machineTypeCode": "CRVS_SRV",
            "minDriverversion": "1.0",
            "description": "",
            "langCode": "eng",
            "isActive": True,
        },
    )
    assert error_code(body) == "KER-MSD-722"


def test_an_unreadable_body_is_a_plain_400_without_a_stack_trace(admin):
    response = admin.post(
        admin.base + "/registrationcenters",
        data="{not json",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text
