"""Browser tests: the real app served on 127.0.0.1, driven in a real Chromium by Playwright."""
from __future__ import annotations

import os
from datetime import timedelta
import shutil
import socket
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from quiz import create_app
from quiz.db import make_engine, make_session_factory, utcnow
from quiz.itembank.bankfile import read_banks
from quiz.itembank.service import load_banks
from quiz.migrate import upgrade
from quiz.delivery.models import Sitting
from quiz.simulate import simulate
from tests.conftest import _empty_all_tables
from tests import factories

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Serve the app (with its scheduler finalising every second) on a free local port."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("e2e") / "quiz.sqlite3")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app({"QUIZ_DATABASE_URL": url, "SECRET_KEY": "e2e", "QUIZ_SCHEDULER": True,
                      "QUIZ_FINALISE_EVERY_SECONDS": 1, "QUIZ_STATUS_POLL_SECONDS": 2,
                      "QUIZ_ANSWER_GRACE_SECONDS": 1})
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{port}", db_url=url)
    httpd.shutdown()
    app.extensions["quiz.scheduler"].shutdown(wait=False)
    app.extensions["quiz.engine"].dispose()


@pytest.fixture
def db(server):
    """Yield an autocommit session on the server's database; empty every table afterwards."""
    engine = make_engine(server.db_url, autocommit=True)
    session = make_session_factory(engine)()
    yield session
    session.close()
    _empty_all_tables(engine)
    engine.dispose()


@pytest.fixture
def world(db):
    """The real 2794-03/315 bank, a centre, two candidates and an open sitting."""
    banks = read_banks(REPO / "item_banks")
    assert banks.ok, banks.problems
    load_banks(db, banks, utcnow())
    centre = factories.make_centre(db)
    alice = factories.make_user(db, "alice", centre=centre, candidate_number="2001")
    bob = factories.make_user(db, "bob", centre=centre, candidate_number="2002")
    now = utcnow()
    sitting = factories.make_sitting(db, "2794-03/315", centre, [alice, bob],
                                     # hours back, not today's midnight: tests simulate
                                     # attempts started up to 3 h ago, which fell before a
                                     # midnight window when the suite ran between 00:00 and
                                     # 03:00 UTC
                                     starts_at=now - timedelta(hours=6),
                                     ends_at=now + timedelta(hours=8))
    db.commit()
    return SimpleNamespace(centre=centre, alice=alice, bob=bob, sitting=sitting)


def _executable() -> str | None:
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return None  # fall back to Playwright's own Chromium on a developer's laptop


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_executable(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, server):
    """Open browser contexts (separate cookie jars) and close them all afterwards."""
    contexts = []

    def make(**options):
        """Open a context; options such as locale or timezone_id go to Playwright."""
        context = browser.new_context(base_url=server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        try:
            context.close()
        except Exception:
            pass


def sign_in(page, username: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def simulate_past(server):
    """Return simulate(sitting, candidates, seed, start) that writes the simulated past in one
    transaction of its own, as `quiz simulate` does.

    The `db` session commits every statement, so the server's finalising sweep (every second)
    could otherwise find a simulated attempt, started hours ago and due, before its paper was
    written, and finish it on a partial paper.
    """
    def run(sitting, candidates: int, seed: int, start):
        engine = make_engine(server.db_url)
        try:
            with make_session_factory(engine)() as session:
                attempt_ids = simulate(session, session.get(Sitting, sitting.id), candidates,
                                       seed=seed, start=start)
                session.commit()
        finally:
            engine.dispose()
        return attempt_ids
    return run
