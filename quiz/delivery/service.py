"""Use cases of sitting a test: join with a keycode, start, save answers, submit, finalise.

Each function takes the session (the unit of work) and `now`; the caller commits.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quiz import audit
from quiz.errors import (AttemptClosed, AttemptPaused, BadRequest, NotAllowed, NotFound, OnBreak,
                         Refused, TimeUp, TooManyGuesses)
from quiz.accounts.models import Throttle, User
from quiz.accounts import guessing
from quiz.accounts.throttle import GuessRecord, Source
from quiz.delivery import breaks
from quiz.delivery.clock import percent_of
from quiz.delivery.models import Attempt, AttemptQuestion, Booking, Sitting
from quiz.itembank.assembly import assemble
from quiz.itembank.models import ItemVersion
from quiz.itembank.service import live_candidates
from quiz.scoring.scoring import Response, score

MAX_SEQ = 2**53  # what a browser can count to exactly


# --- joining and starting ---------------------------------------------------------------------

def booked_sittings(session: Session, candidate: User) -> list[tuple[Sitting, Attempt | None]]:
    """Return the sittings a candidate is booked on, each with their attempt if they started."""
    sittings = session.scalars(
        select(Sitting).join(Booking, Booking.sitting_id == Sitting.id)
        .where(Booking.candidate_id == candidate.id).order_by(Sitting.starts_at)).all()
    attempts = {a.sitting_id: a for a in session.scalars(
        select(Attempt).where(Attempt.candidate_id == candidate.id))}
    return [(sitting, attempts.get(sitting.id)) for sitting in sittings]


def sitting_for_candidate(session: Session, sitting_id: int, candidate: User) -> Sitting:
    """Return a sitting the candidate is booked on, or raise NotFound."""
    sitting = session.scalar(
        select(Sitting).join(Booking, Booking.sitting_id == Sitting.id)
        .where(Sitting.id == sitting_id, Booking.candidate_id == candidate.id))
    if sitting is None:
        raise NotFound("You are not booked on that test.")
    return sitting


def check_can_start(sitting: Sitting, now: datetime) -> None:
    """Raise unless the sitting is open and inside its window."""
    if sitting.status != "open":
        state = "has not been opened yet" if sitting.status == "scheduled" else "is closed"
        raise NotAllowed(f"This sitting {state}. Wait for the invigilator.")
    if now < sitting.starts_at:
        raise NotAllowed("This sitting's window has not started yet.")
    if now > sitting.ends_at:
        raise NotAllowed("This sitting's window has ended.")


def check_keycode(session: Session, sitting: Sitting, candidate: User, keycode: str,
                  now: datetime, source: Source = Source()) -> None:
    """Accept the announced keycode, or count the wrong guess and raise; slow repeated guessing
    per account and, generously, per source address (one machine trying many accounts)."""
    check_can_start(sitting, now)
    wait = guessing.source_wait(session, "keycode", source, now)
    if wait:
        raise TooManyGuesses(f"Too many wrong keycodes from this network. Try again in "
                             f"{_seconds(wait)} seconds.")
    throttle = _throttle(session, "keycode", f"user:{candidate.id}")
    record = GuessRecord(throttle.failures, throttle.last_failure_at, throttle.blocked_until)
    wait = record.wait(now)
    if wait:
        raise TooManyGuesses(f"Too many wrong keycodes. Try again in {_seconds(wait)} seconds.")
    typed = "".join(keycode.split()).upper()
    if sitting.keycode and secrets.compare_digest(typed, sitting.keycode):
        throttle.failures, throttle.blocked_until = 0, None
        booking = session.scalar(select(Booking).where(Booking.sitting_id == sitting.id,
                                                       Booking.candidate_id == candidate.id))
        booking.admitted_at = booking.admitted_at or now  # the invigilator's board: "waiting"
        return
    record = record.after_failure(now)
    throttle.failures = record.failures
    throttle.last_failure_at = record.last_failure_at
    throttle.blocked_until = record.blocked_until
    guessing.count_failure(session, "keycode", source, now)
    audit.record(session, now, "keycode_refused", candidate, sitting_id=sitting.id)
    raise BadRequest("That keycode is not right. Check the keycode the invigilator announced.")


def _throttle(session: Session, kind: str, target: str) -> Throttle:
    """Return the guess counter for a target, creating it on first use."""
    throttle = session.scalar(select(Throttle).where(Throttle.kind == kind,
                                                     Throttle.target == target))
    if throttle is None:
        throttle = Throttle(kind=kind, target=target, failures=0)
        session.add(throttle)
    return throttle


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))


def start_attempt(session: Session, sitting: Sitting, candidate: User, now: datetime,
                  seed: int | None = None) -> Attempt:
    """Fix the candidate's paper and start their clock; an existing attempt is returned as is."""
    existing = session.scalar(select(Attempt).where(Attempt.sitting_id == sitting.id,
                                                    Attempt.candidate_id == candidate.id))
    if existing is not None:
        return existing
    check_can_start(sitting, now)
    blueprint = sitting.blueprint.to_domain()
    seed = secrets.randbelow(2**62) if seed is None else seed
    paper = assemble(blueprint, live_candidates(session, blueprint.code), seed)
    duration = timedelta(seconds=sitting.effective_duration_seconds)
    attempt = Attempt(
        sitting=sitting, candidate=candidate, status="in_progress", seed=seed,
        blueprint_code=blueprint.code, started_at=now,
        duration_seconds=int(duration.total_seconds()),
        extra_seconds=int(percent_of(duration, candidate.extra_time_percent or 0).total_seconds()),
        pass_mark_percent=blueprint.pass_mark_percent, paused_seconds=0.0, last_seen_at=now,
        last_seq=0, break_allowance_seconds=(candidate.rest_break_minutes or 0) * 60)
    session.add(attempt)
    for position, question in enumerate(paper.questions, start=1):
        session.add(AttemptQuestion(
            attempt=attempt, position=position, item_version_id=question.version_id,
            outcome=question.outcome, criterion=question.criterion,
            option_order=list(question.option_order), flagged=False, seq=0))
    session.flush()
    audit.record(session, now, "attempt_started", candidate, sitting_id=sitting.id,
                 attempt_id=attempt.id, seed=seed, extra_seconds=attempt.extra_seconds)
    return attempt


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


