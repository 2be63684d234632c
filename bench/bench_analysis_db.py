"""Time the analysis page's work end to end: 100,000 stored attempts x 30 questions, read and analysed.

bench_analysis.py times the statistics alone. This one stores the attempts the way the app does
(the real 2794-03/315 bank, one attempt_question row per question seen) in a throwaway SQLite
database, then times analyse_test(): reading every row of the test's submitted attempts, mapping
them to arrays and analysing them. Answers follow the same two-parameter logistic model as the
simulator. Rows are bulk-inserted (not run through the services: 100,000 candidates through
start/save/submit would take hours), so the bench measures reading and analysing, not delivery.

Prints the median of 3 timings of reading the rows into arrays (load_responses) and of the
statistics on them (analyse), and their ratio. Timings on a shared machine are noisy: compare medians and ratios.

    .venv/bin/python bench/bench_analysis_db.py [--attempts 100000] [--seed 1] [--database URL]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

from bench.bench_analysis import median_time
from quiz.accounts.models import Centre, User
from quiz.db import make_engine, make_session_factory
from quiz.delivery.models import Attempt, AttemptQuestion, Sitting
from quiz.itembank.bankfile import read_banks
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_blueprint, load_banks
from quiz.migrate import upgrade
from quiz.results.item_analysis import load_responses
from quiz.scoring.analysis import analyse

REPO = Path(__file__).resolve().parents[1]
CODE = "2794-03/315"
BATCH = 50_000


def build(session, attempts: int, seed: int) -> None:
    """Store `attempts` submitted attempts at one closed sitting of the real bank."""
    now = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
    load_banks(session, read_banks(REPO / "item_banks"), now)
    blueprint = get_blueprint(session, CODE)
    centre = Centre(code="BENCH", name="Bench centre")
    session.add(centre)
    session.flush()
    sitting = Sitting(blueprint=blueprint, centre=centre, title="Bench", status="closed",
                      starts_at=now, ends_at=now + timedelta(hours=2), results_policy="instant")
    session.add(sitting)
    session.flush()
    versions = session.execute(
        select(ItemVersion.id, ItemVersion.key, Item.outcome, Item.criterion)
        .join(Item, Item.current_version_id == ItemVersion.id)
        .where(Item.bank == CODE, Item.status == "live")).all()
    by_outcome = {o: np.array([i for i, v in enumerate(versions) if v.outcome == o]) for o in (1, 2)}

    rng = np.random.default_rng(seed)
    difficulty = rng.normal(-0.3, 1.0, len(versions))
    slope = rng.uniform(0.7, 2.0, len(versions))
    session.execute(insert(User), [
        {"username": f"bench-{n}", "password_hash": "!", "full_name": f"Bench {n}",
         "role": "candidate", "centre_id": centre.id, "candidate_number": f"B{n:06d}",
         "active": True, "created_at": now, "extra_time_percent": 0, "large_text": False,
         "high_contrast": False} for n in range(attempts)])
    first_user = session.scalar(select(User.id).where(User.username == "bench-0"))
    for start in range(0, attempts, BATCH):
        count = min(BATCH, attempts - start)
        ability = rng.normal(0.3, 1.0, count)
        papers = np.hstack([rng.permuted(np.tile(by_outcome[o], (count, 1)), axis=1)[:, :15]
                            for o in (1, 2)])
        right = rng.random(papers.shape) < 1 / (1 + np.exp(
            -slope[papers] * (ability[:, None] - difficulty[papers])))
        raw = right.sum(axis=1)
        session.execute(insert(Attempt), [
            {"sitting_id": sitting.id, "candidate_id": first_user + start + n,
             "status": "submitted", "seed": start + n, "blueprint_code": CODE, "started_at": now,
             "duration_seconds": 2700, "pass_mark_percent": 60.0, "submitted_at": now,
             "submitted_reason": "candidate", "score_raw": int(raw[n]), "score_max": 30,
             "score_percent": round(100 * raw[n] / 30, 1), "passed": bool(raw[n] >= 18)}
            for n in range(count)])
        first_attempt = session.scalar(select(Attempt.id).where(Attempt.seed == start))
        rows = []
        for n in range(count):
            for position, index in enumerate(papers[n], start=1):
                version = versions[index]
                wrong = [letter for letter in "ABCD" if letter != version.key]
                rows.append({"attempt_id": first_attempt + n, "position": position,
                             "item_version_id": version.id, "outcome": version.outcome,
                             "criterion": version.criterion, "option_order": ["A", "B", "C", "D"],
                             "chosen": version.key if right[n, position - 1]
                             else wrong[(n + position) % 3], "flagged": False, "seq": position})
        session.execute(insert(AttemptQuestion), rows)
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="a SQLAlchemy URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/bench.sqlite3"
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        with sessions() as session:
            build(session, args.attempts, args.seed)
        print(f"stored {args.attempts:,} attempts x 30 questions in "
              f"{time.perf_counter() - started:.0f} s ({url.split(':')[0]})")
        with sessions() as session:
            record = get_blueprint(session, CODE)
            reading, (keys, responses, _) = median_time(lambda: load_responses(session, record))
            session.rollback()
        counting, result = median_time(lambda: analyse(keys, responses))
        print(f"read {len(responses.item):,} rows into arrays: median of 3 {reading:.2f} s")
        print(f"analyse them:{'':>21} median of 3 {counting:.2f} s "
              f"(reading takes {reading / counting:.0f} x as long)")
        print(f"the analysis page's work in all: {reading + counting:.2f} s")
        print(f"test: n {result.test.n:,}, mean {result.test.mean:.2f} / {result.test.max_score}, "
              f"KR-20 {result.test.kr20:.3f}, {sum(1 for s in result.items if s.flags)} of "
              f"{len(result.items)} items flagged")
        engine.dispose()


if __name__ == "__main__":
    main()
