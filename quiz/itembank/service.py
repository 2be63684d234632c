"""Use cases for the bank: load files into the database, and list what assembly may draw on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session, selectinload

from quiz import audit
from quiz.audit import AuditEvent
from quiz.errors import NotFound, Refused
from quiz.itembank.assembly import Pool, prepare
from quiz.itembank.bankfile import BankSet
from quiz.itembank.coverage import RangeCoverage, range_coverage
from quiz.itembank.domain import BankItem, Blueprint, Candidate, RangeList
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion, content_columns, searchable


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


class LoadConflict(Refused):
    """A load would overwrite changes made in the app since the files were exported."""

    code = "load_conflict"

    def __init__(self, conflicts: list[str]):
        self.conflicts = conflicts
        super().__init__(
            f"{len(conflicts)} item(s) were changed in the app after these bank files were "
            "exported, and the files would overwrite them: " + "; ".join(conflicts)
            + ". Nothing was loaded. Export the bank (quiz bank export) and merge the files, or "
            "load with --overwrite to replace those changes with the files.")


def load_banks(session: Session, banks: BankSet, now: datetime, actor: str = "bank load",
               overwrite: bool = False) -> LoadReport:
    """Write checked banks into the database in the caller's transaction.

    Refuses a BankSet with problems, so a bad file can never half-load, and refuses (raising
    LoadConflict, changing nothing) to overwrite items changed in the app after the files were
    exported, unless overwrite is set.
    """
    if not banks.ok:
        raise ValueError(f"refusing to load banks with {len(banks.problems)} problem(s)")
    existing_by_bank = {code: {item.item_id: item for item in session.scalars(
        select(Item).where(Item.bank == code).options(selectinload(Item.current_version)))}
        for code in banks.blueprints}
    conflicts = [line for code, existing in existing_by_bank.items()
                 for line in _conflicts(session, existing, banks.items.get(code, []),
                                        banks.exported_at.get(code))]
    if conflicts and not overwrite:
        raise LoadConflict(conflicts)
    report = LoadReport()
    for code, blueprint in banks.blueprints.items():
        save_blueprint(session, blueprint, now, banks.blueprint_texts.get(code),
                       banks.ranges.get(code))
        report.blueprints += 1
        for bank_item in banks.items.get(code, []):
            _upsert_item(session, existing_by_bank[code].get(bank_item.item_id), bank_item, now,
                         actor, report)
    session.flush()
    return report


def _file_state(item: Item) -> tuple:
    """Return what a bank file says about an item: its status, criterion and content."""
    return item.status, item.criterion, item.current_version.content()


def _conflicts(session: Session, existing: dict[str, Item], bank_items: list[BankItem],
               exported_at: datetime | None) -> list[str]:
    """Name each item the files would change that the app changed after the files were exported.

    exported_at comes from the files themselves (exported.yaml), so files exported to look at
    and thrown away never vouch for older files; files never exported vouch for no app change.
    """
    found = []
    for bank_item in bank_items:
        item = existing.get(bank_item.item_id)
        if item is None or item.app_changed_at is None:
            continue
        if exported_at is not None and item.app_changed_at <= exported_at:
            continue
        if _file_state(item) == (bank_item.status, bank_item.criterion, bank_item.content):
            continue  # a pending draft is not in the files, so the files do not touch it
        last = session.scalar(select(AuditEvent).where(AuditEvent.item_pk == item.id)
                              .order_by(AuditEvent.id.desc()).limit(1))
        latest = item.latest_version
        who = f" by {last.actor}" if last is not None else ""
        found.append(f"{item.item_id} (version {latest.version}, "
                     f"{latest.status.replace('_', ' ')}, changed{who} at "
                     f"{item.app_changed_at:%Y-%m-%d %H:%M} UTC)")
    return found


def save_blueprint(session: Session, blueprint: Blueprint, now: datetime,
                   source_text: str | None = None,
                   range_list: RangeList | None = None) -> BlueprintRecord:
    """Create or update the stored copy of a blueprint (and, when given, the file it came from
    and its Range points)."""
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
        record.range_text = range_list.text or None
    record.updated_at = now
    if source_text is not None:
        record.source_text = source_text
    return record


def _upsert_item(session, item: Item | None, bank_item: BankItem, now, actor, report) -> None:
    """Create the item, or give it a new version if its content or criterion changed."""
    content = bank_item.content
    change = None
    if item is None:
        item = Item(bank=bank_item.bank, item_id=bank_item.item_id)
        session.add(item)
        report.created.append(bank_item.item_id)
        change = "created"
    elif (item.current_version.content(), item.current_version.criterion) == (
            content, bank_item.criterion):
        if item.status == bank_item.status:
            report.unchanged += 1
        else:
            report.retagged.append(bank_item.item_id)
            change = "status"
    else:
        report.new_versions.append(bank_item.item_id)
        change = "new version"
    item.outcome = bank_item.outcome
    item.criterion = bank_item.criterion
    item.status = bank_item.status
    item.source_path = bank_item.path
    if change is None:
        return
    item.updated_at = now
    if item.pending_version is not None and (change == "new version" or item.status != "live"):
        # The files win (after --overwrite): a draft of the replaced or withdrawn live version
        # is stale.
        item.pending_version.status = "superseded"
        item.pending_version = None
    current = item.current_version
    if current is None or (current.content(), current.criterion) != (content, bank_item.criterion):
        if current is not None:
            current.status = "superseded"
        number = 1 if current is None else _last_version_number(session, item) + 1
        version = ItemVersion(
            item=item, version=number, status=bank_item.status, criterion=bank_item.criterion,
            **content_columns(content), created_at=now, created_by=actor,
            search_text=searchable(bank_item.item_id, content))
        session.add(version)
        session.flush()
        item.current_version = version
        item.needs_review = None  # the statistics judged the old wording; the new one starts afresh
    else:
        current.status = bank_item.status
        session.flush()
    if change == "created":
        return  # version 1's own date and "bank load" say it; a bank of thousands needs no rows
    audit.record(session, now, "item_loaded", None, item_pk=item.id, bank=item.bank,
                 item=item.item_id, change=change, version=item.current_version.version,
                 status=item.status, source=bank_item.path, via=actor)


def _last_version_number(session: Session, item: Item) -> int:
    """Return the highest version number an item has, pending drafts included."""
    return session.scalar(select(func.max(ItemVersion.version))
                          .where(ItemVersion.item_pk == item.id)) or 0


def get_blueprint(session: Session, code: str) -> BlueprintRecord:
    """Return the stored blueprint with this code, or raise UnknownBlueprint."""
    record = session.scalar(select(BlueprintRecord).where(BlueprintRecord.code == code))
    if record is None:
        known = ", ".join(session.scalars(select(BlueprintRecord.code))) or "none loaded"
        raise UnknownBlueprint(f"no blueprint {code!r} (known: {known})")
    return record


def live_version(bank):
    """Return a column that says which version of a bank's live items is current.

    bank: the bank's code, or a column holding it (the start reads this in its own first
    SELECT, correlated with the sitting's blueprint, to save a query). Its value, an opaque
    text, changes whenever an item goes live, is retired or gets a new current version. One
    aggregate over the bank's live items, made into one text so that it is one scan.
    """
    parts = (func.count(), func.coalesce(func.sum(Item.current_version_id), 0),
             func.coalesce(func.max(Item.current_version_id), 0))
    text = cast(parts[0], String)
    for part in parts[1:]:
        text = text + literal(":") + cast(part, String)
    text = text + literal(":") + func.coalesce(cast(func.max(Item.updated_at), String), "")
    live = (Item.bank == bank) & (Item.status == "live")
    return select(text).where(live).scalar_subquery().label("live_version")


@dataclass(frozen=True)
class LiveBank:
    """A bank's live items as one version of it stood: prepared for assembly, and each current
    version's wording (stem, and options by stored letter) for drawing a fresh paper without
    reading it back (an item version never changes once written)."""

    pool: Pool
    wording: dict[int, tuple[str, dict[str, str]]]  # version id -> (stem, options)


def live_bank(session: Session, bank: str, version: str | None = None) -> LiveBank:
    """Return a bank's live items (each at its current version), prepared once per version.

    Kept per database and bank, and read again only when the bank's live items change: a
    start then costs one small aggregate query (or none, if the caller read live_version in its
    own query and passes its value as version) instead of reading and decoding the whole bank
    and working out its enemy links again.
    """
    if version is None:
        version = session.execute(select(live_version(bank))).scalar_one()
    cache = _live_cache.setdefault(session.get_bind(), {})
    cached = cache.get(bank)
    if cached is not None and cached[0] == version:
        return cached[1]
    candidates, wording = _read_live(session, bank)
    live = LiveBank(prepare(candidates), wording)
    cache[bank] = (version, live)
    return live


def live_pool(session: Session, bank: str, version: str | None = None) -> Pool:
    """Return a bank's live items prepared for assembly (live_bank's pool)."""
    return live_bank(session, bank, version).pool


def live_candidates(session: Session, bank: str) -> list[Candidate]:
    """Return the current version of every live item in a bank, as assembly needs them."""
    return list(live_pool(session, bank).candidates)


# {engine: {bank: (version, LiveBank)}}; weak, so an engine disposed of takes its cache.
_live_cache: WeakKeyDictionary = WeakKeyDictionary()


def _read_live(session: Session, bank: str):
    rows = session.execute(
        select(Item.item_id, Item.outcome, Item.criterion, ItemVersion.id, ItemVersion.options,
               ItemVersion.enemies, ItemVersion.stem)
        .join(ItemVersion, ItemVersion.id == Item.current_version_id)
        .where(Item.bank == bank, Item.status == "live")).all()
    candidates = [Candidate(item_id=item_id, version_id=version_id, outcome=outcome,
                            criterion=criterion, options=tuple(options),
                            enemies=frozenset(enemies or ()))
                  for item_id, outcome, criterion, version_id, options, enemies, _ in rows]
    wording = {version_id: (stem, dict(options))
               for _, _, _, version_id, options, _, stem in rows}
    return candidates, wording


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
            "enemies": None if version.enemies is None else list(version.enemies),
            "rationale": version.rationale,
            "needs_review": item.needs_review, "source": item.source_path})
    return {"blueprint": record.code, "title": record.title, "items": items}
