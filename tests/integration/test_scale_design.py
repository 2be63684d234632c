"""The design choices that let a hall start at once: reads without SQLite's write lock, the
sweep finding due attempts in SQL, and the live bank cached until it changes."""
import re
import sqlite3
import threading
from types import SimpleNamespace
from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from quiz.audit import AuditEvent, record
from quiz.db import make_engine
from quiz.delivery import service
from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.itembank.models import ItemVersion
from quiz.web import db, now
from tests import factories

GRACE = timedelta(seconds=2)


ON_SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # its write lock


@pytest.fixture
def sqlite_only(db_url):
    """Return the SQLite database file's path."""
    return db_url.split("///", 1)[1]


class WriteLock:
    """Hold SQLite's write lock from another connection, as a long write elsewhere would."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *_exc):
        self.connection.execute("ROLLBACK")
        self.connection.close()


@ON_SQLITE
def test_pages_are_read_while_another_connection_holds_the_write_lock(
        client, auth, exam, started, sqlite_only):
    auth.login("alice")
    with WriteLock(sqlite_only):
        assert client.get("/tests").status_code == 200
        assert client.get(f"/attempts/{started.id}/review").status_code == 200
        # alice has started: her join page sends her back to her attempt
        assert client.get(f"/sittings/{exam.sitting.id}/join").status_code == 303
    auth.login("bob")
    with WriteLock(sqlite_only):
        assert client.get(f"/sittings/{exam.sitting.id}/join").status_code == 200


@ON_SQLITE
def test_a_save_waits_for_the_write_lock_and_then_is_stored(client, auth, session, started,
                                                            sqlite_only):
    auth.login("alice")
    replies = []
    with WriteLock(sqlite_only):
        saving = threading.Thread(target=lambda: replies.append(client.post(
            f"/api/attempts/{started.id}/answers", json={"position": 1, "choice": 2, "seq": 1})))
        saving.start()
        saving.join(0.5)
        assert saving.is_alive() and not replies  # not acknowledged while it cannot be stored
    saving.join(10)
    assert replies[0].status_code == 200 and replies[0].json["status"] == "saved"
    stored = session.scalar(select(AttemptQuestion.seq).where(
        AttemptQuestion.attempt_id == started.id, AttemptQuestion.position == 1))
    assert stored == 1


@ON_SQLITE
def test_a_request_whose_write_loses_the_race_for_the_lock_runs_again_and_succeeds(
        app, client, auth, exam, session, sqlite_only):
    # A view that reads, then writes without saying so first (begin_write). Another connection
    # commits a write between its read and its write, so SQLite refuses the upgrade
    # (SQLITE_BUSY_SNAPSHOT); the view must run again, holding the lock, and succeed.
    runs = []

    @app.route("/test-only/read-then-write", methods=["POST"])
    def read_then_write():
        session_ = db()
        session_.execute(text("SELECT title FROM sitting")).all()
        runs.append(1)
        if len(runs) == 1:
            other = sqlite3.connect(sqlite_only, isolation_level=None)
            other.execute("UPDATE sitting SET title = title || ' (moved)'")
            other.close()
        record(session_, now(), "test_event")
        session_.commit()
        return "ok"

    auth.login("alice")
    assert client.post("/test-only/read-then-write").status_code == 200
    assert len(runs) == 2
    assert session.scalars(select(AuditEvent.action)).all().count("test_event") == 1


def test_the_sweep_finds_only_attempts_past_their_deadline_and_grace_in_sql(session, exam):
    early = factories.start(session, exam.sitting, exam.alice, now=factories.MORNING)
    late = factories.start(session, exam.sitting, exam.bob,
                           now=factories.MORNING + timedelta(minutes=10))
    session.commit()
    early_deadline = factories.MORNING + timedelta(minutes=45)
    assert service.due_attempt_ids(session, early_deadline - timedelta(seconds=5), GRACE) == []
    assert service.due_attempt_ids(session, early_deadline + GRACE, GRACE) == [early.id]
    late.extra_seconds, late.paused_seconds = 300, 60.0  # extra time and a finished pause count
    session.commit()
    late_deadline = factories.MORNING + timedelta(minutes=10 + 45 + 5, seconds=60)
    assert late.id not in service.due_attempt_ids(session, late_deadline - timedelta(seconds=5),
                                                  GRACE)
    assert service.finalise_expired(session, late_deadline + GRACE, GRACE) == [early.id, late.id]


def test_the_sweep_leaves_paused_attempts_alone(session, started):
    started.paused_since = started.started_at + timedelta(minutes=1)
    session.commit()
    assert service.due_attempt_ids(session, started.started_at + timedelta(hours=3), GRACE) == []


@ON_SQLITE
def test_the_sweep_takes_no_write_lock_when_nothing_is_due(session, started, db_url, sqlite_only):
    engine = make_engine(db_url)
    from quiz.db import deferred, make_session_factory
    sessions = make_session_factory(deferred(engine))
    with WriteLock(sqlite_only), sessions() as sweep:
        assert service.finalise_expired(sweep, started.started_at + timedelta(minutes=1),
                                        GRACE) == []
    engine.dispose()


def test_a_paper_after_items_are_retired_never_uses_them(session, exam):
    blueprint = exam.blueprint
    factories.start(session, exam.sitting, exam.alice, seed=1)  # the bank is read and kept
    items = factories.make_items(blueprint, per_criterion=3)
    retired = {item.item_id for item in items if item.item_id.endswith("-01")}
    changed = [factories.replace_status(item, "retired") if item.item_id in retired else item
               for item in items]
    factories.load_bank(session, blueprint, changed, now=factories.MORNING + timedelta(hours=1))
    session.commit()
    for seed in range(20):
        paper = service.paper_for(session, exam.sitting, factories.MORNING, seed=seed)
        assert not {q.item_id for q in paper.questions} & retired


def test_a_start_by_keycode_learns_which_items_are_live_in_its_first_select(
        app, client, auth, session, exam):
    """The keycode's one POST reads the bank's live version with the candidate, booking and
    sitting, not in a query of its own, and still sees items retired since the bank was kept."""
    statements = []
    engine = app.extensions["quiz.engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    auth.login("alice")
    assert client.post(f"/sittings/{exam.sitting.id}/join",
                       data={"keycode": factories.KEYCODE}).status_code == 200  # the bank is kept
    items = factories.make_items(exam.blueprint, per_criterion=3)
    retired = {item.item_id for item in items if item.item_id.endswith("-01")}
    factories.load_bank(session, exam.blueprint,
                        [factories.replace_status(item, "retired") if item.item_id in retired
                         else item for item in items],
                        now=factories.MORNING + timedelta(hours=1))
    session.commit()
    auth.logout()
    auth.login("bob")
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.post(f"/sittings/{exam.sitting.id}/join",
                           data={"keycode": factories.KEYCODE}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    version_reads = [s for s in statements if "sum(item.current_version_id)" in s]
    assert len(version_reads) == 1 and "booking" in version_reads[0]
    assert len([s for s in statements if "item_version.options" in s]) == 1  # read again
    bob = session.scalar(select(Attempt).where(Attempt.candidate_id == exam.bob.id))
    on_paper = session.scalars(select(AttemptQuestion.item_version_id)
                               .where(AttemptQuestion.attempt_id == bob.id)).all()
    assert len(on_paper) == 6
    assert not {version.item.item_id for version in
                session.scalars(select(ItemVersion).where(ItemVersion.id.in_(on_paper)))} & retired


def test_a_start_by_keycode_reads_and_writes_in_one_transaction_on_postgresql_only(
        app, client, auth, session, exam, db_url):
    """PostgreSQL reads each statement afresh and the booking's row is locked before the checks
    are read again, so the reads need no transaction of their own: a COMMIT, a BEGIN and a
    pool checkout fewer. SQLite's reads must end before BEGIN IMMEDIATE takes the write lock."""
    engine = app.extensions["quiz.engine"]
    commits, checkouts = [], []
    count_commit = lambda *args: commits.append(1)  # noqa: E731
    count_checkout = lambda *args: checkouts.append(1)  # noqa: E731
    auth.login("alice")
    event.listen(engine, "commit", count_commit)
    event.listen(engine.pool, "checkout", count_checkout)
    try:
        started = client.post(f"/sittings/{exam.sitting.id}/join",
                              data={"keycode": factories.KEYCODE})
    finally:
        event.remove(engine, "commit", count_commit)
        event.remove(engine.pool, "checkout", count_checkout)
    assert started.status_code == 200
    assert session.scalar(select(Attempt).where(Attempt.candidate_id == exam.alice.id))
    on_postgresql = db_url.startswith("postgresql")
    assert (len(commits), len(checkouts)) == ((1, 1) if on_postgresql else (2, 2))