def question_at(session: Session, attempt: Attempt, position: int) -> AttemptQuestion:
    """Return the question at a 1-based position, or raise NotFound."""
    question = session.scalar(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == position))
    if question is None:
        raise NotFound(f"This test has no question {position}.")
    return question


def _check_open_for_answers(attempt: Attempt, now: datetime, grace: timedelta) -> None:
    """Raise unless an answer arriving now may change the attempt."""
    if attempt.status != "in_progress":
        if attempt.submitted_reason == "time":
            raise TimeUp("Time is up: your answers were submitted automatically, so this change "
                         "was not saved.")
        raise AttemptClosed("This test has been submitted, so this change was not saved.")
    clock = attempt.clock
    if clock.is_paused:
        raise AttemptPaused("Your test is paused by the invigilator, so this change was not saved.")
    if clock.is_on_break(now):
        raise OnBreak("You are on a rest break, so this change was not saved. End the break to "
                      "carry on.")
    if not clock.accepts_answer(now, grace):
        raise TimeUp("Time is up: this answer reached the server after the deadline and was not "
                     "saved.")


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
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < MAX_SEQ:
        raise BadRequest("seq must be a whole number counting up from 1.")
    _check_open_for_answers(attempt, now, grace)
    question = question_at(session, attempt, position)
    if choice is not None and (isinstance(choice, bool) or not isinstance(choice, int)
                               or not 0 <= choice < len(question.option_order)):
        raise BadRequest(f"choice must be an option number from 0 to "
                        f"{len(question.option_order) - 1}, or null to clear the answer.")
    letter = None if choice is None else question.option_order[choice]
    attempt.last_seen_at = now
    if seq < question.seq or (seq == question.seq and letter != question.chosen):
        status = "stale"
    elif seq == question.seq:
        status = "duplicate"
    else:
        question.chosen = letter
        question.seq = seq
        question.answered_at = now
        status = "saved"
    attempt.last_seq = max(attempt.last_seq, seq)
    return SaveResult(status, position, display_choice(question), question.seq)


def display_choice(question: AttemptQuestion) -> int | None:
    """Return the display index of the chosen option, or None."""
    if question.chosen is None:
        return None
    return question.option_order.index(question.chosen)


def set_flag(session: Session, attempt: Attempt, position: int, flagged: bool, now: datetime,
             grace: timedelta) -> AttemptQuestion:
    """Mark or unmark a question for review."""
    _check_open_for_answers(attempt, now, grace)
    question = question_at(session, attempt, position)
    question.flagged = bool(flagged)
    attempt.last_seen_at = now
    return question


# --- finishing ---------------------------------------------------------------------------------

def submit(session: Session, attempt: Attempt, now: datetime, reason: str, actor=None) -> Attempt:
    """Close the attempt and score it; submitting twice changes nothing."""
    if attempt.status != "in_progress":
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


def finalise_expired(session: Session, now: datetime, grace: timedelta) -> list[int]:
    """Submit every attempt whose time has run out, whether or not its browser returns."""
    finalised = []
    # Rows another process is finalising are skipped, not waited for (PostgreSQL; SQLite
    # serialises writers anyway).
    candidates = session.scalars(
        select(Attempt).where(Attempt.status == "in_progress", Attempt.paused_since.is_(None))
        .with_for_update(skip_locked=True)).all()
    for attempt in candidates:
        if finalise_if_due(session, attempt, now, grace):
            finalised.append(attempt.id)
    return finalised


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
