"""Use cases of the item writers' workflow: write, edit, submit, approve, return and retire.

Each takes the caller's session and the time, changes nothing unless the whole action is allowed,
and records who did what, when and why in the audit trail (with the item, for its history).
The rules themselves are plain Python in review.py and fields.py.

Imports (issue 10) call create_draft, so an imported question enters the same review.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.errors import BadRequest, NotAllowed, Refused
from quiz.itembank import fields, review
from quiz.itembank.domain import ItemContent
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion, content_columns, searchable
from quiz.itembank.service import get_blueprint

WRITER_ROLES = ("item_writer", "admin")


class InvalidItem(BadRequest):
    """The item has problems; problems lists each with its field, and nothing was stored."""

    def __init__(self, problems: list[fields.FieldProblem]):
        self.problems = problems
        super().__init__("The item was not saved: " + "; ".join(p.message for p in problems) + ".")


class EditConflict(Refused):
    """Someone saved a newer version since the form was opened; nothing was stored."""

    code = "edit_conflict"

    def __init__(self, item: Item, base: ItemVersion | None, latest: ItemVersion):
        self.item, self.base, self.latest = item, base, latest
        super().__init__(
            f"{latest.created_by or 'Someone'} saved version {latest.version} of {item.item_id} "
            f"since you opened it{'' if base is None else f' (at version {base.version})'}. "
            "Your changes were not saved.")


class NothingChanged(Refused):
    """The edit is the same as the latest version; no version was made."""


def can_write(user) -> bool:
    """Return whether the account may see and write items."""
    return user is not None and user.role in WRITER_ROLES


def can_review(user) -> bool:
    """Return whether the account may approve, return and retire items."""
    return user is not None and (user.role == "admin" or (user.role == "item_writer"
                                                          and bool(user.can_review)))


# --- writing ---------------------------------------------------------------------------------

def check_item(session: Session, record: BlueprintRecord, criterion: str, content: ItemContent,
               item_id: str | None = None, unfinished: bool = False) -> list[fields.FieldProblem]:
    """Return every problem with an item as the writer gave it, checked as bank files are.

    unfinished lets it leave out what a draft may (Range points, form, enemies) until review.
    """
    values = fields.normalise(fields.values_of(content, criterion=criterion))
    known = frozenset(session.scalars(select(Item.item_id).where(Item.bank == record.code)))
    context = fields.Context(record.to_domain(), item_id=item_id, known={"items": known},
                             range_list=record.range_list())
    return fields.check(values, context, names=tuple(f.name for f in fields.WRITER_FIELDS),
                        draft=unfinished)


def tidy_content(content: ItemContent) -> ItemContent:
    """Return content with whitespace tidied exactly as a bank file would give it back."""
    return fields.content_of(fields.normalise(fields.values_of(content)))


def create_draft(session: Session, *, bank: str | BlueprintRecord, criterion: str,
                 content: ItemContent, author, now: datetime, item_id: str | None = None,
                 source_ref: str | None = None, note: str | None = None,
                 unfinished: bool = False, form_problems: Sequence[fields.FieldProblem] = ()
                 ) -> Item:
    """Create a new item whose first version is a draft, or raise InvalidItem.

    bank is the blueprint code ("2794-03/315") or its record; author is the User writing it.
    A new id following the bank's numbering is chosen when item_id is None. source_ref is the
    question's identifier in the file it was imported from: if an item of this bank already came
    from it, that item is returned unchanged, so importing the same file twice changes nothing.
    The content's Range points, form and enemies are checked like the rest; an import passes
    unfinished=True, as a file from another tool may not have them, and the writer adds them
    before the draft can go for review (unchecked enemies are kept as None, not as "none").
    form_problems are what the writer's form found that content cannot show; they are reported
    with the rest, and nothing is stored.
    """
    record = bank if isinstance(bank, BlueprintRecord) else get_blueprint(session, bank)
    if source_ref is not None:
        existing = find_by_source(session, record.code, source_ref)
        if existing is not None:
            return existing
    content = tidy_content(content)
    criterion = fields.tidy(criterion or "")
    problems = list(form_problems) + check_item(session, record, criterion, content, item_id,
                                                unfinished)
    if item_id is None:
        item_id = _new_id(session, record, criterion)
    else:
        problems = fields.check({"id": item_id}, fields.Context(record.to_domain()),
                                names=("id",)) + problems
        if session.scalar(select(Item.id).where(Item.bank == record.code,
                                                Item.item_id == item_id)):
            problems.insert(0, fields.FieldProblem("id", f"id {item_id} is already used in "
                                                         f"{record.code}"))
    if problems:
        raise InvalidItem(problems)
    blueprint = record.to_domain()
    item = Item(bank=record.code, item_id=item_id, criterion=criterion,
                outcome=blueprint.outcome_of(criterion), status="draft", source_ref=source_ref,
                updated_at=now, app_changed_at=now)
    session.add(item)
    version = _new_version(session, item, 1, criterion, content, author, now)
    item.current_version = version
    session.flush()
    audit.record(session, now, "item_created", author, item_pk=item.id, reason=note,
                 bank=record.code, item=item_id, version=1,
                 **({"source": source_ref} if source_ref else {}))
    return item


def find_by_source(session: Session, bank: str, source_ref: str) -> Item | None:
    """Return the item of a bank imported from this source identifier, if there is one."""
    return session.scalar(select(Item).where(Item.bank == bank, Item.source_ref == source_ref))


def save_version(session: Session, item: Item, *, criterion: str, content: ItemContent, author,
                 now: datetime, base_version_id: int | None, note: str | None = None,
                 form_problems: Sequence[fields.FieldProblem] = ()) -> ItemVersion:
    """Store an edit as a new draft version, or refuse it (InvalidItem, EditConflict, ...).

    base_version_id is the version the writer's form was opened from: if another version has
    been saved since, the edit is refused so that neither writer's work is lost unseen. Editing a
    live item leaves its live version in papers until the new one is approved.
    """
    _lock(session, item)
    if item.status == "retired":
        raise Refused(f"{item.item_id} is retired, so it cannot be edited; write a new item.")
    latest = item.latest_version
    if latest.id != base_version_id:
        base = session.get(ItemVersion, base_version_id) if base_version_id else None
        raise EditConflict(item, base if base is not None and base.item_pk == item.id else None,
                           latest)
    content = tidy_content(content)
    criterion = fields.tidy(criterion or "")
    record = get_blueprint(session, item.bank)
    problems = list(form_problems) + check_item(session, record, criterion, content, item.item_id)
    if not (note or "").strip():
        problems.append(fields.FieldProblem("note", "say what changed and why: it is kept in the "
                                                    "item's history"))
    if problems:
        raise InvalidItem(problems)
    if latest.content() == content and latest.criterion == criterion:
        raise NothingChanged(f"Nothing was changed, so version {latest.version} of "
                             f"{item.item_id} stays as it is.")
    version = _new_version(session, item, latest.version + 1, criterion, content, author, now)
    if item.status == "live":
        if item.pending_version is not None:
            item.pending_version.status = "superseded"
        item.pending_version = version
    else:
        latest.status = "superseded"
        item.current_version = version
        item.status = "draft"
        _retag(item, record, criterion)
    _touch(item, now)
    session.flush()
    audit.record(session, now, "item_edited", author, item_pk=item.id, reason=note,
                 bank=item.bank, item=item.item_id, version=version.version,
                 replaces=latest.version)
    return version


def _new_version(session, item, number, criterion, content, author, now) -> ItemVersion:
    """Add an immutable draft version of an item."""
    version = ItemVersion(
        item=item, version=number, status="draft", criterion=criterion,
        **content_columns(content), created_at=now,
        created_by=getattr(author, "full_name", None) or getattr(author, "username", None),
        created_by_id=getattr(author, "id", None),
        search_text=searchable(item.item_id, content))
    session.add(version)
    session.flush()
    return version


def _new_id(session: Session, record: BlueprintRecord, criterion: str) -> str:
    """Return the next free id for a criterion of this bank."""
    ids: dict[str, list[str]] = {}
    for item_id, item_criterion in session.execute(
            select(Item.item_id, Item.criterion).where(Item.bank == record.code)):
        ids.setdefault(item_criterion, []).append(item_id)
    return review.next_item_id(record.to_domain(), criterion, ids)


# --- review ----------------------------------------------------------------------------------

def submit(session: Session, item: Item, actor, now: datetime, version_id: int) -> ItemVersion:
    """Send the item's draft version for review."""
    _lock(session, item)
    version = _expect(item, version_id, "draft", "submit")
    missing = fields.missing_for_review(fields.values_of(version.content()))
    if missing:
        raise Refused(f"Version {version.version} of {item.item_id} cannot go for review until "
                      f"it gives its {_and(missing)}: edit it to add them.")
    version.status = "in_review"
    if version is item.current_version:
        item.status = "in_review"
    _touch(item, now)
    audit.record(session, now, "item_submitted", actor, item_pk=item.id, bank=item.bank,
                 item=item.item_id, version=version.version)
    return version


