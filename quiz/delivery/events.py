"""Server push for the candidate's page: a server-sent event stream per attempt.

Every change a candidate must see (pause, resume, extra time, a break, a message, void, close,
submit) already appends an audit event in the same transaction. So one watcher per app process
reads new rows of `audit_event` every `QUIZ_EVENTS_POLL_SECONDS` and wakes the streams of the
attempts and sittings they name (an event with no attempt concerns the whole sitting). A stream
holds no database connection while it waits: it borrows one only to read the status it sends.

The watcher is a thread started on first use in a process, never at import, and again in a
child process after a fork (gunicorn forks its workers). Under gunicorn's gevent workers the
threading primitives are gevent's, so thousands of idle streams cost a greenlet each.
"""
from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterator

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine

from quiz.audit import AuditEvent
from quiz.db import utcnow
from quiz.delivery import fastpath, presence, present, service
from quiz.errors import NotFound

log = logging.getLogger(__name__)

# A gap in the ids seen (a transaction that took an id but had not committed when we read) is
# looked for again this long, then given up as rolled back.
GAP_PATIENCE_SECONDS = 30.0
# Events about a whole sitting (no attempt) that change what its candidates see. Others, such as
# a refused keycode, a roster upload or a results download, must not wake every stream in the room:
# in the start minute wrong keycodes arrive all the time.
ROOM_NEWS = frozenset({"room_paused", "room_resumed", "sitting_closed", "message_sent",
                       "results_released"})

# The watcher stops when no stream has listened for this long (a stream that ends reconnects
# within a second, so a room never lets it stop); the next stream starts it again.
IDLE_STOP_SECONDS = 3.0
BATCH = 2000

# How soon a browser reconnects once a stream ends (`retry:`), spread so that a hall whose
# streams all dropped at once (a restart) does not come back in the same second.
RETRY_MS = (1000, 4000)
# A stream lasts between this share of QUIZ_EVENTS_STREAM_SECONDS and all of it, so a hall that
# connected together reconnects spread over minutes rather than all at once.
SHORTEST_SHARE = 0.6


def retry_ms() -> int:
    """Return how many milliseconds a browser should wait before it reconnects."""
    return random.randint(*RETRY_MS)


@dataclass(frozen=True)
class Topic:
    """What a stream listens to: its attempt, and the sitting the attempt belongs to."""

    attempt_id: int
    sitting_id: int


@dataclass(eq=False)
class Subscription:
    """One waiting stream: the watcher sets its event when something it listens to changes."""

    topic: Topic
    woken: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float) -> bool:
        """Wait until woken or the timeout passes; return whether woken (and rearm)."""
        woken = self.woken.wait(timeout)
        self.woken.clear()
        return woken


