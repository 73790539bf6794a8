"""Run the whole portal on one machine: web, Celery worker, Celery beat and the
MOSIP sandbox standing in for MOSIP. The sandbox starts in MOSIP's stock
configuration; the portal's own list of MOSIP changes (docs/mosip/operator-changes.md)
is applied to it as an operator would, then the portal onboards against it through
the onboarding services (idempotent: each start reuses and re-verifies what exists).

The web process is production's: gunicorn with gunicorn.conf.py, DEBUG off, static
files collected and served by WhiteNoise. What a newcomer sees is what a deployment
serves: the portal's own error pages, never Django's technical ones, and request
bodies refused past DATA_UPLOAD_MAX_MEMORY_SIZE by a server that does not read them
whole first.

Ctrl-C stops every process; if one of them dies, the others are stopped too, so a
half-running portal never passes for a working one.
"""

import os
import signal
import subprocess
import sys
import time

import requests
from django.core.management.base import BaseCommand

from apps.onboarding_wizard import embedded

SANDBOX_PORT = 8090


class Command(BaseCommand):
    help = "Start web, worker and beat together for the embedded run."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--sandbox-port", type=int, default=SANDBOX_PORT)

    @staticmethod
    def environment() -> dict[str, str]:
        """The processes' environment: this one (with .env read), DEBUG off whatever
        .env says, one web process unless a shared cache is configured, gunicorn's
        access log and mail on the terminal unless configured otherwise."""
        env = dict(os.environ)
        env["DEBUG"] = "false"
        env.setdefault("GUNICORN_ACCESSLOG", "-")
        # Without a shared cache (CACHE_URL), each web process would count sign-in
        # failures on its own: one process, many threads, keeps one count.
        if not env.get("CACHE_URL"):
            env.setdefault("GUNICORN_WORKERS", "1")
        # No mail server on a newcomer's machine: mail goes to the terminal.
        env.setdefault(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        )
        return env

    @staticmethod
    def collect_static(env: dict[str, str]) -> None:
        """Collect static files for WhiteNoise's manifest storage, under the same
        settings as the web process (DEBUG off), in a process of their own."""
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )

    def _processes(self, addr: str, sandbox_port: int) -> dict[str, list[str]]:
        python = sys.executable
        return {
            "web": [
                python, "-m", "gunicorn", "crvs_portal.wsgi",
                "--config", "gunicorn.conf.py", "--bind", addr,
            ],
            "worker": [
                python, "-m", "celery", "-A", "crvs_portal", "worker",
                "--loglevel", "INFO", "--concurrency", "2",
            ],
            "mosip-sandbox": [
                python, "manage.py", "run_mosip_sandbox",
                "--port", str(sandbox_port), "--data", "var/mosip-sandbox/state.sqlite3",
            ],
            "beat": [python, "-m", "celery", "-A", "crvs_portal", "beat", "--loglevel", "INFO"],
        }  # fmt: skip

    def _wait_for(self, url: str, children, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(proc.poll() is not None for proc in children.values()):
                return False
            try:
                if requests.get(url, timeout=1).ok:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def _onboard(self, addr: str, sandbox_port: int, children) -> None:
        """Onboard against the sandbox through the wizard's services, then print
        each step's outcome; a failure is reported, the portal keeps running."""
        sandbox = f"http://127.0.0.1:{sandbox_port}"
        portal = f"http://{addr}"
        if not self._wait_for(f"{sandbox}/sandbox/api/health", children):
            self.stderr.write("MOSIP sandbox did not start; onboarding skipped")
            return
        # The sandbox starts as stock MOSIP; the portal's list goes in first, as
        # the operator puts it in a real deployment.
        changed = embedded.apply_operator_changes(sandbox, objects=False)
        self.stdout.write(
            "  MOSIP configuration for this portal (`python manage.py "
            "mosip_config_changes`): "
            + ("changed:" if changed else "already in place.")
        )
        for line in [
            *changed,
            *embedded.operator_changes_not_made(sandbox),
            *embedded.apply_operator_objects(sandbox),
        ]:
            self.stdout.write(f"    {line}")
        reports = embedded.onboard_sandbox(sandbox, until="offices")
        if all(r.ok for r in reports):
            # The hub verifies subscriptions by calling the portal back.
            if self._wait_for(f"{portal}/healthz", children):
                reports = embedded.onboard_sandbox(sandbox, portal_url=portal)
        for report in reports:
            state = "done" if report.ok else "NOT DONE"
            self.stdout.write(f"  onboarding {report.step}: {state} {report.message}")
        self.stdout.write("  `python manage.py mosip_check` re-verifies every step.")

    def handle(self, *args, **options):
        env = self.environment()
        # The sandbox serves e-Signet too: the wizard's e-Signet step defaults to it.
        env.setdefault("ESIGNET_URL", f"http://127.0.0.1:{options['sandbox_port']}")
        self.collect_static(env)
        children = {
            name: subprocess.Popen(cmd, start_new_session=True, env=env)
            for name, cmd in self._processes(
                options["addr"], options["sandbox_port"]
            ).items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Portal running on http://{options['addr']}/ (Ctrl-C stops)")
        try:
            self._onboard(options["addr"], options["sandbox_port"], children)
        except Exception as exc:  # the portal still runs; the report says why
            self.stderr.write(f"Onboarding stopped: {type(exc).__name__}: {exc}")
        exit_code = 0
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    self.stderr.write(f"{name} exited with {proc.returncode}; stopping")
                    exit_code = 1
                    stopping = True
            time.sleep(0.5)
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(exit_code)
