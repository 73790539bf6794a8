"""The guard every test runs under (tests/network_guard.py) refuses what it must."""

import socket

import pytest
import requests

from tests.network_guard import NetworkRefused, fail_if_refused

# TEST-NET-1 (RFC 5737): never routed, so without the guard a connection hangs.
OUTSIDE = ("192.0.2.1", 80)


def test_a_connection_outside_loopback_is_refused(network_guard):
    with pytest.raises(NetworkRefused):
        socket.create_connection(OUTSIDE, timeout=2)
    assert network_guard.take_refused() == ["connect to 192.0.2.1:80"]


def test_connect_ex_is_guarded_too(network_guard):
    with socket.socket() as sock, pytest.raises(NetworkRefused):
        sock.connect_ex(OUTSIDE)
    assert network_guard.take_refused() == ["connect to 192.0.2.1:80"]


def test_a_name_is_not_looked_up(network_guard):
    with pytest.raises(NetworkRefused):
        requests.get("https://mosip.example.org/v1/authmanager/", timeout=2)
    assert network_guard.take_refused() == ["name lookup of mosip.example.org"]


def test_a_local_port_the_suite_did_not_open_is_refused(network_guard):
    port = next(
        p
        for p in range(20000, 30000)
        if p not in network_guard.bound_ports | network_guard.service_ports
    )
    with socket.socket() as sock, pytest.raises(NetworkRefused):
        sock.connect(("127.0.0.1", port))
    assert network_guard.take_refused() == [f"connect to 127.0.0.1:{port}"]


def test_a_server_the_test_started_is_reached():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("localhost", port), timeout=5):
            accepted, _ = server.accept()
            accepted.close()


def test_unix_sockets_are_allowed(tmp_path):
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)


def test_a_refusal_the_code_caught_still_fails_the_test(network_guard):
    try:
        socket.create_connection(OUTSIDE, timeout=2)
    except Exception:  # noqa: BLE001 - as code under test might
        pass
    with pytest.raises(pytest.fail.Exception, match="192.0.2.1:80"):
        fail_if_refused(network_guard)


@pytest.mark.internet
def test_a_test_marked_internet_may_look_names_up(network_guard):
    assert network_guard.open
    network_guard.check_lookup("pypi.org")  # no NetworkRefused


def test_the_guard_closes_again_after_an_internet_test(network_guard):
    assert not network_guard.open
    with pytest.raises(NetworkRefused):
        network_guard.check_lookup("pypi.org")
    network_guard.take_refused()
