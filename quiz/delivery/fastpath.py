"""The requests every candidate makes many times, or all at once, each in a few Core statements.

Saving an answer, the status poll, the push stream's reads, the question page and the Start of
a hall run through here rather than through the ORM: one SELECT finds the attempt (or, for
Start, the booking) of the signed-in candidate together with the account's role and session
version (the same check the user loader makes, so a revoked session is refused as before), the
attempt's clock and, for a save, the question; a save then writes one UPDATE of the question and
one of the attempt, and its caller commits. No ORM object is built, and nobody is loaded by
Flask-Login.

Only the ordinary case is decided here. Whatever else happens (not signed in, a revoked
session, someone else's attempt, a question not on the paper, time run out but not yet
submitted, a malformed request) the function returns None, having changed nothing, and the
caller runs the general path (routes.py, service.py), which answers it exactly as it always has.
The rules are the ones the general path uses: answers.py, clock.py, present.py, service.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from quiz.accounts.models import ROLE_TITLES, Throttle, User
from quiz.accounts.throttle import Source, SourceBucket
from quiz.db import UTCDateTime, begin_write, end_read
from quiz.delivery import answers, presence, present, service
from quiz.delivery.clock import AttemptClock
from quiz.delivery.models import Attempt, AttemptQuestion, Booking, Sitting, clock_of
from quiz.errors import NotAllowed
from quiz.invigilation.messages import RoomMessage
from quiz.itembank.domain import Blueprint
from quiz.itembank.models import BlueprintRecord, ItemVersion
from quiz.itembank.service import live_bank, live_version

_attempt = Attempt.__table__
_user = User.__table__
_question = AttemptQuestion.__table__
_message = RoomMessage.__table__
_sitting = Sitting.__table__
_blueprint = BlueprintRecord.__table__
_version = ItemVersion.__table__
_booking = Booking.__table__
_throttle = Throttle.__table__

_ATTEMPT_COLUMNS = ("id", "sitting_id", "candidate_id", "status", "submitted_reason", "started_at",
                    "duration_seconds", "extra_seconds", "paused_seconds", "paused_since",
                    "break_allowance_seconds", "break_used_seconds", "on_break_since", "last_seq")
_WHO = (_user.c.role.label("user_role"), _user.c.active.label("user_active"),
        _user.c.session_version.label("user_session_version"))


@dataclass(frozen=True)
class AttemptRow:
    """An attempt's own columns as one SELECT read them: enough for the clock and the status."""

    id: int
    sitting_id: int
    candidate_id: int
    status: str
    submitted_reason: str | None
    started_at: datetime
    duration_seconds: int
    extra_seconds: int
    paused_seconds: float
    paused_since: datetime | None
    break_allowance_seconds: int
    break_used_seconds: float
    on_break_since: datetime | None
    last_seq: int

    @classmethod
    def of(cls, row) -> AttemptRow:
        """Return the attempt's part of a result row."""
        mapping = row._mapping
        return cls(*(mapping[name] for name in _ATTEMPT_COLUMNS))

    @classmethod
    def fresh(cls, attempt_id: int, values: dict) -> AttemptRow:
        """Return the row of an attempt just written with these columns (service.attempt_values):
        nothing paused, no break taken, nothing submitted."""
        return cls(attempt_id, values["sitting_id"], values["candidate_id"], values["status"],
                   None, values["started_at"], values["duration_seconds"],
                   values["extra_seconds"], values["paused_seconds"], None,
                   values["break_allowance_seconds"], values["break_used_seconds"], None,
                   values["last_seq"])

    @property
    def clock(self) -> AttemptClock:
        """Return the attempt's timing facts for the clock rules."""
        return clock_of(self)

    @property
    def is_open(self) -> bool:
        """Return whether the attempt can still take answers (time permitting)."""
        return self.status == "in_progress"

    def is_due(self, now: datetime, grace: timedelta) -> bool:
        """Return whether time has run out and the attempt waits to be submitted."""
        return self.status == "in_progress" and self.clock.is_due_for_finalising(now, grace)


def holds_session(row, version: str) -> bool:
    """Return whether a row's account is an active candidate whose session version is `version`
    (User.holds_session, on the columns read with the attempt)."""
    return (row.user_role == "candidate" and bool(row.user_active)
            and version == str(row.user_session_version or 0))


