"""Gather a test's responses for item analysis, and send flagged items back to the item writers."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.delivery.models import Attempt, AttemptQuestion, Sitting
from quiz.itembank.domain import Blueprint
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion
from quiz.scoring.analysis import Analysis, ItemKey, Responses, analyse

OPTION_INDEX = {letter: i for i, letter in enumerate("ABCDEFGH")}


def analyse_test(session: Session, blueprint: BlueprintRecord) -> tuple[Analysis, dict]:
    """Analyse every submitted attempt at a test, one set of statistics per item version.

    Returns the analysis and, for each analysed label ("315-1.1-001 v2"), its (item, version).
    """
    rows = session.execute(
        select(AttemptQuestion.attempt_id, AttemptQuestion.item_version_id, AttemptQuestion.chosen)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Sitting, Sitting.id == Attempt.sitting_id)
        .where(Sitting.blueprint_id == blueprint.id, Attempt.status == "submitted")
        .execution_options(yield_per=10_000))
    attempts: dict[int, int] = {}
    versions: dict[int, int] = {}
    columns: tuple[list, list, list] = ([], [], [])
    for attempt_id, version_id, chosen in rows:
        columns[0].append(attempts.setdefault(attempt_id, len(attempts)))
        columns[1].append(versions.setdefault(version_id, len(versions)))
        columns[2].append(OPTION_INDEX.get(chosen, -1) if chosen else -1)
    records = {v.id: (v, item) for v, item in session.execute(
        select(ItemVersion, Item).join(Item, Item.id == ItemVersion.item_pk)
        .where(ItemVersion.id.in_(list(versions))))} if versions else {}
    keys, by_label = [], {}
    for version_id in versions:  # dicts keep insertion order, which is the column index
        version, item = records[version_id]
        label = f"{item.item_id} v{version.version}"
        keys.append(ItemKey(label, version.key, tuple(version.options), item.outcome, item.criterion))
        by_label[label] = (item, version)
    responses = Responses(attempt=np.asarray(columns[0], dtype=np.int64),
                          item=np.asarray(columns[1], dtype=np.int64),
                          choice=np.asarray(columns[2], dtype=np.int8))
    result = analyse(keys, responses)
    return replace(result, items=tuple(sorted(result.items, key=lambda s: s.item_id))), by_label


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
            "flags": [code.replace("-", " ") for code in s.flag_codes]})
    return points
