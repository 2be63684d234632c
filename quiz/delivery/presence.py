"""When each candidate's browser was last heard from, written in batches rather than per request.

A question page view or a status poll only notes the time in this process's memory
(`note_heard`); a flusher writes everything noted since its last run in one UPDATE statement
(executemany), every `QUIZ_PRESENCE_FLUSH_SECONDS`. So polls open no write transaction, and
10,000 candidates polling cost one write every few seconds instead of thousands.

The flusher is a daemon thread started on first use in each process, never at import: gunicorn
forks its workers after the app is made, and a thread does not survive a fork, so each worker
starts its own (the pid says when this process is not the one that started it). Notes are kept
per engine, so two apps in one process (tests, the browser tests' server) never mix databases.
An older note never overwrites a newer time, such as one a save wrote directly.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import bindparam, or_, update
from sqlalchemy.engine import Engine

from quiz.db import UTCDateTime
from quiz.delivery.models import Attempt

log = logging.getLogger(__name__)

DEFAULT_FLUSH_SECONDS = 5.0

_attempts = Attempt.__table__
# One statement for a whole flush: each row moves forward only, never back.
_STATEMENT = (
    update(_attempts)
    .where(_attempts.c.id == bindparam("attempt_id"),
           or_(_attempts.c.last_seen_at.is_(None),
               _attempts.c.last_seen_at < bindparam("heard_at", type_=UTCDateTime())))
    .values(last_seen_at=bindparam("heard_at", type_=UTCDateTime())))


class _Process:
    """This process's notes and its flusher; replaced wholesale in a forked child."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()  # guards `pending`
        self.flushing = threading.Lock()  # one flush at a time, so a flush(engine) waits for it
        self.pending: dict[Engine, dict[int, datetime]] = {}
        self.every = DEFAULT_FLUSH_SECONDS
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None


_state: _Process | None = None
_state_lock = threading.Lock()


def _this_process() -> _Process:
    """Return this process's state, made afresh after a fork (notes belong to the parent)."""
    global _state
    state = _state
    if state is not None and state.pid == os.getpid():
        return state
    with _state_lock:
        if _state is None or _state.pid != os.getpid():
            if _state is None:
                atexit.register(_flush_everything)  # inherited by forked children, then per pid
            _state = _Process()
        return _state


def note_heard(attempt_id: int, now: datetime, engine: Engine | None = None) -> None:
    """Remember that the attempt's browser was in touch at now; no database work.

    The engine (the database to write to) defaults to the current app's.
    """
    if engine is None:
        engine = current_app.extensions["quiz.engine"]
    state = _this_process()
    with state.lock:
        noted = state.pending.setdefault(engine, {})
        if attempt_id not in noted or noted[attempt_id] < now:
            noted[attempt_id] = now
    if has_app_context():
        every = float(current_app.config.get("QUIZ_PRESENCE_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS))
        if every != state.every:
            state.every = every
            state.wake.set()  # the flusher sleeps the new interval from now
    _start_flusher(state)


def flush(engine: Engine) -> int:
    """Write every time noted for this engine's database in one statement; return how many rows."""
    state = _this_process()
    with state.flushing:
        with state.lock:
            noted = state.pending.pop(engine, {})
        if not noted:
            return 0
        rows = [{"attempt_id": attempt_id, "heard_at": at} for attempt_id, at in noted.items()]
        try:
            with engine.begin() as connection:
                connection.execute(_STATEMENT, rows)
        except Exception:
            with state.lock:  # keep the notes for the next flush; a newer note wins
                again = state.pending.setdefault(engine, {})
                for attempt_id, at in noted.items():
                    if attempt_id not in again or again[attempt_id] < at:
                        again[attempt_id] = at
            raise
        return len(rows)


def pending(engine: Engine) -> dict[int, datetime]:
    """Return the times noted for this engine and not yet written (a copy)."""
    state = _this_process()
    with state.lock:
        return dict(state.pending.get(engine, {}))


def flusher_running() -> bool:
    """Return whether this process's flusher thread is running."""
    state = _state
    return (state is not None and state.pid == os.getpid() and state.thread is not None
            and state.thread.is_alive())


def _start_flusher(state: _Process) -> None:
    """Start this process's flusher thread unless it is running."""
    if state.thread is not None and state.thread.is_alive():
        return
    with _state_lock:
        if state.thread is None or not state.thread.is_alive():
            state.thread = threading.Thread(target=_run, args=(state,), daemon=True,
                                            name=f"quiz-presence-{state.pid}")
            state.thread.start()


def _run(state: _Process) -> None:
    """Flush every engine's notes at the configured interval, for as long as the process lives."""
    while True:
        state.wake.wait(state.every)
        state.wake.clear()
        _flush_everything(state)


def _flush_everything(state: _Process | None = None) -> None:
    """Flush every engine with notes, logging (not raising) a failure so the flusher carries on."""
    state = state or _state
    if state is None or state.pid != os.getpid():
        return
    with state.lock:
        engines = list(state.pending)
    for engine in engines:
        try:
            flush(engine)
        except Exception:
            log.exception("could not write last-heard times; they are kept for the next flush")
