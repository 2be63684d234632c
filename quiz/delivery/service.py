"""Use cases of sitting a test: join with a keycode, start, save answers, submit, finalise.

Each function takes the session (the unit of work) and `now`; the caller commits.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (JSON, Integer, String, Text, bindparam, cast, false, func, insert, literal,
                        select, true, update)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, contains_eager, selectinload

from quiz import audit
from quiz.db import at, begin_write, seconds_between
from quiz.errors import BadRequest, NotAllowed, NotFound, Refused, TooManyGuesses
from quiz.accounts.models import Throttle, User
from quiz.accounts import guessing
from quiz.accounts.throttle import GuessRecord, Source
from quiz.delivery import answers, breaks
from quiz.delivery.clock import percent_of
from quiz.delivery.models import Attempt, AttemptQuestion, Booking, Sitting
from quiz.itembank.assembly import Paper, assemble
from quiz.itembank.models import ItemVersion
from quiz.itembank.service import live_pool
from quiz.scoring.scoring import Response, score

MAX_SEQ = answers.MAX_SEQ


# --- joining and starting ---------------------------------------------------------------------

def booked_sittings(session: Session, candidate: User) -> list[tuple[Sitting, Attempt | None]]:
    """Return the sittings a candidate is booked on, each with their attempt if they started."""
    sittings = session.scalars(
        select(Sitting).join(Booking, Booking.sitting_id == Sitting.id)
        .where(Booking.candidate_id == candidate.id).order_by(Sitting.starts_at)).all()
    attempts = {a.sitting_id: a for a in session.scalars(
        select(Attempt).where(Attempt.candidate_id == candidate.id))}
    return [(sitting, attempts.get(sitting.id)) for sitting in sittings]


# A sitting due to open within this long counts as today's: its keycode page can be read before
# the invigilator opens it, and Start says to wait until then.
LANDING_AHEAD = timedelta(hours=12)


def sitting_to_land_on(session: Session, candidate_id: int, now: datetime) -> int | None:
    """Return the sitting a candidate should land on after signing in, or None for their list.

    In an exam hall candidates sign in, then wait on the keycode page until the invigilator
    reads the keycode out. So a candidate booked on exactly one sitting that is open or due to
    open within LANDING_AHEAD, not yet over, and not already finished by them, goes straight to
    it (its join page sends one already started on to their attempt); with none or several, the
    list of their tests. One query.
    """
    finished = (select(Attempt.id).where(Attempt.sitting_id == Sitting.id,
                                         Attempt.candidate_id == candidate_id,
                                         Attempt.status != "in_progress").exists())
    found = session.scalars(
        select(Sitting.id).join(Booking, Booking.sitting_id == Sitting.id)
        .where(Booking.candidate_id == candidate_id, Sitting.status.in_(("scheduled", "open")),
               Sitting.ends_at > now, Sitting.starts_at <= now + LANDING_AHEAD, ~finished)
        .limit(2)).all()
    return found[0] if len(found) == 1 else None


def sitting_for_candidate(session: Session, sitting_id: int, candidate: User) -> Sitting:
    """Return a sitting the candidate is booked on, or raise NotFound."""
    return booking_for_candidate(session, sitting_id, candidate).sitting


def booking_for_candidate(session: Session, sitting_id: int, candidate: User,
                          fresh: bool = False, lock: bool = False) -> Booking:
    """Return the candidate's booking on a sitting, with the sitting, in one query; or NotFound.

    fresh=True reads the rows again even if this session already holds them (after begin_write);
    lock=True also locks the booking's row (PostgreSQL; SQLite's write lock covers it).
    """
    query = (select(Booking).join(Booking.sitting).options(contains_eager(Booking.sitting))
             .where(Booking.sitting_id == sitting_id, Booking.candidate_id == candidate.id))
    if fresh:
        query = query.execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update(of=Booking)
    booking = session.scalar(query)
    if booking is None:
        raise NotFound("You are not booked on that test.")
    return booking


def is_admitted(booking: Booking) -> bool:
    """Return whether the candidate gave the keycode since the sitting was last opened.

    Admission belongs to the candidate's booking on the server, not to a browser: the next
    person to sign in on a shared exam-room PC needs the keycode again, and the candidate can
    sign in again elsewhere without it."""
    return admitted_since_opened(booking.admitted_at, booking.sitting.opened_at)


def admitted_since_opened(admitted_at: datetime | None, opened_at: datetime | None) -> bool:
    """Return whether an admission at admitted_at still holds for a sitting opened at opened_at."""
    return admitted_at is not None and (opened_at is None or admitted_at >= opened_at)


def check_can_start(sitting: Sitting, now: datetime) -> None:
    """Raise unless the sitting is open and inside its window."""
    if sitting.status != "open":
        state = "has not been opened yet" if sitting.status == "scheduled" else "is closed"
        raise NotAllowed(f"This sitting {state}. Wait for the invigilator.")
    if now < sitting.starts_at:
        raise NotAllowed("This sitting's window has not started yet.")
    if now > sitting.ends_at:
        raise NotAllowed("This sitting's window has ended.")


def check_keycode(session: Session, booking: Booking, keycode: str, now: datetime,
                  source: Source = Source()) -> None:
    """Accept the announced keycode, or count the wrong guess and raise; slow repeated guessing
    per account and, generously, per source address (one machine trying many accounts)."""
    sitting, candidate = booking.sitting, booking.candidate
    check_can_start(sitting, now)
    wait = guessing.source_wait(session, "keycode", source, now)
    if wait:
        raise TooManyGuesses(f"Too many wrong keycodes from this network. Try again in "
                             f"{_seconds(wait)} seconds.")
    target = f"user:{candidate.id}"
    throttle = session.scalar(select(Throttle).where(Throttle.kind == "keycode",
                                                     Throttle.target == target))
    record = GuessRecord() if throttle is None else GuessRecord(
        throttle.failures, throttle.last_failure_at, throttle.blocked_until)
    wait = record.wait(now)
    if wait:
        raise TooManyGuesses(f"Too many wrong keycodes. Try again in {_seconds(wait)} seconds.")
    if keycode_matches(sitting, keycode):
        if throttle is not None and throttle.failures:
            throttle.failures, throttle.blocked_until = 0, None
        if not is_admitted(booking):
            booking.admitted_at = now  # the invigilator's board: "waiting"
        return
    if throttle is None:  # a counter row only for those who guess wrong
        throttle = Throttle(kind="keycode", target=target, failures=0)
        session.add(throttle)
    record = record.after_failure(now)
    throttle.failures = record.failures
    throttle.last_failure_at = record.last_failure_at
    throttle.blocked_until = record.blocked_until
    guessing.count_failure(session, "keycode", source, now)
    audit.record(session, now, "keycode_refused", candidate, sitting_id=sitting.id)
    raise BadRequest("That keycode is not right. Check the keycode the invigilator announced.")


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def existing_attempt(session: Session, sitting: Sitting, candidate: User) -> Attempt | None:
    """Return the candidate's attempt at the sitting, if they have started."""
    return session.scalar(select(Attempt).where(Attempt.sitting_id == sitting.id,
                                                Attempt.candidate_id == candidate.id))


