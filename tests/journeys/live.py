"""A live portal for the browser journeys, run the way production runs it.

Web (runserver, serving static files itself), a Celery worker and Celery beat each run
as their own process against a database of their own, so tasks really run: nothing is
eager, and what a user sees comes from the worker through the database, as in
production. The broker is a folder (`filesystem://`), private to this portal, so no
other test run on the machine can take its tasks; the database is a fresh PostgreSQL
database when DATABASE_URL names PostgreSQL (dropped afterwards), else a SQLite file.

State is built by running Python inside the portal's own environment
(`manage.py shell`), through the real services: see tests/journeys/portal_setup.py.
"""

import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from tests.sandbox_process import free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


class _Database:
    """A database for one live portal."""

    def __init__(self, base_url: str, folder: Path):
        self.base = urlsplit(base_url)
        self.postgres = self.base.scheme.startswith("postgres")
        if self.postgres:
            name = self.base.path.lstrip("/") or "postgres"
            # One database per portal folder and test process.
            label = re.sub(r"[^a-z0-9]+", "_", folder.name.lower())
            self.name = f"{name}_journeys_{label}_{os.getpid()}"
            self.url = urlunsplit(self.base._replace(path="/" + self.name))
        else:
            self.name = str(folder / "portal.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.base.hostname,
            port=self.base.port or 5432,
            user=self.base.username,
            password=self.base.password,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def create(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class LivePortal:
    def __init__(self, folder: Path, sandbox_url: str = "", **env: str):
        self.folder = folder
        self.sandbox_url = sandbox_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A DATABASE_URL in `env` names the server (and base name) to use instead of
        # the test run's own.
        base_url = env.pop("DATABASE_URL", None) or os.environ.get(
            "DATABASE_URL", "sqlite:///var/test.sqlite3"
        )
        self.database = _Database(base_url, folder)
        self.password = secrets.token_urlsafe(16)
        self.processes: dict[str, subprocess.Popen] = {}
        self._commands: dict[str, list[str]] = {}
        # Values that must never appear in a page or in the portal's logs; a journey
        # adds the ones it types in (a client secret, a private key).
        self.secrets: list[str] = [self.password]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "crvs_portal.settings_test",
            "DJANGO_READ_ENV_FILE": "false",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "DATABASE_URL": self.database.url,
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_BROKER_DIR": str(folder / "broker"),
            # Each process keeps its own cache; sign-in throttling lives in the web
            # process only, and nothing is shared with other test runs.
            "CACHE_URL": "locmemcache://",
            "MEDIA_ROOT": str(folder / "media"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Where MOSIP's hub (the sandbox) delivers WebSub events.
            "WEBSUB_CALLBACK_BASE_URL": self.url,
            # The sandbox serves e-Signet too, as the embedded run has it.
            "ESIGNET_URL": sandbox_url,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **env,
        }

        self.secrets += [self.env["SECRET_KEY"], self.env["FIELD_ENCRYPTION_KEY"]]

    def logs(self) -> str:
        """Everything the portal's processes have logged so far."""
        return "\n".join(
            log.read_text(errors="replace") for log in sorted(self.folder.glob("*.log"))
        )

    # Processes ------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 120, **env: str) -> str:
        """Run a management command in the portal's environment; its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def setup(self, call: str, timeout: float = 900, **env: str) -> str:
        """Run `call` (Python, after `from tests.journeys import portal_setup`).
        A call that waits inside the portal has a timeout of its own."""
        code = f"from tests.journeys import portal_setup; {call}"
        return self.manage(
            "shell", "-c", code, timeout=timeout, JOURNEY_PASSWORD=self.password, **env
        )

    def onboard(self, timeout: float = 60) -> None:
        """Take the portal to ready against its sandbox through the onboarding
        services, and wait until the hub has verified its WebSub subscriptions."""
        self.setup(
            "portal_setup.onboarded()",
            SANDBOX_URL=self.sandbox_url,
            PORTAL_URL=self.url,
        )

        def health() -> dict:
            out = self.setup(
                "import json; from apps.websub.queries import subscription_health; "
                "h = subscription_health(); print(json.dumps([h['ok'], h['detail']]))"
            )
            ok, detail = json.loads(out.strip().splitlines()[-1])
            return {"ok": ok, "detail": detail}

        wait_until(
            lambda: health()["ok"],
            timeout,
            "WebSub subscriptions verified",
            interval=0.5,
            observe=health,
        )

    def _spawn(self, name: str, args: list[str]) -> None:
        self._commands[name] = args
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self, timeout: float = 60) -> "LivePortal":
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.database.create()
        self.manage("migrate", "--noinput", timeout=300)
        self._spawn(
            "web",
            ["manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload",
             "--insecure"],
        )  # fmt: skip
        self._spawn(
            "worker",
            ["-m", "celery", "-A", "crvs_portal", "worker", "--loglevel", "INFO",
             "--concurrency", "2", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        self._spawn(
            "beat",
            ["-m", "celery", "-A", "crvs_portal", "beat", "--loglevel", "INFO",
             "--schedule", str(self.folder / "celerybeat-schedule")],
        )  # fmt: skip

        def answering() -> bool:
            self.check_alive()
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        try:
            wait_until(answering, timeout, "the live portal answered", interval=0.2)
        except AssertionError:
            self.stop()
            raise RuntimeError(
                f"the live portal did not start:\n{self.log_tail('web')}"
            ) from None
        return self

    def kill(self, name: str) -> None:
        """SIGKILL a process (and its children, such as a worker's pool), as a crash
        or the kernel's OOM killer would."""
        proc = self.processes.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def restart(self, name: str) -> None:
        """Start a killed process again with its original command line."""
        self._spawn(name, self._commands[name])

    def check_alive(self) -> None:
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}"
                )

    def log_tail(self, name: str, chars: int = 3000) -> str:
        log = self.folder / f"{name}.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else ""

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.processes.clear()
        self.database.drop()
