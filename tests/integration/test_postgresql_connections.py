"""PostgreSQL's pooled connections: pinged at checkout only after idling, replaced if dead, and
their prepared statements kept across requests that only read, and across the save's direct
transactions (quiz.direct)."""
from time import monotonic

import pytest
from sqlalchemy import bindparam, create_engine, func, select, text
from sqlalchemy.orm import Session

from quiz.db import end_read, ping_when_idle
from quiz.direct import DirectConnection

ONE = select(func.count().label("n")).where(bindparam("n", 0) >= 0)


@pytest.fixture
def pings(postgresql_url):
    """An engine whose pool pings connections idle for a second or more, counting its pings."""
    engine = create_engine(postgresql_url, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds=1.0)
    counted = []
    real_ping = engine.dialect.do_ping

    def counting_ping(dbapi_connection):
        counted.append(dbapi_connection)
        return real_ping(dbapi_connection)

    engine.dialect.do_ping = counting_ping
    yield engine, counted
    engine.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def test_a_connection_back_in_the_pool_a_moment_ago_is_handed_out_without_a_ping(pings):
    engine, counted = pings
    first = backend_pid(engine)
    assert backend_pid(engine) == first  # the same pooled connection again
    assert counted == []


def test_a_connection_idle_past_the_limit_is_pinged_before_it_is_handed_out(pings, monkeypatch):
    engine, counted = pings
    first = backend_pid(engine)
    later = monotonic() + 2
    monkeypatch.setattr("quiz.db.monotonic", lambda: later)
    assert backend_pid(engine) == first
    assert len(counted) == 1


def test_a_dead_idle_connection_is_replaced_before_the_request_sees_it(
        pings, postgresql_url, monkeypatch):
    engine, counted = pings
    first = backend_pid(engine)
    killer = create_engine(postgresql_url)
    with killer.connect() as connection:  # as a server restart would
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    killer.dispose()
    later = monotonic() + 2
    monkeypatch.setattr("quiz.db.monotonic", lambda: later)
    second = backend_pid(engine)  # no error: the ping found it dead and the pool connected anew
    assert second != first and len(counted) == 1


def prepared_after_six_reads(postgresql_url, end) -> int:
    """Run one SELECT six times on one pooled connection, ending each read with `end`; return
    how many statements the server then holds prepared for that connection."""
    engine = create_engine(postgresql_url, pool_size=1, max_overflow=0)
    try:
        with Session(engine) as session:
            for _ in range(6):  # psycopg prepares a statement on its fifth run
                session.execute(text("SELECT count(*) FROM pg_class WHERE relpages >= :n"),
                                {"n": 0}).scalar()
                end(session)
            return session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    finally:
        engine.dispose()


def test_reads_ended_with_end_read_keep_their_prepared_statements(postgresql_url):
    assert prepared_after_six_reads(postgresql_url, end_read) >= 1


def test_reads_ended_with_a_rollback_lose_them_which_is_why_end_read_commits(postgresql_url):
    assert prepared_after_six_reads(postgresql_url, Session.rollback) == 0


def test_a_direct_connection_the_server_dropped_is_replaced_after_its_error(postgresql_url):
    engine = create_engine(postgresql_url, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(engine)
        killer = create_engine(postgresql_url)
        with killer.connect() as connection:  # as a server restart would, mid-request
            assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        killer.dispose()
        with pytest.raises(engine.dialect.loaded_dbapi.Error):
            with DirectConnection(engine) as direct:
                direct.execute(ONE, {})
        assert backend_pid(engine) != first  # the pool dropped it and connected anew
    finally:
        engine.dispose()


def test_direct_transactions_keep_their_prepared_statements(postgresql_url):
    engine = create_engine(postgresql_url, pool_size=1, max_overflow=0)
    try:
        for _ in range(6):  # psycopg prepares a statement on its fifth run
            with DirectConnection(engine) as direct:
                direct.execute(ONE, {"n": 0})
                direct.commit()
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM pg_prepared_statements")) >= 1
    finally:
        engine.dispose()