def existing_attempt_id(session: Session, sitting_id: int, candidate_id: int) -> int | None:
    """Return the id of the candidate's attempt at the sitting, if they have started."""
    return session.scalar(select(Attempt.id).where(Attempt.sitting_id == sitting_id,
                                                   Attempt.candidate_id == candidate_id))


def paper_for(session: Session, sitting: Sitting, now: datetime, seed: int | None = None) -> Paper:
    """Assemble a fresh paper for the sitting from its bank's live items (read from a cache).

    Only reads, so a request can do it before it takes the write lock to start the attempt."""
    check_can_start(sitting, now)
    return _assemble(sitting, seed)


def _assemble(sitting: Sitting, seed: int | None = None, session: Session | None = None) -> Paper:
    session = session or Session.object_session(sitting)
    return assemble_paper(session, sitting.blueprint.to_domain(), seed)


def assemble_paper(session: Session, blueprint, seed: int | None = None,
                   live_version: str | None = None) -> Paper:
    """Assemble a fresh paper to a blueprint (the domain's) from its bank's cached live items.

    live_version: the bank's itembank.service.live_version, if the caller has read it."""
    return assemble_from(live_pool(session, blueprint.code, live_version), blueprint, seed)


def assemble_from(pool, blueprint, seed: int | None = None) -> Paper:
    """Assemble a fresh paper to a blueprint from a bank's prepared live items (a fresh seed if
    none is given)."""
    seed = secrets.randbelow(2**62) if seed is None else seed
    return assemble(blueprint, pool, seed)


