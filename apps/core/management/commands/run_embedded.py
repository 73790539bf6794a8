"""Run the whole portal on one machine: web, Celery worker, Celery beat and the
MOSIP sandbox standing in for MOSIP.

Ctrl-C stops every process; if one of them dies, the others are stopped too, so a
half-running portal never passes for a working one.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start web, worker and beat together for the embedded run."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def _processes(self, addr: str) -> dict[str, list[str]]:
        python = sys.executable
        return {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python, "-m", "celery", "-A", "crvs_portal", "worker",
                "--loglevel", "INFO", "--concurrency", "2",
            ],
            "mosip-sandbox": [
                python, "manage.py", "run_mosip_sandbox",
                "--port", "8090", "--data", "var/mosip-sandbox/state.sqlite3",
            ],
            "beat": [python, "-m", "celery", "-A", "crvs_portal", "beat", "--loglevel", "INFO"],
        }  # fmt: skip

    def handle(self, *args, **options):
        children = {
            name: subprocess.Popen(cmd, start_new_session=True)
            for name, cmd in self._processes(options["addr"]).items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Portal running on http://{options['addr']}/ (Ctrl-C stops)")
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
