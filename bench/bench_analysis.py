"""Time item analysis at volume: 100,000 attempts x 30 items drawn from a 140-item bank.

Candidates and items follow the two-parameter logistic model, P(right) = 1 / (1 + exp(-a (theta
- b))), with theta ~ N(0, 1), b ~ N(0, 1) and a ~ U(0.7, 2.0), one item in forty discriminating
weakly (a ~ U(-0.2, 0.3)), as in quiz/simulate.py. A wrong answer is left blank 3% of the time,
otherwise it picks a distractor by that item's own popularity weights. Everything is drawn with
numpy's default_rng(seed), so a seed gives the same data every run.

Prints the median of 3 timings of analyse() and of merely building the Responses arrays from the
simulated columns (copying them into the int64/int64/int8 columns analyse() reads), and their
ratio. Timings on a shared machine are noisy: compare medians and ratios, not single runs.

    .venv/bin/python bench/bench_analysis.py [--seed 1] [--attempts 100000] [--per-paper 30]
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from quiz.scoring.analysis import ItemKey, Responses, analyse


def simulate(seed: int, attempts: int, per_paper: int, bank: int, options: int = 4):
    """Return the bank's ItemKeys and the (attempt, item, choice) columns, as int32 arrays."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, attempts)
    difficulty = rng.normal(0, 1, bank)
    weak = rng.random(bank) < 0.025
    slope = np.where(weak, rng.uniform(-0.2, 0.3, bank), rng.uniform(0.7, 2.0, bank))
    keys = rng.integers(0, options, bank)
    popularity = rng.random((bank, options - 1)) ** 2 + 0.01
    cumulative = np.cumsum(popularity / popularity.sum(axis=1, keepdims=True), axis=1)

    papers = rng.permuted(np.tile(np.arange(bank, dtype=np.int32), (attempts, 1)), axis=1)
    item = papers[:, :per_paper].ravel()
    attempt = np.repeat(np.arange(attempts, dtype=np.int32), per_paper)
    p_right = 1 / (1 + np.exp(-slope[item] * (ability[attempt] - difficulty[item])))
    right = rng.random(len(item)) < p_right
    blank = rng.random(len(item)) < 0.03
    pick = (rng.random(len(item))[:, None] > cumulative[item]).sum(axis=1)  # 0..options-2
    pick = np.minimum(pick, options - 2)
    distractor = pick + (pick >= keys[item])  # skip over the key
    choice = np.where(right, keys[item], np.where(blank, -1, distractor)).astype(np.int32)
    items = [ItemKey(f"bench-{i:03d} v1", "ABCD"[keys[i]], tuple("ABCD"), 1 + i % 4,
                     f"{1 + i % 4}.1") for i in range(bank)]
    return items, attempt, item, choice


def median_time(action, repeat: int = 3) -> tuple[float, object]:
    """Return the median wall time of `repeat` runs of action() and its last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--per-paper", type=int, default=30)
    parser.add_argument("--bank", type=int, default=140)
    args = parser.parse_args()

    started = time.perf_counter()
    items, attempt, item, choice = simulate(args.seed, args.attempts, args.per_paper, args.bank)
    simulated = time.perf_counter() - started

    def build() -> Responses:
        return Responses(attempt=attempt.astype(np.int64), item=item.astype(np.int64),
                         choice=choice.astype(np.int8))

    build_time, responses = median_time(build)
    analyse_time, analysis = median_time(lambda: analyse(items, responses))
    flagged = sum(1 for stats in analysis.items if stats.flags)
    print(f"{args.attempts:,} attempts x {args.per_paper} of {args.bank} items = "
          f"{len(responses):,} rows (simulated in {simulated:.2f} s, seed {args.seed})")
    print(f"KR-20 {analysis.test.kr20:.3f}, mean {analysis.test.mean:.2f} of "
          f"{analysis.test.max_score}, {flagged} of {len(items)} items flagged")
    print(f"build Responses: median of 3 {build_time * 1000:.1f} ms")
    print(f"analyse():       median of 3 {analyse_time * 1000:.1f} ms "
          f"({analyse_time / build_time:.1f} x building the arrays)")


if __name__ == "__main__":
    main()
