"""Start a throwaway PostgreSQL server for the test session (a real server, not a mock)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1."""

    def __init__(self, durable: bool = False, max_connections: int = 100):
        # The test suite turns durability off for speed; the load harness keeps it on, since
        # that is what a real deployment pays for every commit.
        self.durable = durable
        self.max_connections = max_connections
        self.bindir = _bindir()
        self.folder = None
        self.port = None

    @property
    def available(self) -> bool:
        return self.bindir is not None

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> str:
        """Create and start the cluster; return a SQLAlchemy URL for a fresh database."""
        self.folder = Path(tempfile.mkdtemp(prefix="quiz-pg-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "quiz", "--auth=trust", "-E", "UTF8")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections={self.max_connections}")
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-w", "-l",
                  str(self.folder / "log"), "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "quiz", "quiz_test")
        return f"postgresql+psycopg://quiz@127.0.0.1:{self.port}/quiz_test"

    def stop(self) -> None:
        """Stop the cluster and remove its folder."""
        if self.folder is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
