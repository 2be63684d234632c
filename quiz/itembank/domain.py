"""The item bank's plain-Python shapes: blueprints and items, free of Flask and SQLAlchemy."""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("draft", "in_review", "live", "retired")
DIFFICULTIES = ("easy", "medium", "hard")
OPTION_LETTERS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class OutcomeSpec:
    """One learning outcome of a unit and how many questions a paper draws from it."""

    number: int
    title: str
    questions: int
    criteria: dict[str, str]  # code ("1.1") -> title, in handbook order


@dataclass(frozen=True)
class Blueprint:
    """A unit's test specification: what every paper must contain, and for how long."""

    code: str  # "2794-03/315": units repeat across qualifications, so always qualified
    qualification: str
    unit: str
    title: str
    duration_minutes: int
    pass_mark_percent: float
    outcomes: tuple[OutcomeSpec, ...]
    qualification_title: str = ""
    minimum_live_per_criterion: int = 0

    @property
    def total_questions(self) -> int:
        """Return how many questions a paper holds."""
        return sum(o.questions for o in self.outcomes)

    def outcome_of(self, criterion: str) -> int | None:
        """Return the outcome a criterion belongs to, or None if the blueprint lacks it."""
        for outcome in self.outcomes:
            if criterion in outcome.criteria:
                return outcome.number
        return None

    def outcome(self, number: int) -> OutcomeSpec:
        """Return the outcome with this number."""
        return next(o for o in self.outcomes if o.number == number)

    def to_dict(self) -> dict:
        """Return the blueprint as JSON-ready data."""
        return {
            "code": self.code,
            "qualification": self.qualification,
            "qualification_title": self.qualification_title,
            "unit": self.unit,
            "title": self.title,
            "duration_minutes": self.duration_minutes,
            "pass_mark_percent": self.pass_mark_percent,
            "minimum_live_per_criterion": self.minimum_live_per_criterion,
            "outcomes": [
                {"number": o.number, "title": o.title, "questions": o.questions,
                 "criteria": dict(o.criteria)}
                for o in self.outcomes
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Blueprint:
        """Build a blueprint from data made by to_dict."""
        return cls(
            code=data["code"],
            qualification=data["qualification"],
            qualification_title=data.get("qualification_title", ""),
            unit=data["unit"],
            title=data["title"],
            duration_minutes=int(data["duration_minutes"]),
            pass_mark_percent=float(data["pass_mark_percent"]),
            minimum_live_per_criterion=int(data.get("minimum_live_per_criterion", 0)),
            outcomes=tuple(
                OutcomeSpec(int(o["number"]), o["title"], int(o["questions"]), dict(o["criteria"]))
                for o in data["outcomes"]
            ),
        )


@dataclass(frozen=True)
class ItemContent:
    """What a candidate is shown and how it is marked: the versioned part of an item."""

    stem: str
    options: dict[str, str]  # letter -> text, in stored order
    key: str
    rationale: str = ""
    difficulty: str = "medium"
    enemies: tuple[str, ...] = ()


@dataclass(frozen=True)
class BankItem:
    """An item as authored in a bank: its identity, tags, status and content."""

    item_id: str
    bank: str
    criterion: str
    outcome: int
    status: str
    content: ItemContent
    line: int = 0  # where the item starts in its file, for messages
    path: str = ""


@dataclass(frozen=True)
class Candidate:
    """An item as assembly sees it: a live item version, its tags and its enemies."""

    item_id: str
    version_id: int
    outcome: int
    criterion: str
    options: tuple[str, ...] = OPTION_LETTERS
    enemies: frozenset[str] = field(default_factory=frozenset)
