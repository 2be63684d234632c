"""Use cases for the bank: load files into the database, and list what assembly may draw on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quiz.errors import NotFound
from quiz.itembank.coverage import RangeCoverage, range_coverage
from quiz.itembank.bankfile import BankSet
from quiz.itembank.domain import BankItem, Blueprint, Candidate, RangeList
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion


class UnknownBlueprint(LookupError):
    """No blueprint is loaded under that code."""


class NoRangeList(LookupError):
    """The bank was loaded without its Range points."""


@dataclass
class LoadReport:
    """What a load changed."""

    blueprints: int = 0
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retagged: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        """Return one line saying what changed."""
        return (f"{self.blueprints} blueprint(s); {len(self.created)} new item(s), "
                f"{len(self.new_versions)} new version(s), {len(self.retagged)} status or tag "
                f"change(s), {self.unchanged} unchanged")


def load_banks(session: Session, banks: BankSet, now: datetime, actor: str = "bank load") -> LoadReport:
    """Write checked banks into the database in the caller's transaction.

    Refuses a BankSet with problems, so a bad file can never half-load.
    """
    if not banks.ok:
        raise ValueError(f"refusing to load banks with {len(banks.problems)} problem(s)")
    report = LoadReport()
    for code, blueprint in banks.blueprints.items():
        save_blueprint(session, blueprint, now, banks.ranges.get(code))
        report.blueprints += 1
        existing = {item.item_id: item for item in session.scalars(
            select(Item).where(Item.bank == code))}
        for bank_item in banks.items.get(code, []):
            _upsert_item(session, existing.get(bank_item.item_id), bank_item, now, actor, report)
    session.flush()
    return report


def save_blueprint(session: Session, blueprint: Blueprint, now: datetime,
                   range_list: RangeList | None = None) -> BlueprintRecord:
    """Create or update the stored copy of a blueprint (and its Range points, when given)."""
    record = session.scalar(select(BlueprintRecord).where(BlueprintRecord.code == blueprint.code))
    if record is None:
        record = BlueprintRecord(code=blueprint.code)
        session.add(record)
    record.title = blueprint.title
    record.duration_seconds = blueprint.duration_minutes * 60
    record.pass_mark_percent = blueprint.pass_mark_percent
    record.spec = blueprint.to_dict()
    if range_list is not None:
        record.range_points = range_list.to_dict()
    record.updated_at = now
    return record


def _upsert_item(session, item: Item | None, bank_item: BankItem, now, actor, report) -> None:
    """Create the item, or give it a new version if its content changed."""
    content = bank_item.content
    if item is None:
        item = Item(bank=bank_item.bank, item_id=bank_item.item_id)
        session.add(item)
        report.created.append(bank_item.item_id)
    elif item.current_version is not None and item.current_version.content() == content:
        if (item.status, item.criterion) == (bank_item.status, bank_item.criterion):
            report.unchanged += 1
        else:
            report.retagged.append(bank_item.item_id)
    else:
        report.new_versions.append(bank_item.item_id)
    item.outcome = bank_item.outcome
    item.criterion = bank_item.criterion
    item.status = bank_item.status
    item.source_path = bank_item.path
    item.updated_at = now
    if item.current_version is None or item.current_version.content() != content:
        number = 1 if item.current_version is None else item.current_version.version + 1
        version = ItemVersion(
            item=item, version=number, stem=content.stem, options=dict(content.options),
            key=content.key, rationale=content.rationale, difficulty=content.difficulty,
            enemies=list(content.enemies), range_ids=list(content.range_ids),
            form=content.form or None, created_at=now, created_by=actor)
        session.add(version)
        session.flush()
        item.current_version = version
        item.needs_review = None  # the statistics judged the old wording; the new one starts afresh


def get_blueprint(session: Session, code: str) -> BlueprintRecord:
    """Return the stored blueprint with this code, or raise UnknownBlueprint."""
    record = session.scalar(select(BlueprintRecord).where(BlueprintRecord.code == code))
    if record is None:
        known = ", ".join(session.scalars(select(BlueprintRecord.code))) or "none loaded"
        raise UnknownBlueprint(f"no blueprint {code!r} (known: {known})")
    return record


def live_candidates(session: Session, bank: str) -> list[Candidate]:
    """Return the current version of every live item in a bank, as assembly needs them."""
    rows = session.execute(
        select(Item.item_id, Item.outcome, Item.criterion, ItemVersion.id, ItemVersion.options,
               ItemVersion.enemies)
        .join(ItemVersion, ItemVersion.id == Item.current_version_id)
        .where(Item.bank == bank, Item.status == "live"))
    return [Candidate(item_id=item_id, version_id=version_id, outcome=outcome,
                      criterion=criterion, options=tuple(options),
                      enemies=frozenset(enemies or ()))
            for item_id, outcome, criterion, version_id, options, enemies in rows]


def range_coverage_of(session: Session, record: BlueprintRecord) -> RangeCoverage:
    """Return every Range point of a stored bank with the items naming it, or raise NoRangeList."""
    range_list = record.range_list()
    if range_list is None:
        raise NoRangeList(f"{record.code} was loaded without its Range points: load the bank "
                          "folder again, with its range.yaml")
    rows = session.execute(
        select(Item.item_id, Item.status, ItemVersion.range_ids)
        .join(ItemVersion, ItemVersion.id == Item.current_version_id)
        .where(Item.bank == record.code))
    return range_coverage(range_list, record.to_domain().minimum_live_per_range_point, rows)


def blueprints(session: Session) -> list[BlueprintRecord]:
    """Return every stored blueprint, by code."""
    return session.scalars(select(BlueprintRecord).order_by(BlueprintRecord.code)).all()


def get_item(session: Session, bank: str, item_id: str) -> Item:
    """Return one item of a bank, or raise NotFound."""
    item = session.scalar(select(Item).where(Item.bank == bank, Item.item_id == item_id))
    if item is None:
        raise NotFound(f"There is no item {item_id} in {bank}.")
    return item


def stored_items(session: Session, bank: str) -> list[Item]:
    """Return every item of a bank, whatever its status, by id."""
    return session.scalars(select(Item).where(Item.bank == bank).order_by(Item.item_id)
                           .options(selectinload(Item.current_version))).all()


def bank_listing(session: Session, bank: str) -> dict:
    """Return a bank's items with their current content and key, for people and scripts."""
    record = get_blueprint(session, bank)
    items = []
    for item in session.scalars(select(Item).where(Item.bank == record.code)
                                .order_by(Item.item_id)):
        version = item.current_version
        items.append({
            "id": item.item_id, "version": version.version, "status": item.status,
            "outcome": item.outcome, "criterion": item.criterion, "stem": version.stem,
            "options": [{"letter": k, "text": v} for k, v in version.options.items()],
            "key": version.key, "difficulty": version.difficulty, "form": version.form,
            "range": list(version.range_ids or []),
            "enemies": list(version.enemies or []), "rationale": version.rationale,
            "needs_review": item.needs_review, "source": item.source_path})
    return {"blueprint": record.code, "title": record.title, "items": items}
