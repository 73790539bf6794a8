"""A PostgreSQL cluster of a drill's own, on a free port, that the drill may stop
and start at will; the machine's own server, which other tests use, is never
touched. The server refuses to run as root, so every command runs as the
`postgres` OS user."""

import getpass
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.sandbox_process import free_port

OS_USER = "postgres"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def unavailable_reason() -> str:
    """Why no private cluster can run here, or ''."""
    if binaries() is None:
        return (
            "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed"
        )
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        return f"no {OS_USER!r} OS user to run a PostgreSQL server as"
    if getpass.getuser() != "root" and getpass.getuser() != OS_USER:
        return f"running a server as {OS_USER!r} needs root or that user"
    if shutil.which("runuser") is None and getpass.getuser() == "root":
        return "runuser is not installed"
    return ""


class PrivatePostgres:
    def __init__(self):
        self.bin = binaries()
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are private to root, and the
        # server runs as another user.
        self.root = Path(tempfile.mkdtemp(prefix="crvs-drill-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.url = f"postgres://{OS_USER}@127.0.0.1:{self.port}/crvs_drill"
        user = pwd.getpwnam(OS_USER)
        os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if getpass.getuser() != OS_USER:
            command = ["runuser", "-u", OS_USER, "--", *command]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.root
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed:\n{result.stdout}\n{result.stderr}\n"
                + (self.log.read_text()[-2000:] if self.log.exists() else "")
            )
        return result.stdout

    def init(self) -> "PrivatePostgres":
        self._run(
            "initdb", "-D", str(self.data), "-U", OS_USER, "--auth=trust",
            "-E", "UTF8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        try:
            self._run("pg_ctl", "-D", str(self.data), "status")
        except RuntimeError:
            return False
        return True

    def remove(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
