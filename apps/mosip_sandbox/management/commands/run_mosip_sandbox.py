"""Run the MOSIP sandbox: `python manage.py run_mosip_sandbox --port 8090`.

manage.py runs this command under the sandbox's own settings
(apps/mosip_sandbox/django_settings.py), never the portal's."""

import socket
import struct
import sys
from urllib.parse import urlsplit

from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import (
    ServerHandler,
    ThreadedWSGIServer,
    WSGIRequestHandler,
)

from apps.mosip_sandbox import config, faults, mosip_config, server
from apps.mosip_sandbox.store import get_store


class QuietHandler(WSGIRequestHandler):
    verbose = False
    # Headers and body leave in separate writes; without TCP_NODELAY the body waits
    # for the client's delayed ACK (~40 ms a call), which MOSIP's gateway does not do.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)

    def handle_one_request(self):
        """Django's handler, plus the "refuse" outage: the request is read, then the
        connection is reset without a byte of response, as a dead MOSIP node does."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        if faults.refuses(urlsplit(self.path).path):
            self._reset_connection()
            return
        handler = ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ()
        )
        handler.request_handler = self
        handler.run(self.server.get_app())

    def _reset_connection(self):
        self.close_connection = True
        try:
            # Linger 0: closing sends a TCP reset instead of an orderly FIN.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        except OSError:
            pass


class Command(BaseCommand):
    help = "Run the MOSIP sandbox on a loopback port."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8090)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--data",
            default="var/mosip-sandbox/state.sqlite3",
            help="SQLite file holding the sandbox's state (kept across restarts).",
        )
        parser.add_argument("--reset", action="store_true", help="Start from scratch.")
        parser.add_argument(
            "--config",
            action="append",
            default=[],
            metavar="PATH",
            help="MOSIP configuration on top of stock mosip-config v1.2.4.2: a "
            "<service>-default.properties file, a .json/.xml file the config server "
            "serves, or a folder of them (repeatable).",
        )
        parser.add_argument("--verbose-requests", action="store_true")

    def handle(self, *args, **options):
        if options["host"] not in ("127.0.0.1", "localhost", "::1"):
            self.stderr.write("The sandbox listens on loopback only.")
            sys.exit(2)
        server.use_store(options["data"])
        try:
            loaded = mosip_config.load_config_files(options["config"])
        except mosip_config.ConfigError as exc:
            self.stderr.write(f"--config: {exc}")
            sys.exit(2)
        if options["reset"]:
            get_store().reset()
        server.start_background()
        QuietHandler.verbose = options["verbose_requests"]

        self.stdout.write(
            f"MOSIP sandbox on http://{options['host']}:{options['port']}/ "
            f"(state: {options['data']})\n"
            f"  Keycloak master admin: {config.KEYCLOAK_ADMIN_USER} / "
            f"{config.KEYCLOAK_ADMIN_PASSWORD} (password grant on admin-cli)\n"
            f"  MOSIP admin: {config.MOSIP_ADMIN_USER} / {config.MOSIP_ADMIN_PASSWORD} "
            f"(client {config.MOSIP_ADMIN_CLIENT_ID} / "
            f"{config.MOSIP_ADMIN_CLIENT_SECRET})\n"
            f"  Partner admin: {config.PARTNER_ADMIN_USER} / "
            f"{config.PARTNER_ADMIN_PASSWORD} (same client)"
        )
        for service, props in loaded.items():
            self.stdout.write(
                f"  MOSIP configuration from --config, {service}: {len(props)}"
            )
        self.stdout.flush()
        self._serve(options)

    def _serve(self, options):
        httpd = ThreadedWSGIServer(
            (options["host"], options["port"]), QuietHandler, ipv6=False
        )
        httpd.daemon_threads = True
        httpd.set_app(WSGIHandler())
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
