"""Files stay the record: write a stored bank back out in the item_banks/ layout (quiz bank export)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.itembank import bankwriter
from quiz.itembank.bankfile import EXPORTED_FILE
from quiz.itembank.domain import STATUSES
from quiz.itembank.exchange import exchange_items
from quiz.itembank.formats.yaml_bank import ITEMS_FOLDER, bank_files, folder_of
from quiz.itembank.models import Item
from quiz.itembank.service import get_blueprint


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
    order: the files yaml_bank.bank_files lays out, which the export page's download zips too.

    Every item is written as papers and statuses see it (its current version); a criterion's
    file keeps the name its items were loaded from. Item files of the bank that no longer hold
    any item are removed, so loading the folder gives back exactly the stored bank.
    exported.yaml records now (taken before anything was read) as the moment the files match
    the database, so loading them later cannot silently undo a change made after it.
    """
    record = get_blueprint(session, code)
    blueprint = record.to_domain()
    folder = Path(root) / folder_of(blueprint)
    report = ExportReport(folder)
    (folder / ITEMS_FOLDER).mkdir(parents=True, exist_ok=True)
    (folder / EXPORTED_FILE).write_text(bankwriter.render_exported(record.code, now),
                                        encoding="utf-8")
    items = exchange_items(session, record.code, STATUSES)
    report.items = len(items)
    report.pending = list(session.scalars(
        select(Item.item_id).where(Item.bank == record.code, Item.pending_version_id.is_not(None))
        .order_by(Item.item_id)))
    files = bank_files(items, blueprint, record.range_list())
    for path, text in files.items():
        _write(folder / path, text, report)
    for stale in sorted((folder / ITEMS_FOLDER).glob("*.yaml")):
        if f"{ITEMS_FOLDER}/{stale.name}" not in files:
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
