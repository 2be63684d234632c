"""Use cases for exchanging items with other tools: import a file as drafts, export a bank.

Both run in the caller's transaction. An import reads and plans everything before it writes, and a
file that cannot be read raises FormatError before anything is written, so a refused file
changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.itembank import fields, formats
from quiz.itembank.domain import STATUSES
from quiz.itembank.formats import ExchangeItem, FormatError, Skipped
from quiz.itembank.formats.plan import TagMap, plan_import
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_blueprint

EXPORT_STATUSES = ("live",)


@dataclass
class ImportSummary:
    """What an import did, question by question."""

    bank: str
    file: str
    format: str  # the format's title
    created: list[tuple[str, str]] = field(default_factory=list)  # (item id, source identifier)
    already: list[str] = field(default_factory=list)  # source identifiers imported before
    skipped: list[Skipped] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)  # (item id, what was changed)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def headline(self) -> str:
        """Return one sentence saying what happened."""
        verb = "would import" if self.dry_run else "imported"
        return (f"{self.file} ({self.format}) into {self.bank}: {verb} {len(self.created)} "
                f"item(s) as drafts; {len(self.skipped)} question(s) not imported; "
                f"{len(self.already)} already imported before")

    def lines(self) -> list[str]:
        """Return the whole summary as lines for the command line."""
        out = [self.headline()]
        if self.created:
            out.append(f"{'Would create' if self.dry_run else 'Created'} as drafts:")
            out += [f"  {item_id}  (from {ref})" for item_id, ref in self.created]
        if self.skipped:
            out.append("Not imported:")
            out += [f"  {s.ref}: {s.reason}" for s in self.skipped]
        if self.changed:
            out.append("Would be imported with changes:" if self.dry_run
                       else "Imported with changes:")
            out += [f"  {item_id}: {note}" for item_id, note in self.changed]
        if self.already:
            shown = ", ".join(self.already[:20])
            more = f" and {len(self.already) - 20} more" if len(self.already) > 20 else ""
            out.append(f"Already imported, left unchanged ({len(self.already)}): {shown}{more}")
        out += [f"Note: {note}" for note in self.notes]
        return out


def import_file(session: Session, *, bank: str, data: bytes, filename: str,
                format_name: str | None = None, mapping: TagMap | None = None, author=None,
                now: datetime, dry_run: bool = False) -> ImportSummary:
    """Import the questions of a file into a bank as drafts; report every one not imported.

    Raises FormatError (and changes nothing) when the file as a whole cannot be read.
    """
    from quiz.itembank import workflow  # the review workflow owns how drafts are made
    record = get_blueprint(session, bank)
    blueprint = record.to_domain()
    fmt, read = formats.read(data, format_name)
    rows = session.execute(
        select(Item.item_id, Item.source_ref, ItemVersion.stem, ItemVersion.options, ItemVersion.key)
        .outerjoin(ItemVersion, ItemVersion.id == Item.current_version_id)
        .where(Item.bank == record.code)).all()
    plan = plan_import(
        read, fmt.family, blueprint, mapping or TagMap(),
        existing_refs={r.source_ref for r in rows if r.source_ref},
        existing_ids={r.item_id for r in rows},
        existing_content={(r.stem, tuple((r.options or {}).items()), r.key): r.item_id
                          for r in rows if r.stem is not None})
    summary = ImportSummary(bank=record.code, file=filename, format=fmt.title,
                            already=plan.already, skipped=list(plan.skipped), notes=plan.notes,
                            dry_run=dry_run)
    for planned in plan.create:
        content, notes = planned.content, list(planned.notes)
        if not content.rationale:
            # A draft cannot be saved without a rationale, and most questions from other tools
            # have none: say so in the draft, where the writer and the reviewer will see it.
            content = replace(content, rationale=f"No rationale came with this item from "
                                                 f"{filename}: write why the key is right before "
                                                 "submitting it for review.")
            notes.append("no rationale in the file: the draft's rationale asks for one")
        try:
            if dry_run:
                item_id = planned.item_id or "(a new id)"
                _check_draft(session, workflow, record, planned, content, notes)
            else:
                item_id = _create_draft(session, workflow, record, planned, content, notes,
                                        author, now, filename).item_id
        except workflow.InvalidItem as err:
            summary.skipped.append(Skipped(planned.ref, str(err)))
            continue
        summary.created.append((item_id, planned.ref))
        summary.changed += [(item_id, note) for note in notes]
    if not dry_run:
        audit.record(session, now, "bank_import", author, bank=record.code, file=filename,
                     format=fmt.name, created=len(summary.created),
                     skipped=len(summary.skipped), already=len(summary.already))
    return summary


# A draft may leave these for the writer to give before review (fields by name -> ItemContent's).
LEFT_FOR_THE_WRITER = {"range": "range_ids", "form": "form"}


def _create_draft(session, workflow, record, planned, content, notes, author, now, filename):
    """Create one imported draft, keeping the Range points and form its file gives.

    A draft may leave them for the writer (unfinished=True), so a Range point or form this bank
    does not know is left out with a note rather than costing the whole question. create_draft
    checks everything before it writes, so a refusal leaves nothing behind.
    """
    def create(content):
        return workflow.create_draft(
            session, bank=record, criterion=planned.criterion, content=content, author=author,
            now=now, item_id=planned.item_id, source_ref=planned.source_ref,
            note=f"imported from {filename}", unfinished=True)
    try:
        return create(content)
    except workflow.InvalidItem as err:
        return create(_left_out(workflow, err.problems, content, notes))


def _check_draft(session, workflow, record, planned, content, notes) -> None:
    """Check one imported draft as _create_draft would create it, writing nothing (a dry run)."""
    def check(content):
        problems = workflow.check_item(session, record, planned.criterion,
                                       workflow.tidy_content(content), unfinished=True)
        if problems:
            raise workflow.InvalidItem(problems)
    try:
        check(content)
    except workflow.InvalidItem as err:
        check(_left_out(workflow, err.problems, content, notes))


def _left_out(workflow, problems, content, notes):
    """Return content without the Range points or form this bank does not know, noting each;
    raise InvalidItem again if anything else is wrong.

    Only the Range points named in a problem are left out; the item keeps the ones it names that
    the bank knows.
    """
    if not problems or any(p.field not in LEFT_FOR_THE_WRITER for p in problems):
        raise workflow.InvalidItem(problems)
    notes += [f"{p.message}: left out, for the writer to give before review" for p in problems]
    changes = {}
    for name in {p.field for p in problems}:
        attribute, absent = LEFT_FOR_THE_WRITER[name], fields.FIELDS_BY_NAME[name].kind.absent
        wrong = {p.part for p in problems if p.field == name}
        if name == "range" and None not in wrong:
            kept = tuple(one for position, one in enumerate(getattr(content, attribute))
                         if position not in wrong)
            changes[attribute] = kept or absent
        else:
            changes[attribute] = absent
    return replace(content, **changes)


@dataclass(frozen=True)
class Export:
    """A bank written in one format, ready to save or download."""

    filename: str
    mimetype: str
    data: bytes
    items: int


def export_bank(session: Session, *, bank: str, format_name: str, actor=None, now: datetime,
                statuses: tuple[str, ...] = EXPORT_STATUSES, via: str = "") -> Export:
    """Write a bank's items of the given statuses in a format, and record that it left.

    A format that holds every item with its status (bank files) is given every status."""
    record = get_blueprint(session, bank)
    fmt = formats.get(format_name)
    if not fmt.can_write:
        raise FormatError(f"{fmt.title} can be imported but not exported")
    if fmt.every_status:
        statuses = STATUSES
    items = exchange_items(session, record.code, statuses)
    data = fmt.write(items, record.to_domain(), record.range_list())
    audit.record(session, now, "bank_export", actor, bank=record.code, format=fmt.name,
                 items=len(items), statuses=list(statuses), **({"via": via} if via else {}))
    stem = record.code.replace("/", "-")
    return Export(filename=f"{stem}-{fmt.name}{fmt.extension}", mimetype=fmt.mimetype, data=data,
                  items=len(items))


def exchange_items(session: Session, bank: str, statuses: tuple[str, ...]) -> list[ExchangeItem]:
    """Return the current version of a bank's items with these statuses, as they travel."""
    rows = session.execute(
        select(Item, ItemVersion).join(ItemVersion, ItemVersion.id == Item.current_version_id)
        .where(Item.bank == bank, Item.status.in_(statuses)).order_by(Item.item_id)).all()
    return [ExchangeItem(ref=item.item_id, stem=version.stem, options=dict(version.options),
                         key=version.key, rationale=version.rationale or "",
                         difficulty=version.difficulty or "", criterion=item.criterion,
                         outcome=item.outcome, status=item.status,
                         range=tuple(version.range_ids or ()), form=version.form or "",
                         enemies=None if version.enemies is None else tuple(version.enemies),
                         source_file=PurePath(item.source_path).name if item.source_path else "")
            for item, version in rows]
