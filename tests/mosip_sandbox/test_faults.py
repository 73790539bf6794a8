"""Fault switches and the sandbox's admin page."""

import time

import pytest
import requests

from apps.mosip_sandbox import config
from tests.waiting import wait_until

HEALTH = "/sandbox/api/health"
MOSIP_TOKEN = "/auth/realms/mosip/protocol/openid-connect/token"


@pytest.fixture
def sandbox(mosip_sandbox):
    yield mosip_sandbox
    # Whatever a test switched on, the next one starts without it.
    requests.delete(f"{mosip_sandbox.url}/sandbox/api/faults", timeout=5)


def _set(sandbox, **switches):
    response = requests.post(
        f"{sandbox.url}/sandbox/api/faults", json=switches, timeout=5
    )
    assert response.status_code == 200, response.text
    return response.json()


def _token_request(sandbox, timeout=5):
    return requests.post(
        sandbox.url + MOSIP_TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": config.MOSIP_ADMIN_CLIENT_ID,
            "client_secret": config.MOSIP_ADMIN_CLIENT_SECRET,
        },
        timeout=timeout,
    )


def test_the_switches_default_to_off(sandbox):
    assert requests.get(f"{sandbox.url}/sandbox/api/faults", timeout=5).json() == {
        "latency_ms": 0,
        "error_rates": {},
        "outage": {"mode": None, "until": None},
        "duplicate_rate": 0.0,
        "reorder": False,
        "halt_subscribers": False,
        "swallow_packets": 0,
        "esignet": {"down": False, "latency_ms": 0, "tamper": None},
        "ida": {
            "unavailable": False,
            "latency_ms": 0,
            "tamper_response_signature": False,
        },
    }


def test_an_unknown_or_invalid_switch_is_refused(sandbox):
    unknown = requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"chaos": True}, timeout=5
    )
    invalid = requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"duplicate_rate": 3}, timeout=5
    )
    assert unknown.status_code == 400
    assert invalid.status_code == 400


def test_a_503_outage_answers_every_mosip_route_but_not_the_sandbox(sandbox):
    _set(sandbox, outage={"mode": "503", "until": None})
    assert _token_request(sandbox).status_code == 503
    assert (
        requests.get(f"{sandbox.url}/v1/masterdata/machines/1", timeout=5).status_code
        == 503
    )
    assert requests.get(sandbox.url + HEALTH, timeout=5).status_code == 200


def test_an_outage_ends_at_its_until_time(sandbox):
    until = time.time() + 1
    _set(sandbox, outage={"mode": "503", "until": until})
    assert _token_request(sandbox).status_code == 503
    wait_until(
        lambda: _token_request(sandbox).status_code == 200,
        timeout=30,
        message="the outage ended",
    )
    assert time.time() >= until


def test_a_refuse_outage_drops_connections_without_a_response(sandbox):
    _set(sandbox, outage={"mode": "refuse", "until": None})
    with pytest.raises(requests.ConnectionError):
        _token_request(sandbox)
    assert requests.get(sandbox.url + HEALTH, timeout=5).status_code == 200
    requests.delete(f"{sandbox.url}/sandbox/api/faults", timeout=5)
    assert _token_request(sandbox).status_code == 200


def test_an_error_rate_of_one_fails_only_its_route(sandbox):
    _set(sandbox, error_rates={"/v1/authmanager/": 1.0})
    failed = requests.post(
        f"{sandbox.url}/v1/authmanager/authenticate/clientidsecretkey",
        json={"request": {}},
        timeout=5,
    )
    assert failed.status_code == 500
    assert "Traceback" not in failed.text
    assert _token_request(sandbox).status_code == 200


def test_latency_delays_mosip_routes(sandbox):
    _set(sandbox, latency_ms=400)
    started = time.monotonic()
    assert _token_request(sandbox).status_code == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    requests.get(sandbox.url + HEALTH, timeout=5)
    assert time.monotonic() - started < 0.4


def test_the_hub_switches_are_stored_for_the_hub(sandbox):
    switches = _set(sandbox, duplicate_rate=0.5, reorder=True, halt_subscribers=True)
    assert switches["duplicate_rate"] == 0.5
    assert switches["reorder"] is True
    assert switches["halt_subscribers"] is True
    cleared = requests.delete(f"{sandbox.url}/sandbox/api/faults", timeout=5).json()
    assert cleared["reorder"] is False


def test_the_admin_page_shows_and_changes_the_switches(sandbox):
    page = requests.get(f"{sandbox.url}/sandbox/", timeout=5)
    assert page.status_code == 200
    assert 'action="/sandbox/api/faults"' in page.text
    assert 'action="/sandbox/api/clock"' in page.text
    response = requests.post(
        f"{sandbox.url}/sandbox/api/faults",
        data={
            "flags": "1",
            "latency_ms": "25",
            "error_rates": '{"/v1/masterdata/": 0.5}',
            "outage_mode": "none",
            "duplicate_rate": "0.1",
            "reorder": "on",
        },
        timeout=5,
    )
    assert response.url.endswith("/sandbox/")
    switches = requests.get(f"{sandbox.url}/sandbox/api/faults", timeout=5).json()
    assert switches["latency_ms"] == 25
    assert switches["error_rates"] == {"/v1/masterdata/": 0.5}
    assert switches["reorder"] is True
    assert switches["halt_subscribers"] is False
    requests.post(f"{sandbox.url}/sandbox/api/clock", data={"speed": "5"}, timeout=5)
    assert requests.get(f"{sandbox.url}/sandbox/api/clock", timeout=5).json() == {
        "speed": 5.0
    }


def test_swallowed_packets_fail_silently_then_the_switch_runs_out(sandbox):
    from tests.mosip_sandbox.packet_helpers import create_packet, new_rid

    assert _set(sandbox, swallow_packets=2)["swallow_packets"] == 2
    rid = new_rid()
    for _ in range(2):
        body = create_packet(sandbox, rid).json()
        assert (body["response"], body["errors"]) == (None, [])
    assert len(create_packet(sandbox, rid).json()["response"]) == 3
    faults = requests.get(f"{sandbox.url}/sandbox/api/faults", timeout=5).json()
    assert faults["swallow_packets"] == 0
    bad = requests.post(
        f"{sandbox.url}/sandbox/api/faults", json={"swallow_packets": -1}, timeout=5
    )
    assert bad.status_code == 400


def test_answers_carry_their_length_so_connections_are_kept(sandbox):
    session = requests.Session()
    first = session.get(f"{sandbox.url}/sandbox/api/faults", timeout=5)
    assert first.headers["Content-Length"] == str(len(first.content))
    assert first.headers.get("Connection", "").lower() != "close"
    second = session.get(f"{sandbox.url}/sandbox/api/health", timeout=5)
    assert second.status_code == 200
