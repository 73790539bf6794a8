"""Fixtures for WebSub tests: a live portal (pytest-django `live_server`) and the
sandbox's hub, talking over real HTTP in both directions."""

import json

import pytest
import requests

from apps.websub import handlers, receiver
from apps.websub.models import EventKind, Subscription, SubscriptionState
from tests import waiting
from tests.mosip_sandbox.websub_receiver import mint_token, publish
from tests.onboarding.fixtures import PARTNER_ID

PARTNER = PARTNER_ID
CREDENTIAL_TOPIC = f"{PARTNER}/CREDENTIAL_ISSUED"
COMPLETED = "REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT"


def wait_until(condition, timeout: float = 30.0, step: float = 0.05):
    return waiting.wait_until(condition, timeout, interval=step)


def hub_subscriptions(url: str) -> list[dict]:
    return requests.get(f"{url}/sandbox/api/hub/subscriptions", timeout=5).json()[
        "subscriptions"
    ]


def hub_live(url: str, topic: str) -> bool:
    return any(s["topic"] == topic and not s["halted"] for s in hub_subscriptions(url))


def hub_halted(url: str, topic: str) -> bool:
    return any(s["topic"] == topic and s["halted"] for s in hub_subscriptions(url))


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
def hub(onboarded_sandbox):
    """The sandbox, with the portal onboarded against it through the onboarding
    services (its hub calls go through the MOSIP client over HTTP)."""
    return onboarded_sandbox


@pytest.fixture
def credential_partner(hub):
    """The portal's credential partner, to whose certificate MOSIP encrypts
    CRVS_NEW credentials (registered by onboarding)."""
    return PARTNER


@pytest.fixture
def portal(hub, settings):
    """The live portal, its subscriptions verified by the hub."""
    settings.WEBSUB_SECRET_CACHE_SECONDS = 0.0
    receiver.forget_cached()
    subs = {sub.kind: sub for sub in Subscription.objects.all()}
    assert set(subs) == {EventKind.CREDENTIAL_ISSUED, EventKind.WORKFLOW_COMPLETED}
    for sub in subs.values():
        assert sub.state == SubscriptionState.VERIFIED
        assert wait_until(lambda sub=sub: hub_live(hub.url, sub.topic))
    yield subs
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
    before = {kind: handlers.handler_for(kind) for kind in handlers.KINDS}
    handlers.register("credential_issued", register_of_records.credential)
    handlers.register("workflow_completed", register_of_records.workflow)
    yield register_of_records
    for kind, handler in before.items():
        if handler is None:
            handlers.unregister(kind)
        else:
            handlers.register(kind, handler)


def rid(n: int) -> str:
    return f"1002110034000012025030110{n:04d}"
