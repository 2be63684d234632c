"""Databases and servers for the load harness: a prepared exam day, gunicorn, `quiz worker`.

Everything listens on 127.0.0.1 only, and every process started here is stopped by its id.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
KEYCODE = "ACDEFG"
PASSWORD = "bench-pass-2794"
SECRET_KEY = "bench-secret-key-not-for-production"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ExamDay:
    """What the prepared database holds for the simulated candidates."""

    url: str
    sitting_id: int
    usernames: list[str]
    password: str = PASSWORD
    keycode: str = KEYCODE


def prepare_exam_day(url: str, candidates: int) -> ExamDay:
    """Migrate, load the shipped banks, and book `candidates` accounts onto one open sitting.

    Every account shares one password hash made by the app's own rule for candidates, so the
    sign-ins cost what real ones do while setting up 10,000 accounts takes seconds.
    """
    from quiz.accounts.models import Centre, User
    from quiz.db import make_engine, utcnow
    from quiz.delivery.models import Booking, Sitting
    from quiz.itembank.bankfile import read_banks
    from quiz.itembank.service import get_blueprint, load_banks
    from quiz.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    now = utcnow()
    with Session(engine) as session, session.begin():
        banks = read_banks(ROOT / "item_banks")
        load_banks(session, banks, now, actor="bench")
        centre = Centre(code="BENCH1", name="Benchmark hall")
        session.add(centre)
        session.flush()
        sample = User(role="candidate")
        sample.set_password(PASSWORD)
        usernames = [f"cand{n:05d}" for n in range(candidates)]
        session.execute(insert(User), [
            {"username": name, "password_hash": sample.password_hash, "full_name": f"Candidate {n}",
             "role": "candidate", "centre_id": centre.id, "candidate_number": f"{n:05d}",
             "active": True, "extra_time_percent": 0, "large_text": False,
             "high_contrast": False, "created_at": now}
            for n, name in enumerate(usernames)])
        sitting = Sitting(blueprint=get_blueprint(session, "2794-03/315"), centre=centre,
                          title="Exam day benchmark", starts_at=now - timedelta(hours=1),
                          ends_at=now + timedelta(hours=6), status="open", keycode=KEYCODE,
                          opened_at=now - timedelta(minutes=30), results_policy="to_follow")
        session.add(sitting)
        session.flush()
        ids = session.scalars(select(User.id).where(User.centre_id == centre.id)).all()
        session.execute(insert(Booking), [{"sitting_id": sitting.id, "candidate_id": i}
                                          for i in ids])
        sitting_id = sitting.id
    engine.dispose()
    return ExamDay(url, sitting_id, usernames)


def _stat(pid: int) -> list[str] | None:
    """Return the fields of /proc/PID/stat after the command name, or None if it has gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children_of(pid: int) -> list[int]:
    """Return the ids of the live processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry))
    return found


def tree_cpu_seconds(pid: int, reaped: bool = False) -> float:
    """Return the CPU time (user + system) of a process and its live children; with reaped, also
    of the children it has waited for (PostgreSQL's backends that have exited)."""
    total = 0
    for each in [pid, *children_of(pid)]:
        fields = _stat(each)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])
            if reaped and each == pid:
                total += int(fields[13]) + int(fields[14])
    return total / CLOCK_TICKS


class Process:
    """A server process group we started, measured and stopped by its ids."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.command, self.env, self.log = command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(self.command, env=self.env, stdout=log, stderr=log,
                                          cwd=ROOT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def pids(self) -> list[int]:
        """Return this process and its children (gunicorn's workers)."""
        return [self.pid, *children_of(self.pid)]

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) this process and its live children have used."""
        return tree_cpu_seconds(self.pid)

    def kill9(self) -> int:
        """Kill -9 the process and every child at once; return how many were killed."""
        pids = self.pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait(timeout=30)
        return len(pids)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        children = self.pids()[1:]
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill9()
        for pid in children:  # a worker the master could not reap
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def app_env(url: str, **overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
    env.update({"QUIZ_DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "QUIZ_SCHEDULER": "0",
                "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


def gunicorn(app_spec: str, port: int, env: dict, log: Path) -> Process:
    """Return gunicorn with the shipped gunicorn.conf.py, serving app_spec on 127.0.0.1:port."""
    return Process([str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                    "--bind", f"127.0.0.1:{port}", app_spec], env, log)


def finalising_worker(env: dict, log: Path) -> Process:
    return Process([str(VENV_BIN / "quiz"), "worker"], env, log)


def wait_until_serving(port: int, path: str = "/login", seconds: float = 60) -> None:
    """Wait until the server answers on the port (any HTTP status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                if sock.recv(12).startswith(b"HTTP/1."):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no server answered on 127.0.0.1:{port} within {seconds:.0f} s")


class Database:
    """A fresh database of one kind for one run: a SQLite file, or a throwaway PostgreSQL."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.folder = kind, folder
        self.server = None

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            return "sqlite:///" + str(self.folder / "bench.sqlite3")
        from tests.pg import ThrowawayPostgres
        self.server = ThrowawayPostgres(durable=True, max_connections=300)
        if not self.server.available:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        return self.server.start()

    def cpu_seconds(self) -> float:
        """Return the CPU time the database's own processes have used (0 for SQLite, which
        runs inside the app's processes and is counted with them)."""
        if self.server is None:
            return 0.0
        postmaster = self.server.folder / "data" / "postmaster.pid"
        return tree_cpu_seconds(int(postmaster.read_text().split()[0]), reaped=True)

    def __exit__(self, *_exc) -> None:
        if self.server is not None:
            self.server.stop()


def scratch_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="quiz-bench-"))
