"""No test reaches a network service the test suite did not start itself.

Every test runs with outbound connections guarded (`socket.socket.connect`,
`connect_ex`, `socket.create_connection` and `socket.getaddrinfo`):

- Unix sockets are always allowed.
- A connection to an address outside loopback is refused, and so is a name lookup
  of anything but a loopback name or an IP address: a test never reaches the
  internet, a real MOSIP, or a DNS server.
- A connection to loopback is allowed only to a port this test process bound
  (pytest-django's `live_server`, the WebSub subscribers tests run, and the ports
  chosen with `free_port()` for the MOSIP sandbox, live portals and a drill's own
  PostgreSQL) or to a service the settings name (the database, cache and broker,
  which CI runs on 127.0.0.1). Any other local port is refused: a test does not
  talk to whatever else runs on the machine, such as a sandbox or portal a
  developer started by hand.

So a test that mocks MOSIP with `responses` never opens a socket, and one that
forgets to mock fails instead of reaching whatever answers. A refused connection
raises `NetworkRefused` (not an `OSError`, so code that retries on network errors
does not swallow it) and fails the test at teardown even if the code under test
caught it.

The one exception is a test marked `internet` (the dependency audit, which asks
PyPI's vulnerability service): for its duration the guard lets everything through.
"""

import ipaddress
import socket
import threading
from urllib.parse import urlsplit

import pytest

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
DEFAULT_PORTS = {
    "postgres": 5432,
    "postgresql": 5432,
    "pgsql": 5432,
    "redis": 6379,
    "rediss": 6379,
    "rediscache": 6379,
    "amqp": 5672,
}


class NetworkRefused(RuntimeError):
    """A test tried to reach a network service it has no business reaching."""


class Guard:
    def __init__(self):
        self.bound_ports: set[int] = set()
        self.service_ports: set[int] = set()
        self.refused: list[str] = []
        # Set only while a test marked `internet` runs (the dependency audit).
        self.open = False
        self._lock = threading.Lock()

    # What is allowed ------------------------------------------------------------

    def allows(self, address) -> bool:
        host, port = address[0], address[1]
        if self.open:
            return True
        if not is_loopback(host):
            return False
        return port in self.bound_ports or port in self.service_ports

    def refuse(self, what: str):
        with self._lock:
            self.refused.append(what)
        raise NetworkRefused(f"network access refused in tests: {what}")

    def take_refused(self) -> list[str]:
        with self._lock:
            refused, self.refused = self.refused, []
        return refused

    # The patched calls ----------------------------------------------------------

    def check(self, sock: socket.socket, address) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        if not self.allows(address):
            self.refuse(f"connect to {address[0]}:{address[1]}")

    def record_bind(self, sock: socket.socket) -> None:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host, port = sock.getsockname()[:2]
        if is_loopback(host) or host in ("0.0.0.0", "::"):
            self.bound_ports.add(port)

    def check_lookup(self, host) -> None:
        if host is None or self.open:
            return
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.lower() in LOOPBACK_NAMES or _ip(name) is not None:
            return
        self.refuse(f"name lookup of {name}")


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if str(host).lower() in LOOPBACK_NAMES:
        return True
    ip = _ip(str(host))
    if ip is None:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def service_ports(settings) -> set[int]:
    """Loopback ports of the database, cache and broker the settings name."""
    ports: set[int] = set()
    for database in settings.DATABASES.values():
        if is_loopback(database.get("HOST") or "") and database.get("PORT"):
            ports.add(int(database["PORT"]))
        elif is_loopback(database.get("HOST") or ""):
            ports.add(5432)
    urls = [getattr(settings, "CELERY_BROKER_URL", "") or ""]
    for cache in settings.CACHES.values():
        location = cache.get("LOCATION") or ""
        urls += location if isinstance(location, list | tuple) else [location]
    for url in urls:
        parts = urlsplit(str(url))
        if parts.hostname and is_loopback(parts.hostname):
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
            if port:
                ports.add(port)
    return ports


def install(guard: Guard, monkeypatch: pytest.MonkeyPatch) -> None:
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    bind = socket.socket.bind
    create_connection = socket.create_connection
    getaddrinfo = socket.getaddrinfo

    def guarded_connect(sock, address):
        guard.check(sock, address)
        return connect(sock, address)

    def guarded_connect_ex(sock, address):
        guard.check(sock, address)
        return connect_ex(sock, address)

    def recording_bind(sock, address):
        result = bind(sock, address)
        guard.record_bind(sock)
        return result

    def guarded_create_connection(address, *args, **kwargs):
        guard.check_lookup(address[0])
        return create_connection(address, *args, **kwargs)

    def guarded_getaddrinfo(host, *args, **kwargs):
        guard.check_lookup(host)
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket.socket, "bind", recording_bind)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(scope="session", autouse=True)
def network_guard():
    """Installed before any other session fixture starts a server, so the ports
    those servers bind are known."""
    from django.conf import settings

    guard = Guard()
    guard.service_ports = service_ports(settings)
    with pytest.MonkeyPatch.context() as monkeypatch:
        install(guard, monkeypatch)
        yield guard


def fail_if_refused(guard: Guard) -> None:
    refused = guard.take_refused()
    if refused:
        pytest.fail(f"the test tried to reach the network: {refused}", pytrace=False)


@pytest.fixture(autouse=True)
def no_refused_connections(network_guard, request):
    network_guard.take_refused()
    # A test marked `internet` means to reach a public service; nothing else may.
    network_guard.open = request.node.get_closest_marker("internet") is not None
    try:
        yield
    finally:
        network_guard.open = False
    fail_if_refused(network_guard)
