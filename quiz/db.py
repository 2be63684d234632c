"""Database wiring: the declarative base, UTC timestamps, and engines made per app, never at import."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every table; constraint names are fixed so migrations can name them."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Store timestamps as naive UTC and hand them back timezone-aware, on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: pass an aware UTC time")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """Return the real time now, in UTC: only the edges of the system should call this."""
    return datetime.now(timezone.utc)


def make_engine(url: str, autocommit: bool = False) -> Engine:
    """Create an engine for a database URL, tuned for the web app's many short transactions.

    autocommit=True makes every statement its own transaction (for tools and tests that only
    inspect the database and must never hold a lock).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        if not autocommit:
            # pysqlite starts transactions lazily, so two requests that read and then write can
            # deadlock on the upgrade to a write lock; taking the lock at BEGIN avoids that.
            # Read-only work (long exports, analysis) begins deferred instead: under WAL it reads
            # a snapshot and never holds up a candidate's answer being saved.
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine


READ_ONLY = "quiz_read_only"


def read_only(engine: Engine) -> Engine:
    """Return the engine for work that only reads: on SQLite it takes no write lock."""
    return engine.execution_options(**{READ_ONLY: True})


def _sqlite_begin(conn) -> None:
    read = conn.get_execution_options().get(READ_ONLY)
    conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Turn on foreign keys and write-ahead logging for every SQLite connection."""
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (or run autocommit)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to the engine."""
    return sessionmaker(bind=engine, expire_on_commit=False)
