"""Use cases of running a sitting. Each takes the session, the acting user and `now`; the caller commits.

Every action is appended to the audit trail with who, when and why.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.accounts.models import User
from quiz.accounts.service import create_user
from quiz.delivery import breaks
from quiz.delivery import service as delivery
from quiz.delivery.clock import percent_of
from quiz.delivery.models import RESULT_POLICIES, Attempt, AttemptQuestion, Booking, Sitting
from quiz.delivery.present import attempt_state
from quiz.errors import BadRequest, NotFound, Refused
from quiz.invigilation.roster import RosterRow
from quiz.itembank.service import get_blueprint

VOID_REASONS = ("absent", "withdrawn", "malpractice", "other")
MAX_EXTRA_MINUTES = 240


# --- who may see what ----------------------------------------------------------------------------

def _centre_filter(query, user: User):
    """Restrict a sitting query to the user's centre (administrators see every centre)."""
    return query if user.role == "admin" else query.where(Sitting.centre_id == user.centre_id)


def sittings_for(session: Session, user: User) -> list[Sitting]:
    """Return the sittings the user may run, newest first."""
    return session.scalars(_centre_filter(select(Sitting), user)
                           .order_by(Sitting.starts_at.desc())).all()


def sitting_for(session: Session, sitting_id: int, user: User, lock: bool = False) -> Sitting:
    """Return a sitting of the user's centre, or raise NotFound (never reveal other centres')."""
    query = _centre_filter(select(Sitting).where(Sitting.id == sitting_id), user)
    sitting = session.scalar(query.with_for_update() if lock else query)
    if sitting is None:
        raise NotFound("There is no such sitting at your centre.")
    return sitting


def attempt_for(session: Session, attempt_id: int, user: User, now: datetime,
                grace: timedelta) -> Attempt:
    """Return an attempt in a sitting of the user's centre, finalised first if time ran out."""
    query = select(Attempt).join(Sitting, Sitting.id == Attempt.sitting_id) \
        .where(Attempt.id == attempt_id)
    attempt = session.scalar(_centre_filter(query, user).with_for_update(of=Attempt))
    if attempt is None:
        raise NotFound("There is no such attempt at your centre.")
    delivery.finalise_if_due(session, attempt, now, grace)
    return attempt


def centre_candidates(session: Session, centre_id: int) -> list[User]:
    """Return the centre's candidates, by candidate number."""
    return session.scalars(select(User).where(User.centre_id == centre_id,
                                              User.role == "candidate", User.active.is_(True))
                           .order_by(User.candidate_number, User.full_name)).all()


# --- scheduling and booking -----------------------------------------------------------------------

def schedule_sitting(session: Session, user: User, *, blueprint_code: str, title: str,
                     starts_at: datetime, ends_at: datetime, results_policy: str,
                     now: datetime) -> Sitting:
    """Create a sitting of a test at the user's centre for a time window."""
    if user.centre_id is None:
        raise BadRequest("Your account is not attached to a centre, so it cannot schedule sittings.")
    if ends_at <= starts_at:
        raise BadRequest("The window must end after it starts.")
    if ends_at <= now:
        raise BadRequest("The window has already ended; choose a time in the future.")
    if results_policy not in RESULT_POLICIES:
        raise BadRequest(f"results policy must be one of {', '.join(RESULT_POLICIES)}")
    try:
        blueprint = get_blueprint(session, blueprint_code)
    except LookupError as err:
        raise BadRequest(str(err)) from err
    sitting = Sitting(blueprint=blueprint, centre_id=user.centre_id, title=title.strip(),
                      starts_at=starts_at, ends_at=ends_at, status="scheduled",
                      results_policy=results_policy, created_by_id=user.id)
    session.add(sitting)
    session.flush()
    audit.record(session, now, "sitting_scheduled", user, sitting_id=sitting.id,
                 blueprint=blueprint.code, starts_at=starts_at.isoformat(),
                 ends_at=ends_at.isoformat())
    return sitting


