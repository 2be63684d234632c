"""Last heard: polls and page views are noted in memory and written in one statement per flush."""
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from quiz.db import make_engine
from quiz.delivery import presence
from quiz.delivery.models import Attempt
from tests import factories

MORNING = factories.MORNING


@contextmanager
def statements(engine):
    """Collect (SQL, executemany) for every statement this thread runs on the engine, and commits."""
    seen, me = [], threading.get_ident()

    def on_execute(_conn, _cursor, sql, _params, _context, executemany):
        if threading.get_ident() == me:
            seen.append((sql.split()[0].upper(), executemany))

    def on_commit(_conn):
        if threading.get_ident() == me:
            seen.append(("COMMIT", False))

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


@pytest.fixture
def engine(app):
    return app.extensions["quiz.engine"]


@pytest.fixture
def alice(app, started):
    client = app.test_client()
    client.post("/login", data={"username": "alice", "password": factories.PASSWORD})
    return client


@pytest.fixture
def ivy(app, session, exam):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "ivy", "password": factories.PASSWORD})
    return client


def last_seen(session, attempt):
    session.expire_all()
    return session.get(Attempt, attempt.id).last_seen_at


def board_row(ivy, exam, name):
    rows = ivy.get(f"/api/invigilate/sittings/{exam.sitting.id}/board").json["rows"]
    return next(row for row in rows if row["name"] == name)


def test_a_status_poll_writes_nothing_to_the_database(alice, engine, started, clock,
                                                      quiet_flusher):
    clock.advance(minutes=1)
    with statements(engine) as seen:
        response = alice.get(f"/api/attempts/{started.id}/status")
    assert response.status_code == 200
    # reads only: the read ends with a COMMIT of nothing (which keeps psycopg's prepared
    # statements; quiz.db.end_read)
    assert seen and all(sql == "SELECT" for sql, _ in seen if sql not in ("BEGIN", "COMMIT")), seen
    assert presence.pending(engine) == {started.id: clock()}


def test_a_question_page_view_writes_nothing_to_the_database(alice, engine, started, clock,
                                                             quiet_flusher):
    clock.advance(minutes=1)
    with statements(engine) as seen:
        response = alice.get(f"/attempts/{started.id}/q/2")
    assert response.status_code == 200
    assert all(sql == "SELECT" for sql, _ in seen if sql not in ("BEGIN", "COMMIT")), seen
    assert presence.pending(engine) == {started.id: clock()}


@pytest.fixture
def quiet_flusher(app, alice, engine, started):
    """The process's flusher thread sleeps an hour, so only the test's own flush writes."""
    app.config["QUIZ_PRESENCE_FLUSH_SECONDS"] = 3600.0
    alice.get(f"/api/attempts/{started.id}/status")  # the flusher wakes once, then sleeps an hour
    state = presence._this_process()
    for _ in range(200):
        if not state.wake.is_set():
            break
        time.sleep(0.01)
    presence.flush(engine)
    yield
    app.config["QUIZ_PRESENCE_FLUSH_SECONDS"] = 5.0
    alice.get(f"/api/attempts/{started.id}/status")  # the flusher goes back to every 5 s


def test_a_status_poll_shows_as_last_heard_on_the_board_after_a_flush(alice, ivy, engine, exam,
                                                                      started, clock,
                                                                      quiet_flusher):
    clock.advance(minutes=3)
    alice.get(f"/api/attempts/{started.id}/status")
    assert board_row(ivy, exam, "Alice")["last_seen_seconds_ago"] == 180  # not written yet
    assert presence.flush(engine) == 1
    assert board_row(ivy, exam, "Alice")["last_seen_seconds_ago"] == 0
    clock.advance(minutes=1)
    assert board_row(ivy, exam, "Alice")["last_seen_seconds_ago"] == 60


