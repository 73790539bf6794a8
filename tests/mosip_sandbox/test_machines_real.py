"""Masterdata as admin-services v1.2.0.1 answers it: per-endpoint role properties,
the machines routes and keys, zone-user codes (docs/mosip/machines-and-packets.md)."""

import base64

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.mosip_sandbox.packet_helpers import cookie, server_signing_key
from tests.mosip_sandbox.test_masterdata import admin as admin_session
from tests.mosip_sandbox.test_masterdata import (
    centre_mapping,
    create_centre,
    error_code,
    machine_request,
    patch,
    post,
    zone_user,
)

MASTERDATA = "/v1/masterdata"
CLIENT = "mosip-crvs1-client"
# What the portal's client holds (apps/onboarding DEFAULT_CLIENT_ROLES).
CRVS_ROLES = [
    "ONLINE_REGISTRATION_CLIENT",
    "REGISTRATION_OFFICER",
    "CREDENTIAL_PARTNER",
    "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL",
]


@pytest.fixture
def admin(mosip_sandbox):
    return admin_session.__wrapped__(mosip_sandbox)


def _kernel_audience_with_client(sandbox):
    """The operator's change: the CRVS client added to kernel's allowed audience."""
    url = f"{sandbox.url}/sandbox/api/config"
    stock = requests.get(url, timeout=5).json()["effective"]["kernel"]
    audience = stock["auth.server.admin.allowed.audience"] + f",{CLIENT}"
    response = requests.patch(
        url,
        json={"kernel": {"auth.server.admin.allowed.audience": audience}},
        timeout=5,
    )
    response.raise_for_status()


def _client_get(sandbox, path, roles=CRVS_ROLES, azp=CLIENT):
    return requests.get(
        f"{sandbox.url}{MASTERDATA}{path}",
        headers=cookie(sandbox, roles, azp),
        timeout=5,
    )


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def test_a_fresh_sandbox_refuses_the_crvs_clients_centre_read_back(
    admin, mosip_sandbox
):
    centre = create_centre(admin)
    response = _client_get(mosip_sandbox, f"/registrationcenters/{centre}/eng")
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-403"


def test_centre_read_back_needs_a_role_of_getregistrationcentersidlangcode(
    admin, mosip_sandbox
):
    # Even in kernel's audience, the CRVS roles are not in the endpoint's list.
    _kernel_audience_with_client(mosip_sandbox)
    centre = create_centre(admin)
    refused = _client_get(mosip_sandbox, f"/registrationcenters/{centre}/eng")
    assert refused.status_code == 403
    allowed = _client_get(
        mosip_sandbox,
        f"/registrationcenters/{centre}/eng",
        roles=["REGISTRATION_PROCESSOR"],
    )
    assert allowed.status_code == 200
    assert allowed.json()["response"]["registrationCenters"][0]["id"] == centre


def test_the_endpoint_role_list_is_read_from_kernel_config(admin, mosip_sandbox):
    _kernel_audience_with_client(mosip_sandbox)
    centre = create_centre(admin)
    requests.patch(
        f"{mosip_sandbox.url}/sandbox/api/config",
        json={
            "kernel": {
                "mosip.role.admin.masterdata.getregistrationcentersidlangcode": (
                    "REGISTRATION_OFFICER"
                )
            }
        },
        timeout=5,
    ).raise_for_status()
    response = _client_get(mosip_sandbox, f"/registrationcenters/{centre}/eng")
    assert response.status_code == 200


def test_users_id_accepts_the_getusersid_roles(admin, mosip_sandbox):
    _kernel_audience_with_client(mosip_sandbox)
    centre = create_centre(admin)
    patch(admin, "/registrationcenters", isActive="true", id=centre)
    zone_user(admin)
    patch(admin, "/zoneuser", isActive="true", userId="crvs.officer1")
    assert centre_mapping(admin, centre)["errors"] == []
    # REGISTRATION_OFFICER is in getusersid; GLOBAL_ADMIN is not.
    officer = _client_get(mosip_sandbox, "/users/crvs.officer1")
    assert officer.status_code == 200
    assert officer.json()["response"]["regCenterId"] == centre
    global_admin = _client_get(
        mosip_sandbox, "/users/crvs.officer1", roles=["GLOBAL_ADMIN"]
    )
    assert global_admin.status_code == 403