def test_counting_statements_a_start_reads_the_bank_once_until_it_changes(session, exam):
    statements = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for seed in range(5):
            service.paper_for(session, exam.sitting, factories.MORNING, seed=seed)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    full_reads = [s for s in statements if "item_version.options" in s]
    assert len(full_reads) == 1


@ON_SQLITE
def test_waiting_too_long_for_the_write_lock_is_a_time_out_not_a_race_to_run_again(sqlite_only):
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    from quiz.db import _sqlite_begin, _sqlite_pragmas, is_lost_write_race
    impatient = create_engine("sqlite:///" + sqlite_only, connect_args={"timeout": 0.1})
    event.listen(impatient, "connect", _sqlite_pragmas)
    event.listen(impatient, "begin", _sqlite_begin)
    with WriteLock(sqlite_only), pytest.raises(OperationalError) as refused:
        with impatient.begin() as connection:
            connection.execute(text("UPDATE sitting SET title = title"))
    impatient.dispose()
    assert not is_lost_write_race(refused.value)


class Statements:
    """Record the SQL statements the app's engine runs while in use."""

    def __init__(self, app):
        self.engine = app.extensions["quiz.engine"]
        self.seen = []
        self.text = []  # the statements in full

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self.seen

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, _conn, _cursor, statement, *_args):
        self.seen.append(statement.split(None, 1)[0].upper())
        self.text.append(statement)


