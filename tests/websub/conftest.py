"""Fixtures for WebSub tests: a live portal (pytest-django `live_server`) and the
sandbox's hub, talking over real HTTP in both directions."""

import json
import time

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.websub import handlers, receiver, remote, services
from apps.websub.models import EventKind, Subscription, SubscriptionState
from tests.mosip_sandbox.test_partners import register, self_signed_pem, upload
from tests.mosip_sandbox.websub_receiver import mint_token, publish, subscribe

PARTNER = "crvs-partner"
CREDENTIAL_TOPIC = f"{PARTNER}/CREDENTIAL_ISSUED"
COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"


def wait_until(condition, timeout: float = 15.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def hub_subscriptions(url: str) -> list[dict]:
    return requests.get(f"{url}/sandbox/api/hub/subscriptions", timeout=5).json()[
        "subscriptions"
    ]


def hub_live(url: str, topic: str) -> bool:
    return any(s["topic"] == topic and not s["halted"] for s in hub_subscriptions(url))


def hub_halted(url: str, topic: str) -> bool:
    return any(s["topic"] == topic and s["halted"] for s in hub_subscriptions(url))


def portal_token(url: str) -> str:
    """The portal's MOSIP identity: the credential partner's service account."""
    return mint_token(
        url, f"service-account-{PARTNER}",
        [f"SUBSCRIBE_{COMPLETED}_GENERAL", "SUBSCRIBE_CREDENTIAL_ISSUED_INDIVIDUAL",
         "PUBLISH_CREDENTIAL_STATUS_UPDATE_GENERAL"],
    )  # fmt: skip


def regproc_token(url: str) -> str:
    return mint_token(
        url, "service-account-mosip-regproc-client",
        [f"PUBLISH_{COMPLETED}_GENERAL", "PUBLISH_CREDENTIAL_ISSUED_ALL_INDIVIDUAL"],
    )  # fmt: skip


def publish_result(url: str, application_id: str, result: str = "PROCESSED") -> None:
    body = {
        "instanceId": application_id,
        "resultCode": result,
        "workflowType": "CRVS_NEW",
        "errorCode": None if result == "PROCESSED" else f"PACKET_{result}",
    }
    response = publish(url, regproc_token(url), COMPLETED, json.dumps(body).encode())
    assert response.text == "hub.mode=accepted"


def publish_raw(url: str, topic: str, body: dict) -> None:
    response = publish(url, regproc_token(url), topic, json.dumps(body).encode())
    assert response.text == "hub.mode=accepted"


def issue_credential(url: str, application_id: str, uin: str, vid: str) -> None:
    response = requests.post(
        f"{url}/sandbox/api/credentials/issue",
        json={"registrationId": application_id, "process": "CRVS_NEW",
              "identity": {"fullName": [{"language": "eng", "value": "A B"}]},
              "uin": uin, "vid": vid},
        timeout=10,
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["published"]


def set_faults(url: str, **faults) -> None:
    requests.post(
        f"{url}/sandbox/api/faults", json=faults, timeout=5
    ).raise_for_status()


@pytest.fixture
def hub(mosip_sandbox, monkeypatch):
    """The portal's hub calls go to the sandbox over HTTP with the partner's token."""

    def hub_subscribe(topic, callback, secret, lease_seconds):
        response = subscribe(
            mosip_sandbox.url, portal_token(mosip_sandbox.url), topic, callback,
            secret=secret, **{"hub.lease_seconds": str(lease_seconds)},
        )  # fmt: skip
        if response.status_code != 202:
            raise remote.HubCallFailed(f"hub answered {response.status_code}")

    def hub_publish(topic, content):
        response = publish(
            mosip_sandbox.url, portal_token(mosip_sandbox.url), topic,
            json.dumps(content).encode(),
        )  # fmt: skip
        if response.text != "hub.mode=accepted":
            raise remote.HubCallFailed(response.text[:100])

    monkeypatch.setattr(remote, "hub_subscribe", hub_subscribe)
    monkeypatch.setattr(remote, "hub_publish", hub_publish)
    return mosip_sandbox


@pytest.fixture
def partner_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def credential_partner(hub, partner_key, settings):
    """A registered credential partner whose certificate MOSIP encrypts to; the
    portal holds its private key."""
    url = hub.url
    register(url)
    assert upload(url, self_signed_pem(partner_key))["errors"] is None
    response = requests.post(
        f"{url}/sandbox/api/credential-partners",
        json={"partnerId": PARTNER, "process": ["CRVS_NEW"], "shareUin": True},
        timeout=5,
    )
    assert response.status_code == 201
    settings.WEBSUB_CREDENTIAL_PARTNER_ID = PARTNER
    settings.WEBSUB_CREDENTIAL_PARTNER_KEY = partner_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return PARTNER


@pytest.fixture
def portal(live_server, hub, settings):
    """The live portal, subscribed to both topics through the real services."""
    settings.WEBSUB_CALLBACK_BASE_URL = live_server.url
    settings.WEBSUB_SECRET_CACHE_SECONDS = 0.0
    receiver.forget_cached()
    subs = services.subscriptions_ensure(
        topics={
            EventKind.CREDENTIAL_ISSUED: CREDENTIAL_TOPIC,
            EventKind.WORKFLOW_COMPLETED: COMPLETED,
        }
    )
    for sub in subs:
        assert wait_until(
            lambda sub=sub: (
                Subscription.objects.get(pk=sub.pk).state == SubscriptionState.VERIFIED
            )
        )
        assert wait_until(lambda sub=sub: hub_live(hub.url, sub.topic))
    yield {sub.kind: Subscription.objects.get(pk=sub.pk) for sub in subs}
    receiver.forget_cached()


class Records:
    """A stand-in register of records, applied through the handler registry the way
    the registrations app applies results: idempotent, in either order."""

    def __init__(self, application_ids):
        self.known = set(application_ids)
        self.national_ids: dict[str, tuple[str, str]] = {}
        self.results: dict[str, str] = {}
        self.calls = 0

    def credential(self, payload: handlers.CredentialIssued) -> str:
        self.calls += 1
        if payload.application_id not in self.known:
            return handlers.ORPHAN
        if payload.application_id in self.national_ids:
            return handlers.DUPLICATE
        self.national_ids[payload.application_id] = (payload.uin, payload.vid)
        return handlers.APPLIED

    def workflow(self, payload: handlers.WorkflowCompleted) -> str:
        self.calls += 1
        if payload.application_id not in self.known:
            return handlers.ORPHAN
        if payload.application_id in self.results:
            return handlers.DUPLICATE
        self.results[payload.application_id] = payload.result_code
        return handlers.APPLIED

    def snapshot(self):
        return dict(self.national_ids), dict(self.results)


@pytest.fixture
def records():
    register_of_records = Records(
        {f"1002110034000012025030110{n:04d}" for n in range(50)}
    )
    handlers.register("credential_issued", register_of_records.credential)
    handlers.register("workflow_completed", register_of_records.workflow)
    yield register_of_records
    handlers.unregister("credential_issued")
    handlers.unregister("workflow_completed")


def rid(n: int) -> str:
    return f"1002110034000012025030110{n:04d}"
