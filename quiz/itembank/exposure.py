"""How often assembly shows each item, and how much two candidates' papers share (pure).

An item seen on most papers is soon known to every candidate; two candidates at neighbouring desks
should rarely hold the same questions. Both are measured by assembling many papers with the real
assembly rules, one seed each, exactly as `quiz paper --seed N` does.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import numpy as np

from quiz.itembank.assembly import assemble, prepare
from quiz.itembank.domain import Blueprint, Candidate


@dataclass(frozen=True)
class Exposure:
    """Item use and paper overlap over a run of assembled papers."""

    blueprint: str
    papers: int
    questions: int  # per paper
    uses: dict[str, int]  # every live item id -> how many papers showed it (0 if none)
    criterion_of: dict[str, str]
    overlaps: np.ndarray  # items in common, one entry per pair of papers

    @property
    def mean_overlap(self) -> float:
        """Return the mean number of items two papers have in common."""
        return float(self.overlaps.mean()) if self.overlaps.size else 0.0

    @property
    def max_overlap(self) -> int:
        return int(self.overlaps.max()) if self.overlaps.size else 0

    def share_of_pairs_sharing(self, at_least: int) -> float:
        """Return the share of pairs of papers with at least this many items in common."""
        return float((self.overlaps >= at_least).mean()) if self.overlaps.size else 0.0

    def use_summary(self, criterion: str | None = None) -> dict:
        """Return min, median and max uses (and as a share of papers) over items, or one criterion's."""
        counts = [n for item, n in self.uses.items()
                  if criterion is None or self.criterion_of[item] == criterion]
        return {"items": len(counts), "min": min(counts), "median": median(counts),
                "max": max(counts), "max_rate": max(counts) / self.papers,
                "never_used": sum(1 for n in counts if n == 0)}

    def to_dict(self) -> dict:
        """Return the figures as JSON-ready data."""
        criteria = sorted(set(self.criterion_of.values()), key=_criterion_key)
        return {
            "blueprint": self.blueprint, "papers": self.papers, "questions": self.questions,
            "items": self.use_summary(),
            "criteria": {c: self.use_summary(c) for c in criteria},
            "overlap": {"mean": round(self.mean_overlap, 3),
                        "median": float(np.median(self.overlaps)) if self.overlaps.size else 0.0,
                        "max": self.max_overlap,
                        "pairs_sharing_half_or_more": self.share_of_pairs_sharing(
                            (self.questions + 1) // 2),
                        "identical_pairs": int((self.overlaps == self.questions).sum())},
            "uses": dict(sorted(self.uses.items())),
        }


def _criterion_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def exposure(blueprint: Blueprint, candidates: list[Candidate], seeds: range) -> Exposure:
    """Assemble one paper per seed and count each item's uses and every pair's items in common."""
    ids = sorted(c.item_id for c in candidates)
    column = {item_id: i for i, item_id in enumerate(ids)}
    shown = np.zeros((len(seeds), len(ids)), dtype=np.int32)
    pool = prepare(candidates)
    for row, seed in enumerate(seeds):
        for question in assemble(blueprint, pool, seed).questions:
            shown[row, column[question.item_id]] = 1
    in_common = shown @ shown.T  # papers x papers: items each pair shares
    overlaps = in_common[np.triu_indices(len(seeds), k=1)]
    uses = dict(zip(ids, (int(n) for n in shown.sum(axis=0))))
    return Exposure(blueprint.code, len(seeds), blueprint.total_questions, uses,
                    {c.item_id: c.criterion for c in candidates}, overlaps)