def test_a_save_is_one_read_and_two_updates_with_no_separate_user_load(app, client, auth, started):
    auth.login("alice")
    with Statements(app) as seen:
        reply = client.post(f"/api/attempts/{started.id}/answers",
                            json={"position": 1, "choice": 2, "seq": 1})
    assert reply.json["status"] == "saved"
    assert [s for s in seen if s in ("SELECT", "UPDATE", "INSERT", "DELETE")] == [
        "SELECT", "UPDATE", "UPDATE"]


def test_a_status_poll_reads_twice_and_writes_nothing(app, client, auth, started):
    auth.login("alice")
    with Statements(app) as seen:
        reply = client.get(f"/api/attempts/{started.id}/status")
    assert reply.json["state"] == "in_progress"
    assert [s for s in seen if s in ("SELECT", "UPDATE", "INSERT", "DELETE")] == [
        "SELECT", "SELECT"]


def test_a_start_is_one_request_writing_the_attempt_its_paper_and_the_trail_in_one_statement_on_postgresql_and_three_on_sqlite(
        app, client, auth, exam):
    auth.login("alice")
    statements = Statements(app)
    with statements as seen:
        started = client.post(f"/sittings/{exam.sitting.id}/join",
                              data={"keycode": factories.KEYCODE})
    assert started.status_code == 200 and "Question 1 of 6" in started.get_data(as_text=True)
    writes = [s for s in seen if s in ("UPDATE", "INSERT", "DELETE", "WITH")]
    if statements.engine.dialect.name == "postgresql":
        # admitted (the booking); then one statement: the attempt, its questions from unnest()
        # and the audit event (before: the questions were an executemany of thirty)
        assert writes == ["UPDATE", "WITH"]
        together = next(s for s in statements.text if s.startswith("WITH"))
        for table in ("INSERT INTO attempt ", "INSERT INTO attempt_question", "unnest(",
                      "INSERT INTO audit_event"):
            assert table in together
    else:
        # admitted (the booking); the attempt, its questions (one executemany), the audit event
        assert writes == ["UPDATE", "INSERT", "INSERT", "INSERT"]
    # before the lock: the account with its booking, sitting and blueprint, and the bank's
    # version key; the bank itself (read once, then cached); under the lock: one read of the
    # rows every check needs (before: 10, the user loaded on its own and each check reading
    # apart), and the room's messages for the page. The page reads back neither the attempt nor
    # its paper (before: a second request, with three SELECTs of its own).
    reads = [s for s in statements.text if s.startswith("SELECT")]
    assert len(reads) <= 4
    assert not any("password_hash" in s for s in reads)  # no ORM load of the account
    assert not any("FROM attempt_question" in s for s in reads)


