"""A WebSub subscriber for conformance tests: a small HTTP server on 127.0.0.1 that
records every request the hub makes and answers as the test tells it to."""

import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from tests.waiting import wait_until


@dataclass
class Received:
    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.raw_query, keep_blank_values=True))


@dataclass
class Receiver:
    """`echo` decides the intent-verification answer; `statuses` queues the status
    codes for the next deliveries (200 once it is empty); `delay_seconds` holds
    each delivery's answer back."""

    echo: Callable[[str], str] = lambda challenge: challenge
    statuses: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):
                pass

            def _record(self, body: bytes = b"") -> Received:
                path, _, query = self.path.partition("?")
                item = Received(self.command, path, query, dict(self.headers), body)
                with receiver._lock:
                    receiver.received.append(item)
                return item

            def do_GET(self):
                item = self._record()
                mode = item.query.get("hub.mode")
                reply = b""
                if mode in ("subscribe", "unsubscribe"):
                    reply = receiver.echo(item.query.get("hub.challenge", "")).encode()
                self._answer(200, reply)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._record(self.rfile.read(length))
                # A slow subscriber is part of the scenario: the hub's timeout is tested.
                time.sleep(receiver.delay_seconds)
                with receiver._lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self._answer(status, b"")

            def _answer(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/websub/callback"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def gets(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.method == "GET"]

    def posts(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.method == "POST"]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
        return wait_until(
            condition,
            timeout,
            "the subscriber's expected requests",
            observe=lambda: [(r.method, r.raw_query) for r in self.received],
        )

    def wait_for_posts(self, count: int, timeout: float = 30.0) -> list[Received]:
        wait_until(
            lambda: len(self.posts()) >= count,
            timeout,
            f"{count} deliveries",
            observe=lambda: [r.body[:80] for r in self.posts()],
        )
        return self.posts()


def mint_token(sandbox_url: str, username: str, roles: list[str], azp: str = "") -> str:
    response = requests.post(
        f"{sandbox_url}/sandbox/api/tokens",
        json={"azp": azp or username, "username": username, "roles": roles},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def subscribe(
    sandbox_url: str,
    token: str | None,
    topic: str,
    callback: str,
    secret: str | None = "s3cr3t",
    mode: str = "subscribe",
    **extra: str,
) -> requests.Response:
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback, **extra}
    if secret is not None:
        form["hub.secret"] = secret
    headers = {"Cookie": f"Authorization={token}"} if token else {}
    return requests.post(f"{sandbox_url}/hub", data=form, headers=headers, timeout=10)


def publish(sandbox_url: str, token: str, topic: str, body: bytes) -> requests.Response:
    return requests.post(
        f"{sandbox_url}/hub",
        params={"hub.mode": "publish", "hub.topic": topic},
        data=body,
        headers={
            "Content-Type": "application/json",
            "Cookie": f"Authorization={token}",
        },
        timeout=10,
    )


def set_faults(sandbox_url: str, **faults) -> None:
    requests.post(
        f"{sandbox_url}/sandbox/api/documents",
        json={"collection": "settings", "key": "faults", "doc": faults},
        timeout=10,
    ).raise_for_status()
