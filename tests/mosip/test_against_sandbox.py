"""The MOSIP client over real HTTP against the running sandbox: every function the
portal uses, with the identities and objects created through the client itself,
as onboarding does it."""

import json
import time
import uuid

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.mosip import (
    authorize,
    credentials,
    idschema,
    keycloak_admin,
    keymanager,
    masterdata,
    packets,
    partners,
    websub,
)
from apps.mosip.config import MosipClient, MosipConfig
from apps.mosip.errors import (
    MosipAuthError,
    MosipEmptyResponse,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)
from apps.mosip_sandbox import config as sandbox_defaults
from tests.mosip.sandbox_setup import (
    CRVS_CLIENT,
    CRVS_ROLES,
    OFFICER,
    ZONE,
    centre_request,
    client_config,
    connect_keycloak_admin,
    machine_request,
    make_service_client,
    new_rid,
    onboard,
    operator_list,
    packet,
)
from tests.mosip.sandbox_setup import admin_client as make_admin_client
from tests.mosip_sandbox import partner_setup
from tests.mosip_sandbox.websub_receiver import Receiver
from tests.waiting import wait_until

PARTNER = "crvs-partner"
PARTNER_ROLES = [
    "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL",
    "SUBSCRIBE_REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT_GENERAL",
    "PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL",
    "PARTNER_ADMIN",
]


# Identities --------------------------------------------------------------------------


@pytest.fixture
def kc_admin(mosip_sandbox):
    return connect_keycloak_admin(mosip_sandbox.url)


def _config(sandbox, client_id, secret, **extra) -> MosipConfig:
    return client_config(sandbox.url, client_id, secret, **extra)


@pytest.fixture
def admin_client(mosip_sandbox):
    return make_admin_client(mosip_sandbox.url)


@pytest.fixture
def crvs_client(mosip_sandbox, kc_admin):
    operator_list(mosip_sandbox.url)
    secret, _ = make_service_client(kc_admin, CRVS_CLIENT, CRVS_ROLES)
    return MosipClient(_config(mosip_sandbox, CRVS_CLIENT, secret, app_id="regproc"))


@pytest.fixture
def partner_client(mosip_sandbox, kc_admin):
    secret, _ = make_service_client(kc_admin, PARTNER, PARTNER_ROLES)
    # Partner management checks the caller's audience: the operator's list for a
    # portal whose client is PARTNER.
    operator_list(mosip_sandbox.url, PARTNER)
    return MosipClient(_config(mosip_sandbox, PARTNER, secret, app_id="partner"))


@pytest.fixture
def receiver():
    subscriber = Receiver()
    yield subscriber
    subscriber.close()


# Tokens ------------------------------------------------------------------------------


def test_tokens_from_authmanager_and_keycloak_carry_the_client_roles(
    mosip_sandbox, kc_admin
):
    secret, _ = make_service_client(kc_admin, CRVS_CLIENT, CRVS_ROLES)
    for source in ("authmanager", "keycloak"):
        client = MosipClient(
            _config(mosip_sandbox, CRVS_CLIENT, secret, token_source=source)
        )
        token = client.token()
        assert set(CRVS_ROLES) <= set(token.roles), source
        assert token.azp == CRVS_CLIENT
        assert token.username == f"service-account-{CRVS_CLIENT}"
        identity = authorize.validate_token(client)
        assert identity.user_id == f"service-account-{CRVS_CLIENT}"
        assert set(CRVS_ROLES) <= set(identity.roles)


@pytest.mark.parametrize("source", ["authmanager", "keycloak"])
def test_a_wrong_secret_is_an_auth_error_from_both_sources(mosip_sandbox, source):
    client = MosipClient(
        _config(
            mosip_sandbox,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_ID,
            "wrong-secret",
            token_source=source,
        )
    )
    with pytest.raises(MosipAuthError):
        client.token()