def test_the_paper_a_start_writes_is_the_paper_assembled_from_its_seed_in_order_with_its_trail(
        app, client, auth, exam, session):
    auth.login("alice")
    started = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": factories.KEYCODE})
    attempt_id = int(re.search(r'data-attempt="(\d+)"', started.get_data(as_text=True)).group(1))
    session.expire_all()
    attempt = session.get(Attempt, attempt_id)
    paper = service.assemble_paper(session, exam.blueprint, attempt.seed)
    rows = session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
                           .order_by(AttemptQuestion.position)).all()
    assert [(r.position, r.item_version_id, r.outcome, r.criterion, r.option_order)
            for r in rows] == [(n, q.version_id, q.outcome, q.criterion, list(q.option_order))
                               for n, q in enumerate(paper.questions, start=1)]
    assert all(not r.flagged and r.seq == 0 and r.flag_seq == 0 and r.chosen is None
               for r in rows)
    assert attempt.status == "in_progress" and attempt.candidate_id == exam.alice.id
    trail = session.scalars(select(AuditEvent).where(AuditEvent.attempt_id == attempt_id)).all()
    assert [(e.action, e.actor, e.actor_id, e.sitting_id, e.at, e.detail) for e in trail] == [
        ("attempt_started", "alice", exam.alice.id, exam.sitting.id, attempt.started_at,
         {"seed": attempt.seed, "extra_seconds": attempt.extra_seconds})]


def test_the_first_question_page_carries_the_paper_in_three_core_reads_and_no_user_load(
        app, client, auth, exam, started):
    auth.login("alice")
    statements = Statements(app)
    with statements as seen:
        page = client.get(f"/attempts/{started.id}/q/1")
    assert page.status_code == 200 and b'id="paper-data"' in page.data
    # the attempt with the account (the header's name) and the test's name; the paper's rows
    # with their versions; the room's messages (before: 7, the user and the ORM's loads apart)
    assert [s for s in seen if s in ("SELECT", "UPDATE", "INSERT", "DELETE")] == ["SELECT"] * 3
    reads = [s for s in statements.text if s.startswith("SELECT")]
    assert "user_account" in reads[0] and "blueprint" in reads[0]
    assert "item_version" in reads[1]


def test_the_lean_question_page_shows_the_candidate_their_name_and_display_settings(
        client, auth, exam, started, session):
    exam.alice.large_text = exam.alice.high_contrast = True
    session.commit()
    auth.login("alice")
    page = client.get(f"/attempts/{started.id}/q/2").get_data(as_text=True)
    assert '<body class="large-text high-contrast">' in page
    assert "Alice (Candidate)" in page and "Question 2 of 6" in page
    assert f"{exam.blueprint.code} {exam.blueprint.title}" in page
    # the general path's pages say the same
    review = client.get(f"/attempts/{started.id}/review").get_data(as_text=True)
    assert '<body class="large-text high-contrast">' in review and "Alice (Candidate)" in review


def test_the_paper_endpoint_reads_the_questions_once(app, client, auth, started):
    auth.login("alice")
    with Statements(app) as seen:
        paper = client.get(f"/api/attempts/{started.id}/paper")
    assert paper.json["status"]["questions"] == 6
    # user, attempt, its questions, their versions, the room's messages
    assert [s for s in seen if s in ("SELECT", "UPDATE", "INSERT", "DELETE")] == ["SELECT"] * 5


def test_a_stream_connects_with_core_reads_and_no_user_load(app, client, auth, started):
    auth.login("alice")
    statements = Statements(app)
    with statements:
        response = client.get(f"/api/attempts/{started.id}/events")
        first = b""
        for chunk in response.response:
            first += chunk
            if b"event: status" in first:
                break
        response.close()
    assert b'"state":"in_progress"' in first
    # the connect: attempt with account; the first status: attempt with counts, messages (and
    # not counted: the process's watcher reading where the audit trail ends, once)
    stream = [s for s in statements.text if "audit_event" not in s
              and s.split(None, 1)[0].upper() in ("SELECT", "UPDATE", "INSERT", "DELETE")]
    assert len(stream) == 3 and "user_account" in stream[0]
    assert all(s.startswith("SELECT") for s in stream)


def test_the_one_statement_start_on_postgresql_writes_every_column_attempt_values_gives():
    # A column added to attempt_values but not to the statement would be dropped silently there.
    sitting = SimpleNamespace(id=1, duration_seconds=None)
    blueprint = SimpleNamespace(duration_seconds=2700, pass_mark_percent=70.0)
    candidate = SimpleNamespace(id=2, extra_time_percent=25, rest_break_minutes=10)
    paper = SimpleNamespace(seed=7, blueprint="2794-03/315")
    values = service.attempt_values(sitting, blueprint, candidate, factories.MORNING, paper)
    assert set(service._ATTEMPT_COLUMNS) == set(values)