def keycode_matches(sitting: Sitting, keycode: str | None) -> bool:
    """Return whether the typed keycode is the sitting's (spaces and case do not matter)."""
    typed = "".join((keycode or "").split()).upper()
    # As bytes: compare_digest refuses str with letters outside ASCII (a 500 for "ÄBC123").
    return bool(sitting.keycode) and secrets.compare_digest(typed.encode(),
                                                            sitting.keycode.encode())


@dataclass(frozen=True)
class Started:
    """The attempt a Start led to, and whether it had been started before."""

    attempt_id: int
    resumed: bool
    # What the first question's page shows, when the start already holds all of it
    # (fastpath.start: a fresh attempt, so its page needs no read of its own).
    page: object | None = None


def admit_and_start(session: Session, booking: Booking, candidate: User, keycode: str | None,
                    now: datetime, source: Source = Source(), seed: int | None = None) -> Started:
    """Check the keycode, admit the candidate, fix their paper and start their clock, in one
    write transaction. The caller commits, also when this raises.

    A candidate admitted since the sitting was last opened (on another browser, say) may send
    no keycode. A wrong keycode is counted (check_keycode) and raises, starting nothing. A
    candidate who already has an attempt gets it back unchanged. Every check is made once,
    under the write lock (SQLite) or the booking's row lock (PostgreSQL), on rows read again
    there; only the paper is assembled before it, from the cached bank, when the keycode looks
    right, so the lock is held for a few short statements.
    """
    keycode = "".join((keycode or "").split())
    sitting_id, blueprint = booking.sitting_id, booking.sitting.blueprint
    paper = None
    if keycode_matches(booking.sitting, keycode) or (not keycode and is_admitted(booking)):
        paper = _assemble(booking.sitting, seed, session)  # reads only: before the lock
    begin_write(session)
    booking = booking_for_candidate(session, sitting_id, candidate, fresh=True, lock=True)
    existing = existing_attempt_id(session, sitting_id, candidate.id)
    if existing is not None:  # pressed Start twice, or started on another browser
        return Started(existing, resumed=True)
    sitting = booking.sitting
    if keycode:
        check_keycode(session, booking, keycode, now, source)  # admits, or counts and raises
    else:
        check_can_start(sitting, now)
        if not is_admitted(booking):
            raise BadRequest("Enter the keycode.")
    if paper is None:  # the keycode was changed in between: assemble now
        paper = _assemble(sitting, seed, session)
    return Started(insert_attempt(session, sitting, candidate, now, paper, blueprint),
                   resumed=False)


def start_attempt(session: Session, sitting: Sitting, candidate: User, now: datetime,
                  seed: int | None = None, paper: Paper | None = None) -> Attempt:
    """Fix the candidate's paper and start their clock through the ORM, returning the Attempt;
    an existing attempt is returned as is.

    For callers that go on working with the object (tests, the demo's simulation): candidates
    start through admit_and_start, which writes the same rows in three Core statements.
    """
    existing = existing_attempt(session, sitting, candidate)
    if existing is not None:
        return existing
    if paper is None:
        paper = paper_for(session, sitting, now, seed)
    else:
        check_can_start(sitting, now)
    values = attempt_values(sitting, sitting.blueprint, candidate, now, paper)
    attempt = Attempt(sitting=sitting, candidate=candidate,
                      **{k: v for k, v in values.items() if k not in ("sitting_id", "candidate_id")})
    session.add(attempt)
    session.flush()
    session.execute(insert(AttemptQuestion), question_rows(attempt.id, paper))
    audit.record(session, now, "attempt_started", candidate, sitting_id=sitting.id,
                 attempt_id=attempt.id, seed=paper.seed, extra_seconds=attempt.extra_seconds)
    return attempt