def _attempt_of_candidate():
    return (select(*(_attempt.c[name] for name in _ATTEMPT_COLUMNS), *_WHO)
            .join(_user, _user.c.id == _attempt.c.candidate_id)
            .where(_attempt.c.id == bindparam("attempt_id"),
                   _attempt.c.candidate_id == bindparam("user_id")))


def _count(column):
    return (select(func.count(column)).where(_question.c.attempt_id == _attempt.c.id)
            .scalar_subquery())


# A save: the attempt (row-locked on PostgreSQL; SQLite's write lock is already held), the
# account, and the question, in one statement.
_READ_FOR_SAVE = (
    _attempt_of_candidate()
    .add_columns(_question.c.id.label("question_id"), _question.c.option_order,
                 _question.c.seq.label("question_seq"), _question.c.chosen)
    .join(_question, (_question.c.attempt_id == _attempt.c.id)
          & (_question.c.position == bindparam("position")))
    .with_for_update(of=_attempt))
_STORE_ANSWER = (
    update(_question).where(_question.c.id == bindparam("question_id"))
    .values(chosen=bindparam("new_chosen"), seq=bindparam("new_seq"),
            answered_at=bindparam("now", type_=UTCDateTime())))
_TOUCH_ATTEMPT = (
    update(_attempt).where(_attempt.c.id == bindparam("attempt_id"))
    .values(last_seq=case((_attempt.c.last_seq < bindparam("new_seq"), bindparam("new_seq")),
                          else_=_attempt.c.last_seq),
            last_seen_at=bindparam("now", type_=UTCDateTime())))
# The stream's connect: the attempt and the account.
_READ_ATTEMPT = _attempt_of_candidate()
# The status: the attempt, the account, and how many questions there are and are answered.
_READ_STATUS = _attempt_of_candidate().add_columns(
    _count(_question.c.chosen).label("answered"), _count(_question.c.id).label("questions"))
# A question page: the attempt, the account as the page's header shows it, and the test's name.
_READ_FOR_PAGE = (
    _attempt_of_candidate()
    .add_columns(_user.c.full_name, _user.c.large_text, _user.c.high_contrast,
                 _blueprint.c.code.label("test_code"), _blueprint.c.title.label("test_title"))
    .join(_sitting, _sitting.c.id == _attempt.c.sitting_id)
    .join(_blueprint, _blueprint.c.id == _sitting.c.blueprint_id))
# The whole paper in order: each question's own columns with its version's stem and options.
_PAPER = (
    select(_question.c.position, _question.c.option_order, _question.c.chosen,
           _question.c.flagged, _question.c.seq, _question.c.flag_seq, _version.c.stem,
           _version.c.options)
    .join(_version, _version.c.id == _question.c.item_version_id)
    .where(_question.c.attempt_id == bindparam("attempt_id"))
    .order_by(_question.c.position))
_MESSAGES = (
    select(_message.c.id, _message.c.body, _message.c.sender_name, _message.c.sent_at,
           _message.c.attempt_id)
    .where(_message.c.sitting_id == bindparam("sitting_id"),
           or_(_message.c.attempt_id.is_(None), _message.c.attempt_id == bindparam("attempt_id")))
    .order_by(_message.c.sent_at, _message.c.id))


def save_answer(connection: Connection, who: tuple[int, str], attempt_id: int, position: int,
                choice: int | None, seq: int, now: datetime, grace: timedelta) -> dict | None:
    """Store an answer for the signed-in candidate in the caller's write transaction (on SQLite,
    one that began holding the write lock: quiz.db.begin_write); return the reply, or None when
    the general path must answer, having written nothing. The connection is a Connection or,
    from the save lane, the driver's own (quiz.direct.DirectConnection).

    The caller commits when there is a reply and rolls back when there is not. A refusal the
    rules make (paused, on a break, after the deadline, submitted) is raised as the general path
    raises it, with nothing written.
    """
    user_id, version = who
    if not answers.is_seq(seq):
        return None
    row = connection.execute(_READ_FOR_SAVE, {"attempt_id": attempt_id, "user_id": user_id,
                                              "position": position}).first()
    if row is None or not holds_session(row, version):
        return None
    attempt = AttemptRow.of(row)
    if attempt.is_due(now, grace):  # submitting it is the general path's work
        return None
    refused = answers.refusal(attempt.status, attempt.submitted_reason, attempt.clock, now, grace)
    if refused is not None:
        raise refused
    order = row.option_order
    if choice is not None and not 0 <= choice < len(order):
        return None
    letter = None if choice is None else order[choice]
    status = answers.outcome(row.question_seq, row.chosen, seq, letter)
    held, held_seq = row.chosen, row.question_seq
    if status == "saved":
        connection.execute(_STORE_ANSWER, {"question_id": row.question_id, "new_chosen": letter,
                                           "new_seq": seq, "now": now})
        connection.execute(_TOUCH_ATTEMPT, {"attempt_id": attempt.id, "new_seq": seq, "now": now})
        held, held_seq = letter, seq
    else:  # a retry or an overtaken save changes nothing; the browser was heard from all the same
        presence.note_heard(attempt.id, now)
    return {"status": status, "position": position,
            "choice": None if held is None else order.index(held), "seq": held_seq,
            **present.timing(attempt, now)}


