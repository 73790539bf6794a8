"""The client core: envelope, cookie, token cache and renewal, timeouts, error
mapping, and logs without secrets."""

import json
import logging
import os
import re
import threading
import time

import pytest
import requests
import responses
import time_machine

from apps.mosip import packets, transport
from apps.mosip.config import MosipClient, MosipConfig
from apps.mosip.errors import (
    MosipAuthError,
    MosipBadResponse,
    MosipConfigError,
    MosipForbidden,
    MosipRejected,
    MosipUnavailable,
)
from tests.mosip.fake_mosip import API, SECRET, authmanager_answer, envelope, make_jwt

AUTH_URL = f"{API}/v1/authmanager/authenticate/clientidsecretkey"
CENTRE_URL = f"{API}/v1/masterdata/registrationcenters/10001/eng"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _auth(mocked, token):
    return mocked.post(AUTH_URL, **authmanager_answer(token))


def test_envelope_has_mosip_shape_and_timestamp():
    body = transport.envelope({"a": 1}, id="mosip.x", version="1.0")
    assert set(body) == {"id", "version", "requesttime", "metadata", "request"}
    assert body["id"] == "mosip.x" and body["version"] == "1.0"
    assert body["metadata"] == {} and body["request"] == {"a": 1}
    assert TIMESTAMP.match(body["requesttime"])


def test_utc_timestamp_has_three_fraction_digits_and_z():
    from datetime import UTC, datetime, timedelta, timezone

    moment = datetime(
        2025, 3, 1, 11, 30, 15, 123999, tzinfo=timezone(timedelta(hours=1))
    )
    assert transport.utc_timestamp(moment) == "2025-03-01T10:30:15.123Z"
    assert transport.utc_timestamp(datetime(2025, 1, 2, tzinfo=UTC)).endswith(".000Z")


def test_config_defaults_follow_the_api_url():
    config = MosipConfig(api_url="https://m.test/", client_id="c", client_secret="s")
    assert config.api_url == "https://m.test"
    assert config.keycloak_url == "https://m.test/auth"
    assert config.hub_url == "https://m.test/hub"
    assert SECRET not in repr(
        MosipConfig(api_url=API, client_id="c", client_secret=SECRET)
    )


def test_config_refuses_unknown_token_source_and_bad_timeouts():
    with pytest.raises(ValueError):
        MosipConfig(api_url=API, client_id="c", client_secret="s", token_source="x")
    with pytest.raises(ValueError):
        MosipConfig(api_url=API, client_id="c", client_secret="s", timeout=(0, 5))


def test_authmanager_request_is_an_envelope_and_token_comes_from_the_cookie(
    mocked, client
):
    token = make_jwt()
    auth = _auth(mocked, token)
    assert client.token().value == token
    sent = json.loads(auth.calls[0].request.body)
    assert sent["request"] == {
        "clientId": "crvs-client",
        "secretKey": SECRET,
        "appId": "regproc",
    }
    assert TIMESTAMP.match(sent["requesttime"])


def test_protected_calls_carry_the_cookie_and_no_bearer_header(mocked, client):
    token = make_jwt()
    _auth(mocked, token)
    centre = mocked.get(
        CENTRE_URL, json=envelope({"registrationCenters": [{"id": "10001"}]})
    )
    client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    headers = centre.calls[0].request.headers
    assert headers["Cookie"] == f"Authorization={token}"
    assert "Authorization" not in headers


def test_token_is_cached_across_clients_of_the_same_identity(mocked, config):
    auth = _auth(mocked, make_jwt())
    mocked.get(CENTRE_URL, json=envelope({}))
    for _ in range(3):
        MosipClient(config).call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert len(auth.calls) == 1


def test_a_changed_secret_is_a_new_identity(mocked, config):
    auth = _auth(mocked, make_jwt())
    MosipClient(config).token()
    other = MosipConfig(api_url=API, client_id="crvs-client", client_secret="rotated")
    MosipClient(other).token()
    assert len(auth.calls) == 2


def test_token_is_renewed_before_it_expires(mocked, client):
    # 100 s lifetime: renewal starts 30 s before expiry.
    first, second = make_jwt(lifetime=100), make_jwt(lifetime=3600)
    mocked.post(AUTH_URL, **authmanager_answer(first))
    mocked.post(AUTH_URL, **authmanager_answer(second))
    now = time.time()
    assert client.token().value == first
    with time_machine.travel(now + 60, tick=False):
        assert client.token().value == first
    with time_machine.travel(now + 75, tick=False):
        assert client.token().value == second


