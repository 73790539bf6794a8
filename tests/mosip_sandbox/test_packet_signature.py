"""Packet manager signs each sub-packet with the server's key (cssign) and checks it
against the signPublicKey of the machine the packet names when reg-proc reads it
(docs/mosip/machines-and-packets.md §3)."""

import base64

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.mosip_sandbox.packet_helpers import (
    CENTRE,
    MACHINE,
    completed_events,
    create_packet,
    new_rid,
    onboard,
    put_document,
    server_signing_key,
    trigger,
    wait_until_done,
)

NON_RECOVERABLE = "Packet manager non recoverable exception"


def _generated_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(der).decode().rstrip("=")


def _machine_key(sandbox, key: str) -> None:
    put_document(
        sandbox,
        "machines",
        MACHINE,
        {
            "id": MACHINE,
            "name": "crvs-machine",
            "regCenterId": CENTRE,
            "isActive": True,
            "publicKey": key,
            "signPublicKey": key,
        },
    )


def _submit(sandbox, rid=None, **overrides) -> dict:
    rid = rid or new_rid()
    assert create_packet(sandbox, rid, **overrides).json()["response"]
    assert trigger(sandbox, rid).json()["errors"] is None
    return wait_until_done(sandbox, rid)


@pytest.fixture
def sandbox(mosip_sandbox):
    onboard(mosip_sandbox)
    mosip_sandbox.set_speed(1000)
    return mosip_sandbox


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_each_sub_packet_is_signed_with_the_server_key(sandbox):
    response = create_packet(sandbox, new_rid())
    infos = response.json()["response"]
    assert {i["packetName"].rsplit("_", 1)[1] for i in infos} == {
        "id",
        "evidence",
        "optional",
    }
    key = serialization.load_der_public_key(_b64url_decode(server_signing_key(sandbox)))
    for info in infos:
        signature = _b64url_decode(info["signature"])
        # 2048-bit RSA PKCS#1 v1.5 signature; distinct per sub-packet.
        assert len(signature) == key.key_size // 8
    assert len({i["signature"] for i in infos}) == 3


def test_a_machine_with_the_server_key_passes_packet_validation(sandbox):
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]


def test_a_machine_with_a_generated_key_fails_at_packet_validation(sandbox):
    _machine_key(sandbox, _generated_key())
    row = _submit(sandbox)
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"].startswith(NON_RECOVERABLE)
    assert row["statusComment"].endswith("Packet Integrity check failed.")
    failed = [t for t in row["transactions"] if t["statusCode"] == "FAILED"]
    assert failed[0]["stage"] == "PacketValidatorStage"


def test_the_workflow_completed_event_says_failed(sandbox):
    _machine_key(sandbox, _generated_key())
    rid = new_rid()
    _submit(sandbox, rid)
    (event,) = [e for e in completed_events(sandbox) if e["instanceId"] == rid]
    assert event["resultCode"] == "FAILED"
    assert event["errorCode"] == "PACKET_FAILED"


def test_the_machine_is_the_one_after_the_underscore_of_the_ref_id(sandbox):
    # Another machine, with a generated key: a packet naming it fails, even though
    # the metaData names the machine with the server key.
    put_document(
        sandbox,
        "machines",
        "10033",
        {"id": "10033", "isActive": True, "signPublicKey": _generated_key()},
    )
    row = _submit(sandbox, refId=f"{CENTRE}_10033")
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"].startswith(NON_RECOVERABLE)


def test_a_packet_naming_an_unknown_machine_fails(sandbox):
    row = _submit(sandbox, refId=f"{CENTRE}_10099")
    assert row["statusCode"] == "FAILED"
    assert row["statusComment"] == "Exception occured in packet manager."


def test_verification_can_be_disabled(sandbox):
    _machine_key(sandbox, _generated_key())
    requests.patch(
        f"{sandbox.url}/sandbox/api/config",
        json={
            "application": {
                "packetmanager.packet.signature.disable-verification": "true"
            }
        },
        timeout=5,
    ).raise_for_status()
    row = _submit(sandbox)
    assert row["statusCode"] == "PROCESSED", row["statusComment"]
