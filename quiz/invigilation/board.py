"""The live board's rules: what each candidate's row says, what stands out, and what may be done.

Plain Python (no Flask, no database), taking `now` as an argument, so the page, its JSON and the
tests all read the same answers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

# A candidate's page checks in every few seconds (QUIZ_STATUS_POLL_SECONDS, 10 by default), so a
# minute of silence is six missed check-ins: a closed laptop, a dropped network or a candidate who
# walked away, and worth the invigilator's eyes. Short enough to matter in a 45-minute test, long
# enough that one slow request never raises it.
SILENT_AFTER = timedelta(seconds=60)

STATE_WORDS = {
    "not_started": "Not started",
    "waiting": "Waiting to start",
    "in_progress": "In progress",
    "paused": "Paused",
    "on_break": "On a break",
    "submitted": "Submitted",
    "voided": "Voided",
}
# The attempt is under way (its clock exists and may still change).
RUNNING = ("in_progress", "paused", "on_break")
ENDED = ("submitted", "voided")

# Which actions each state offers, while the sitting is open. After close nothing is offered.
_ACTIONS = {
    "in_progress": ("pause", "break_start", "extra_time", "void", "message"),
    "paused": ("resume", "extra_time", "void", "message"),
    "on_break": ("break_end", "extra_time", "void", "message"),
    "waiting": (),  # a message needs an attempt: their screen shows it once they start
    "not_started": (),
    "submitted": (),
    "voided": (),
}


def extra_words(seconds: int) -> str:
    """Return extra time as the board shows it: "+10 min", "+11 min 15 s", or "" for none."""
    if seconds <= 0:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"+{rest} s"
    return f"+{minutes} min" + (f" {rest} s" if rest else "")


def minutes_words(seconds: float) -> str:
    """Return a span of time as "7 min", "6 min 30 s" or "45 s"."""
    minutes, rest = divmod(max(0, round(seconds)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def ago_words(seconds: float) -> str:
    """Return how long ago, in words a glance can take: "8 s ago", "2 min 5 s ago"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s ago"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min ago"


@dataclass(frozen=True)
class BoardRow:
    """One booked candidate as the invigilator sees them."""

    candidate_id: int
    candidate_number: str
    name: str
    arrangements: str
    state: str  # one of STATE_WORDS
    attempt_id: int | None
    answered: int
    questions: int
    remaining_seconds: float | None
    extra_seconds: int
    last_seen_at: datetime | None
    break_allowance_seconds: int | None = None  # None: no rest-break allowance
    break_used_seconds: float = 0.0
    on_break_since: datetime | None = None
    break_allowed: bool = False  # a break may be started (allowance left)

    @property
    def running(self) -> bool:
        """Return whether the candidate's attempt is under way."""
        return self.state in RUNNING

    @property
    def ended(self) -> bool:
        """Return whether the attempt is submitted or voided, so nothing about it changes."""
        return self.state in ENDED

    def heard_seconds_ago(self, now: datetime) -> int | None:
        """Return seconds since the candidate was last heard from, only while the attempt runs.

        Once it has ended the question no longer applies: the board shows when they were last
        heard from instead of a count that would keep growing.
        """
        if not self.running or self.last_seen_at is None:
            return None
        return max(0, round((now - self.last_seen_at).total_seconds()))

    def silent(self, now: datetime) -> bool:
        """Return whether a running attempt has not been heard from for too long."""
        ago = self.heard_seconds_ago(now)
        return ago is not None and ago >= SILENT_AFTER.total_seconds()

    def actions(self, sitting_status: str) -> tuple[str, ...]:
        """Return the actions offered on this candidate while the sitting has this status."""
        if sitting_status != "open":
            return ()
        offered = _ACTIONS.get(self.state, ())
        if not self.break_allowed:
            offered = tuple(a for a in offered if a != "break_start")
        return offered

    def break_words(self) -> str:
        """Return the rest-break allowance as the board shows it, or "" without one."""
        if self.break_allowance_seconds is None:
            return ""
        allowance = minutes_words(self.break_allowance_seconds)
        left = minutes_words(self.break_allowance_seconds - self.break_used_seconds)
        if self.on_break_since is not None:
            return f"On a break: {left} of {allowance} left"
        if self.break_used_seconds <= 0:
            return f"{allowance} allowed, none used"
        return f"{left} of {allowance} left"

    def to_dict(self, now: datetime, sitting_status: str,
                local: Callable[[datetime], str]) -> dict:
        """Return the row as JSON-ready data for the board's script; `local` formats a time."""
        ago = self.heard_seconds_ago(now)
        return {
            "candidate_id": self.candidate_id, "candidate_number": self.candidate_number,
            "name": self.name, "arrangements": self.arrangements, "state": self.state,
            "state_words": STATE_WORDS[self.state], "attempt_id": self.attempt_id,
            "answered": self.answered, "questions": self.questions,
            "remaining_seconds": self.remaining_seconds, "extra_seconds": self.extra_seconds,
            "extra_words": extra_words(self.extra_seconds),
            "last_seen_at": self.last_seen_at.isoformat() if self.last_seen_at else None,
            "last_seen_local": local(self.last_seen_at) if self.last_seen_at else None,
            "last_seen_seconds_ago": ago,
            "last_seen_words": ago_words(ago) if ago is not None else None,
            "silent": self.silent(now),
            "break": None if self.break_allowance_seconds is None else {
                "allowance_seconds": self.break_allowance_seconds,
                "used_seconds": round(self.break_used_seconds),
                "on_break_since": self.on_break_since.isoformat() if self.on_break_since else None,
                "on_break_since_local": local(self.on_break_since) if self.on_break_since else None,
            },
            "break_words": self.break_words(),
            "actions": list(self.actions(sitting_status)),
        }
