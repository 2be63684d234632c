"""Time `quiz bank lint`'s duplicate-stem check on 1,000 items of 10-50 random words.

The unit test checks the shape (under 1% of pairs compared); this prints the time, a median of
3 runs, so a slip shows up here rather than as a flaky test on a busy machine.

    .venv/bin/python -m bench.bench_lint
"""
from __future__ import annotations

import random
import statistics
import time

from quiz.itembank.domain import BankItem, Blueprint, ItemContent, OutcomeSpec
from quiz.itembank.lint import lint_bank


def bank(size: int = 1000, seed: int = 7) -> tuple[Blueprint, list[BankItem]]:
    """Return a blueprint and `size` live items with random stems, one near-duplicate pair."""
    rng = random.Random(seed)
    vocabulary = [f"word{n}" for n in range(400)]
    criteria = ("1.1", "1.2", "2.1", "2.2")
    outcomes = tuple(OutcomeSpec(n, f"outcome {n}", 4, {f"{n}.1": "one", f"{n}.2": "two"})
                     for n in (1, 2))
    blueprint = Blueprint(code="9999-01/101", qualification="9999-01", unit="101", title="Bench",
                          duration_minutes=20, pass_mark_percent=60, outcomes=outcomes,
                          minimum_live_per_criterion=3)
    items = []
    for n in range(size):
        criterion = criteria[n % 4]
        stem = " ".join(rng.choices(vocabulary, k=rng.randint(10, 50))) + "?"
        content = ItemContent(stem=stem, options={k: f"Answer {k} {n}" for k in "ABCD"},
                              key="ABCD"[n % 4], rationale=f"AC{criterion}: the answer.")
        items.append(BankItem(item_id=f"i{n:04d}", bank=blueprint.code, criterion=criterion,
                              outcome=int(criterion[0]), status="live", content=content,
                              line=3 + 16 * n, path=f"items/{criterion}.yaml"))
    return blueprint, items


def main() -> None:
    blueprint, items = bank()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        lint_bank(blueprint, items)
        times.append(time.perf_counter() - started)
    print(f"lint of {len(items)} items: median of 3 {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