@pytest.mark.parametrize("source", ["authmanager", "keycloak"])
def test_a_wrong_user_password_is_an_auth_error_from_both_sources(
    mosip_sandbox, source
):
    client = MosipClient(
        _config(
            mosip_sandbox,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_ID,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_SECRET,
            token_source=source,
            app_id="admin",
            username=sandbox_defaults.MOSIP_ADMIN_USER,
            password="wrong-password",
        )
    )
    with pytest.raises(MosipAuthError):
        client.token()


def test_a_user_token_through_keycloak_password_grant(mosip_sandbox):
    client = MosipClient(
        _config(
            mosip_sandbox,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_ID,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_SECRET,
            token_source="keycloak",
            username=sandbox_defaults.MOSIP_ADMIN_USER,
            password=sandbox_defaults.MOSIP_ADMIN_PASSWORD,
        )
    )
    assert client.token().username == sandbox_defaults.MOSIP_ADMIN_USER
    assert "GLOBAL_ADMIN" in client.token().roles


def test_an_unreachable_mosip_is_unavailable():
    from tests.sandbox_process import free_port

    client = MosipClient(
        MosipConfig(
            api_url=f"http://127.0.0.1:{free_port()}",
            client_id="c",
            client_secret="s",
            timeout=(1.0, 1.0),
        )
    )
    with pytest.raises(MosipUnavailable):
        client.token()


def test_a_revoked_token_is_renewed_once_on_401(mosip_sandbox, admin_client):
    token = admin_client.token()
    original = token.value
    # Make the cached token unusable, as a restarted MOSIP with a new realm key would.
    object.__setattr__(token, "value", original[:-6] + "AAAAAA")
    assert masterdata.zone_leafs(admin_client)  # succeeded after one renewal
    assert admin_client.token().value not in (original, token.value)


# Keycloak admin ---------------------------------------------------------------------


def test_keycloak_admin_sets_up_client_role_and_officer(mosip_sandbox, kc_admin):
    role = keycloak_admin.role_ensure(kc_admin, "CRVS_TEST_ROLE", "test role")
    assert role["name"] == "CRVS_TEST_ROLE"
    assert keycloak_admin.role_ensure(kc_admin, "CRVS_TEST_ROLE")["id"] == role["id"]

    secret, created = make_service_client(
        kc_admin, CRVS_CLIENT, ["ONLINE_REGISTRATION_CLIENT", "CRVS_TEST_ROLE"]
    )
    assert keycloak_admin.client_find(kc_admin, CRVS_CLIENT)["id"] == created["id"]
    with pytest.raises(MosipRejected) as caught:
        keycloak_admin.client_create(kc_admin, CRVS_CLIENT)
    assert caught.value.code == "KEYCLOAK-409"
    account = keycloak_admin.service_account_user(kc_admin, created["id"])
    assert set(keycloak_admin.realm_roles_of(kc_admin, account["id"])) >= {
        "ONLINE_REGISTRATION_CLIENT",
        "CRVS_TEST_ROLE",
    }

    officer = keycloak_admin.user_create(
        kc_admin, OFFICER, "Officer-pass-1", first_name="CRVS", last_name="Officer"
    )
    keycloak_admin.realm_roles_assign(kc_admin, officer["id"], ["REGISTRATION_OFFICER"])
    assert keycloak_admin.user_find(kc_admin, OFFICER)["id"] == officer["id"]
    assert "REGISTRATION_OFFICER" in keycloak_admin.realm_roles_of(
        kc_admin, officer["id"]
    )
    keycloak_admin.user_password_set(kc_admin, officer["id"], "Officer-pass-2")
    with pytest.raises(MosipRejected):
        keycloak_admin.realm_roles_assign(kc_admin, officer["id"], ["NO_SUCH_ROLE"])


def test_a_regenerated_secret_replaces_the_old_one(mosip_sandbox, kc_admin):
    old, created = make_service_client(kc_admin, CRVS_CLIENT, CRVS_ROLES)
    new = keycloak_admin.client_secret_regenerate(kc_admin, created["id"])
    assert new and new != old
    with pytest.raises(MosipAuthError):
        MosipClient(_config(mosip_sandbox, CRVS_CLIENT, old)).token()
    assert MosipClient(_config(mosip_sandbox, CRVS_CLIENT, new)).token().roles