def approve(session: Session, item: Item, reviewer, now: datetime, version_id: int,
            comment: str | None = None) -> ItemVersion:
    """Make the version under review live, replacing the live one; never by one of its authors."""
    _require_reviewer(reviewer)
    _lock(session, item)
    version = _expect(item, version_id, "in_review", "approve")
    refusal = review.approval_refusal(reviewer.id, authors_under_review(session, item))
    if refusal:
        raise NotAllowed(refusal)
    replaced = None
    if version is item.pending_version:
        replaced = item.current_version
        replaced.status = "superseded"
        item.current_version = version
        item.pending_version = None
        item.needs_review = None  # the statistics judged the old wording; the new one starts afresh
    version.status = "live"
    item.status = "live"
    _retag(item, get_blueprint(session, item.bank), version.criterion)
    _touch(item, now)
    audit.record(session, now, "item_approved", reviewer, item_pk=item.id, reason=comment or None,
                 bank=item.bank, item=item.item_id, version=version.version,
                 **({"replaces": replaced.version} if replaced is not None else {}))
    return version


def return_to_writer(session: Session, item: Item, reviewer, now: datetime, version_id: int,
                     comment: str) -> ItemVersion:
    """Send the version under review back to draft with the reviewer's comment."""
    _require_reviewer(reviewer)
    comment = (comment or "").strip()
    if not comment:
        raise BadRequest("Say what the writer should change: a return needs a comment.")
    _lock(session, item)
    version = _expect(item, version_id, "in_review", "return")
    version.status = "draft"
    if version is item.current_version:
        item.status = "draft"
    _touch(item, now)
    audit.record(session, now, "item_returned", reviewer, item_pk=item.id, reason=comment,
                 bank=item.bank, item=item.item_id, version=version.version)
    return version


