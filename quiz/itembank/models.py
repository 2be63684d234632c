"""Stored blueprints, items and their versions."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.db import Base, UTCDateTime
from quiz.itembank.domain import Blueprint, ItemContent, RangeList

# A version's own state. An item's status is its current version's; a live item may also have a
# newer version in draft or in review (its pending version) that replaces it once approved.
VERSION_STATUSES = ("draft", "in_review", "live", "retired", "superseded")


class BlueprintRecord(Base):
    """A unit's test specification as loaded from its bank folder."""

    __tablename__ = "blueprint"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # "2794-03/315"
    title: Mapped[str] = mapped_column(String(200))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    pass_mark_percent: Mapped[float]
    spec: Mapped[dict] = mapped_column(JSON)  # Blueprint.to_dict()
    # RangeList.to_dict(): kept apart from spec, which every paper's assembly reads, and loaded
    # only when asked for: at about 20 KB of JSON it was most of the cost of loading a sitting's
    # blueprint on a candidate's start (bench/RESULTS.md, "Fourth pass").
    range_points: Mapped[dict | None] = mapped_column(JSON, deferred=True, deferred_group="range")
    # range.yaml as loaded, comments and all, so an export gives back the file people wrote.
    range_text: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_group="range")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # blueprint.yaml as loaded, comments and all, so an export gives back the file people wrote.
    source_text: Mapped[str | None] = mapped_column(Text)

    def to_domain(self) -> Blueprint:
        """Return the plain blueprint the exam rules work with (and the file it was read from)."""
        return replace(Blueprint.from_dict(self.spec), text=self.source_text or "")

    def range_list(self) -> RangeList | None:
        """Return the unit's Range points, or None if the bank was loaded without them."""
        if not self.range_points:
            return None
        return replace(RangeList.from_dict(self.range_points), text=self.range_text or "")


class Item(Base):
    """An item's identity and tags; what it says lives in its versions.

    status and current_version are what papers see: only a live item's current version is
    assembled. pending_version is a newer version of a live item, in draft or in review, that
    replaces the current one when a reviewer approves it.
    """

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank: Mapped[str] = mapped_column(String(60), index=True)  # blueprint code
    item_id: Mapped[str] = mapped_column(String(64))  # the id written in the bank file
    outcome: Mapped[int] = mapped_column(Integer)
    criterion: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_version.id", use_alter=True, name="fk_item_current_version"))
    pending_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_version.id", use_alter=True, name="fk_item_pending_version"))
    source_path: Mapped[str | None] = mapped_column(String(300))
    # Where an imported item came from (the question's identifier in its file), unique per bank,
    # so importing the same file twice changes nothing.
    source_ref: Mapped[str | None] = mapped_column(String(300))
    needs_review: Mapped[str | None] = mapped_column(Text)  # why, when statistics flag it
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When the app (not a load) last changed it: a load of files exported before then would
    # overwrite that change, so it is refused unless told to.
    app_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    current_version: Mapped[ItemVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True)
    pending_version: Mapped[ItemVersion | None] = relationship(
        foreign_keys=[pending_version_id], post_update=True)

    __table_args__ = (UniqueConstraint("bank", "item_id"),
                      Index("uq_item_bank_source_ref", "bank", "source_ref", unique=True))

    @property
    def latest_version(self) -> ItemVersion | None:
        """Return the version a writer edits next: the pending one if there is one."""
        return self.pending_version or self.current_version


class ItemVersion(Base):
    """One immutable version of an item's content; attempts point at the version they showed."""

    __tablename__ = "item_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_pk: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # VERSION_STATUSES
    criterion: Mapped[str] = mapped_column(String(20))  # the criterion this version was written to
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON)  # {"A": text, ...} in stored order
    key: Mapped[str] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[str] = mapped_column(String(10), default="medium")
    # Item ids in the same bank; [] checked and none. JSON null (not SQL NULL): a draft whose
    # enemies nobody has checked yet, such as an import.
    enemies: Mapped[list | None] = mapped_column(JSON, default=list, nullable=False)
    range_ids: Mapped[list | None] = mapped_column(JSON, default=list)  # Range point ids
    form: Mapped[str | None] = mapped_column(String(20))  # domain.FORMS; None before 0010
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(120))  # a name, or "bank load"
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Id, stem, options and rationale in lower case, for finding items by text on any database.
    search_text: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship(foreign_keys=[item_pk])

    __table_args__ = (UniqueConstraint("item_pk", "version"),)

    def content(self) -> ItemContent:
        """Return the version's content as the plain shape the rules compare."""
        return ItemContent(stem=self.stem, options=dict(self.options), key=self.key,
                           rationale=self.rationale, difficulty=self.difficulty,
                           enemies=None if self.enemies is None else tuple(self.enemies),
                           range_ids=tuple(self.range_ids or ()), form=self.form or "")


def content_columns(content: ItemContent) -> dict:
    """Return an ItemVersion's content columns for content, as every new version stores them."""
    return {"stem": content.stem, "options": dict(content.options), "key": content.key,
            "rationale": content.rationale, "difficulty": content.difficulty,
            "enemies": None if content.enemies is None else list(content.enemies),
            "range_ids": list(content.range_ids),
            "form": content.form or None}


def searchable(item_id: str, content: ItemContent) -> str:
    """Return what the item finder matches words against: id, stem, options and rationale."""
    return " ".join([item_id, content.stem, *content.options.values(), content.rationale]).lower()