def test_one_statement_writes_every_attempt_noted_since_the_last_flush(session, engine, exam,
                                                                       started):
    bobs = factories.start(session, exam.sitting, exam.bob, seed=9)
    session.commit()
    presence.note_heard(started.id, MORNING + timedelta(minutes=2), engine=engine)
    presence.note_heard(bobs.id, MORNING + timedelta(minutes=3), engine=engine)
    with statements(engine) as seen:
        assert presence.flush(engine) == 2
    assert [entry for entry in seen if entry[0] == "UPDATE"] == [("UPDATE", True)]
    assert last_seen(session, started) == MORNING + timedelta(minutes=2)
    assert last_seen(session, bobs) == MORNING + timedelta(minutes=3)
    assert presence.flush(engine) == 0  # nothing noted since


def test_the_latest_note_of_an_attempt_is_the_one_written(session, engine, started):
    presence.note_heard(started.id, MORNING + timedelta(minutes=4), engine=engine)
    presence.note_heard(started.id, MORNING + timedelta(minutes=2), engine=engine)
    presence.flush(engine)
    assert last_seen(session, started) == MORNING + timedelta(minutes=4)


def test_an_older_note_never_overwrites_a_newer_time_a_save_wrote(alice, session, engine, started,
                                                                   clock):
    presence.note_heard(started.id, MORNING + timedelta(minutes=3), engine=engine)
    clock.set(MORNING + timedelta(minutes=5))
    alice.post(f"/api/attempts/{started.id}/answers", json={"position": 1, "choice": 0, "seq": 1})
    presence.flush(engine)
    assert last_seen(session, started) == MORNING + timedelta(minutes=5)


def test_the_flusher_thread_writes_notes_by_itself(app, alice, session, engine, started, clock):
    app.config["QUIZ_PRESENCE_FLUSH_SECONDS"] = 0.05
    try:
        clock.advance(minutes=7)
        alice.get(f"/api/attempts/{started.id}/status")
        assert presence.flusher_running()
        waited = 0.0
        while last_seen(session, started) != clock() and waited < 20:
            time.sleep(0.05)
            waited += 0.05
        assert last_seen(session, started) == clock()
        assert presence.pending(engine) == {}
    finally:
        app.config["QUIZ_PRESENCE_FLUSH_SECONDS"] = 5.0
        alice.get(f"/api/attempts/{started.id}/status")  # the flusher goes back to every 5 s


def test_no_flusher_starts_at_import_or_when_the_app_is_made(tmp_path):
    script = (
        "import threading\n"
        "import quiz.delivery.presence, quiz.models\n"
        "from quiz import create_app\n"
        f"create_app({{'TESTING': True, 'QUIZ_SCHEDULER': False, 'SECRET_KEY': 'x',"
        f" 'QUIZ_DATABASE_URL': 'sqlite:///{tmp_path}/x.sqlite3'}})\n"
        "print(sorted(t.name for t in threading.enumerate()))\n")
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=tmp_path).stdout
    assert "quiz-presence" not in output and "MainThread" in output


def test_a_forked_worker_starts_its_own_flusher_and_writes_its_own_notes(session, engine, db_url,
                                                                         started):
    presence.note_heard(started.id, MORNING + timedelta(minutes=1), engine=engine)
    assert presence.flusher_running()
    presence.flush(engine)  # the child must not find the parent's notes to write
    heard = MORNING + timedelta(minutes=9)
    pid = os.fork()
    if pid == 0:  # the child, like a gunicorn worker forked after the app was made
        code = 1
        try:
            signal.alarm(60)
            running_before = presence.flusher_running()
            own = make_engine(db_url)
            presence.note_heard(started.id, heard, engine=own)
            running_after = presence.flusher_running()
            thread_pid = [t.name for t in threading.enumerate() if t.name.startswith("quiz-presence")]
            written = presence.flush(own)
            own.dispose()
            code = 0 if (not running_before and running_after and written == 1
                         and thread_pid == [f"quiz-presence-{os.getpid()}"]) else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert last_seen(session, started) == heard
    assert presence.flusher_running()  # the parent's own flusher carries on
    assert presence.pending(engine) == {}
