"""Database wiring: the declarative base, UTC timestamps, and engines made per app, never at import."""
from __future__ import annotations

from time import monotonic
from datetime import datetime, timezone

from sqlalchemy import DateTime, Float, MetaData, create_engine, event, exc, literal, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
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


class seconds_between(FunctionElement):
    """SQL for the seconds from one timestamp to another (later minus earlier), on both backends."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element, compiler, **kw):
    earlier, later = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element, compiler, **kw):
    earlier, later = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


def at(moment: datetime):
    """Return a bound timestamp for SQL expressions such as seconds_between."""
    return literal(moment, UTCDateTime())


def make_engine(url: str, autocommit: bool = False, pool_timeout: float = 30) -> Engine:
    """Create an engine for a database URL, tuned for the web app's many short transactions.

    autocommit=True makes every statement its own transaction (for tools and tests that only
    inspect the database and must never hold a lock). pool_timeout: how long a request waits
    for a free pooled connection before sqlalchemy.exc.TimeoutError (the app answers 503).
    """
    if url.startswith("sqlite"):
        # An in-memory database has one connection per thread and no pool to wait for.
        in_memory = make_url(url).database in (None, "", ":memory:")
        pooled = {} if in_memory else {"pool_timeout": pool_timeout}
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               **pooled)
        event.listen(engine, "connect", _sqlite_pragmas)
        if not autocommit:
            # Tools and jobs take the write lock at BEGIN, so a read-then-write can never lose
            # the upgrade to a write lock. Web requests (deferred) and read-only work begin
            # deferred: under WAL they read a snapshot without holding up anyone's write, and a
            # request that writes takes the lock only for its writing unit of work (begin_write).
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_timeout=pool_timeout)
    ping_when_idle(engine)
    return engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine


# A pooled connection back within this many seconds is handed out again without a ping.
IDLE_BEFORE_PING = 5.0


def ping_when_idle(engine: Engine, idle_seconds: float | None = None) -> None:
    """Ping a pooled connection at checkout only if it has been idle for a while.

    pool_pre_ping pings at every checkout: on exam day a round trip (and a turn of gevent's
    loop) in every request, for connections used milliseconds before. A connection idle past
    the limit is pinged; a dead one (the server restarted, a firewall dropped it) is replaced
    before the request sees it. One that dies within the limit fails its request, and the
    error invalidates the pool, so the requests after it connect afresh.
    """
    limit = IDLE_BEFORE_PING if idle_seconds is None else idle_seconds

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record):
        record.info["returned_at"] = monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        if record is not None:
            record.info["returned_at"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is not None and monotonic() - returned < limit:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error  # the pool connects afresh
            raise


READ_ONLY = "quiz_read_only"
DEFERRED = "quiz_deferred"
WRITE = "quiz_write"


def read_only(engine: Engine) -> Engine:
    """Return the engine for work that only reads: on SQLite it takes no write lock."""
    return engine.execution_options(**{READ_ONLY: True})


def deferred(engine: Engine) -> Engine:
    """Return the engine for web requests: on SQLite a transaction takes the write lock only
    when it first writes (or from its start, after begin_write), never for its reads."""
    return engine.execution_options(**{DEFERRED: True})


def begin_write(session: Session, reads_may_share: bool = False) -> None:
    """End the session's reads and begin a transaction that may write, holding the write lock.

    On SQLite, a deferred transaction that has read and then writes fails at once if another
    write was committed in between (its snapshot is stale), so a use case that will write says
    so first: its transaction then begins with BEGIN IMMEDIATE, waiting its turn for the lock,
    and holds it only for the use case's own statements up to its commit. On PostgreSQL this
    only ends the read transaction; row locks (FOR UPDATE) do the rest.

    reads_may_share: the caller wrote nothing before and locks what it must re-read, so on
    PostgreSQL its reads and writes may share one transaction (READ COMMITTED: each statement
    reads what is committed when it runs, as in a transaction of its own; a server whose default
    is stricter gets the commit). That saves a COMMIT, a BEGIN and a pool checkout with its
    ping: the keycode's Start, where every round trip counts.
    """
    if reads_may_share and session.in_transaction():
        connection = session.connection()
        if connection.dialect.name == "postgresql" \
                and connection.default_isolation_level == "READ COMMITTED":
            return
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE: True})


def end_read(session: Session) -> None:
    """End a transaction that only read, with COMMIT rather than ROLLBACK.

    The same to the database, but psycopg drops every statement it has prepared on the
    connection when it sees a ROLLBACK (and sends DEALLOCATE ALL), so where each request's read
    ended that way, no statement was ever run often enough on one connection to be prepared,
    and PostgreSQL planned every statement of every request afresh. A caller must have written
    nothing."""
    session.commit()


def is_lost_write_race(error: BaseException) -> bool:
    """Return whether an error is SQLite refusing a deferred transaction's first write.

    SQLITE_BUSY (two readers upgrading at once) and SQLITE_BUSY_SNAPSHOT (another write
    committed since this transaction's reads): the whole unit of work must run again."""
    original = getattr(error, "orig", None)
    code = getattr(original, "sqlite_errorcode", None)
    # Waiting too long for BEGIN IMMEDIATE is a real time-out, not a race to run again.
    waited = (getattr(error, "statement", None) or "").startswith("BEGIN IMMEDIATE")
    return code is not None and code & 0xFF == 5 and not waited


def _sqlite_begin(conn) -> None:
    options = conn.get_execution_options()
    if options.get(READ_ONLY) or (options.get(DEFERRED) and not options.get(WRITE)):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


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
