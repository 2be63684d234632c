"""Rest breaks: a supervised break that stops the candidate's clock, up to their allowance.

The candidate or the invigilator starts and ends a break; each is recorded in the audit trail in
the caller's transaction. The rule about time is `AttemptClock` (clock.py); the caller commits.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from quiz import audit
from quiz.delivery.models import Attempt
from quiz.errors import Refused

REFUSALS = {
    "paused": "The test is paused, so a rest break cannot start. Resume it first.",
    "on_break": "A rest break is already running.",
    "no_allowance": "No rest-break time is left for this test.",
    "time_up": "Time is up, so a rest break cannot start.",
}


def start_break(session: Session, attempt: Attempt, actor, now: datetime, reason: str = "") -> None:
    """Stop the candidate's clock for a rest break, or raise Refused and change nothing."""
    _check_running(attempt)
    clock = attempt.clock
    if clock.break_allowance <= timedelta(0):
        raise Refused("This candidate has no rest-break allowance.")
    refusal = clock.break_refusal(now)
    if refusal is not None:
        raise Refused(REFUSALS[refusal])
    attempt.set_clock(clock.start_break(now))
    audit.record(session, now, "break_started", actor, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason.strip() or None,
                 left_seconds=_seconds(clock.break_left(now)))


def end_break(session: Session, attempt: Attempt, actor, now: datetime, reason: str = "") -> None:
    """Restart the candidate's clock after a rest break, or raise Refused if none is running.

    A break that ran past the allowance counts only the allowance.
    """
    _check_running(attempt)
    clock = attempt.clock
    if clock.on_break_since is None:
        raise Refused("There is no rest break to end.")
    ended = clock.end_break(now)
    attempt.set_clock(ended)
    audit.record(session, now, "break_ended", actor, sitting_id=attempt.sitting_id,
                 attempt_id=attempt.id, reason=reason.strip() or None,
                 break_seconds=_seconds(ended.break_used - clock.break_used),
                 used_seconds=_seconds(ended.break_used), left_seconds=_seconds(ended.break_left(now)))


def _check_running(attempt: Attempt) -> None:
    if attempt.status != "in_progress":
        raise Refused(f"This attempt is {attempt.status.replace('_', ' ')}, so its rest breaks "
                      "cannot change.")


def _seconds(delta: timedelta) -> int:
    return round(delta.total_seconds())