def attempt_values(sitting: Sitting, blueprint, candidate: User, now: datetime,
                   paper: Paper) -> dict:
    """Return a new attempt's columns: the clock, extra time and rest breaks fixed at start."""
    duration = timedelta(seconds=sitting.duration_seconds or blueprint.duration_seconds)
    return dict(
        sitting_id=sitting.id, candidate_id=candidate.id, status="in_progress", seed=paper.seed,
        blueprint_code=paper.blueprint, started_at=now,
        duration_seconds=int(duration.total_seconds()),
        extra_seconds=int(percent_of(duration, candidate.extra_time_percent or 0).total_seconds()),
        pass_mark_percent=blueprint.pass_mark_percent, paused_seconds=0.0,
        break_allowance_seconds=(candidate.rest_break_minutes or 0) * 60,
        break_used_seconds=0.0, last_seen_at=now, last_seq=0)


def question_rows(attempt_id: int, paper: Paper) -> list[dict]:
    """Return the rows of an attempt's questions, in paper order, for one executemany."""
    return [{"attempt_id": attempt_id, "position": position, "item_version_id": q.version_id,
             "outcome": q.outcome, "criterion": q.criterion, "option_order": list(q.option_order),
             "flagged": False, "seq": 0, "flag_seq": 0}
            for position, q in enumerate(paper.questions, start=1)]


_ATTEMPT = Attempt.__table__
_QUESTION = AttemptQuestion.__table__
_AUDIT = audit.AuditEvent.__table__
_INSERT_ATTEMPT, _INSERT_QUESTION, _INSERT_AUDIT = insert(_ATTEMPT), insert(_QUESTION), insert(_AUDIT)
# What attempt_values writes, and what a question row carries beside its attempt's id.
_ATTEMPT_COLUMNS = ("sitting_id", "candidate_id", "status", "seed", "blueprint_code", "started_at",
                    "duration_seconds", "extra_seconds", "pass_mark_percent", "paused_seconds",
                    "break_allowance_seconds", "break_used_seconds", "last_seen_at", "last_seq")
_PAPER_ARRAYS = (("position", Integer), ("item_version_id", Integer), ("outcome", Integer),
                 ("criterion", String), ("option_order", Text))  # option orders as JSON texts


def _insert_all_at_once():
    """PostgreSQL: the attempt, its questions and its audit event in one statement.

    A data-modifying WITH: the attempt's INSERT returns its id, the questions come from one
    unnest() of five arrays (one row per question), and the audit event's INSERT returns the id.
    One round trip, one statement to parse and plan, where the executemany of thirty rows made
    thirty-two: on PostgreSQL the start's dearest part, in the client and in the database.
    """
    attempt = (insert(_ATTEMPT)
               .values({name: bindparam(name, type_=_ATTEMPT.c[name].type)
                        for name in _ATTEMPT_COLUMNS})
               .returning(_ATTEMPT.c.id).cte("new_attempt"))
    paper = (func.unnest(*(bindparam(name, type_=ARRAY(kind)) for name, kind in _PAPER_ARRAYS))
             .table_valued(*(name for name, _ in _PAPER_ARRAYS)).render_derived("paper"))
    questions = insert(_QUESTION).from_select(
        ["attempt_id", "position", "item_version_id", "outcome", "criterion", "option_order",
         "flagged", "seq", "flag_seq"],
        select(attempt.c.id, paper.c.position, paper.c.item_version_id, paper.c.outcome,
               paper.c.criterion, cast(paper.c.option_order, JSON), false(), literal(0),
               literal(0)).select_from(attempt).join(paper, true())).cte("new_questions")
    return (insert(_AUDIT).from_select(
        ["at", "actor_id", "actor", "action", "sitting_id", "attempt_id", "detail"],
        select(bindparam("started_at", type_=_AUDIT.c.at.type),
               bindparam("candidate_id", type_=Integer),
               bindparam("actor", type_=String), literal("attempt_started"),
               bindparam("sitting_id", type_=Integer), attempt.c.id,
               bindparam("detail", type_=_AUDIT.c.detail.type)).select_from(attempt))
            .add_cte(questions).returning(_AUDIT.c.attempt_id))


