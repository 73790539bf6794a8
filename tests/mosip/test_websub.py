"""The WebSub hub calls: form posts, cookie auth, the hub's form answers."""

import json
from urllib.parse import parse_qs

import pytest

from apps.mosip import websub
from apps.mosip.errors import MosipForbidden, MosipRejected, MosipUnavailable
from tests.mosip.helpers import API, authmanager_answer, make_jwt

HUB = f"{API}/hub"
AUTH_URL = f"{API}/v1/authmanager/authenticate/clientidsecretkey"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def token(mocked):
    value = make_jwt()
    mocked.post(AUTH_URL, **authmanager_answer(value))
    return value


def test_subscribe_posts_the_form_with_the_cookie(mocked, client, token):
    call = mocked.post(HUB, status=202, body="hub.mode=accepted", content_type=FORM)
    answer = websub.subscribe(
        client,
        topic="crvs-partner/CREDENTIAL_ISSUED",
        callback="https://portal.test/websub/credentials/",
        secret="sub-secret",
        lease_seconds=86400,
    )
    assert answer.accepted
    request = call.calls[0].request
    assert request.headers["Cookie"] == f"Authorization={token}"
    assert parse_qs(request.body) == {
        "hub.mode": ["subscribe"],
        "hub.topic": ["crvs-partner/CREDENTIAL_ISSUED"],
        "hub.callback": ["https://portal.test/websub/credentials/"],
        "hub.secret": ["sub-secret"],
        "hub.lease_seconds": ["86400"],
    }


def test_a_refused_subscriber_is_forbidden(mocked, client, token):
    mocked.post(
        HUB,
        status=500,
        body="hub.mode=denied&hub.reason=Subscriber is not authorized",
        content_type=FORM,
    )
    with pytest.raises(MosipForbidden, match="Subscriber is not authorized"):
        websub.subscribe(client, topic="T", callback="https://p.test/cb", secret="s")


def test_a_token_the_hub_refuses_is_renewed_once(mocked, client):
    first, second = make_jwt(), make_jwt()
    mocked.post(AUTH_URL, **authmanager_answer(first))
    mocked.post(AUTH_URL, **authmanager_answer(second))
    mocked.post(
        HUB,
        status=500,
        body="hub.mode=denied&hub.reason=Unauthorized",
        content_type=FORM,
    )
    mocked.post(HUB, status=202, body="hub.mode=accepted", content_type=FORM)
    assert websub.subscribe(
        client, topic="T", callback="https://p.test/cb", secret="s"
    ).accepted
    cookies = [
        c.request.headers["Cookie"] for c in mocked.calls if c.request.url == HUB
    ]
    assert cookies == [f"Authorization={first}", f"Authorization={second}"]


def test_a_hub_crash_is_unavailable(mocked, client, token):
    mocked.post(HUB, status=502, body="Bad gateway")
    with pytest.raises(MosipUnavailable):
        websub.subscribe(client, topic="T", callback="https://p.test/cb", secret="s")


def test_a_bad_parameter_is_rejected(mocked, client, token):
    mocked.post(HUB, status=400, body="Empty value found for parameter 'hub.topic'")
    with pytest.raises(MosipRejected):
        websub.subscribe(client, topic="T", callback="https://p.test/cb", secret="s")


def test_values_the_hub_would_decode_twice_are_refused(client):
    with pytest.raises(ValueError):
        websub.subscribe(client, topic="T", callback="https://p.test/a%20b", secret="s")
    with pytest.raises(ValueError):
        websub.subscribe(client, topic="T", callback="https://p.test/cb", secret="")


def test_publish_sends_json_with_mode_and_topic_in_the_query(mocked, client, token):
    call = mocked.post(HUB, body="hub.mode=accepted", content_type=FORM)
    event = websub.credential_status_update(
        request_id="tx-1", status="served", event_id="e-1"
    )
    assert websub.publish(client, "CREDENTIAL_STATUS_UPDATE", event).accepted
    request = call.calls[0].request
    assert parse_qs(request.url.split("?", 1)[1]) == {
        "hub.mode": ["publish"],
        "hub.topic": ["CREDENTIAL_STATUS_UPDATE"],
    }
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body)["event"]["requestId"] == "tx-1"


def test_publish_denied_with_http_200_is_forbidden(mocked, client, token):
    mocked.post(
        HUB,
        body="hub.mode=denied&hub.reason=Publisher is not authorized",
        content_type=FORM,
    )
    with pytest.raises(MosipForbidden):
        websub.publish(client, "CREDENTIAL_STATUS_UPDATE", {"x": 1})


def test_register_topic_tells_new_from_existing(mocked, client, token):
    mocked.post(HUB, body="hub.mode=accepted", content_type=FORM)
    mocked.post(
        HUB,
        body="hub.mode=denied&hub.reason=Topic has already registered with the Hub",
        content_type=FORM,
    )
    assert websub.register_topic(client, "CRVS_TOPIC") is True
    assert websub.register_topic(client, "CRVS_TOPIC") is False


def test_unsubscribe_always_sends_a_secret(mocked, client, token):
    call = mocked.post(HUB, status=202, body="hub.mode=accepted", content_type=FORM)
    websub.unsubscribe(client, topic="T", callback="https://p.test/cb")
    form = parse_qs(call.calls[0].request.body)
    assert form["hub.mode"] == ["unsubscribe"] and form["hub.secret"]
