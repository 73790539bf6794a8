"""Keymanager's TPM signing public key (docs/mosip/onboarding-websub.md §2.3)."""

import base64

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PATH = "/v1/keymanager/tpmsigning/publickey"


def _cookie(sandbox, roles=("GLOBAL_ADMIN",)):
    token = requests.post(
        f"{sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-admin-client", "roles": list(roles)},
        timeout=5,
    ).json()["access_token"]
    return {"Cookie": f"Authorization={token}"}


def _ask(sandbox, request, headers):
    return requests.post(
        sandbox.url + PATH,
        json={"id": "string", "version": "1.0", "request": request},
        headers=headers,
        timeout=5,
    )


def test_it_returns_one_rsa_signing_key_for_the_server(mosip_sandbox):
    headers = _cookie(mosip_sandbox)
    first = _ask(mosip_sandbox, {"serverProfile": "Prod"}, headers).json()
    again = _ask(mosip_sandbox, {"serverProfile": "Prod"}, headers).json()
    assert first["errors"] == []
    encoded = first["response"]["publicKey"]
    assert encoded == again["response"]["publicKey"]
    der = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    assert isinstance(serialization.load_der_public_key(der), rsa.RSAPublicKey)


def test_a_missing_server_profile_is_an_error(mosip_sandbox):
    body = _ask(mosip_sandbox, {}, _cookie(mosip_sandbox)).json()
    assert body["response"] is None
    assert body["errors"][0]["errorCode"] == "KER-CRY-001"


def test_the_key_can_register_a_machine_once(mosip_sandbox):
    """The CRVS guide's way: the same key as both machine keys."""
    from apps.mosip_sandbox import config

    key = _ask(mosip_sandbox, {"serverProfile": "Prod"}, _cookie(mosip_sandbox)).json()[
        "response"
    ]["publicKey"]
    token = requests.post(
        f"{mosip_sandbox.url}/auth/realms/mosip/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
            "username": config.MOSIP_ADMIN_USER,
            "password": config.MOSIP_ADMIN_PASSWORD,
        },
        timeout=5,
    ).json()["access_token"]
    machine = {
        "name": "crvs-server-01",
        "ipAddress": "10.0.0.5",
        "machineSpecId": "1001",
        "zoneCode": "RBT",
        "isActive": True,
        "publicKey": key,
        "signPublicKey": key,
    }
    response = requests.post(
        f"{mosip_sandbox.url}/v1/masterdata/machines",
        json={"request": machine},
        headers={"Cookie": f"Authorization={token}"},
        timeout=5,
    ).json()
    assert response["errors"] == []
    assert response["response"]["publicKey"] == key
