"""An item's history: its versions, every recorded action on it, and what each version earned
in live use (the item analysis, over the attempts that were shown it)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from quiz.audit import AuditEvent
from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.itembank import fields
from quiz.itembank.diff import FieldDiff, version_diff
from quiz.itembank.models import Item, ItemVersion
from quiz.scoring.analysis import ItemKey, ItemStats, Responses, Thresholds, analyse

LETTERS = "ABCDEFGH"
ACTIONS = {
    "item_created": "created", "item_edited": "saved a new version", "item_submitted":
    "submitted for review", "item_approved": "approved", "item_returned": "returned to the writer",
    "item_retired": "retired", "item_loaded": "loaded from the bank files",
    "item_flagged_for_review": "flagged for review by the item analysis",
}


@dataclass(frozen=True)
class Event:
    """One recorded action on an item, in words."""

    at: object
    who: str
    what: str
    version: int | None
    why: str | None


def versions(session: Session, item: Item) -> list[ItemVersion]:
    """Return every version of an item, newest first."""
    return session.scalars(select(ItemVersion).where(ItemVersion.item_pk == item.id)
                           .order_by(ItemVersion.version.desc())).all()


def events(session: Session, item: Item) -> list[Event]:
    """Return every recorded action on an item, newest first, with who, when and why."""
    rows = session.execute(select(AuditEvent).where(AuditEvent.item_pk == item.id)
                           .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())).scalars()
    found = []
    for row in rows:
        detail = row.detail or {}
        what = ACTIONS.get(row.action, row.action.replace("_", " "))
        if row.action == "item_loaded" and detail.get("change") == "status":
            what = f"status set to {str(detail.get('status', '')).replace('_', ' ')} by the bank files"
        found.append(Event(row.at, row.actor, what, detail.get("version"), row.reason))
    return found


def values(version: ItemVersion) -> dict:
    """Return a version's writer-visible values by field name."""
    return fields.values_of(version.content(), criterion=version.criterion)


def compare(old: ItemVersion, new: ItemVersion) -> list[FieldDiff]:
    """Return two versions compared field by field, word by word."""
    return version_diff(values(old), values(new))


def version_statistics(session: Session, item: Item) -> dict[int, ItemStats]:
    """Return the item analysis of each version of an item that candidates were shown, by version id.

    The analysis needs each attempt's total, so it reads every answer of the submitted attempts
    that were shown the item (not the whole test): the figures are exactly those of the
    test's own item analysis for these versions.
    """
    shown = select(AttemptQuestion.attempt_id).join(
        ItemVersion, ItemVersion.id == AttemptQuestion.item_version_id).where(
        ItemVersion.item_pk == item.id)
    chosen = case({letter: i for i, letter in enumerate(LETTERS)}, value=AttemptQuestion.chosen,
                  else_=-1)
    rows = session.execute(
        select(AttemptQuestion.attempt_id, AttemptQuestion.item_version_id, chosen)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.status == "submitted", AttemptQuestion.attempt_id.in_(shown))).all()
    if not rows:
        return {}
    table = np.asarray(rows, dtype=np.int64)
    _, attempt = np.unique(table[:, 0], return_inverse=True)
    version_ids, index = np.unique(table[:, 1], return_inverse=True)
    keyed = {v.id: v for v in session.scalars(select(ItemVersion).where(
        ItemVersion.id.in_([int(v) for v in version_ids])))}
    keys = [ItemKey(str(int(v)), keyed[int(v)].key, tuple(keyed[int(v)].options), 0,
                    keyed[int(v)].criterion) for v in version_ids]
    result = analyse(keys, Responses(attempt=attempt, item=index, choice=table[:, 2]))
    own = {v.id for v in keyed.values() if v.item_pk == item.id}
    return {int(s.item_id): s for s in result.items if int(s.item_id) in own}


THRESHOLDS = Thresholds()
