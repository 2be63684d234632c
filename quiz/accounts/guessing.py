"""Wrong guesses counted in the database (app servers are stateless), under throttle.py's rules.

Each kind of guess ("password", "keycode") is counted per source address (kind + "-source")
and, where there is an account to protect, per account and source. A counter is read without
a lock before the guess is checked (checking a password is slow, and a hall's sign-ins must not
queue behind each other) and locked only to count a failure, just before the caller commits.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quiz.accounts.models import Throttle
from quiz.accounts.throttle import GuessRecord, Source, SourceBucket

_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def source_wait(session: Session, kind: str, source: Source, now: datetime) -> timedelta:
    """Return how long the source must wait before guessing this kind again."""
    row = _find(session, f"{kind}-source", source.address)
    return timedelta(0) if row is None else _bucket(row, source).wait(now)


def target_wait(session: Session, kind: str, target: str, now: datetime) -> timedelta:
    """Return how long guesses at one target (an account from one source) must wait."""
    row = _find(session, kind, target)
    return timedelta(0) if row is None else _record(row).wait(now)


def count_failure(session: Session, kind: str, source: Source, now: datetime,
                  target: str | None = None) -> None:
    """Count a wrong guess against the source, and against the target if there is one."""
    row = _locked(session, f"{kind}-source", source.address)
    bucket = _bucket(row, source).after_failure(now)
    wait = bucket.wait(now)
    row.failures, row.last_failure_at = bucket.level, bucket.since
    row.blocked_until = now + wait if wait else None
    if target is not None:
        row = _locked(session, kind, target)
        record = _record(row).after_failure(now)
        row.failures, row.last_failure_at = record.failures, record.last_failure_at
        row.blocked_until = record.blocked_until


def forget(session: Session, kind: str, target: str) -> None:
    """Drop a target's count after a right guess: the slate is clean and the row not needed."""
    session.execute(delete(Throttle).where(Throttle.kind == kind, Throttle.target == target))


def _find(session: Session, kind: str, target: str) -> Throttle | None:
    return session.scalar(select(Throttle).where(Throttle.kind == kind, Throttle.target == target))


def _locked(session: Session, kind: str, target: str) -> Throttle:
    """Return the counter row, made if missing, locked until commit (two first failures at
    once must not both insert it)."""
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(insert(Throttle).values(kind=kind, target=target, failures=0)
                    .on_conflict_do_nothing(index_elements=["kind", "target"]))
    return session.scalars(
        select(Throttle).where(Throttle.kind == kind, Throttle.target == target)
        .with_for_update().execution_options(populate_existing=True)).one()


def _bucket(row: Throttle, source: Source) -> SourceBucket:
    return SourceBucket(row.failures, row.last_failure_at, source.burst, source.interval)


def _record(row: Throttle) -> GuessRecord:
    return GuessRecord(row.failures, row.last_failure_at, row.blocked_until)
