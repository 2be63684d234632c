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


@dataclass(frozen=True)
class Pool:
    """A bank's live items prepared once for many papers: what assembly derives from them.

    A start assembles one paper from the cached bank, so what does not depend on the seed
    (the order, the enemy links both ways, the items per outcome and criterion) is worked out
    once per version of the bank (itembank.service.live_pool) instead of once per paper.
    """

    candidates: tuple[Candidate, ...]  # sorted by item id: input order must not change a paper
    enemies: dict[str, frozenset[str]]  # each item's enemies in both directions
    by_outcome: dict[int, dict[str, tuple[Candidate, ...]]]  # outcome -> criterion -> items

    def live_count(self, outcome: int) -> int:
        """Return how many live items the outcome has."""
        return sum(len(items) for items in self.by_outcome.get(outcome, {}).values())


def prepare(candidates) -> Pool:
    """Return the pool assembly draws from for these live items (in any order)."""
    ordered = tuple(sorted(candidates, key=lambda c: c.item_id))
    by_outcome: dict[int, dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for candidate in ordered:
        by_outcome[candidate.outcome][candidate.criterion].append(candidate)
    return Pool(ordered, _symmetric_enemies(ordered),
                {outcome: {criterion: tuple(items) for criterion, items in criteria.items()}
                 for outcome, criteria in by_outcome.items()})


def shortfalls(blueprint: Blueprint, pool: Pool) -> list[str]:
    """Return what the bank lacks to fill one paper of the blueprint (empty if nothing)."""
    reasons = []
    for outcome in blueprint.outcomes:
        have = pool.live_count(outcome.number)
        if have < outcome.questions:
            reasons.append(f"outcome {outcome.number} needs {outcome.questions} live items "
                           f"but the bank has {have} (short by {outcome.questions - have})")
    return reasons


def assemble(blueprint: Blueprint, candidates: list[Candidate] | Pool, seed: int) -> Paper:
    """Choose and shuffle a paper for this seed, or raise BankShortfall saying what is short.

    candidates: the live items, or the Pool prepared from them (the same paper either way).
    """
    pool = candidates if isinstance(candidates, Pool) else prepare(candidates)
    reasons = shortfalls(blueprint, pool)
    if reasons:
        raise BankShortfall(blueprint.code, reasons)
    rng = random.Random(seed)
    chosen: list[Candidate] = []
    taken: set[str] = set()
    for outcome in blueprint.outcomes:
        picked = _pick_outcome(rng, pool.by_outcome.get(outcome.number, {}), outcome.questions,
                               list(outcome.criteria), pool.enemies, already=taken)
        if picked is None:
            raise BankShortfall(blueprint.code, [
                f"outcome {outcome.number}: could not choose {outcome.questions} items without "
                f"putting enemy items together in {ATTEMPTS_PER_OUTCOME} tries; add items or "
                "review the enemy links"])
        chosen.extend(picked)
        taken.update(c.item_id for c in picked)
    rng.shuffle(chosen)
    questions = []
    for candidate in chosen:
        order = list(candidate.options)
        rng.shuffle(order)
        questions.append(PaperQuestion(candidate.item_id, candidate.version_id, candidate.outcome,
                                       candidate.criterion, tuple(order)))
    return Paper(blueprint.code, seed, tuple(questions))


def _symmetric_enemies(pool) -> dict[str, frozenset[str]]:
    """Return each item's enemies in both directions: A naming B keeps B away from A too."""
    enemies: dict[str, set[str]] = defaultdict(set)
    for candidate in pool:
        for enemy in candidate.enemies:
            enemies[candidate.item_id].add(enemy)
            enemies[enemy].add(candidate.item_id)
    return {item_id: frozenset(linked) for item_id, linked in enemies.items()}


def _pick_outcome(rng, queues, count, criteria_order, enemies, already) -> list[Candidate] | None:
    """Pick count items spread across criteria with no enemies together; None if impossible."""
    # Criteria the blueprint names come first in a fixed order; stray tags follow, sorted.
    order = [c for c in criteria_order if c in queues] + sorted(set(queues) - set(criteria_order))
    for _ in range(ATTEMPTS_PER_OUTCOME):
        picked = _try_pick(rng, queues, count, order, enemies, set(already))
        if picked is not None:
            return picked
    return None


def _try_pick(rng, queues, count, order, enemies, taken) -> list[Candidate] | None:
    """Fill the outcome criterion by criterion, always topping up the least-used criterion.

    Each criterion's items are drawn at random without replacement, one draw per pick, rather
    than shuffling every item of the outcome first: a paper takes 15 of an outcome's hundreds.
    """
    left = {criterion: list(queues[criterion]) for criterion in order}
    used = {criterion: 0 for criterion in order}
    picked: list[Candidate] = []
    none: frozenset[str] = frozenset()
    while len(picked) < count:
        open_criteria = [c for c in order if left[c]]
        if not open_criteria:
            return None
        fewest = min(used[c] for c in open_criteria)
        criterion = rng.choice([c for c in open_criteria if used[c] == fewest])
        queue = left[criterion]
        drawn = rng.randrange(len(queue))
        queue[drawn], queue[-1] = queue[-1], queue[drawn]
        item = queue.pop()
        if item.item_id in taken or not enemies.get(item.item_id, none).isdisjoint(taken):
            continue
        picked.append(item)
        taken.add(item.item_id)
        used[criterion] += 1
    return picked
