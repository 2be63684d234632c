"""Stored blueprints, items and their versions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.db import Base, UTCDateTime
from quiz.itembank.domain import Blueprint, ItemContent, RangeList


class BlueprintRecord(Base):
    """A unit's test specification as loaded from its bank folder."""

    __tablename__ = "blueprint"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # "2794-03/315"
    title: Mapped[str] = mapped_column(String(200))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    pass_mark_percent: Mapped[float]
    spec: Mapped[dict] = mapped_column(JSON)  # Blueprint.to_dict()
    # RangeList.to_dict(): kept apart from spec, which every paper's assembly reads.
    range_points: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_domain(self) -> Blueprint:
        """Return the plain blueprint the exam rules work with."""
        return Blueprint.from_dict(self.spec)

    def range_list(self) -> RangeList | None:
        """Return the unit's Range points, or None if the bank was loaded without them."""
        return RangeList.from_dict(self.range_points) if self.range_points else None


class Item(Base):
    """An item's identity and tags; what it says lives in its versions."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank: Mapped[str] = mapped_column(String(60), index=True)  # blueprint code
    item_id: Mapped[str] = mapped_column(String(64))  # the id written in the bank file
    outcome: Mapped[int] = mapped_column(Integer)
    criterion: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("item_version.id", use_alter=True, name="fk_item_current_version"))
    source_path: Mapped[str | None] = mapped_column(String(300))
    needs_review: Mapped[str | None] = mapped_column(Text)  # why, when statistics flag it
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    current_version: Mapped[ItemVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True)

    __table_args__ = (UniqueConstraint("bank", "item_id"),)


class ItemVersion(Base):
    """One immutable version of an item's content; attempts point at the version they showed."""

    __tablename__ = "item_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_pk: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON)  # {"A": text, ...} in stored order
    key: Mapped[str] = mapped_column(String(4))
    rationale: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[str] = mapped_column(String(10), default="medium")
    enemies: Mapped[list] = mapped_column(JSON, default=list)  # item ids in the same bank
    range_ids: Mapped[list | None] = mapped_column(JSON, default=list)  # Range point ids
    form: Mapped[str | None] = mapped_column(String(20))  # domain.FORMS; None before 0010
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(120))

    item: Mapped[Item] = relationship(foreign_keys=[item_pk])

    __table_args__ = (UniqueConstraint("item_pk", "version"),)

    def content(self) -> ItemContent:
        """Return the version's content as the plain shape the rules compare."""
        return ItemContent(stem=self.stem, options=dict(self.options), key=self.key,
                           rationale=self.rationale, difficulty=self.difficulty,
                           enemies=tuple(self.enemies or ()),
                           range_ids=tuple(self.range_ids or ()), form=self.form or "")
