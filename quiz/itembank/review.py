"""The review workflow's rules (pure): new ids, the two-person rule, and what retiring leaves.

draft -> in review -> live -> retired. A reviewer who wrote none of the versions under review
approves or returns them; editing a live item makes a new draft version that replaces the live
one only when approved; retiring is refused when it would leave the bank short of its blueprint.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from quiz.itembank.domain import Blueprint

_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def next_item_id(blueprint: Blueprint, criterion: str, ids_by_criterion: dict[str, list[str]]) -> str:
    """Return a new id that follows the bank's numbering for this criterion and reuses no id.

    With "315-1.1-001" .. "315-1.1-014" on criterion 1.1 the next is "315-1.1-015"; a criterion
    with no items yet borrows another criterion's pattern ("315-1.6-001"), else "UNIT-CRIT-001".
    """
    taken = {i for ids in ids_by_criterion.values() for i in ids}
    prefix, width = _pattern(ids_by_criterion.get(criterion, []))
    if prefix is None:
        for other, ids in sorted(ids_by_criterion.items()):
            other_prefix, other_width = _pattern(ids)
            if other_prefix is not None and other in other_prefix:
                prefix, width = other_prefix.replace(other, criterion), other_width
                break
    if prefix is None:
        prefix, width = f"{blueprint.unit}-{criterion}-", 3
    numbers = [int(m["number"]) for i in taken if (m := _NUMBERED.match(i)) and m["prefix"] == prefix]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number:0{width}d}" in taken:
        number += 1
    return f"{prefix}{number:0{width}d}"


def _pattern(ids: Iterable[str]) -> tuple[str | None, int]:
    """Return the most common numbered prefix among ids and its number width."""
    found = Counter((m["prefix"], len(m["number"])) for i in ids if (m := _NUMBERED.match(i)))
    if not found:
        return None, 3
    (prefix, width), _ = max(found.items(), key=lambda kv: (kv[1], kv[0]))
    return prefix, width


def approval_refusal(reviewer_id: int, authors: Iterable[int | None]) -> str | None:
    """Return why this reviewer may not approve versions written by these authors, or None."""
    if reviewer_id in set(authors):
        return ("You wrote a version under review, so another reviewer must approve it "
                "(two-person rule).")
    return None


def retirement_shortfall(blueprint: Blueprint, live_by_criterion: Counter,
                         criterion: str) -> list[str]:
    """Return, with the numbers, what retiring one live item of this criterion would leave short.

    live_by_criterion counts the bank's live items now, the item included.
    """
    reasons = []
    outcome_number = blueprint.outcome_of(criterion)
    if outcome_number is not None:
        outcome = blueprint.outcome(outcome_number)
        left = sum(live_by_criterion[c] for c in outcome.criteria) - 1
        if left < outcome.questions:
            reasons.append(f"outcome {outcome.number} would have {left} live item"
                           f"{'s' if left != 1 else ''}, fewer than the {outcome.questions} "
                           "questions every paper draws from it")
    minimum = blueprint.minimum_live_per_criterion
    left = live_by_criterion[criterion] - 1
    if minimum and left < minimum:
        reasons.append(f"criterion {criterion} would have {left} live item"
                       f"{'s' if left != 1 else ''}, below the blueprint's minimum of {minimum}")
    return reasons