def book(session: Session, sitting: Sitting, candidate_ids: list[int], user: User,
         now: datetime) -> int:
    """Book candidates of the sitting's centre onto it; return how many were newly booked."""
    _check_not_closed(sitting)
    wanted = set(candidate_ids)
    candidates = session.scalars(select(User).where(
        User.id.in_(wanted), User.centre_id == sitting.centre_id, User.role == "candidate")).all()
    if len(candidates) != len(wanted):
        raise BadRequest("Some of those candidates are not candidates of this centre.")
    booked = set(session.scalars(select(Booking.candidate_id).where(
        Booking.sitting_id == sitting.id)))
    new = [c for c in candidates if c.id not in booked]
    for candidate in new:
        session.add(Booking(sitting=sitting, candidate=candidate))
    if new:
        audit.record(session, now, "candidates_booked", user, sitting_id=sitting.id,
                     candidates=[c.candidate_number or c.username for c in new])
    return len(new)


@dataclass
class RosterResult:
    """What a roster upload did: who was booked, and the sign-ins made for new candidates."""

    booked: int = 0
    already_booked: int = 0
    new_accounts: list[tuple[User, str]] = field(default_factory=list)  # (user, first password)


def import_roster(session: Session, sitting: Sitting, rows: list[RosterRow], user: User,
                  now: datetime) -> RosterResult:
    """Book every row's candidate, creating accounts for new ones; any problem changes nothing."""
    _check_not_closed(sitting)
    problems = _roster_conflicts(session, sitting, rows)
    if problems:
        raise BadRequest("Nothing was booked. " + " ".join(problems))
    result = RosterResult()
    booked = set(session.scalars(select(Booking.candidate_id).where(
        Booking.sitting_id == sitting.id)))
    for row in rows:
        candidate = session.scalar(select(User).where(
            User.centre_id == sitting.centre_id, User.candidate_number == row.candidate_number))
        if candidate is None:
            password = _first_password()
            candidate = create_user(
                session, username=row.username or _username(sitting, row), password=password,
                full_name=row.full_name, role="candidate", centre=sitting.centre,
                candidate_number=row.candidate_number, now=now)
            result.new_accounts.append((candidate, password))
        _apply_arrangements(candidate, row)
        if candidate.id in booked:
            result.already_booked += 1
            continue
        session.add(Booking(sitting=sitting, candidate=candidate))
        booked.add(candidate.id)
        result.booked += 1
    audit.record(session, now, "roster_uploaded", user, sitting_id=sitting.id,
                 booked=result.booked, new_accounts=len(result.new_accounts))
    return result


def _roster_conflicts(session: Session, sitting: Sitting, rows: list[RosterRow]) -> list[str]:
    """Return rows that clash with existing accounts (a name or username that does not match)."""
    problems = []
    for row in rows:
        existing = session.scalar(select(User).where(
            User.centre_id == sitting.centre_id, User.candidate_number == row.candidate_number))
        if existing is not None:
            if existing.full_name.casefold() != row.full_name.casefold():
                problems.append(f"line {row.line}: candidate {row.candidate_number} is registered "
                                f"as {existing.full_name!r}, not {row.full_name!r}.")
            continue
        username = row.username or _username(sitting, row)
        if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
            problems.append(f"line {row.line}: username {username!r} is already taken.")
    return problems


def _username(sitting: Sitting, row: RosterRow) -> str:
    return f"{sitting.centre.code}-{row.candidate_number}".lower()


