"""Fixtures: the database on both backends, an app per test, a client, and a signed-in helper."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import text

from quiz import create_app
from quiz.db import make_engine, make_session_factory
from quiz.delivery import presence
from quiz.migrate import upgrade
from quiz.models import metadata
from tests import factories
from tests.pg import ThrowawayPostgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgresql_url():
    """Yield a URL of a real PostgreSQL server: given, or started for this test session."""
    given = os.environ.get("QUIZ_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server = ThrowawayPostgres()
    if not server.available:
        if os.environ.get("QUIZ_REQUIRE_POSTGRES") == "1":
            pytest.fail("QUIZ_REQUIRE_POSTGRES=1 but no PostgreSQL binaries were found")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql), so the "
                    "PostgreSQL run of this test is skipped")
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "quiz.sqlite3")


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request):
    """Yield each backend's URL in turn, with the schema built by the migrations."""
    url = request.getfixturevalue(f"{request.param}_url")
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def _empty_all_tables(engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            connection.execute(text("UPDATE item SET current_version_id = NULL"))  # a cycle
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())


class Clock:
    """The app's clock in tests: it stands still until a test moves it."""

    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at

    def advance(self, **delta):
        self.at += timedelta(**delta)

    def set(self, at):
        self.at = at


@pytest.fixture
def clock():
    return Clock(factories.MORNING)


@pytest.fixture
def app(db_url, clock):
    """Yield an app on the backend under test; every table is emptied afterwards."""
    app = create_app({"TESTING": True, "QUIZ_DATABASE_URL": db_url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test", "QUIZ_SCHEDULER": False,
                      "QUIZ_ANSWER_GRACE_SECONDS": 2, "QUIZ_CLOCK": clock})
    yield app
    engine = app.extensions["quiz.engine"]
    presence.flush(engine)  # no last-heard time noted here may land in the next test's rows
    _empty_all_tables(engine)
    engine.dispose()


@pytest.fixture
def session(app, db_url):
    """Yield a session for arranging data and checking what the app stored.

    It runs in autocommit mode, so it never holds a lock the app's requests would wait for;
    call expire_all() before reading what a request changed.
    """
    engine = make_engine(db_url, autocommit=True)
    session = make_session_factory(engine)()
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Auth:
    """Sign in and out through the real sign-in form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = factories.PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)
