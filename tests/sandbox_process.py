"""Start the MOSIP sandbox as its own process on a free loopback port, as production
would reach a real MOSIP: over HTTP only."""

import socket
import subprocess
import sys
from pathlib import Path

import requests

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    def __init__(
        self, data_dir: Path, port: int | None = None, config: list[Path] = ()
    ):
        self.config = list(config)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = data_dir / "sandbox.sqlite3"
        self.log = data_dir / "sandbox.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "SandboxProcess":
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "run_mosip_sandbox",
             "--port", str(self.port), "--data", str(self.data),
             *(arg for path in self.config for arg in ("--config", str(path)))],
            cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

        def answering() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sandbox exited: {self.log.read_text()[-2000:]}")
            try:
                return requests.get(f"{self.url}/sandbox/api/health", timeout=1).ok
            except requests.ConnectionError:
                return False

        try:
            wait_until(answering, timeout, "the sandbox answered", interval=0.1)
        except AssertionError:
            self.stop()
            raise RuntimeError("sandbox did not start in time") from None
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def reset(self) -> None:
        requests.post(f"{self.url}/sandbox/api/reset", timeout=10).raise_for_status()

    def set_speed(self, speed: float) -> None:
        requests.post(
            f"{self.url}/sandbox/api/clock", json={"speed": speed}, timeout=10
        ).raise_for_status()