def _first_password() -> str:
    """Return a password that is easy to type from a printed slip."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def _apply_arrangements(candidate: User, row: RosterRow) -> None:
    """Record access arrangements given in the roster (blank columns leave them as they were)."""
    if row.extra_time_percent is not None:
        candidate.extra_time_percent = row.extra_time_percent
    if row.large_text is not None:
        candidate.large_text = row.large_text
    if row.high_contrast is not None:
        candidate.high_contrast = row.high_contrast


# --- opening and closing ----------------------------------------------------------------------------

def _check_not_closed(sitting: Sitting) -> None:
    if sitting.status == "closed":
        raise Refused("This sitting is closed.")


def open_sitting(session: Session, sitting: Sitting, user: User, now: datetime) -> Sitting:
    """Open the sitting and issue its keycode."""
    _check_not_closed(sitting)
    if sitting.status == "open":
        return sitting
    if now > sitting.ends_at:
        raise Refused("This sitting's window has ended; schedule a new sitting.")
    sitting.status = "open"
    sitting.keycode = delivery.new_keycode(session)
    sitting.opened_at = now
    audit.record(session, now, "sitting_opened", user, sitting_id=sitting.id)
    return sitting


def close_sitting(session: Session, sitting: Sitting, user: User, now: datetime,
                  grace: timedelta) -> list[int]:
    """Close the sitting: submit every attempt still in progress; no new attempt can start."""
    if sitting.status == "closed":
        return []
    submitted = []
    for attempt in _attempts(session, sitting, lock=True):
        if delivery.finalise_if_due(session, attempt, now, grace):
            continue
        if attempt.status == "in_progress":
            delivery.submit(session, attempt, now, "closed", actor=user)
            submitted.append(attempt.id)
    sitting.status = "closed"
    sitting.closed_at = now
    audit.record(session, now, "sitting_closed", user, sitting_id=sitting.id,
                 submitted=len(submitted))
    return submitted


def _attempts(session: Session, sitting: Sitting, lock: bool = False) -> list[Attempt]:
    query = select(Attempt).where(Attempt.sitting_id == sitting.id).order_by(Attempt.id)
    return session.scalars(query.with_for_update() if lock else query).all()


# --- one candidate, or the whole room ---------------------------------------------------------------

def _check_running(attempt: Attempt) -> None:
    if attempt.status != "in_progress":
        raise Refused(f"This attempt is {attempt.status.replace('_', ' ')}, so it cannot be changed.")


def pause(session: Session, attempt: Attempt, user: User, now: datetime, reason: str = "") -> None:
    """Stop the candidate's clock and hide their questions."""
    _check_running(attempt)
    if attempt.paused_since is not None:
        return
    if attempt.on_break_since is not None:  # the break ends (counted up to now), the pause starts
        breaks.end_break(session, attempt, user, now, reason="paused by the invigilator")
    attempt.set_clock(attempt.clock.pause(now))
    audit.record(session, now, "attempt_paused", user, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason or None)


def resume(session: Session, attempt: Attempt, user: User, now: datetime, reason: str = "") -> None:
    """Restart the candidate's clock with the time they had left at the pause."""
    _check_running(attempt)
    if attempt.paused_since is None:
        return
    paused_for = now - attempt.paused_since
    attempt.set_clock(attempt.clock.resume(now))
    audit.record(session, now, "attempt_resumed", user, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason or None,
                 paused_seconds=round(paused_for.total_seconds()))


def pause_all(session: Session, sitting: Sitting, user: User, now: datetime, reason: str,
              grace: timedelta) -> int:
    """Pause every attempt in progress in the room; return how many were paused."""
    count = 0
    for attempt in _attempts(session, sitting, lock=True):
        delivery.finalise_if_due(session, attempt, now, grace)
        if attempt.status == "in_progress" and attempt.paused_since is None:
            pause(session, attempt, user, now, reason or "whole room paused")
            count += 1
    audit.record(session, now, "room_paused", user, sitting_id=sitting.id, reason=reason or None,
                 attempts=count)
    return count


def resume_all(session: Session, sitting: Sitting, user: User, now: datetime, reason: str = "") -> int:
    """Resume every paused attempt in the room; return how many were resumed."""
    count = 0
    for attempt in _attempts(session, sitting, lock=True):
        if attempt.status == "in_progress" and attempt.paused_since is not None:
            resume(session, attempt, user, now, reason or "whole room resumed")
            count += 1
    audit.record(session, now, "room_resumed", user, sitting_id=sitting.id, reason=reason or None,
                 attempts=count)
    return count


def grant_extra_time(session: Session, attempt: Attempt, user: User, now: datetime, *,
                     minutes: int | None = None, percent: int | None = None,
                     reason: str) -> timedelta:
    """Give one candidate more time, in minutes or as a percentage of the test's duration."""
    _check_running(attempt)
    if not reason.strip():
        raise BadRequest("Give a reason for the extra time (for example, an access arrangement).")
    if (minutes is None) == (percent is None):
        raise BadRequest("Give the extra time either in minutes or as a percentage, not both.")
    if minutes is not None:
        if not 1 <= minutes <= MAX_EXTRA_MINUTES:
            raise BadRequest(f"Extra minutes must be from 1 to {MAX_EXTRA_MINUTES}.")
        extra = timedelta(minutes=minutes)
    else:
        if not 1 <= percent <= 100:
            raise BadRequest("An extra-time percentage must be from 1 to 100.")
        extra = percent_of(timedelta(seconds=attempt.duration_seconds), percent)
    attempt.set_clock(attempt.clock.with_extra(extra))
    audit.record(session, now, "extra_time_granted", user, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason.strip(),
                 extra_seconds=int(extra.total_seconds()), minutes=minutes, percent=percent)
    return extra


