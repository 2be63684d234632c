"""The push channel holds for a room under gunicorn with gevent workers, as the README deploys it.

A real gunicorn on 127.0.0.1 serves 30 candidates' event streams; the invigilator pauses the
room; every candidate's open stream says "paused" (how soon is printed, not asserted). Short,
and it stops by itself.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from quiz.db import utcnow
from quiz.invigilation import service as invigilation
from tests import factories

ROOM = 30
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(app, db_url, tmp_path):
    """Serve the app under test's database with gunicorn's gevent workers; stop it afterwards."""
    port = _free_port()
    env = {**os.environ, "QUIZ_DATABASE_URL": db_url, "SECRET_KEY": app.config["SECRET_KEY"],
           "QUIZ_SCHEDULER": "0", "QUIZ_EVENTS_STREAM_SECONDS": "30",
           "QUIZ_EVENTS_POLL_SECONDS": "0.5"}
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--worker-class", "gevent", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "2", "quiz:create_app()"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def room(app, session, exam):
    """Thirty candidates in progress in one sitting, each with a signed-in session cookie.

    gunicorn runs on the real clock, so this sitting and its attempts start now."""
    now = utcnow()
    candidates = factories.make_candidates(session, exam.centre, ROOM)
    sitting = factories.make_sitting(session, exam.blueprint.code, exam.centre, candidates,
                                     title="Room 5", starts_at=now - timedelta(hours=1),
                                     ends_at=now + timedelta(hours=8))
    attempts = [factories.start(session, sitting, c, now=now, seed=n)
                for n, c in enumerate(candidates)]
    session.commit()

    def sign_in(candidate) -> str:
        client = app.test_client()
        client.post("/login", data={"username": candidate.username,
                                    "password": factories.PASSWORD})
        return client.get_cookie("session").value

    with ThreadPoolExecutor(4) as pool:  # checking a password is slow on purpose
        cookies = list(pool.map(sign_in, candidates))
    return SimpleNamespace(sitting=sitting, attempts=list(zip(attempts, cookies)))


class Listener(threading.Thread):
    """One candidate's browser: read the stream, note when it first says paused."""

    def __init__(self, port: int, attempt_id: int, cookie: str):
        super().__init__(daemon=True)
        self.port, self.attempt_id, self.cookie = port, attempt_id, cookie
        self.connected = threading.Event()
        self.paused_at: float | None = None
        self.error: str | None = None

    def run(self) -> None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            connection.request("GET", f"/api/attempts/{self.attempt_id}/events",
                               headers={"Cookie": f"session={self.cookie}",
                                        "Accept": "text/event-stream"})
            response = connection.getresponse()
            if response.status != 200:
                self.error = f"HTTP {response.status}"
                return
            name = None
            while self.paused_at is None:
                line = response.readline().decode()
                if not line:
                    self.error = "the stream ended before the pause"
                    return
                if line.startswith("event: "):
                    name = line[7:].strip()
                elif line.startswith("data: ") and name == "status":
                    state = json.loads(line[6:])["state"]
                    if state == "paused":
                        self.paused_at = time.monotonic()
                    self.connected.set()
            connection.close()
        except Exception as err:  # reported by the test, with the others
            self.error = repr(err)
        finally:
            self.connected.set()


def test_every_stream_in_a_room_hears_a_pause_on_the_connection_it_has_open(app, gunicorn, room):
    listeners = [Listener(gunicorn, attempt.id, cookie) for attempt, cookie in room.attempts]
    for listener in listeners:
        listener.start()
    for listener in listeners:
        assert listener.connected.wait(20), "a stream sent nothing"
    assert [l.error for l in listeners if l.error] == []

    sessions = app.extensions["quiz.sessions"]
    with sessions.begin() as session:
        ivy = factories.make_user(session, "ivy", role="admin")
        sitting = invigilation.sitting_for(session, room.sitting.id, ivy)
        paused = invigilation.pause_all(session, sitting, ivy, utcnow(), "fire alarm",
                                        timedelta(seconds=2))
    committed = time.monotonic()
    assert paused == ROOM
    for listener in listeners:
        listener.join(timeout=30)  # a bound on a hang, not a timing: each stream reads one response
    assert [l.error for l in listeners if l.error] == []
    assert [l.paused_at is not None for l in listeners] == [True] * ROOM
    # How soon is a figure for `make bench`, not an assert: the machine may be busy.
    delays = sorted(l.paused_at - committed for l in listeners)
    print(f"{ROOM} streams heard the pause after {delays[0]:.2f}-{delays[-1]:.2f} s "
          f"(median {delays[ROOM // 2]:.2f} s)")
