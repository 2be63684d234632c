"""Shape an attempt for the candidate's screens: what they may see, and never the key."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quiz.delivery.models import Attempt, AttemptQuestion

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


def navigator(attempt: Attempt) -> list[NavEntry]:
    """Return every question's answered and flagged state, in paper order."""
    return [NavEntry(q.position, q.chosen is not None, q.flagged) for q in attempt.questions]


def question_screen(question: AttemptQuestion) -> dict:
    """Return the stem and the options in this candidate's order, labelled A-D as shown."""
    version = question.item_version
    options = [{"index": i, "label": DISPLAY_LETTERS[i], "text": version.options[letter]}
               for i, letter in enumerate(question.option_order)]
    chosen = None if question.chosen is None else question.option_order.index(question.chosen)
    return {"position": question.position, "stem": version.stem, "options": options,
            "chosen": chosen, "flagged": question.flagged}


def paper(attempt: Attempt, questions: list[AttemptQuestion], now: datetime) -> dict:
    """Return the whole paper for the page to hold: each question as shown, and the status.

    Each question carries the sequence numbers of its answer and flag, so the page can tell
    whether an answer it still has queued is newer than the one the server holds. Options are
    display positions only: the stored letters and the key never leave the server.
    """
    screens = []
    for question in questions:
        screen = question_screen(question)
        screen.update(seq=question.seq, flag_seq=question.flag_seq)
        screens.append(screen)
    return {"attempt_id": attempt.id, "total": len(screens), "questions": screens,
            "status": status_payload(attempt, now)}


def timing(attempt: Attempt, now: datetime) -> dict:
    """Return the clock as the browser needs it: seconds left by the server's reckoning."""
    clock = attempt.clock
    return {
        "remaining_seconds": round(clock.remaining(now).total_seconds(), 1),
        "deadline": clock.deadline(now).isoformat(),
        "paused": clock.is_paused,
        "server_time": now.isoformat(),
        "extra_seconds": attempt.extra_seconds,
    }


def status_payload(attempt: Attempt, now: datetime) -> dict:
    """Return the attempt's state for the status poll."""
    answered = sum(1 for q in attempt.questions if q.chosen is not None)
    return {"state": attempt_state(attempt), "answered": answered,
            "questions": len(attempt.questions), "last_seq": attempt.last_seq, **timing(attempt, now)}


def attempt_state(attempt: Attempt) -> str:
    """Return the attempt's state as people name it."""
    if attempt.status == "in_progress":
        return "paused" if attempt.paused_since is not None else "in_progress"
    return attempt.status


def results_visible(attempt: Attempt) -> bool:
    """Return whether the candidate may see their result now."""
    sitting = attempt.sitting
    return attempt.status == "submitted" and (
        sitting.results_policy == "instant" or sitting.results_released_at is not None)
