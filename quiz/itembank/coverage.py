"""How well a bank covers its blueprint and its Range: live items against what is needed (pure)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from quiz.itembank.domain import Blueprint, RangeList, RangePoint


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


# Range points ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PointCoverage:
    """One Range point with the items that name it: live ones, and ones still being written."""

    point: RangePoint
    live: tuple[str, ...]  # item ids, sorted
    pending: tuple[str, ...]  # draft and in-review item ids, sorted

    def to_dict(self) -> dict:
        """Return the point's coverage as JSON-ready data."""
        p = self.point
        return {"id": p.id, "criterion": p.criterion, "section": p.section, "group": p.group,
                "text": p.text, "live": len(self.live), "live_items": list(self.live),
                "pending": len(self.pending), "pending_items": list(self.pending)}


@dataclass(frozen=True)
class RangeCoverage:
    """Every Range point of a bank with its live items, against the blueprint's minimum."""

    bank: str
    minimum: int  # the blueprint's minimum_live_per_range_point (0: none set)
    points: tuple[PointCoverage, ...]  # handbook order

    @property
    def floor(self) -> int:
        """Return the live items a point needs not to be a gap: the minimum, and at least one."""
        return max(self.minimum, 1)

    def below_minimum(self) -> list[PointCoverage]:
        """Return the points under the floor, fewest live items first, else in handbook order."""
        short = [p for p in self.points if len(p.live) < self.floor]
        return sorted(short, key=lambda p: len(p.live))  # sorted() is stable

    def criterion_summary(self, criterion: str) -> tuple[int, int, int]:
        """Return a criterion's points: how many, how many with no live item, how many short."""
        rows = [p for p in self.points if p.point.criterion == criterion]
        return (len(rows), sum(1 for p in rows if not p.live),
                sum(1 for p in rows if len(p.live) < self.floor))

    def counts(self) -> dict[int, int]:
        """Return how many points have 0, 1, 2, ... live items."""
        return dict(sorted(Counter(len(p.live) for p in self.points).items()))

    def to_dict(self) -> dict:
        """Return the coverage as JSON-ready data: a summary, then every point in handbook order."""
        return {"bank": self.bank, "points_total": len(self.points),
                "minimum_live_per_range_point": self.minimum,
                "points_by_live_count": {str(k): v for k, v in self.counts().items()},
                "below_minimum": [p.point.id for p in self.below_minimum()],
                "points": [p.to_dict() for p in self.points]}


def range_coverage(range_list: RangeList, minimum: int,
                   tagged: Iterable[tuple[str, str, Iterable[str]]]) -> RangeCoverage:
    """Count the items naming each Range point (tagged: (item id, status, range ids) triples)."""
    live: dict[str, list[str]] = {p.id: [] for p in range_list.points}
    pending: dict[str, list[str]] = {p.id: [] for p in range_list.points}
    for item_id, status, range_ids in tagged:
        into = live if status == "live" else pending if status in ("draft", "in_review") else None
        for point_id in set(range_ids or ()):
            if into is not None and point_id in into:
                into[point_id].append(item_id)
    return RangeCoverage(range_list.bank, minimum, tuple(
        PointCoverage(p, tuple(sorted(live[p.id])), tuple(sorted(pending[p.id])))
        for p in range_list.points))


def render_range(report: RangeCoverage) -> list[str]:
    """Return the Range coverage as plain-text lines: a summary, the gaps, then every point."""
    counts = report.counts()
    floor = report.floor
    short = report.below_minimum()
    lines = [f"{report.bank}: {len(report.points)} Range points; live items per point: "
             + ", ".join(f"{n} with {k}" for k, n in counts.items())]
    lines.append(f"{len(short)} point(s) with fewer than {floor} live item(s)"
                 + (" (the blueprint's minimum_live_per_range_point)" if report.minimum else ""))
    criterion = None
    lines.append(f"{'live':>4} {'pending':>7}  point")
    for row in report.points:
        if row.point.criterion != criterion:
            criterion = row.point.criterion
            lines.append(f"AC{criterion}")
        flag = "  < minimum" if len(row.live) < floor else ""
        lines.append(f"{len(row.live):>4} {len(row.pending):>7}  {row.point.id}  "
                     f"({row.point.text}){flag}")
    return lines