_INSERT_ALL_AT_ONCE = _insert_all_at_once()


def insert_attempt(session: Session, sitting: Sitting, candidate: User, now: datetime,
                   paper: Paper, blueprint=None, values: dict | None = None) -> int:
    """Write the attempt, its questions and the audit event: on PostgreSQL in one statement
    (_insert_all_at_once), elsewhere in three Core INSERTs (the questions as one executemany);
    return the attempt's id. The checks are the caller's.

    blueprint: the sitting's blueprint row if the caller holds it already; values: the
    attempt's columns (attempt_values) if the caller has worked them out already.
    """
    session.flush()  # anything pending (an admission) goes first, in order
    if values is None:
        values = attempt_values(sitting, blueprint or sitting.blueprint, candidate, now, paper)
    connection = session.connection()
    detail = {"seed": paper.seed, "extra_seconds": values["extra_seconds"]}
    if connection.dialect.name == "postgresql":
        columns = list(zip(*((position, q.version_id, q.outcome, q.criterion,
                              json.dumps(list(q.option_order)))
                             for position, q in enumerate(paper.questions, start=1))))
        return connection.execute(_INSERT_ALL_AT_ONCE, {
            **values, **{name: list(column) for (name, _), column in zip(_PAPER_ARRAYS, columns)},
            "actor": candidate.username, "detail": detail}).scalar_one()
    # Values as parameters of statements built once: .values() would coerce each one anew.
    attempt_id = connection.execute(_INSERT_ATTEMPT, values).inserted_primary_key[0]
    connection.execute(_INSERT_QUESTION, question_rows(attempt_id, paper))
    connection.execute(_INSERT_AUDIT, {
        "at": now, "actor_id": candidate.id, "actor": candidate.username,
        "action": "attempt_started", "sitting_id": sitting.id, "attempt_id": attempt_id,
        "detail": detail})
    return attempt_id


# --- during the attempt -----------------------------------------------------------------------

def attempt_for_candidate(session: Session, attempt_id: int, candidate: User, now: datetime,
                          grace: timedelta, lock: bool = False) -> Attempt:
    """Return the candidate's own attempt, finalising it first if its time has run out."""
    query = select(Attempt).where(Attempt.id == attempt_id, Attempt.candidate_id == candidate.id)
    if lock:
        query = query.with_for_update()
    attempt = session.scalar(query)
    if attempt is None:
        raise NotFound("There is no such attempt for your account.")
    finalise_if_due(session, attempt, now, grace)
    return attempt


def first_unanswered(session: Session, attempt: Attempt) -> int:
    """Return the position to carry on from: the first unanswered question, else the first."""
    position = session.scalar(select(func.min(AttemptQuestion.position)).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.chosen.is_(None)))
    return position or 1


def question_count(session: Session, attempt: Attempt) -> int:
    """Return how many questions the attempt's paper has, without loading them."""
    return session.scalar(select(func.count()).select_from(AttemptQuestion)
                          .where(AttemptQuestion.attempt_id == attempt.id))


def question_at(session: Session, attempt: Attempt, position: int) -> AttemptQuestion:
    """Return the question at a 1-based position, or raise NotFound."""
    question = session.scalar(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == position))
    if question is None:
        raise NotFound(f"This test has no question {position}.")
    return question


def _check_open_for_answers(attempt: Attempt, now: datetime, grace: timedelta) -> None:
    """Raise unless an answer arriving now may change the attempt."""
    refused = answers.refusal(attempt.status, attempt.submitted_reason, attempt.clock, now, grace)
    if refused is not None:
        raise refused


@dataclass(frozen=True)
class SaveResult:
    """What the server did with a save, and the answer it now holds."""

    status: str  # "saved" (applied), "duplicate" (already applied) or "stale" (older than held)
    position: int
    choice: int | None  # the display index now held, or None
    seq: int