def test_wrong_keycloak_admin_password_is_an_auth_error(mosip_sandbox):
    with pytest.raises(MosipAuthError):
        keycloak_admin.connect(f"{mosip_sandbox.url}/auth", "admin", "wrong")


# Masterdata -------------------------------------------------------------------------


def test_centre_and_machine_are_created_inactive_then_activated(
    mosip_sandbox, admin_client
):
    centre = masterdata.centre_create(admin_client, centre_request())
    assert len(centre["id"]) == 5
    assert masterdata.centre_get(admin_client, centre["id"])["isActive"] is False
    assert masterdata.centre_activate(admin_client, centre["id"])
    assert masterdata.centre_get(admin_client, centre["id"])["isActive"] is True
    assert masterdata.centre_get(admin_client, "99999") is None

    key = keymanager.tpm_signing_public_key(admin_client)
    machine = masterdata.machine_create(
        admin_client, machine_request(centre["id"], key)
    )
    assert masterdata.machine_get(admin_client, machine["id"])["isActive"] is False
    masterdata.machine_activate(admin_client, machine["id"])
    found = masterdata.machine_get(admin_client, machine["id"])
    assert found["isActive"] is True and found["regCenterId"] == centre["id"]
    assert masterdata.machine_get(admin_client, "99999") is None


def test_masterdata_validation_errors_come_back_with_their_codes(
    mosip_sandbox, admin_client
):
    with pytest.raises(MosipRejected) as caught:
        masterdata.centre_create(admin_client, centre_request(longitude="100.1234"))
    assert caught.value.codes == ["KER-MSD-307"]


def test_officer_mappings_follow_mosips_strict_order(
    mosip_sandbox, admin_client, kc_admin
):
    centre = masterdata.centre_create(admin_client, centre_request())
    masterdata.centre_activate(admin_client, centre["id"])
    masterdata.zone_user_create(admin_client, user_id=OFFICER, zone_code=ZONE)
    with pytest.raises(MosipRejected) as caught:
        masterdata.user_centre_create(
            admin_client, user_id=OFFICER, centre_id=centre["id"]
        )
    assert caught.value.codes == ["KER-USR-008"]  # zone mapping not active yet
    masterdata.zone_user_activate(admin_client, OFFICER)
    masterdata.user_centre_create(admin_client, user_id=OFFICER, centre_id=centre["id"])
    masterdata.user_centre_activate(admin_client, OFFICER)
    user = masterdata.user_get(admin_client, OFFICER)
    assert user["regCenterId"] == centre["id"] and user["isActive"] is True
    with pytest.raises(MosipRejected) as again:
        masterdata.user_centre_create(
            admin_client, user_id=OFFICER, centre_id=centre["id"]
        )
    assert again.value.codes == ["KER-USR-013"]
    assert masterdata.user_get(admin_client, "nobody") is None


def test_reference_data_and_zones_are_listed(mosip_sandbox, admin_client):
    assert any(t["code"] == "REG" for t in masterdata.centre_types(admin_client))
    assert any(s["id"] == "1001" for s in masterdata.machine_specs(admin_client))
    assert ZONE in {z["code"] for z in masterdata.zone_leafs(admin_client)}


def test_centre_types_and_machine_specs_can_be_created(mosip_sandbox, admin_client):
    masterdata.centre_type_create(admin_client, code="CRVS", name="CRVS virtual centre")
    masterdata.centre_type_activate(admin_client, "CRVS")
    masterdata.machine_type_create(admin_client, code="CRVS_SRV", name="CRVS server")
    masterdata.machine_type_activate(admin_client, "CRVS_SRV")
    masterdata.machine_spec_create(
        admin_client,
        spec_id="CRVS_SPEC",
        name="CRVS spec",
        machine_type_code="CRVS_SRV",
    )
    masterdata.machine_spec_activate(admin_client, "CRVS_SPEC")
    centre = masterdata.centre_create(
        admin_client, centre_request(centerTypeCode="CRVS")
    )
    assert centre["centerTypeCode"] == "CRVS"
    assert any(s["id"] == "CRVS_SPEC" for s in masterdata.machine_specs(admin_client))


