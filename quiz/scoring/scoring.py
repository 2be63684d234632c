"""Score an attempt: raw marks, percentage, pass/fail, and marks per outcome and criterion."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Response:
    """One question as scoring sees it: its tags, its key and what the candidate chose."""

    outcome: int
    criterion: str
    key: str
    chosen: str | None  # the stored option letter chosen, or None if unanswered
    marks: int = 1

    @property
    def is_correct(self) -> bool:
        """Return whether the chosen option is the key."""
        return self.chosen is not None and self.chosen == self.key


@dataclass(frozen=True)
class Tally:
    """Marks earned out of marks available."""

    marks: int = 0
    out_of: int = 0

    @property
    def percent(self) -> float:
        """Return marks as a percentage of what was available, to one decimal place."""
        return round(100 * self.marks / self.out_of, 1) if self.out_of else 0.0

    def add(self, earned: int, available: int) -> Tally:
        """Return this tally with more marks counted."""
        return Tally(self.marks + earned, self.out_of + available)


@dataclass(frozen=True)
class Result:
    """The score of one attempt."""

    total: Tally
    pass_mark_percent: float
    by_outcome: dict[int, Tally] = field(default_factory=dict)
    by_criterion: dict[str, Tally] = field(default_factory=dict)

    @property
    def raw(self) -> int:
        """Return the marks earned."""
        return self.total.marks

    @property
    def maximum(self) -> int:
        """Return the marks available."""
        return self.total.out_of

    @property
    def percent(self) -> float:
        """Return the percentage score."""
        return self.total.percent

    @property
    def passed(self) -> bool:
        """Return whether the percentage reaches the pass mark.

        Compared on exact marks, not the rounded percentage, so 17.99/30 never passes a 60% mark.
        """
        return self.total.out_of > 0 and \
            self.total.marks * 100 >= self.pass_mark_percent * self.total.out_of

    def to_dict(self) -> dict:
        """Return the result as JSON-ready data."""
        return {
            "raw": self.raw, "maximum": self.maximum, "percent": self.percent,
            "passed": self.passed, "pass_mark_percent": self.pass_mark_percent,
            "by_outcome": {str(k): {"marks": t.marks, "out_of": t.out_of, "percent": t.percent}
                           for k, t in sorted(self.by_outcome.items())},
            "by_criterion": {k: {"marks": t.marks, "out_of": t.out_of, "percent": t.percent}
                             for k, t in sorted(self.by_criterion.items())},
        }


def score(responses: list[Response], pass_mark_percent: float) -> Result:
    """Score a list of responses against a pass mark (a percentage)."""
    total = Tally()
    by_outcome: dict[int, Tally] = {}
    by_criterion: dict[str, Tally] = {}
    for response in responses:
        earned = response.marks if response.is_correct else 0
        total = total.add(earned, response.marks)
        by_outcome[response.outcome] = by_outcome.get(response.outcome, Tally()).add(
            earned, response.marks)
        by_criterion[response.criterion] = by_criterion.get(response.criterion, Tally()).add(
            earned, response.marks)
    return Result(total, pass_mark_percent, by_outcome, by_criterion)