@dataclass(frozen=True)
class StatusRead:
    """What one status read found: the attempt, its counts, and whose session may see it."""

    attempt: AttemptRow
    answered: int
    questions: int
    row: object

    def holds_session(self, version: str) -> bool:
        """Return whether the session with this version may still see the attempt."""
        return holds_session(self.row, version)


def read_status(connection, attempt_id: int, user_id: int) -> StatusRead | None:
    """Return the candidate's attempt with its counts, or None if they have no such attempt."""
    row = connection.execute(_READ_STATUS, {"attempt_id": attempt_id, "user_id": user_id}).first()
    if row is None:
        return None
    return StatusRead(AttemptRow.of(row), row.answered, row.questions, row)


def status_payload(connection, found: StatusRead, now: datetime) -> dict:
    """Return the status payload (present.status_of) for what read_status found."""
    attempt = found.attempt
    messages = connection.execute(_MESSAGES, {"sitting_id": attempt.sitting_id,
                                              "attempt_id": attempt.id}).all()
    return present.status_of(attempt, found.answered, found.questions, messages, now)


def status(session: Session, who: tuple[int, str], attempt_id: int, now: datetime,
           grace: timedelta) -> dict | None:
    """Return the signed-in candidate's status payload, reading only; or None
    when the general path must answer (it also submits an attempt whose time ran out)."""
    user_id, version = who
    connection = session.connection()
    found = read_status(connection, attempt_id, user_id)
    if found is None or not found.holds_session(version) or found.attempt.is_due(now, grace):
        session.rollback()
        return None
    payload = status_payload(connection, found, now)
    end_read(session)
    if found.attempt.is_open:
        presence.note_heard(found.attempt.id, now)  # written in a batch, not by this request
    return payload


def stream_topic(session: Session, who: tuple[int, str], attempt_id: int, now: datetime,
                 grace: timedelta) -> AttemptRow | None:
    """Return the signed-in candidate's attempt for their event stream, reading only; or None
    when the general path must answer (it also submits an attempt whose time ran out)."""
    user_id, version = who
    row = session.connection().execute(_READ_ATTEMPT, {"attempt_id": attempt_id,
                                                       "user_id": user_id}).first()
    end_read(session)
    if row is None or not holds_session(row, version):
        return None
    attempt = AttemptRow.of(row)
    return None if attempt.is_due(now, grace) else attempt


@dataclass(frozen=True)
class Viewer:
    """The signed-in candidate as a page's header shows them (base.html's `viewer`), read with
    their attempt instead of by Flask-Login's user loader."""

    full_name: str
    role: str
    large_text: bool
    high_contrast: bool
    is_authenticated: bool = True

    @property
    def role_title(self) -> str:
        """Return the role as people say it (User.role_title)."""
        return ROLE_TITLES.get(self.role, self.role)


@dataclass(frozen=True)
class QuestionPage:
    """What a question page shows, read in three SELECTs (the attempt with the account and the
    test's name, the paper's rows in order, and the room's messages), or held by a fresh start."""

    attempt: AttemptRow
    viewer: Viewer
    test_name: str
    questions: list
    messages: list


