"""PostgreSQL's pooled connections: pinged at checkout only after idling and replaced if dead."""
from time import monotonic

import pytest
from sqlalchemy import create_engine, text

from quiz.db import ping_when_idle


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

