"""Assemble a candidate's paper from live items to a blueprint: pure, seeded, reproducible."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from quiz.itembank.domain import Blueprint, Candidate

ATTEMPTS_PER_OUTCOME = 25


@dataclass(frozen=True)
class PaperQuestion:
    """One question of a paper: which item version, and the order its options are shown in."""

    item_id: str
    version_id: int
    outcome: int
    criterion: str
    option_order: tuple[str, ...]  # stored letters in display order, e.g. ("C", "A", "D", "B")


@dataclass(frozen=True)
class Paper:
    """A fixed paper: the questions in the order the candidate sees them, and its seed."""

    blueprint: str
    seed: int
    questions: tuple[PaperQuestion, ...]


class BankShortfall(Exception):
    """The bank cannot meet the blueprint; each reason says exactly what is short."""

    def __init__(self, blueprint: str, reasons: list[str]):
        self.blueprint = blueprint
        self.reasons = reasons
        super().__init__(f"{blueprint}: " + "; ".join(reasons))


def shortfalls(blueprint: Blueprint, candidates: list[Candidate]) -> list[str]:
    """Return what the bank lacks to fill one paper of the blueprint (empty if nothing)."""
    by_outcome: dict[int, int] = defaultdict(int)
    for candidate in candidates:
        by_outcome[candidate.outcome] += 1
    reasons = []
    for outcome in blueprint.outcomes:
        have = by_outcome[outcome.number]
        if have < outcome.questions:
            reasons.append(f"outcome {outcome.number} needs {outcome.questions} live items "
                           f"but the bank has {have} (short by {outcome.questions - have})")
    return reasons


def assemble(blueprint: Blueprint, candidates: list[Candidate], seed: int) -> Paper:
    """Choose and shuffle a paper for this seed, or raise BankShortfall saying what is short."""
    reasons = shortfalls(blueprint, candidates)
    if reasons:
        raise BankShortfall(blueprint.code, reasons)
    rng = random.Random(seed)
    pool = sorted(candidates, key=lambda c: c.item_id)  # input order must not change the paper
    enemies = _symmetric_enemies(pool)
    chosen: list[Candidate] = []
    for outcome in blueprint.outcomes:
        in_outcome = [c for c in pool if c.outcome == outcome.number]
        picked = _pick_outcome(rng, in_outcome, outcome.questions, list(outcome.criteria), enemies,
                               already={c.item_id for c in chosen})
        if picked is None:
            raise BankShortfall(blueprint.code, [
                f"outcome {outcome.number}: could not choose {outcome.questions} items without "
                f"putting enemy items together in {ATTEMPTS_PER_OUTCOME} tries; add items or "
                "review the enemy links"])
        chosen.extend(picked)
    rng.shuffle(chosen)
    questions = []
    for candidate in chosen:
        order = list(candidate.options)
        rng.shuffle(order)
        questions.append(PaperQuestion(candidate.item_id, candidate.version_id, candidate.outcome,
                                       candidate.criterion, tuple(order)))
    return Paper(blueprint.code, seed, tuple(questions))


def _symmetric_enemies(pool: list[Candidate]) -> dict[str, set[str]]:
    """Return each item's enemies in both directions: A naming B keeps B away from A too."""
    enemies: dict[str, set[str]] = defaultdict(set)
    for candidate in pool:
        for enemy in candidate.enemies:
            enemies[candidate.item_id].add(enemy)
            enemies[enemy].add(candidate.item_id)
    return enemies


def _pick_outcome(rng, items, count, criteria_order, enemies, already) -> list[Candidate] | None:
    """Pick count items spread across criteria with no enemies together; None if impossible."""
    for _ in range(ATTEMPTS_PER_OUTCOME):
        picked = _try_pick(rng, items, count, criteria_order, enemies, set(already))
        if picked is not None:
            return picked
    return None


def _try_pick(rng, items, count, criteria_order, enemies, taken) -> list[Candidate] | None:
    """Fill the outcome criterion by criterion, always topping up the least-used criterion."""
    queues: dict[str, list[Candidate]] = defaultdict(list)
    for item in items:
        queues[item.criterion].append(item)
    for queue in queues.values():
        rng.shuffle(queue)
    # Criteria the blueprint names come first in a fixed order; stray tags follow, sorted.
    order = [c for c in criteria_order if c in queues] + sorted(set(queues) - set(criteria_order))
    used = {criterion: 0 for criterion in order}
    picked: list[Candidate] = []
    while len(picked) < count:
        open_criteria = [c for c in order if queues[c]]
        if not open_criteria:
            return None
        fewest = min(used[c] for c in open_criteria)
        criterion = rng.choice([c for c in open_criteria if used[c] == fewest])
        item = queues[criterion].pop()
        if item.item_id in taken or enemies.get(item.item_id, set()) & taken:
            continue
        picked.append(item)
        taken.add(item.item_id)
        used[criterion] += 1
    return picked