def question_page(session: Session, who: tuple[int, str], attempt_id: int, position: int,
                  now: datetime, grace: timedelta) -> QuestionPage | None:
    """Return what the signed-in candidate's question page shows, reading only; or None when
    the general path must answer (no such question, an attempt finished or due, a revoked
    session: it redirects, submits or refuses as it always has)."""
    user_id, version = who
    connection = session.connection()
    row = connection.execute(_READ_FOR_PAGE, {"attempt_id": attempt_id,
                                              "user_id": user_id}).first()
    if row is None or not holds_session(row, version):
        session.rollback()
        return None
    attempt = AttemptRow.of(row)
    if not attempt.is_open or attempt.is_due(now, grace):
        session.rollback()
        return None
    questions = connection.execute(_PAPER, {"attempt_id": attempt.id}).all()
    if not 1 <= position <= len(questions):
        session.rollback()
        return None
    messages = _read_messages(connection, attempt)
    end_read(session)
    presence.note_heard(attempt.id, now)  # written in a batch, not by this request
    return QuestionPage(attempt, _viewer(row), _test_name(row), questions, messages)


def _read_messages(connection, attempt: AttemptRow) -> list:
    return connection.execute(_MESSAGES, {"sitting_id": attempt.sitting_id,
                                          "attempt_id": attempt.id}).all()


def _viewer(row) -> Viewer:
    return Viewer(row.full_name, row.user_role, bool(row.large_text), bool(row.high_contrast))


def _test_name(row) -> str:
    """The test's name as the question page's header shows it."""
    return f"{row.test_code} {row.test_title}"


@dataclass(frozen=True)
class FreshQuestion:
    """A question of a paper just written, as _PAPER would read it back: nothing chosen or
    flagged yet, its version's wording from the cached bank."""

    position: int
    option_order: tuple[str, ...]
    stem: str
    options: dict[str, str]
    chosen: str | None = None
    flagged: bool = False
    seq: int = 0
    flag_seq: int = 0


def _fresh_questions(paper, wording: dict) -> list[FreshQuestion]:
    return [FreshQuestion(position, q.option_order, *wording[q.version_id])
            for position, q in enumerate(paper.questions, start=1)]


# A start, before the lock: the account, the booking, the sitting and its blueprint, in one SELECT.
# Which version of the bank's live items is current, read with the rest (no query of its own).
_LIVE_VERSION = live_version(_blueprint.c.code)
_READ_FOR_START = (
    select(_user.c.id, _user.c.username, _user.c.extra_time_percent, _user.c.rest_break_minutes,
           _user.c.full_name, _user.c.large_text, _user.c.high_contrast,
           *_WHO, _sitting.c.id.label("sitting_id"), _sitting.c.keycode,
           _sitting.c.duration_seconds.label("sitting_duration_seconds"),
           _blueprint.c.spec, _blueprint.c.duration_seconds.label("blueprint_duration_seconds"),
           _blueprint.c.pass_mark_percent, _blueprint.c.code.label("test_code"),
           _blueprint.c.title.label("test_title"), _LIVE_VERSION)
    .join(_booking, _booking.c.candidate_id == _user.c.id)
    .join(_sitting, _sitting.c.id == _booking.c.sitting_id)
    .join(_blueprint, _blueprint.c.id == _sitting.c.blueprint_id)
    .where(_user.c.id == bindparam("user_id"), _booking.c.sitting_id == bindparam("sitting_id")))


def _throttle_column(kind: str, target, column):
    return (select(column).where(_throttle.c.kind == kind, _throttle.c.target == target)
            .scalar_subquery())


# Under the lock (the booking's row on PostgreSQL; SQLite's write lock): what every check reads,
# again, in one SELECT: the booking and sitting, any attempt already started, the account's
# wrong-keycode count and the source address's bucket.
_READ_UNDER_LOCK = (
    select(_booking.c.id.label("booking_id"), _booking.c.admitted_at, _sitting.c.status,
           _sitting.c.keycode, _sitting.c.starts_at, _sitting.c.ends_at, _sitting.c.opened_at,
           select(_attempt.c.id).where(_attempt.c.sitting_id == _sitting.c.id,
                                       _attempt.c.candidate_id == bindparam("user_id"))
           .scalar_subquery().label("attempt_id"),
           _throttle_column("keycode", bindparam("account"), _throttle.c.failures)
           .label("account_failures"),
           _throttle_column("keycode-source", bindparam("address"), _throttle.c.failures)
           .label("source_failures"),
           _throttle_column("keycode-source", bindparam("address"), _throttle.c.last_failure_at)
           .label("source_last_failure_at"))
    .join(_sitting, _sitting.c.id == _booking.c.sitting_id)
    .where(_booking.c.sitting_id == bindparam("sitting_id"),
           _booking.c.candidate_id == bindparam("user_id"))
    .with_for_update(of=_booking))