def test_concurrent_callers_share_one_token_request(mocked, config):
    token = make_jwt()
    calls = []

    def slow_auth(request):
        calls.append(1)
        # A slow answer keeps the token request open while the other callers ask.
        time.sleep(0.05)
        answer = authmanager_answer(token)
        return 200, answer["headers"], answer["body"]

    mocked.add_callback(responses.POST, AUTH_URL, callback=slow_auth)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(MosipClient(config).token()))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert {t.value for t in results} == {token}


def test_a_401_renews_the_token_and_retries_once(mocked, client):
    old, new = make_jwt(), make_jwt()
    mocked.post(AUTH_URL, **authmanager_answer(old))
    mocked.post(AUTH_URL, **authmanager_answer(new))
    mocked.get(
        CENTRE_URL,
        status=401,
        json=envelope(errors=[{"errorCode": "KER-ATH-401", "message": "x"}]),
    )
    mocked.get(CENTRE_URL, json=envelope({"registrationCenters": []}))
    client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    cookies = [
        c.request.headers.get("Cookie")
        for c in mocked.calls
        if c.request.url == CENTRE_URL
    ]
    assert cookies == [f"Authorization={old}", f"Authorization={new}"]


def test_a_second_401_is_an_auth_error_without_a_third_try(mocked, client):
    auth = _auth(mocked, make_jwt())
    centre = mocked.get(
        CENTRE_URL,
        status=401,
        json=envelope(errors=[{"errorCode": "KER-ATH-401", "message": "x"}]),
    )
    with pytest.raises(MosipAuthError) as caught:
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert caught.value.http_status == 401
    assert len(centre.calls) == 2
    assert len(auth.calls) == 2


def test_every_call_has_the_configured_timeout(mocked, client):
    auth = _auth(mocked, make_jwt())
    centre = mocked.get(CENTRE_URL, json=envelope({}))
    client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert auth.calls[0].request.req_kwargs["timeout"] == (2.0, 7.0)
    assert centre.calls[0].request.req_kwargs["timeout"] == (2.0, 7.0)


def test_send_refuses_a_call_without_timeout():
    with pytest.raises(ValueError):
        transport.send(requests.Session(), "GET", API, timeout=None)


@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectTimeout("slow"),
        requests.ReadTimeout("slow"),
        requests.ConnectionError("down"),
    ],
)
def test_timeouts_and_connection_errors_are_unavailable(mocked, client, failure):
    _auth(mocked, make_jwt())
    mocked.get(CENTRE_URL, body=failure)
    with pytest.raises(MosipUnavailable) as caught:
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert caught.value.transient


def test_an_unreachable_token_endpoint_is_unavailable(mocked, client):
    mocked.post(AUTH_URL, body=requests.ConnectionError("down"))
    with pytest.raises(MosipUnavailable):
        client.token()


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_throttling_are_unavailable(mocked, client, status):
    _auth(mocked, make_jwt())
    mocked.get(CENTRE_URL, status=status, body="busy")
    with pytest.raises(MosipUnavailable) as caught:
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert caught.value.http_status == status


def test_403_is_forbidden(mocked, client):
    _auth(mocked, make_jwt())
    mocked.get(
        CENTRE_URL,
        status=403,
        json=envelope(errors=[{"errorCode": "KER-ATH-403", "message": "Forbidden"}]),
    )
    with pytest.raises(MosipForbidden) as caught:
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert caught.value.code == "KER-ATH-403"
    assert not caught.value.transient


def test_errors_in_an_http_200_are_rejected_with_their_codes(mocked, client):
    _auth(mocked, make_jwt())
    errors = [
        {
            "errorCode": "KER-USR-008",
            "message": "Zone user mapping not exists or not active",
        },
        {"errorCode": "KER-MSD-999", "message": "other"},
    ]
    mocked.get(CENTRE_URL, json=envelope(errors=errors))
    with pytest.raises(MosipRejected) as caught:
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    assert caught.value.codes == ["KER-USR-008", "KER-MSD-999"]
    assert caught.value.code == "KER-USR-008"
    assert caught.value.errors == errors
    assert caught.value.http_status == 200
    assert "Zone user mapping" in str(caught.value)


