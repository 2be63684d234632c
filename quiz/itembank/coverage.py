"""How well a bank covers its blueprint: live items against what each paper draws (pure)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from quiz.itembank.domain import Blueprint


@dataclass(frozen=True)
class CriterionCoverage:
    """Live items for one criterion against the questions a paper draws from it."""

    code: str
    title: str
    live: int
    per_paper: float  # questions a paper draws from this criterion when spread evenly
    minimum: int  # the blueprint's minimum live items per criterion (0: none set)

    @property
    def papers(self) -> int:
        """Return how many papers this criterion could supply with no item repeated."""
        return int(self.live // self.per_paper) if self.per_paper else 0


@dataclass(frozen=True)
class OutcomeCoverage:
    """Live items for one outcome against the questions each paper draws from it."""

    number: int
    title: str
    questions: int
    live: int
    criteria: tuple[CriterionCoverage, ...]

    @property
    def papers(self) -> int:
        """Return how many papers with no item in common the outcome could fill, spread evenly."""
        return min([c.papers for c in self.criteria] + [self.live // self.questions])


@dataclass(frozen=True)
class Coverage:
    """A bank's coverage of its blueprint."""

    blueprint: Blueprint
    outcomes: tuple[OutcomeCoverage, ...]
    statuses: dict[str, int]

    @property
    def disjoint_papers(self) -> int:
        """Return how many full papers could be assembled with no item in common."""
        return min(o.papers for o in self.outcomes)

    def to_dict(self) -> dict:
        """Return the coverage as JSON-ready data."""
        return {
            "blueprint": self.blueprint.code, "statuses": self.statuses,
            "disjoint_papers": self.disjoint_papers,
            "outcomes": [{
                "outcome": o.number, "title": o.title, "questions_per_paper": o.questions,
                "live": o.live, "disjoint_papers": o.papers,
                "criteria": [{"criterion": c.code, "title": c.title, "live": c.live,
                              "per_paper": c.per_paper, "minimum": c.minimum,
                              "disjoint_papers": c.papers} for c in o.criteria],
            } for o in self.outcomes]}


def coverage(blueprint: Blueprint, items) -> Coverage:
    """Count live items per outcome and criterion of a blueprint (items: anything with
    .status and .criterion)."""
    statuses = Counter(item.status for item in items)
    live = Counter(item.criterion for item in items if item.status == "live")
    outcomes = []
    for outcome in blueprint.outcomes:
        per_paper = outcome.questions / len(outcome.criteria)
        criteria = tuple(CriterionCoverage(code, title, live[code], per_paper,
                                           blueprint.minimum_live_per_criterion)
                         for code, title in outcome.criteria.items())
        outcomes.append(OutcomeCoverage(outcome.number, outcome.title, outcome.questions,
                                        sum(c.live for c in criteria), criteria))
    return Coverage(blueprint, tuple(outcomes), dict(sorted(statuses.items())))


def render(report: Coverage) -> list[str]:
    """Return the coverage as lines of a plain-text table."""
    lines = [f"{report.blueprint.code} {report.blueprint.title}: "
             + ", ".join(f"{n} {status}" for status, n in report.statuses.items())]
    lines.append(f"{'':<6}{'':<52}{'live':>6}{'per paper':>11}{'minimum':>9}{'papers':>8}")
    for o in report.outcomes:
        lines.append(f"{'LO' + str(o.number):<6}{o.title[:50]:<52}{o.live:>6}{o.questions:>11}"
                     f"{'':>9}{o.papers:>8}")
        for c in o.criteria:
            short = "  " + c.title[:48]
            flag = "  < minimum" if c.minimum and c.live < c.minimum else ""
            lines.append(f"{'  ' + c.code:<6}{short:<52}{c.live:>6}{c.per_paper:>11.1f}"
                         f"{c.minimum or '':>9}{c.papers:>8}{flag}")
    lines.append(f"Papers that could be assembled with no item in common: {report.disjoint_papers} "
                 "(each outcome's questions spread evenly over its criteria)")
    return lines