def retire(session: Session, item: Item, reviewer, now: datetime, reason: str) -> None:
    """Take an item out of use for good, unless that would leave the bank short of its blueprint."""
    _require_reviewer(reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise BadRequest("Say why the item is retired: retiring needs a reason.")
    _lock(session, item)
    if item.status == "retired":
        raise Refused(f"{item.item_id} is already retired.")
    if item.status == "live":
        shortfall = retirement_shortfall(session, item)
        if shortfall:
            raise Refused(f"Retiring {item.item_id} would leave the bank short: "
                          + "; ".join(shortfall) + ". Nothing was changed.")
    if item.pending_version is not None:
        item.pending_version.status = "superseded"
        item.pending_version = None
    item.current_version.status = "retired"
    item.status = "retired"
    _touch(item, now)
    audit.record(session, now, "item_retired", reviewer, item_pk=item.id, reason=reason,
                 bank=item.bank, item=item.item_id, version=item.current_version.version)


def retirement_shortfall(session: Session, item: Item) -> list[str]:
    """Return what retiring this live item would leave short (empty if nothing)."""
    live = Counter(dict(session.execute(
        select(Item.criterion, func.count()).where(Item.bank == item.bank, Item.status == "live")
        .group_by(Item.criterion)).all()))
    blueprint = get_blueprint(session, item.bank).to_domain()
    return review.retirement_shortfall(blueprint, live, item.criterion)


def authors_under_review(session: Session, item: Item) -> set[int | None]:
    """Return the accounts that wrote any version since the item was last live."""
    since = item.current_version.version if item.pending_version is not None else 0
    return set(session.scalars(select(ItemVersion.created_by_id).where(
        ItemVersion.item_pk == item.id, ItemVersion.version > since)))


def _expect(item: Item, version_id: int, status: str, action: str) -> ItemVersion:
    """Return the item's latest version if it is the one the page showed, in the right state."""
    version = item.latest_version
    if version.id != version_id:
        raise Refused(f"{item.item_id} has changed since the page was opened (it is now at "
                      f"version {version.version}); reload it and try again.")
    if version.status != status:
        raise Refused(f"Version {version.version} of {item.item_id} is "
                      f"{version.status.replace('_', ' ')}, so it cannot be {_PAST[action]}.")
    return version


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_PAST = {"submit": "submitted for review", "approve": "approved", "return": "returned"}


def _require_reviewer(user) -> None:
    if not can_review(user):
        raise NotAllowed("Only reviewers may approve, return or retire items. Ask an "
                         "administrator for the reviewer permission.")


def _lock(session: Session, item: Item) -> None:
    """Hold the item's row until the transaction ends, so two actions on it take turns."""
    session.execute(select(Item.id).where(Item.id == item.id).with_for_update())
    session.refresh(item)


def _retag(item: Item, record: BlueprintRecord, criterion: str) -> None:
    item.criterion = criterion
    item.outcome = record.to_domain().outcome_of(criterion)


def _touch(item: Item, now: datetime) -> None:
    """Mark a change made in the app: assembly's cache and the load check both watch this."""
    item.updated_at = now
    item.app_changed_at = now