def void(session: Session, attempt: Attempt, user: User, now: datetime, category: str,
         note: str = "") -> None:
    """Void an attempt: it is not scored, not reported and cannot be resumed."""
    if category not in VOID_REASONS:
        raise BadRequest(f"The reason must be one of: {', '.join(VOID_REASONS)}.")
    if category in ("malpractice", "other") and not note.strip():
        raise BadRequest(f"Describe what happened when the reason is {category}.")
    if attempt.status == "voided":
        raise Refused("This attempt is already voided.")
    previous = attempt.status
    attempt.status = "voided"
    attempt.void_reason = category + (f": {note.strip()}" if note.strip() else "")
    attempt.paused_since = None
    attempt.submitted_at = attempt.submitted_at or now
    audit.record(session, now, "attempt_voided", user, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=attempt.void_reason, previous_status=previous)


# --- the live board and the trail ------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    """One booked candidate as the invigilator sees them."""

    candidate_id: int
    candidate_number: str
    name: str
    arrangements: str
    state: str  # not_started, waiting, in_progress, paused, on_break, submitted, voided
    attempt_id: int | None
    answered: int
    questions: int
    remaining_seconds: float | None
    extra_seconds: int
    last_seen_at: datetime | None

    def to_dict(self, now: datetime) -> dict:
        """Return the row as JSON-ready data for the board's script."""
        seen = None if self.last_seen_at is None else round((now - self.last_seen_at).total_seconds())
        return {"candidate_id": self.candidate_id, "candidate_number": self.candidate_number,
                "name": self.name, "arrangements": self.arrangements, "state": self.state,
                "attempt_id": self.attempt_id, "answered": self.answered,
                "questions": self.questions, "remaining_seconds": self.remaining_seconds,
                "extra_seconds": self.extra_seconds, "last_seen_seconds_ago": seen}


def board(session: Session, sitting: Sitting, now: datetime) -> list[BoardRow]:
    """Return every booked candidate's state, answered count and time left, in three queries."""
    bookings = session.execute(
        select(Booking, User).join(User, User.id == Booking.candidate_id)
        .where(Booking.sitting_id == sitting.id)
        .order_by(User.candidate_number, User.full_name)).all()
    attempts = {a.candidate_id: a for a in _attempts(session, sitting)}
    answered = dict(session.execute(
        select(AttemptQuestion.attempt_id, func.count())
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.sitting_id == sitting.id, AttemptQuestion.chosen.is_not(None))
        .group_by(AttemptQuestion.attempt_id)).all())
    questions = sitting.blueprint.to_domain().total_questions
    rows = []
    for booking, candidate in bookings:
        attempt = attempts.get(candidate.id)
        if attempt is None:
            state = "waiting" if booking.admitted_at is not None else "not_started"
            remaining = None
        else:
            state = attempt_state(attempt, now)
            remaining = (round(attempt.clock.remaining(now).total_seconds(), 1)
                         if attempt.status == "in_progress" else None)
        rows.append(BoardRow(
            candidate_id=candidate.id, candidate_number=candidate.candidate_number or "",
            name=candidate.full_name, arrangements=arrangements_text(candidate), state=state,
            attempt_id=attempt.id if attempt else None,
            answered=answered.get(attempt.id, 0) if attempt else 0, questions=questions,
            remaining_seconds=remaining, extra_seconds=attempt.extra_seconds if attempt else 0,
            last_seen_at=attempt.last_seen_at if attempt else booking.admitted_at))
    return rows


def arrangements_text(candidate: User) -> str:
    """Return a candidate's access arrangements in a few words."""
    parts = []
    if candidate.extra_time_percent:
        parts.append(f"{candidate.extra_time_percent}% extra time")
    if candidate.large_text:
        parts.append("large text")
    if candidate.high_contrast:
        parts.append("high contrast")
    if candidate.rest_break_minutes:
        parts.append(f"{candidate.rest_break_minutes} min rest breaks")
    return ", ".join(parts)


def trail(session: Session, sitting: Sitting) -> list[audit.AuditEvent]:
    """Return the sitting's audit trail, oldest first."""
    return session.scalars(select(audit.AuditEvent).where(audit.AuditEvent.sitting_id == sitting.id)
                           .order_by(audit.AuditEvent.at, audit.AuditEvent.id)).all()
