"""The item bank's plain-Python shapes: blueprints and items, free of Flask and SQLAlchemy."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

STATUSES = ("draft", "in_review", "live", "retired")
DIFFICULTIES = ("easy", "medium", "hard")
OPTION_LETTERS = ("A", "B", "C", "D")
# What an item asks the candidate to do. Decision and application items ask the candidate to use
# the Range in a situation; recall and label items ask them to name part of it. The README says
# how each is told apart; the blueprint sets the least share of the first two.
FORMS = ("recall", "label", "decision", "application")
APPLIED_FORMS = ("decision", "application")


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
    minimum_live_per_range_point: int = 0
    minimum_decision_or_application_percent: float = 0

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
            "minimum_live_per_range_point": self.minimum_live_per_range_point,
            "minimum_decision_or_application_percent":
                self.minimum_decision_or_application_percent,
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
            minimum_live_per_range_point=int(data.get("minimum_live_per_range_point", 0)),
            minimum_decision_or_application_percent=float(
                data.get("minimum_decision_or_application_percent", 0)),
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
    # Items that must never share a paper with this one; () means checked and none. A draft may
    # not be complete yet: None (enemies not checked), () range_ids and "" form say "not given",
    # and the draft cannot go for review until all three are given (fields.missing_for_review).
    enemies: tuple[str, ...] | None = ()
    range_ids: tuple[str, ...] = ()  # the Range points the key depends on, e.g. "1.4/coach/..."
    form: str = ""  # one of FORMS


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
class RangePoint:
    """One point of a criterion's Range in the handbook: what items are written to test."""

    id: str  # "1.4/coachee/self-confidence": criterion, the list it sits in, the point
    criterion: str
    section: str  # the handbook's heading: "Benefits", "Challenges", "Skills", ...
    group: str  # the sub-list it sits in ("to coachee"), or "" directly under the section
    text: str  # the handbook's words
    line: int = field(default=0, compare=False)  # where it is in range.yaml, for messages


@dataclass(frozen=True)
class RangeList:
    """A unit's Range points in handbook order, as read from the bank's range.yaml."""

    bank: str
    points: tuple[RangePoint, ...]
    path: str = field(default="", compare=False)
    # range.yaml as written, comments and all, so an export gives back the file people wrote.
    text: str = field(default="", compare=False, repr=False)

    def get(self, point_id: str) -> RangePoint | None:
        """Return the point with this id, or None."""
        return self._by_id.get(point_id)

    def for_criterion(self, criterion: str) -> tuple[RangePoint, ...]:
        """Return a criterion's points in handbook order."""
        return tuple(p for p in self.points if p.criterion == criterion)

    @cached_property
    def _by_id(self) -> dict[str, RangePoint]:
        return {p.id: p for p in self.points}

    def to_dict(self) -> dict:
        """Return the points as JSON-ready data, in handbook order."""
        return {"bank": self.bank, "points": [
            {"id": p.id, "criterion": p.criterion, "section": p.section, "group": p.group,
             "text": p.text, "line": p.line} for p in self.points]}

    @classmethod
    def from_dict(cls, data: dict) -> RangeList:
        """Build a Range list from data made by to_dict."""
        return cls(bank=data["bank"], points=tuple(
            RangePoint(p["id"], p["criterion"], p["section"], p["group"], p["text"],
                       int(p.get("line", 0))) for p in data["points"]))


@dataclass(frozen=True)
class Candidate:
    """An item as assembly sees it: a live item version, its tags and its enemies."""

    item_id: str
    version_id: int
    outcome: int
    criterion: str
    options: tuple[str, ...] = OPTION_LETTERS
    enemies: frozenset[str] = field(default_factory=frozenset)