# ID schema --------------------------------------------------------------------------


def test_latest_id_schema(mosip_sandbox, crvs_client):
    schema = idschema.latest_id_schema(crvs_client)
    assert schema.id_version > 0
    assert "fullName" in schema.identity_fields
    assert json.loads(schema.schema_json)["properties"]["identity"]
    assert idschema.latest_id_schema(crvs_client, schema.id_version).schema_json == (
        schema.schema_json
    )
    with pytest.raises(MosipRejected):
        idschema.latest_id_schema(crvs_client, 99.0)


def test_latest_id_schema_needs_more_than_the_packet_role(mosip_sandbox, kc_admin):
    operator_list(mosip_sandbox.url)  # so the refusal is the role's, not audience
    secret, _ = make_service_client(
        kc_admin, CRVS_CLIENT, ["ONLINE_REGISTRATION_CLIENT"]
    )
    client = MosipClient(_config(mosip_sandbox, CRVS_CLIENT, secret))
    with pytest.raises(MosipForbidden):
        idschema.latest_id_schema(client)


# Packets ----------------------------------------------------------------------------


def wait_for(condition, timeout: float = 60.0):
    return wait_until(condition, timeout, interval=0.1)


def test_a_birth_packet_is_created_triggered_and_processed(
    mosip_sandbox, admin_client, kc_admin, crvs_client, partner_client, receiver
):
    centre, machine = onboard(admin_client, kc_admin)
    topic = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"
    websub.subscribe(
        partner_client, topic=topic, callback=receiver.url, secret="hub-secret-1"
    )
    assert receiver.wait_for(lambda: receiver.gets())
    schema = idschema.latest_id_schema(crvs_client)
    rid = new_rid(centre, machine)

    infos = packets.create_packet(crvs_client, packet(rid, centre, machine, schema))
    assert {i.id for i in infos} == {rid}
    assert {i.packet_name for i in infos} >= {f"{rid}_id"}
    # The same id again overwrites the packet.
    assert packets.create_packet(crvs_client, packet(rid, centre, machine, schema))

    started = packets.workflow_instance(
        crvs_client, registration_id=rid, process="CRVS_NEW", source="CRVS1"
    )
    assert started.workflow_instance_id and not started.already_present
    again = packets.workflow_instance(
        crvs_client, registration_id=rid, process="CRVS_NEW", source="CRVS1"
    )
    assert again.already_present

    unknown = new_rid(centre, machine) + "9"
    first = packets.external_status_search(crvs_client, [rid, unknown])
    assert first.statuses[rid] in ("PROCESSING", "PROCESSED")
    assert first.not_found == [unknown]

    mosip_sandbox.set_speed(1000)
    done = wait_for(
        lambda: (
            packets.external_status_search(crvs_client, [rid]).statuses.get(rid)
            == "UIN_GENERATED"
        )
    )
    assert done, packets.external_status_search(crvs_client, [rid])
    assert packets.registration_status_search(crvs_client, [rid]).statuses == {
        rid: "PROCESSED"
    }
    packet_status = packets.packet_status_search(crvs_client, [rid, unknown])
    assert packet_status.statuses == {rid: "ACCEPTED"}
    assert packet_status.not_found == [unknown]
    (delivery,) = receiver.wait_for_posts(1)
    completed = json.loads(delivery.body)
    assert completed["instanceId"] == rid and completed["resultCode"] == "PROCESSED"


def test_create_packet_failures_are_named(
    mosip_sandbox, admin_client, kc_admin, crvs_client
):
    centre, machine = onboard(admin_client, kc_admin)
    schema = idschema.latest_id_schema(crvs_client)
    rid = new_rid(centre, machine)
    with pytest.raises(MosipRejected) as caught:
        packets.create_packet(
            crvs_client, packet(rid, centre, machine, schema, source="NOPE")
        )
    assert caught.value.codes == ["KER-PUT-006"]
    with pytest.raises(MosipEmptyResponse):
        packets.create_packet(
            crvs_client, packet(rid, centre, machine, schema, audits=[])
        )