def save_answer(session: Session, attempt: Attempt, position: int, choice: int | None, seq: int,
                now: datetime, grace: timedelta) -> SaveResult:
    """Store an answer if it is the newest for its question; older or repeated saves change nothing."""
    if not answers.is_seq(seq):
        raise BadRequest("seq must be a whole number counting up from 1.")
    _check_open_for_answers(attempt, now, grace)
    question = question_at(session, attempt, position)
    if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int)
                               or not 0 <= choice < len(question.option_order)):
        raise BadRequest(f"choice must be an option number from 0 to "
                        f"{len(question.option_order) - 1}, or null to clear the answer.")
    letter = None if choice is None else question.option_order[choice]
    attempt.last_seen_at = now
    status = answers.outcome(question.seq, question.chosen, seq, letter)
    if status == "saved":
        question.chosen = letter
        question.seq = seq
        question.answered_at = now
    attempt.last_seq = max(attempt.last_seq, seq)
    return SaveResult(status, position, display_choice(question), question.seq)


def display_choice(question: AttemptQuestion) -> int | None:
    """Return the display index of the chosen option, or None."""
    if question.chosen is None:
        return None
    return question.option_order.index(question.chosen)


def toggle_flag(session: Session, attempt: Attempt, position: int, now: datetime,
                grace: timedelta) -> FlagResult:
    """Flag the question if it is not flagged, else unflag it (the no-JavaScript form's button);
    the question is read once."""
    _check_open_for_answers(attempt, now, grace)
    question = question_at(session, attempt, position)
    return set_flag(session, attempt, position, not question.flagged, now, grace,
                    question=question)


def set_flag(session: Session, attempt: Attempt, position: int, flagged: bool, now: datetime,
             grace: timedelta, seq: int | None = None,
             question: AttemptQuestion | None = None) -> FlagResult:
    """Mark or unmark a question for review; with a sequence number, an older flag changes nothing.

    Flags sent from the page's outbox carry the same rising sequence numbers as answers, so a
    flag queued offline cannot undo a newer one made on another computer. A flag without a
    number (the no-JavaScript form) always applies, and counts as newer than any before it.
    """
    if seq is not None and not answers.is_seq(seq):
        raise BadRequest("seq must be a whole number counting up from 1.")
    _check_open_for_answers(attempt, now, grace)
    if question is None:
        question = question_at(session, attempt, position)
    attempt.last_seen_at = now
    if seq is None:
        seq = max(attempt.last_seq, question.flag_seq) + 1
    status = answers.outcome(question.flag_seq, question.flagged, seq, bool(flagged))
    if status == "saved":
        question.flagged = bool(flagged)
        question.flag_seq = seq
        status = "saved"
    attempt.last_seq = max(attempt.last_seq, seq)
    return FlagResult(status, position, question.flagged, question.flag_seq)


@dataclass(frozen=True)
class FlagResult:
    """What the server did with a flag, and the flag it now holds."""

    status: str  # as SaveResult.status
    position: int
    flagged: bool
    seq: int


# --- finishing ---------------------------------------------------------------------------------

def submit(session: Session, attempt: Attempt, now: datetime, reason: str, actor=None) -> Attempt:
    """Close the attempt and score it; submitting twice changes nothing.

    Finishing is a conditional write: only an attempt still in progress in the database becomes
    submitted. When another process (the sweep, a second tab) finished it first, this one's copy
    may be out of date; it then does nothing, writes no audit event, and reloads what stands.
    """
    if attempt.status != "in_progress":
        return attempt
    claimed = session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "in_progress")
        .values(status="submitted", submitted_at=now, submitted_reason=reason)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        session.refresh(attempt)
        return attempt
    if attempt.on_break_since is not None:
        breaks.end_break(session, attempt, actor, now, reason=f"submitted ({reason})")
    if attempt.paused_since is not None:
        attempt.set_clock(attempt.clock.resume(now))
    attempt.status = "submitted"
    attempt.submitted_at = now
    attempt.submitted_reason = reason
    result = score_attempt(session, attempt)
    attempt.score_raw, attempt.score_max = result.raw, result.maximum
    attempt.score_percent, attempt.passed = result.percent, result.passed
    attempt.result = result.to_dict()
    audit.record(session, now, "attempt_submitted", actor, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason)
    return attempt


