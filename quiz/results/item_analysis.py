"""Gather a test's responses for item analysis, and send flagged items back to the item writers."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

import numpy as np
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.delivery.models import Attempt, AttemptQuestion, Sitting
from quiz.itembank.domain import Blueprint
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion
from quiz.results.analysis_view import ordered_flags, rank
from quiz.scoring.analysis import Analysis, ItemKey, Responses, analyse

OPTION_LETTERS = "ABCDEFGH"


def analyse_test(session: Session, blueprint: BlueprintRecord) -> tuple[Analysis, dict]:
    """Analyse every submitted attempt at a test, one set of statistics per item version.

    Returns the analysis, items in id order, and for each analysed label ("315-1.1-001 v2") its
    (item, version).
    """
    keys, responses, by_label = load_responses(session, blueprint)
    result = analyse(keys, responses)
    return replace(result, items=tuple(sorted(result.items, key=lambda s: s.item_id))), by_label


def load_responses(session: Session, blueprint: BlueprintRecord
                   ) -> tuple[list[ItemKey], Responses, dict]:
    """Read a test's submitted answers into the arrays the analysis counts.

    A test can hold millions of answers, so they are read as plain integers (the database maps
    each chosen letter to its option index) in batches straight into numpy, without an ORM row
    per answer: about three times faster than iterating SQLAlchemy rows (bench/).
    """
    chosen = case({letter: i for i, letter in enumerate(OPTION_LETTERS)},
                  value=AttemptQuestion.chosen, else_=-1)
    table = _integer_rows(session, 3, (
        select(AttemptQuestion.attempt_id, AttemptQuestion.item_version_id, chosen)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Sitting, Sitting.id == Attempt.sitting_id)
        .where(Sitting.blueprint_id == int(blueprint.id), Attempt.status == "submitted")))
    _, attempt = np.unique(table[:, 0], return_inverse=True)
    version_ids, item = np.unique(table[:, 1], return_inverse=True)
    records = {v.id: (v, it) for v, it in session.execute(
        select(ItemVersion, Item).join(Item, Item.id == ItemVersion.item_pk)
        .where(ItemVersion.id.in_([int(v) for v in version_ids])))} if len(version_ids) else {}
    keys, by_label = [], {}
    for version_id in version_ids:  # sorted, which is the index np.unique gave each
        version, found = records[int(version_id)]
        label = f"{found.item_id} v{version.version}"
        keys.append(ItemKey(label, version.key, tuple(version.options), found.outcome,
                            found.criterion))
        by_label[label] = (found, version)
    responses = Responses(attempt=attempt.astype(np.int64), item=item.astype(np.int64),
                          choice=table[:, 2].astype(np.int8))
    return keys, responses, by_label


def _integer_rows(session: Session, width: int, query, batch: int = 100_000) -> np.ndarray:
    """Return an integer-only query's rows as an (n, width) array, read on the session's connection.

    The query's parameters are integers and fixed words, so it is compiled with them inline and run
    on the driver's own cursor, inside the session's transaction. On PostgreSQL the cursor is a
    server-side one, so the client holds one batch at a time rather than the whole result.
    """
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name="quiz_analysis_rows")
        cursor.itersize = batch
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(sql)
        parts = [np.empty((0, width), dtype=np.int64)]
        while rows := cursor.fetchmany(batch):
            parts.append(np.asarray(rows, dtype=np.int64))
    finally:
        cursor.close()
    return np.concatenate(parts)


def send_flags_to_writers(session: Session, analysis: Analysis, labels: dict, now: datetime,
                          actor=None) -> int:
    """Mark items whose current version is flagged as needing review; return how many changed."""
    changed = 0
    for stats in analysis.items:
        item, version = labels[stats.item_id]
        if not stats.enough_data or item.current_version_id != version.id:
            continue
        reasons = "; ".join(flag.reason for flag in stats.flags) or None
        if reasons != item.needs_review:
            item.needs_review = reasons
            changed += 1
            if reasons:
                audit.record(session, now, "item_flagged_for_review", actor, item=stats.item_id,
                             reasons=reasons)
    return changed


def scores(session: Session, blueprint: BlueprintRecord) -> list[int]:
    """Return the raw marks of every submitted attempt at a test, for the score distribution."""
    return session.scalars(
        select(Attempt.score_raw).join(Sitting, Sitting.id == Attempt.sitting_id)
        .where(Sitting.blueprint_id == blueprint.id, Attempt.status == "submitted",
               Attempt.score_raw.is_not(None))).all()


def outcome_means(analysis: Analysis, blueprint: Blueprint) -> list[tuple[str, float, float]]:
    """Return each outcome's mean marks per attempt and its maximum, from the item statistics.

    Every paper draws the same number of questions from an outcome, so the outcome's mean marks
    are the marks its items earned, summed, over the number of attempts.
    """
    earned: dict[int, float] = {}
    for stats in analysis.items:
        if stats.facility is not None:
            earned[stats.outcome] = earned.get(stats.outcome, 0.0) + stats.facility * stats.n
    attempts = analysis.test.n
    return [(f"Outcome {o.number}: {o.title}",
             earned.get(o.number, 0.0) / attempts if attempts else 0.0, float(o.questions))
            for o in blueprint.outcomes]


# The flags that say the item as a whole misbehaves; an unused distractor is advice about one
# option, listed in the table but not marked on the map, where it would hide the serious ones.
MAP_FLAGS = ("likely-miskey", "too-easy", "too-hard", "weak-discrimination")


def item_map_points(analysis: Analysis) -> list[dict]:
    """Return the item map's points: items with enough data, by facility and item-rest r.

    Points are named by item id alone ("315-1.1-001"), unless the test used two versions of it.
    """
    shown = [s for s in analysis.items if s.enough_data]
    versions = Counter(s.item_id.rsplit(" v", 1)[0] for s in shown)
    points = []
    for s in shown:
        item_id = s.item_id.rsplit(" v", 1)[0]
        points.append({
            "item_id": item_id if versions[item_id] == 1 else s.item_id,
            "facility": s.facility, "discrimination": s.point_biserial,
            "flagged": any(code in MAP_FLAGS for code in s.flag_codes),
            "rank": min((rank(code) for code in s.flag_codes if code in MAP_FLAGS), default=9),
            "flags": [f.code.replace("-", " ") for f in ordered_flags(s)]})
    return points