def test_status_search_needs_a_status_role(mosip_sandbox, kc_admin):
    secret, _ = make_service_client(
        kc_admin, CRVS_CLIENT, ["ONLINE_REGISTRATION_CLIENT"]
    )
    client = MosipClient(_config(mosip_sandbox, CRVS_CLIENT, secret))
    with pytest.raises(MosipForbidden):
        packets.external_status_search(client, ["1000110001"])


# WebSub and credentials --------------------------------------------------------------


def _subscriptions(sandbox) -> list[dict]:
    return requests.get(
        f"{sandbox.url}/sandbox/api/hub/subscriptions", timeout=5
    ).json()["subscriptions"]


def test_websub_subscribe_publish_and_unsubscribe(
    mosip_sandbox, partner_client, receiver
):
    topic = f"{PARTNER}/CREDENTIAL_ISSUED"
    assert websub.subscribe(
        partner_client, topic=topic, callback=receiver.url, secret="hub-secret-1"
    ).accepted
    verification = receiver.wait_for(lambda: receiver.gets()) and receiver.gets()[0]
    assert verification.query["hub.mode"] == "subscribe"
    assert verification.query["hub.topic"] == topic
    assert wait_for(
        lambda: any(s["topic"] == topic for s in _subscriptions(mosip_sandbox))
    )

    with pytest.raises(MosipForbidden):
        websub.subscribe(
            partner_client,
            topic="someone-else/CREDENTIAL_ISSUED",
            callback=receiver.url,
            secret="x",
        )

    event = websub.credential_status_update(
        request_id=str(uuid.uuid4()), status="served", event_id=str(uuid.uuid4())
    )
    assert websub.publish(partner_client, "CREDENTIAL_STATUS_UPDATE", event).accepted
    updates = requests.get(
        f"{mosip_sandbox.url}/sandbox/api/credential-status-updates", timeout=5
    ).json()["updates"]
    assert updates[-1]["event"]["requestId"] == event["event"]["requestId"]
    with pytest.raises(MosipForbidden):
        websub.publish(partner_client, "SOME_OTHER_TOPIC", {"x": 1})

    assert websub.register_topic(partner_client, "CREDENTIAL_STATUS_UPDATE") in (
        True,
        False,
    )

    assert websub.unsubscribe(
        partner_client, topic=topic, callback=receiver.url
    ).accepted
    assert wait_for(
        lambda: not any(s["topic"] == topic for s in _subscriptions(mosip_sandbox))
    )


