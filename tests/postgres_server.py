"""A private PostgreSQL server for the store tests and the store benchmark.

Debian's server binaries (``make postgres`` installs them) are run on a fresh cluster in a
temporary directory, listening only on a Unix socket in that directory, so nothing on the
machine is touched and nothing is left behind. PostgreSQL refuses to run as root, so under
root the cluster belongs to the ``postgres`` user the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why (tests skip with it)."""


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    found = shutil.which("initdb") or (candidates[-1] if candidates else None)
    if not found:
        raise Unavailable("PostgreSQL server binaries not found (run `make postgres` as root to install them)")
    return Path(found).resolve().parent


class Server:
    """A running throw-away cluster; ``url`` connects to its database ``retention``."""

    def __init__(self, fsync: bool = True, max_connections: int = 200):
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="retention-pg-"))
        self.data = self.root / "data"
        self.user = None
        if os.geteuid() == 0:
            try:
                import pwd
                pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("running as root and there is no 'postgres' user to run the server") from None
            self.user = "postgres"
            shutil.chown(self.root, "postgres")
        os.chmod(self.root, 0o755)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.options = (f"-c listen_addresses='' -k {self.root} -p 5432 -c max_connections={max_connections}"
                   f" -c fsync={'on' if fsync else 'off'}")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", self.options, "-w", "start")
        self._run("createdb", "-h", str(self.root), "-p", "5432", "-U", "postgres", "retention")
        self.url = f"postgresql+psycopg://postgres@/retention?host={self.root}&port=5432"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode:
            self.stop()
            raise Unavailable(f"{program} failed: {(result.stderr or result.stdout).strip()[-300:]}")

    def kill(self) -> None:
        """Stop the server at once, as a crash or a lost network would (clients see their connections die)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def start(self) -> None:
        """Start it again after :meth:`kill`."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", self.options, "-w", "start")

    def stop(self) -> None:
        """Stop the server and delete its directory."""
        if (self.data / "postmaster.pid").exists():
            command = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]
            subprocess.run((["runuser", "-u", self.user, "--"] if self.user else []) + command,
                           capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":
    server = Server()
    print(server.url)
    server.stop()