def test_reg_proc_error_messages_are_read_too(mocked, client):
    _auth(mocked, make_jwt())
    mocked.get(
        CENTRE_URL,
        json=envelope(
            errors=[{"errorCode": "RPR-RGS-022", "errorMessage": "Invalid version"}]
        ),
    )
    with pytest.raises(MosipRejected, match="Invalid version"):
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")


def test_an_html_page_is_a_bad_response(mocked, client):
    _auth(mocked, make_jwt())
    mocked.get(CENTRE_URL, body="<html>login</html>", content_type="text/html")
    with pytest.raises(MosipBadResponse):
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")


def test_an_unknown_path_is_a_bad_response(mocked, client):
    _auth(mocked, make_jwt())
    mocked.get(CENTRE_URL, status=404, body="Not Found")
    with pytest.raises(MosipBadResponse, match="URL"):
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")


def test_logs_hold_no_secret_token_or_request_content(mocked, config, caplog):
    caplog.set_level(logging.DEBUG)
    token = make_jwt()
    mocked.post(AUTH_URL, **authmanager_answer(token))
    url = f"{API}/commons/v1/packetmanager/createPacket"
    mocked.put(
        url,
        json=envelope(
            errors=[{"errorCode": "KER-PUT-006", "message": "No available provider"}]
        ),
    )
    client = MosipClient(config)
    with pytest.raises(MosipRejected):
        packets.create_packet(
            client,
            {
                "id": "1000110002",
                "fields": {"fullName": "Amina Bello"},
                "process": "CRVS_NEW",
            },
        )
    mocked.put(url, body=requests.ConnectionError("down"))
    with pytest.raises(MosipUnavailable):
        packets.create_packet(
            client, {"id": "1000110002", "fields": {"fullName": "Amina Bello"}}
        )
    text = caplog.text
    assert "createPacket" in text and "KER-PUT-006" in text  # the logs do say something
    assert SECRET not in text
    assert token not in text
    assert token.split(".")[1] not in text
    assert "Amina" not in text


def test_a_short_lived_token_is_reused_for_half_its_life(mocked, client):
    auth = _auth(mocked, make_jwt(lifetime=20))
    now = time.time()
    client.token()
    with time_machine.travel(now + 5, tick=False):
        client.token()
    assert len(auth.calls) == 1
    with time_machine.travel(now + 11, tick=False):
        client.token()
    assert len(auth.calls) == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"api_url": "mosip.example.org"},
        {"api_url": "ftp://mosip.example.org"},
        {"keycloak_url": "iam.example.org/auth"},
        {"hub_url": "/hub"},
    ],
)
def test_config_refuses_urls_that_are_not_http(changes):
    values = {"api_url": API, "client_id": "c", "client_secret": "s", **changes}
    with pytest.raises(MosipConfigError, match="http"):
        MosipConfig(**values)


def test_a_tls_failure_says_so(mocked, client):
    mocked.post(AUTH_URL, body=requests.exceptions.SSLError("bad cert"))
    with pytest.raises(MosipUnavailable, match="TLS"):
        client.token()


# The child only answers through a pipe and exits: no lock of the parent is used.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_process_keeps_one_pooled_session_and_a_forked_child_makes_its_own():
    client = MosipClient(MosipConfig(api_url=API, client_id="c", client_secret=SECRET))
    first = client.session
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(client.session)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen and all(session is first for session in seen)
    pool = first.get_adapter(API).poolmanager.connection_pool_kw
    assert pool["maxsize"] >= 16

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: a prefork worker made after the client was
        os.write(write, b"own" if client.session is not first else b"shared")
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    assert os.read(read, 10) == b"own"
    assert client.session is first


@responses.activate
def test_calls_go_through_the_process_session(monkeypatch):
    _auth(responses, make_jwt())
    responses.get(CENTRE_URL, json=envelope({"registrationCenters": []}))
    client = MosipClient(MosipConfig(api_url=API, client_id="c", client_secret=SECRET))
    used = []
    send = requests.Session.request

    def counted(session, *args, **kwargs):
        used.append(session)
        return send(session, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", counted)
    for _ in range(3):
        client.call("GET", "/v1/masterdata/registrationcenters/10001/eng")
    # The token and the three calls, all on one session.
    assert len(used) == 4 and all(session is client.session for session in used)