_ADMIT = (update(_booking).where(_booking.c.id == bindparam("booking_id"))
          .values(admitted_at=bindparam("now", type_=UTCDateTime())))


@dataclass(frozen=True)
class _Sitting:
    """The sitting's columns attempt_values and the start rules read."""

    id: int
    duration_seconds: int | None
    status: str
    keycode: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class _Candidate:
    """The account's columns attempt_values and the audit event read."""

    id: int
    username: str
    extra_time_percent: int | None
    rest_break_minutes: int | None


@dataclass(frozen=True)
class _BlueprintFigures:
    duration_seconds: int
    pass_mark_percent: float


def start(session: Session, who: tuple[int, str], sitting_id: int, keycode: str | None,
          now: datetime, source: Source, seed: int | None = None) -> service.Started | None:
    """Start the signed-in candidate's attempt on the right keycode, committed; or return None,
    having changed nothing, for the general path (service.admit_and_start) to answer.

    The ordinary case only: an active candidate's session, booked, typing the sitting's keycode,
    with no wrong keycodes counted against the account and the source address free to guess.
    The rules are service.admit_and_start's, made on the same columns: the paper is assembled
    from the cached bank before the lock; under it one SELECT reads again everything the checks
    need, then one UPDATE admits (if not admitted since the sitting opened) and
    service.insert_attempt writes the attempt, its questions and the trail (one statement on
    PostgreSQL, three INSERTs on SQLite), and the room's messages are read. A fresh start comes
    back with its first question's page (Started.page): the attempt as written, the questions
    with their wording from the cached bank, so the page is shown without reading the attempt
    back, and without the browser asking for it again. Anything else (no keycode, a wrong one, a
    sitting not open or outside its window, a counted guess, a revoked session) is the general
    path's, which refuses, counts or admits exactly as it always has.
    """
    user_id, version = who
    keycode = "".join((keycode or "").split())
    connection = session.connection()
    row = connection.execute(_READ_FOR_START, {"user_id": user_id, "sitting_id": sitting_id}).first()
    if row is None or not holds_session(row, version) or not keycode \
            or not service.keycode_matches(row, keycode):
        session.rollback()
        return None
    blueprint = Blueprint.from_dict(row.spec)
    # Reads only, before the lock; the bank is read again only if its live version changed.
    bank = live_bank(session, blueprint.code, row.live_version)
    paper = service.assemble_from(bank.pool, blueprint, seed)
    begin_write(session, reads_may_share=True)  # the booking's row lock is taken below
    connection = session.connection()
    held = connection.execute(_READ_UNDER_LOCK, {
        "user_id": user_id, "sitting_id": sitting_id, "account": f"user:{user_id}",
        "address": source.address}).first()
    if held is None:
        session.rollback()
        return None
    if held.attempt_id is not None:  # pressed Start twice, or started on another browser
        session.rollback()
        return service.Started(held.attempt_id, resumed=True)
    sitting = _Sitting(sitting_id, row.sitting_duration_seconds, held.status, held.keycode,
                       held.starts_at, held.ends_at)
    source_bucket = SourceBucket(held.source_failures or 0, held.source_last_failure_at,
                                 source.burst, source.interval)
    if held.account_failures or source_bucket.wait(now) or not _can_start(sitting, now) \
            or not service.keycode_matches(sitting, keycode):
        session.rollback()
        return None
    if not service.admitted_since_opened(held.admitted_at, held.opened_at):
        connection.execute(_ADMIT, {"booking_id": held.booking_id, "now": now})
    candidate = _Candidate(row.id, row.username, row.extra_time_percent, row.rest_break_minutes)
    figures = _BlueprintFigures(row.blueprint_duration_seconds, row.pass_mark_percent)
    values = service.attempt_values(sitting, figures, candidate, now, paper)
    attempt_id = service.insert_attempt(session, sitting, candidate, now, paper, figures, values)
    attempt = AttemptRow.fresh(attempt_id, values)
    messages = _read_messages(connection, attempt)
    session.commit()
    page = QuestionPage(attempt, _viewer(row), _test_name(row),
                        _fresh_questions(paper, bank.wording), messages)
    return service.Started(attempt_id, resumed=False, page=page)


def _can_start(sitting: _Sitting, now: datetime) -> bool:
    try:
        service.check_can_start(sitting, now)
    except NotAllowed:
        return False
    return True
