"""Shape an attempt for the candidate's screens: what they may see, and never the key."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.invigilation.messages import RoomMessage, messages_for

DISPLAY_LETTERS = "ABCDEFGH"


@dataclass(frozen=True)
class NavEntry:
    """One question in the navigator."""

    position: int
    answered: bool
    flagged: bool

    @property
    def state(self) -> str:
        """Return the words a screen reader hears for this question's state."""
        words = "answered" if self.answered else "not answered"
        return words + (", flagged for review" if self.flagged else "")


def navigator(attempt: Attempt, questions: list[AttemptQuestion] | None = None) -> list[NavEntry]:
    """Return every question's answered and flagged state, in paper order (from the questions
    already read, if given)."""
    return [NavEntry(q.position, q.chosen is not None, q.flagged)
            for q in (attempt.questions if questions is None else questions)]


def question_screen(question: AttemptQuestion) -> dict:
    """Return the stem and the options in this candidate's order, labelled A-D as shown."""
    return screen(question.item_version, question.option_order, question.position,
                  question.chosen, question.flagged)


def screen(version, option_order, position: int = 1, chosen: str | None = None,
           flagged: bool = False) -> dict:
    """Return a version (stem and options by stored letter) as the candidate's page shows it.

    option_order is the stored letters in the order shown, labelled A-D as shown; chosen is a
    stored letter or None. The item writers' preview uses this too, so it cannot drift from
    what a candidate sees.
    """
    options = [{"index": i, "label": DISPLAY_LETTERS[i], "text": version.options[letter]}
               for i, letter in enumerate(option_order)]
    shown = None if chosen is None else list(option_order).index(chosen)
    return {"position": position, "stem": version.stem, "options": options, "chosen": shown,
            "flagged": flagged}


def paper(session: Session, attempt: Attempt, questions: list[AttemptQuestion],
          now: datetime) -> dict:
    """Return the whole paper for the page to hold: each question as shown, and the status.

    Each question carries the sequence numbers of its answer and flag, so the page can tell
    whether an answer it still has queued is newer than the one the server holds. Options are
    display positions only: the stored letters and the key never leave the server.
    """
    return _paper(attempt, [(q, q.item_version) for q in questions],
                  status_payload(session, attempt, now, questions))


def paper_of(attempt, questions, messages, now: datetime) -> dict:
    """Return the paper (as paper() does) from rows: the attempt's columns (fastpath.AttemptRow),
    each question's columns with its version's stem and options, and the room's messages."""
    answered = sum(1 for q in questions if q.chosen is not None)
    return _paper(attempt, [(q, q) for q in questions],
                  status_of(attempt, answered, len(questions), messages, now))


def _paper(attempt, questions_and_versions, status: dict) -> dict:
    screens = []
    for question, version in questions_and_versions:
        shown = screen(version, question.option_order, question.position, question.chosen,
                       question.flagged)
        shown.update(seq=question.seq, flag_seq=question.flag_seq)
        screens.append(shown)
    return {"attempt_id": attempt.id, "total": len(screens), "questions": screens,
            "status": status}


def timing(attempt: Attempt, now: datetime) -> dict:
    """Return the clock as the browser needs it: seconds left by the server's reckoning.

    The attempt may be a row of the attempt's columns (fastpath.AttemptRow) as well.
    """
    clock = attempt.clock
    return {
        "remaining_seconds": round(clock.remaining(now).total_seconds(), 1),
        "deadline": clock.deadline(now).isoformat(),
        "paused": clock.is_paused,
        "server_time": now.isoformat(),
        "extra_seconds": attempt.extra_seconds,
    }


def status_payload(session: Session, attempt: Attempt, now: datetime,
                   questions: list[AttemptQuestion] | None = None) -> dict:
    """Return the attempt's state for the status poll and the event stream (docs/pages.md).

    The counts come from the questions already read, if given, else from one counting query:
    the questions themselves are not loaded for them.
    """
    if questions is None:
        answered, total = session.execute(
            select(func.count(AttemptQuestion.chosen), func.count(AttemptQuestion.id))
            .where(AttemptQuestion.attempt_id == attempt.id)).one()
    else:
        answered = sum(1 for q in questions if q.chosen is not None)
        total = len(questions)
    return status_of(attempt, answered, total, messages_for(session, attempt), now)


def status_of(attempt, answered: int, questions: int, messages, now: datetime) -> dict:
    """Return the status payload from an attempt (or a row of its columns), its counts and its
    messages (RoomMessage objects or rows with the same names)."""
    return {"state": attempt_state(attempt, now), "answered": answered,
            "questions": questions, "last_seq": attempt.last_seq,
            **timing(attempt, now), "break": rest_break(attempt, now),
            "messages": [message_payload(m, attempt) for m in messages]}


def rest_break(attempt: Attempt, now: datetime) -> dict | None:
    """Return the candidate's rest-break allowance and use, or None if they have no allowance."""
    if not attempt.break_allowance_seconds:
        return None
    clock = attempt.clock
    on_break = attempt.is_open and clock.is_on_break(now)
    return {"allowance_seconds": attempt.break_allowance_seconds,
            "used_seconds": round(clock.break_time(now).total_seconds(), 1),
            "left_seconds": round(clock.break_left(now).total_seconds(), 1),
            "on_break": on_break,
            "since": clock.on_break_since.isoformat() if on_break else None}


def message_payload(message: RoomMessage, attempt: Attempt) -> dict:
    """Return one room message as the candidate's page shows it."""
    return {"id": message.id, "body": message.body, "from": message.sender_name,
            "sent_at": message.sent_at.isoformat(),
            "to": "room" if message.attempt_id is None else "you"}


def attempt_state(attempt: Attempt, now: datetime) -> str:
    """Return the attempt's state as people name it: in_progress, paused, on_break, or its status."""
    if attempt.status == "in_progress":
        if attempt.paused_since is not None:
            return "paused"
        return "on_break" if attempt.clock.is_on_break(now) else "in_progress"
    return attempt.status


def results_visible(attempt: Attempt) -> bool:
    """Return whether the candidate may see their result now."""
    sitting = attempt.sitting
    return attempt.status == "submitted" and (
        sitting.results_policy == "instant" or sitting.results_released_at is not None)