class Watcher:
    """Read new audit events and wake the streams they concern."""

    def __init__(self, engine: Engine, poll_seconds: float):
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._by_attempt: dict[int, set[Subscription]] = {}
        self._by_sitting: dict[int, set[Subscription]] = {}
        self._thread: threading.Thread | None = None
        self._last_id = 0
        self._gaps: dict[int, float] = {}  # id not yet seen -> when first missed
        self._idle_since: float | None = None

    # --- streams ---------------------------------------------------------------------------

    def subscribe(self, topic: Topic) -> Subscription:
        """Register a stream; any change committed after this returns will wake it."""
        subscription = Subscription(topic)
        with self._lock:
            self._by_attempt.setdefault(topic.attempt_id, set()).add(subscription)
            self._by_sitting.setdefault(topic.sitting_id, set()).add(subscription)
            self._idle_since = None
            if self._thread is None:  # set and cleared under the lock, so never a dying thread
                # Read where the trail ends now, before the stream reads its first status, so
                # a change committed in between is not missed.
                self._last_id = self._max_id()
                self._gaps.clear()
                self._thread = threading.Thread(target=self._run, name="quiz-events-watcher",
                                                daemon=True)
                self._thread.start()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a stream that has ended."""
        topic = subscription.topic
        with self._lock:
            for index, key in ((self._by_attempt, topic.attempt_id),
                               (self._by_sitting, topic.sitting_id)):
                listeners = index.get(key)
                if listeners is not None:
                    listeners.discard(subscription)
                    if not listeners:
                        del index[key]
            if not self._by_attempt:
                self._idle_since = time.monotonic()

    def stop(self) -> None:
        """Forget every stream, so the watching thread ends at its next wake without reading."""
        with self._lock:
            self._by_attempt.clear()
            self._by_sitting.clear()
            self._idle_since = float("-inf")

    @property
    def listening(self) -> int:
        """Return how many streams are waiting."""
        with self._lock:
            return sum(len(s) for s in self._by_attempt.values())

    # --- the watching thread -------------------------------------------------------------------

    def _max_id(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))

    def _run(self) -> None:
        failing = False
        while True:
            time.sleep(self.poll_seconds)
            with self._lock:
                if self._idle_since is not None and \
                        time.monotonic() - self._idle_since > IDLE_STOP_SECONDS:
                    self._thread = None
                    return
            try:
                self.check()
                failing = False
            except Exception as err:  # a database hiccup must not stop the watcher
                if not failing:
                    log.warning("reading new audit events failed (%s); trying again", err)
                failing = True

    def check(self) -> int:
        """Read audit events newer than the last seen, wake their streams; return how many."""
        now = time.monotonic()
        self._gaps = {i: at for i, at in self._gaps.items() if now - at < GAP_PATIENCE_SECONDS}
        query = select(AuditEvent.id, AuditEvent.sitting_id, AuditEvent.attempt_id,
                       AuditEvent.action)
        condition = AuditEvent.id > self._last_id
        if self._gaps:
            condition = or_(condition, AuditEvent.id.in_(list(self._gaps)))
        with self.engine.connect() as connection:  # returned to the pool before anyone is woken
            top = connection.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
            if top < self._last_id:
                # The trail was emptied (only ever in tests): start again from its beginning.
                self._last_id = 0
                self._gaps.clear()
                condition = AuditEvent.id > 0
            rows = connection.execute(query.where(condition).order_by(AuditEvent.id)
                                      .limit(BATCH)).all()
        if not rows:
            return 0
        seen = {row.id for row in rows}
        for row in rows:
            self._gaps.pop(row.id, None)
        top = max(seen)
        for missing in range(self._last_id + 1, top):
            if missing not in seen and len(self._gaps) < 10_000:
                self._gaps.setdefault(missing, now)
        self._last_id = max(self._last_id, top)
        self._wake(rows)
        return len(rows)

    def _wake(self, rows) -> None:
        to_wake: set[Subscription] = set()
        with self._lock:
            for row in rows:
                if row.attempt_id is not None:
                    to_wake |= self._by_attempt.get(row.attempt_id, set())
                elif row.sitting_id is not None and row.action in ROOM_NEWS:
                    to_wake |= self._by_sitting.get(row.sitting_id, set())
        for subscription in to_wake:
            subscription.woken.set()


_watchers_lock = threading.Lock()


def watcher_for(app) -> Watcher:
    """Return this process's watcher for the app, made on first use (and anew after a fork)."""
    with _watchers_lock:
        watcher = app.extensions.get("quiz.events")
        if watcher is None or watcher.pid != os.getpid():
            watcher = Watcher(app.extensions["quiz.engine"],
                              float(app.config["QUIZ_EVENTS_POLL_SECONDS"]))
            app.extensions["quiz.events"] = watcher
        return watcher