def test_machine_read_back_is_refused_to_the_crvs_roles(admin, mosip_sandbox):
    _kernel_audience_with_client(mosip_sandbox)
    centre = create_centre(admin)
    machine = post(admin, "/machines", machine_request(centre))["response"]["id"]
    assert _client_get(mosip_sandbox, f"/machines/{machine}").status_code == 403
    own = admin.get(f"{admin.base}/machines/{machine}", timeout=5).json()
    assert own["response"]["machines"][0]["id"] == machine


def test_a_machine_has_no_language_route(admin, mosip_sandbox):
    centre = create_centre(admin)
    machine = post(admin, "/machines", machine_request(centre))["response"]["id"]
    response = admin.get(f"{admin.base}/machines/{machine}/eng", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"] == "Not Found"


def test_an_unknown_machine_is_ker_msd_030(admin):
    body = admin.get(f"{admin.base}/machines/99999", timeout=5).json()
    assert error_code(body) == "KER-MSD-030"


def test_two_machines_cannot_share_the_server_key(admin, mosip_sandbox):
    centre = create_centre(admin)
    key = server_signing_key(mosip_sandbox)
    first = post(admin, "/machines", machine_request(centre, "crvs-a", key=key))
    assert first["errors"] == []
    second = post(admin, "/machines", machine_request(centre, "crvs-b", key=key))
    assert error_code(second) == "KER-MSD-414"


def test_a_duplicate_name_is_refused_before_the_keys_are_read(admin):
    centre = create_centre(admin)
    assert post(admin, "/machines", machine_request(centre, "twin"))["errors"] == []
    again = machine_request(centre, "twin", key=_rsa_key())
    again["publicKey"] = base64.b64encode(b"not a key").decode()
    assert error_code(post(admin, "/machines", again)) == "KER-MSD-413"


def test_a_machine_centre_outside_the_machine_zone_is_ker_msd_219(admin):
    centre = create_centre(admin)  # zone RBT
    request = machine_request(centre, key=_rsa_key())
    request["zoneCode"] = "KTA"
    assert error_code(post(admin, "/machines", request)) == "KER-MSD-219"


def test_the_tpm_signing_key_is_read_with_a_posttpmsigningpublickey_role(
    mosip_sandbox,
):
    _kernel_audience_with_client(mosip_sandbox)
    url = f"{mosip_sandbox.url}/v1/keymanager/tpmsigning/publickey"
    body = {"request": {"serverProfile": "CRVS"}}
    refused = requests.post(
        url,
        json=body,
        headers=cookie(mosip_sandbox, ["ONLINE_REGISTRATION_CLIENT"], CLIENT),
        timeout=5,
    )
    assert refused.status_code == 403
    officer = requests.post(
        url,
        json=body,
        headers=cookie(mosip_sandbox, ["REGISTRATION_OFFICER"], CLIENT),
        timeout=5,
    )
    assert officer.json()["response"]["publicKey"] == server_signing_key(mosip_sandbox)


def test_a_zone_mapping_repeated_is_ker_usr_018(admin):
    zone_user(admin, zone="RBT")
    assert error_code(zone_user(admin, zone="RBT")) == "KER-USR-018"


def test_a_zone_mapping_to_another_zone_is_ker_usr_021(admin):
    zone_user(admin, zone="RBT")
    assert error_code(zone_user(admin, zone="KTA")) == "KER-USR-021"


def test_a_centre_mapping_without_an_active_zone_mapping_is_ker_usr_008(admin):
    centre = create_centre(admin)
    zone_user(admin)  # created inactive
    assert error_code(centre_mapping(admin, centre)) == "KER-USR-008"


def test_a_centre_outside_the_users_zone_is_ker_usr_015(admin):
    centre = create_centre(admin)  # zone RBT
    zone_user(admin, zone="KTA")
    patch(admin, "/zoneuser", isActive="true", userId="crvs.officer1")
    assert error_code(centre_mapping(admin, centre)) == "KER-USR-015"


def test_activating_a_centre_mapping_needs_an_active_zone_mapping(admin):
    centre = create_centre(admin)
    zone_user(admin)
    patch(admin, "/zoneuser", isActive="true", userId="crvs.officer1")
    assert centre_mapping(admin, centre)["errors"] == []
    patch(admin, "/zoneuser", isActive="false", userId="crvs.officer1")
    body = admin.patch(
        f"{admin.base}/usercentermapping",
        params={"id": "crvs.officer1", "isActive": "true"},
        timeout=5,
    ).json()
    assert error_code(body) == "KER-USR-025"
