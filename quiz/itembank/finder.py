"""Finding items: words, filters and pages, in a fixed number of queries however big the bank."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from quiz.itembank.models import Item, ItemVersion

PER_PAGE = 50
STATUS_FILTERS = {
    "draft": "draft (new, or a new version of a live item)",
    "in_review": "in review (new, or a new version of a live item)",
    "live": "live",
    "retired": "retired",
}


@dataclass(frozen=True)
class Filters:
    """What the writer is looking for; empty values filter nothing."""

    text: str = ""
    outcome: int | None = None
    criterion: str = ""
    status: str = ""
    review: bool = False  # only items the item analysis flagged
    author_id: int | None = None
    changed_since: datetime | None = None

    def words(self) -> list[str]:
        """Return the search words, lower-cased, each of which must appear."""
        return [w for w in self.text.lower().split() if w][:10]


@dataclass
class Page:
    """One page of matching items and how many there are in all."""

    items: list[Item]
    total: int
    number: int
    per_page: int = PER_PAGE
    authors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Return how many pages the matches fill."""
        return max(1, -(-self.total // self.per_page))


def find_items(session: Session, bank: str, filters: Filters, page: int = 1,
               per_page: int = PER_PAGE) -> Page:
    """Return a page of a bank's items matching the filters, by id.

    Three queries whatever the bank's size: the count, the page (with each item's current and
    pending versions loaded together), and the authors to filter by. Words are matched against
    the current and any pending version's text, stored lower-cased for the purpose.
    """
    conditions = [Item.bank == bank]
    if filters.outcome is not None:
        conditions.append(Item.outcome == filters.outcome)
    if filters.criterion:
        conditions.append(Item.criterion == filters.criterion)
    if filters.status:
        pending = aliased(ItemVersion)
        conditions.append(or_(
            Item.status == filters.status,
            exists().where(pending.id == Item.pending_version_id,
                           pending.status == filters.status)))
    if filters.review:
        conditions.append(Item.needs_review.is_not(None))
    if filters.changed_since is not None:
        conditions.append(Item.updated_at >= filters.changed_since)
    if filters.author_id is not None:
        conditions.append(exists().where(ItemVersion.item_pk == Item.id,
                                         ItemVersion.created_by_id == filters.author_id))
    for word in filters.words():
        text = aliased(ItemVersion)
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(exists().where(
            text.item_pk == Item.id,
            or_(text.id == Item.current_version_id, text.id == Item.pending_version_id),
            text.search_text.like(pattern, escape="\\")))
    total = session.scalar(select(func.count()).select_from(Item).where(*conditions))
    number = min(max(1, page), max(1, -(-total // per_page)))
    items = session.scalars(
        select(Item).where(*conditions).order_by(Item.item_id)
        .options(selectinload(Item.current_version), selectinload(Item.pending_version))
        .limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items, total, number, per_page, authors(session, bank))


def authors(session: Session, bank: str) -> list[tuple[int, str]]:
    """Return the accounts that wrote a version of an item in this bank, by name."""
    rows = session.execute(
        select(ItemVersion.created_by_id, func.max(ItemVersion.created_by))
        .join(Item, Item.id == ItemVersion.item_pk)
        .where(Item.bank == bank, ItemVersion.created_by_id.is_not(None))
        .group_by(ItemVersion.created_by_id))
    return sorted(((uid, name) for uid, name in rows), key=lambda row: row[1] or "")


def waiting_for_review(session: Session, bank: str) -> int:
    """Return how many items of a bank have a version in review."""
    pending = aliased(ItemVersion)
    return session.scalar(select(func.count()).select_from(Item).where(
        Item.bank == bank, or_(Item.status == "in_review", exists().where(
            pending.id == Item.pending_version_id, pending.status == "in_review"))))