# --- the stream ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StatusReader:
    """Read one attempt's status for its stream, each time in a session of its own."""

    topic: Topic
    candidate_id: int
    result_url: str
    sessions: Callable  # sessionmaker for writing
    read_sessions: Callable  # sessionmaker that takes no write lock on SQLite
    engine: Engine
    clock: Callable[[], datetime]
    grace: timedelta

    @classmethod
    def for_app(cls, app, attempt_id: int, sitting_id: int, candidate_id: int,
                result_url: str) -> StatusReader:
        """Return a reader wired to the app's database and clock."""
        return cls(Topic(attempt_id, sitting_id), candidate_id, result_url,
                   app.extensions["quiz.sessions"], app.extensions["quiz.read_sessions"],
                   app.extensions["quiz.engine"], app.config.get("QUIZ_CLOCK") or utcnow,
                   timedelta(seconds=app.config["QUIZ_ANSWER_GRACE_SECONDS"]))

    def read(self) -> dict:
        """Return the status payload; submit the attempt first if its time has run out.

        The ordinary read is fastpath's: two small Core SELECTs on a connection of its own (no
        ORM, no write lock); only an attempt whose time ran out goes the general way.
        """
        moment = self.clock()
        with self.read_sessions() as session:
            connection = session.connection()
            found = fastpath.read_status(connection, self.topic.attempt_id, self.candidate_id)
            if found is None:
                raise NotFound("There is no such attempt for your account.")
            due = found.attempt.is_due(moment, self.grace)
            if not due:
                payload = fastpath.status_payload(connection, found, moment)
        if due:  # no job has submitted it yet: do it now, as the status poll would
            with self.sessions() as session:
                attempt = service.attempt_by_id(session, self.topic.attempt_id, self.candidate_id)
                service.finalise_if_due(session, attempt, moment, self.grace)
                payload = present.status_payload(session, attempt, moment)
                session.commit()
        if payload["state"] not in ("submitted", "voided"):
            self.heard(moment)
        payload["result_url"] = self.result_url
        return payload

    def heard(self, moment: datetime | None = None) -> None:
        """Note the candidate's browser as in touch (written in a batch, not now)."""
        presence.note_heard(self.topic.attempt_id, moment or self.clock(), engine=self.engine)


def format_event(name: str, data: dict, event_id: str | None = None) -> str:
    """Return one server-sent event."""
    lines = [f"event: {name}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


def changes_in(status: dict) -> float | None:
    """Return in how many seconds the status will change with no action (and no audit event).

    A rest break ends by itself when the allowance is used up; the stream sends the status then.
    """
    rest = status.get("break")
    if status.get("state") == "on_break" and rest:
        return max(0.0, float(rest.get("left_seconds") or 0)) + 0.2
    return None


def stream(watcher: Watcher, topic: Topic, read_status: Callable[[], dict], *,
           heartbeat_seconds: float, lasts_seconds: float, retry_ms: int,
           heard: Callable[[], None] = lambda: None) -> Iterator[str]:
    """Yield the status at once and whenever it changes, with heartbeats, until time is up.

    read_status opens and closes its own session; nothing is held while waiting. The stream
    ends after about lasts_seconds (spread a little, so a room does not reconnect at once) or
    when the attempt has finished; `retry:` tells the browser how soon to reconnect.
    """
    subscription = watcher.subscribe(topic)
    try:
        ends = time.monotonic() + lasts_seconds * random.uniform(SHORTEST_SHARE, 1.0)
        yield f"retry: {retry_ms}\n\n"
        while True:
            status = read_status()
            yield format_event("status", status)
            if status.get("state") in ("submitted", "voided"):
                return
            changes_by_itself = changes_in(status)
            if changes_by_itself is not None:
                changes_by_itself += time.monotonic()
            while True:
                now = time.monotonic()
                left = ends - now
                if left <= 0:
                    return
                if changes_by_itself is not None and now >= changes_by_itself:
                    break  # e.g. a rest break's allowance ran out: no one acted, yet it changed
                timeout = min(heartbeat_seconds, left)
                if changes_by_itself is not None:
                    timeout = min(timeout, changes_by_itself - now)
                if subscription.wait(timeout):
                    break
                if changes_by_itself is not None and time.monotonic() >= changes_by_itself:
                    break
                heard()
                yield ": still here\n\n"
    finally:
        watcher.unsubscribe(subscription)
