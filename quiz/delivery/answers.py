"""The rules of saving answers and flags, as plain functions of what is held and what arrived.

Both ways a save is stored call these: the ORM use case (service.save_answer, for the form that
works without JavaScript and for simulations) and the lean path of the answer API (fastpath.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from quiz.delivery.clock import AttemptClock
from quiz.errors import AttemptClosed, AttemptPaused, OnBreak, Refused, TimeUp

MAX_SEQ = 2**53  # what a browser can count to exactly


def is_seq(seq) -> bool:
    """Return whether a sequence number is a whole number counting up from 1."""
    return isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq < MAX_SEQ


def refusal(status: str, submitted_reason: str | None, clock: AttemptClock, now: datetime,
            grace: timedelta) -> Refused | None:
    """Return why an answer or flag arriving at now may not change the attempt, or None."""
    if status != "in_progress":
        if submitted_reason == "time":
            return TimeUp("Time is up: your answers were submitted automatically, so this change "
                          "was not saved.")
        return AttemptClosed("This test has been submitted, so this change was not saved.")
    if clock.is_paused:
        return AttemptPaused("Your test is paused by the invigilator, so this change was not saved.")
    if clock.is_on_break(now):
        return OnBreak("You are on a rest break, so this change was not saved. End the break to "
                       "carry on.")
    if not clock.accepts_answer(now, grace):
        return TimeUp("Time is up: this answer reached the server after the deadline and was not "
                      "saved.")
    return None


def outcome(held_seq: int, held, seq: int, arrived) -> str:
    """Return what a save (or flag) does to the value held for its question.

    "saved": it is newer, so it replaces what is held; "duplicate": the same save again (a
    retry), which changes nothing; "stale": older than what is held, or the same number with a
    different value, which changes nothing either.
    """
    if seq < held_seq or (seq == held_seq and arrived != held):
        return "stale"
    if seq == held_seq:
        return "duplicate"
    return "saved"
