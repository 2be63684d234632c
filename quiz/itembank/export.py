"""Files stay the record: write a stored bank back out in the item_banks/ layout (quiz bank export)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from quiz import audit
from quiz.itembank import bankwriter, fields
from quiz.itembank.bankfile import BLUEPRINT_FILE, EXPORTED_FILE, RANGE_FILE
from quiz.itembank.service import get_blueprint, stored_items


@dataclass
class ExportReport:
    """What an export wrote."""

    folder: Path
    items: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # items with an unapproved newer version

    def lines(self) -> list[str]:
        """Return what to tell the person who exported."""
        lines = [f"{self.folder}: {self.items} item(s); {len(self.written)} file(s) written, "
                 f"{len(self.unchanged)} unchanged, {len(self.removed)} removed"]
        lines += [f"  wrote {name}" for name in self.written]
        lines += [f"  removed {name} (no items left in it)" for name in self.removed]
        if self.pending:
            lines.append(f"  {len(self.pending)} item(s) have a newer version in draft or review, "
                         "exported as they are live until it is approved: "
                         + ", ".join(self.pending))
        return lines


def export_bank(session: Session, code: str, root: Path, now: datetime, actor=None) -> ExportReport:
    """Write a bank's blueprint, Range and items under root/<qualification>/<unit>/, in a stable
    order.

    Every item is written as papers and statuses see it (its current version); a criterion's
    file keeps the name its items were loaded from. Item files of the bank that no longer hold
    any item are removed, so loading the folder gives back exactly the stored bank.
    exported.yaml records now (taken before anything was read) as the moment the files match
    the database, so loading them later cannot silently undo a change made after it.
    """
    record = get_blueprint(session, code)
    blueprint = record.to_domain()
    folder = Path(root) / blueprint.qualification / blueprint.unit
    report = ExportReport(folder)
    (folder / "items").mkdir(parents=True, exist_ok=True)
    (folder / EXPORTED_FILE).write_text(bankwriter.render_exported(record.code, now),
                                        encoding="utf-8")
    _write(folder / BLUEPRINT_FILE, record.source_text or bankwriter.render_blueprint(blueprint),
           report)
    range_list = record.range_list()
    if range_list is not None:
        _write(folder / RANGE_FILE, bankwriter.range_text(range_list), report)

    by_criterion: dict[str, list] = defaultdict(list)
    for item in stored_items(session, record.code):
        by_criterion[item.criterion].append(item)
        if item.pending_version_id is not None:
            report.pending.append(item.item_id)
    report.items = sum(len(items) for items in by_criterion.values())
    titles = {c: t for o in blueprint.outcomes for c, t in o.criteria.items()}
    keep = set()
    for criterion in sorted(by_criterion, key=bankwriter.natural_key):
        items = by_criterion[criterion]
        name = bankwriter.file_name(criterion, titles.get(criterion, ""),
                                    [Path(i.source_path).name for i in items if i.source_path])
        values = [fields.values_of(i.current_version.content(), id=i.item_id,
                                   criterion=i.criterion, status=i.status) for i in items]
        _write(folder / "items" / name, bankwriter.render_item_file(blueprint, criterion, values),
               report)
        keep.add(name)
    for stale in sorted((folder / "items").glob("*.yaml")):
        if stale.name not in keep:
            stale.unlink()
            report.removed.append(str(stale))
    audit.record(session, now, "bank_exported", actor, bank=record.code, folder=str(folder),
                 items=report.items)
    return report


def _write(path: Path, text: str, report: ExportReport) -> None:
    """Write a file unless it already says exactly this."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        report.unchanged.append(str(path))
        return
    path.write_text(text, encoding="utf-8")
    report.written.append(str(path))