def score_attempt(session: Session, attempt: Attempt):
    """Score the attempt's stored answers against the keys of the versions it showed."""
    rows = session.execute(
        select(AttemptQuestion.outcome, AttemptQuestion.criterion, AttemptQuestion.chosen,
               ItemVersion.key)
        .join(ItemVersion, ItemVersion.id == AttemptQuestion.item_version_id)
        .where(AttemptQuestion.attempt_id == attempt.id))
    responses = [Response(outcome=o, criterion=c, key=k, chosen=ch) for o, c, ch, k in rows]
    return score(responses, attempt.pass_mark_percent)


def finalise_if_due(session: Session, attempt: Attempt, now: datetime, grace: timedelta) -> bool:
    """Submit an attempt whose time has run out; return whether it did."""
    if attempt.status == "in_progress" and attempt.clock.is_due_for_finalising(now, grace):
        submit(session, attempt, now, "time")
        return True
    return False


def due_attempt_ids(session: Session, now: datetime, grace: timedelta) -> list[int]:
    """Return the attempts in progress whose time (and grace) may have run out, found in SQL.

    A cheap, generous filter on the stored clock columns (a second early, and without the
    time a rest break still running adds); the clock rule then decides each one.
    """
    allowed = (Attempt.duration_seconds + Attempt.extra_seconds + Attempt.paused_seconds
               + Attempt.break_used_seconds + grace.total_seconds())
    return session.scalars(
        select(Attempt.id).where(Attempt.status == "in_progress", Attempt.paused_since.is_(None),
                                 seconds_between(Attempt.started_at, at(now)) + 1 >= allowed)
        .order_by(Attempt.id)).all()


def finalise_expired(session: Session, now: datetime, grace: timedelta) -> list[int]:
    """Submit every attempt whose time has run out, whether or not its browser returns.

    The attempts due are found in SQL without loading the others or taking the write lock;
    only when some are due does it take the lock (begin_write) and submit them.
    """
    due = due_attempt_ids(session, now, grace)
    if not due:
        return []
    begin_write(session)
    finalised = []
    # Rows another process is finalising are skipped, not waited for (PostgreSQL; SQLite
    # serialises writers anyway).
    attempts = session.scalars(
        select(Attempt).where(Attempt.id.in_(due), Attempt.status == "in_progress")
        .order_by(Attempt.id).with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)).all()
    for attempt in attempts:
        if finalise_if_due(session, attempt, now, grace):
            finalised.append(attempt.id)
    return finalised


def attempt_by_id(session: Session, attempt_id: int, candidate_id: int) -> Attempt:
    """Return a candidate's own attempt without finalising it, or raise NotFound."""
    attempt = session.scalar(select(Attempt).where(Attempt.id == attempt_id,
                                                   Attempt.candidate_id == candidate_id))
    if attempt is None:
        raise NotFound("There is no such attempt for your account.")
    return attempt


def questions_with_versions(session: Session, attempt: Attempt) -> list[AttemptQuestion]:
    """Return the attempt's questions in paper order, with their item versions, in two queries."""
    return session.scalars(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
        .options(selectinload(AttemptQuestion.item_version))).all()


def attempt_with_questions(session: Session, attempt_id: int) -> Attempt:
    """Return an attempt with its questions and their item versions loaded in one go."""
    return session.scalar(
        select(Attempt).where(Attempt.id == attempt_id).options(
            selectinload(Attempt.questions).selectinload(AttemptQuestion.item_version)))


# --- keycodes ------------------------------------------------------------------------------------

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: characters that are easy to mishear or misread from a board.
KEYCODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
KEYCODE_LENGTH = 6


def new_keycode(session: Session) -> str:
    """Return a fresh keycode, unique among open sittings."""
    in_use = set(session.scalars(select(Sitting.keycode).where(Sitting.status == "open")))
    while True:
        code = "".join(secrets.choice(KEYCODE_ALPHABET) for _ in range(KEYCODE_LENGTH))
        if code not in in_use:
            return code
