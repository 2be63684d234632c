"""Time paper assembly alone on the shipped bank: one paper of 2794-03/315 from its live items.

A start assembles one paper from the cached bank, prepared once per version of its live items
(itembank.service.live_pool), so the second figure is the share of a start's CPU that assembly
is; profiles under cProfile inflate it. The first prepares the pool for every paper, as a start
did before the eighth pass. Prints process CPU per paper, a median of 5 rounds of 500 papers.

    .venv/bin/python -m bench.bench_assembly
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from quiz.itembank.assembly import assemble, prepare
from quiz.itembank.bankfile import read_banks
from quiz.itembank.domain import Candidate

ROOT = Path(__file__).resolve().parent.parent
BANK = "2794-03/315"


def live_candidates(root: Path = ROOT / "item_banks", bank: str = BANK):
    """Return the bank's blueprint and its live items as assembly sees them."""
    banks = read_banks(root)
    candidates = [Candidate(item_id=item.item_id, version_id=number, outcome=item.outcome,
                            criterion=item.criterion, options=tuple(item.content.options),
                            enemies=frozenset(item.content.enemies or ()))
                  for number, item in enumerate(banks.items[bank], start=1)
                  if item.status == "live"]
    return banks.blueprints[bank], candidates


def main() -> None:
    blueprint, candidates = live_candidates()
    pool = prepare(candidates)
    print(f"{BANK}: {len(candidates)} live items; one paper of "
          f"{sum(o.questions for o in blueprint.outcomes)} questions:")
    for label, source in (("from the items, preparing them each time", candidates),
                          ("from the prepared pool, as a start does", pool)):
        rounds = []
        for round_ in range(5):
            began = time.process_time()
            for seed in range(500):
                assemble(blueprint, source, round_ * 500 + seed)
            rounds.append((time.process_time() - began) / 500 * 1000)
        print(f"  {label}: {statistics.median(rounds):.2f} ms CPU (median of 5 rounds of 500; "
              "rounds " + ", ".join(f"{r:.2f}" for r in rounds) + ")")


if __name__ == "__main__":
    main()