def test_a_credential_the_sandbox_issues_decrypts_with_the_partner_key(
    mosip_sandbox, partner_client, receiver
):
    # partner_client holds PARTNER_ADMIN: it may keep policies and act for PARTNER.
    partners.policy_group_create(partner_client, name="crvs-group", desc="CRVS")
    (group,) = [
        g
        for g in partners.policy_groups(partner_client)
        if g["policyGroup"]["name"] == "crvs-group"
    ]
    created = partners.policy_create(
        partner_client, group="crvs-group", name="crvs-credential-policy",
        desc="credential", policies={
            "dataSharePolicies": {"typeOfShare": "direct"},
            "shareableAttributes": partner_setup.shareable(["UIN", "VID"])},
    )  # fmt: skip
    partners.policy_publish(
        partner_client, policy_id=created["id"], group_id=group["policyGroup"]["id"]
    )
    status = partners.partner_register(
        partner_client,
        partner_id=PARTNER,
        organization_name="Civil Registry",
        address="HQ",
        contact_number="+212500000000",
        email="crvs@example.org",
        policy_group="crvs-group",
    )
    assert status == "InProgress"
    chain = partner_setup.Chain()
    assert partners.ca_certificate_upload(partner_client, certificate_pem=chain.ca_pem)
    with pytest.raises(MosipRejected) as caught:
        partners.ca_certificate_upload(partner_client, certificate_pem=chain.ca_pem)
    assert caught.value.codes == ["KER-PCM-003"]
    uploaded = partners.partner_certificate_upload(
        partner_client, partner_id=PARTNER, certificate_pem=chain.pem
    )
    assert uploaded.certificate_id
    assert uploaded.signed_certificate.startswith("-----BEGIN CERTIFICATE-----")
    with pytest.raises(MosipRejected) as caught:
        partners.partner_certificate_upload(
            partner_client, partner_id=PARTNER, certificate_pem="not a certificate"
        )
    assert caught.value.codes == ["KER-PCM-001"]
    assert "successfully" in partners.credential_type_policy_map(
        partner_client, partner_id=PARTNER, credential_type="vercred",
        policy_name="crvs-credential-policy",
    )  # fmt: skip

    # Which partner gets credentials for which process is reg-proc configuration.
    partner_setup.configure_issuance(mosip_sandbox.url, PARTNER)
    websub.subscribe(
        partner_client,
        topic=f"{PARTNER}/CREDENTIAL_ISSUED",
        callback=receiver.url,
        secret="hub-secret-2",
    )
    assert receiver.wait_for(lambda: receiver.gets())
    assert wait_for(lambda: _subscriptions(mosip_sandbox))
    rid = "10021100340000120250301100000"
    requests.post(
        f"{mosip_sandbox.url}/sandbox/api/credentials/issue",
        json={"registrationId": rid, "process": "CRVS_NEW", "identity": {},
              "uin": "2345678901", "vid": "5432109876543210"},
        timeout=10,
    ).raise_for_status()  # fmt: skip

    (delivery,) = receiver.wait_for_posts(1)
    message = json.loads(delivery.body)
    credential = credentials.decrypt_credential_event(
        message, chain.key, certificate_pem=uploaded.signed_certificate
    )
    assert credential.uin == "2345678901"
    assert credential.vid == "5432109876543210"
    assert credential.registration_id == rid
    assert credential.subject_registration_id == rid
    assert credential.transaction_id == message["event"]["transactionId"]

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(credentials.CredentialError):
        credentials.decrypt_credential_event(message, other)
    # Encrypted for MOSIP's re-signed certificate, not the one the portal uploaded.
    with pytest.raises(credentials.CredentialError, match="another certificate"):
        credentials.decrypt_credential_event(
            message, chain.key, certificate_pem=chain.pem
        )
    key_document = requests.get(
        credential.document["proof"]["verificationMethod"], timeout=5
    ).json()
    credentials.verify_vercred(credential.document, key_document["publicKeyPem"])


# Faults ------------------------------------------------------------------------------


def _faults(sandbox, **switches) -> None:
    requests.post(
        f"{sandbox.url}/sandbox/api/faults", json=switches, timeout=5
    ).raise_for_status()


@pytest.fixture
def faults(mosip_sandbox):
    yield lambda **switches: _faults(mosip_sandbox, **switches)
    requests.delete(f"{mosip_sandbox.url}/sandbox/api/faults", timeout=5)


@pytest.mark.parametrize("mode", ["503", "refuse"])
def test_an_outage_is_unavailable_and_the_client_recovers(
    mosip_sandbox, admin_client, faults, mode
):
    admin_client.token()
    faults(outage={"mode": mode, "until": None})
    with pytest.raises(MosipUnavailable) as caught:
        masterdata.zone_leafs(admin_client)
    assert caught.value.transient
    faults(outage=None)
    assert masterdata.zone_leafs(admin_client)


def test_an_answer_slower_than_the_read_timeout_is_unavailable(mosip_sandbox, faults):
    client = MosipClient(
        client_config(
            mosip_sandbox.url,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_ID,
            sandbox_defaults.MOSIP_ADMIN_CLIENT_SECRET,
            timeout=(2.0, 0.3),
        )
    )
    faults(latency_ms=1500)
    started = time.monotonic()
    with pytest.raises(MosipUnavailable, match="in time"):
        client.token()
    assert time.monotonic() - started < 1.4


def test_a_failing_service_is_unavailable(mosip_sandbox, admin_client, faults):
    admin_client.token()
    faults(error_rates={"/v1/masterdata": 1.0})
    with pytest.raises(MosipUnavailable) as caught:
        masterdata.zone_leafs(admin_client)
    assert caught.value.http_status == 500
