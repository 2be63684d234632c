"""Sittings, bookings, attempts and the fixed paper of each attempt."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.accounts.models import Centre, User
from quiz.db import Base, UTCDateTime
from quiz.delivery.clock import AttemptClock
from quiz.itembank.models import BlueprintRecord, ItemVersion

RESULT_POLICIES = ("instant", "to_follow")


class Sitting(Base):
    """A scheduled session of one test at one centre, with a window and (once open) a keycode."""

    __tablename__ = "sitting"

    id: Mapped[int] = mapped_column(primary_key=True)
    blueprint_id: Mapped[int] = mapped_column(ForeignKey("blueprint.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")  # scheduled/open/closed
    keycode: Mapped[str | None] = mapped_column(String(12), index=True)
    # None means the blueprint's duration; set for practice or test sittings.
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    results_policy: Mapped[str] = mapped_column(String(20), default="instant")
    results_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    blueprint: Mapped[BlueprintRecord] = relationship()
    centre: Mapped[Centre] = relationship()

    @property
    def effective_duration_seconds(self) -> int:
        """Return the time allowed for an attempt before extra time and pauses."""
        return self.duration_seconds or self.blueprint.duration_seconds


class Booking(Base):
    """A candidate booked onto a sitting."""

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # gave the right keycode

    sitting: Mapped[Sitting] = relationship()
    candidate: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("sitting_id", "candidate_id"),)


class Attempt(Base):
    """One candidate's attempt at a sitting: its clock, its fixed paper and, once done, its score."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    blueprint_code: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    pass_mark_percent: Mapped[float] = mapped_column(Float)  # fixed at start, like the paper
    extra_seconds: Mapped[int] = mapped_column(Integer, default=0)
    paused_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rest breaks: the allowance is copied from the candidate at start, like extra time.
    break_allowance_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    break_used_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    on_break_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_reason: Mapped[str | None] = mapped_column(String(20))  # candidate/time/closed
    void_reason: Mapped[str | None] = mapped_column(Text)
    score_raw: Mapped[int | None] = mapped_column(Integer)
    score_max: Mapped[int | None] = mapped_column(Integer)
    score_percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[dict | None] = mapped_column(JSON)  # scoring.Result.to_dict()

    sitting: Mapped[Sitting] = relationship()
    candidate: Mapped[User] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        order_by="AttemptQuestion.position", back_populates="attempt")

    __table_args__ = (UniqueConstraint("sitting_id", "candidate_id"),)

    @property
    def clock(self) -> AttemptClock:
        """Return the attempt's timing facts for the clock rules."""
        return AttemptClock(
            started_at=self.started_at,
            duration=timedelta(seconds=self.duration_seconds),
            extra=timedelta(seconds=self.extra_seconds),
            paused_total=timedelta(seconds=self.paused_seconds),
            paused_since=self.paused_since,
            break_allowance=timedelta(seconds=self.break_allowance_seconds or 0),
            break_used=timedelta(seconds=self.break_used_seconds or 0.0),
            on_break_since=self.on_break_since,
        )

    def set_clock(self, clock: AttemptClock) -> None:
        """Store what a clock rule changed (pause, resume, extra time, a rest break)."""
        self.extra_seconds = int(clock.extra.total_seconds())
        self.paused_seconds = clock.paused_total.total_seconds()
        self.paused_since = clock.paused_since
        self.break_used_seconds = clock.break_used.total_seconds()
        self.on_break_since = clock.on_break_since

    @property
    def is_open(self) -> bool:
        """Return whether the attempt can still take answers (time permitting)."""
        return self.status == "in_progress"


class AttemptQuestion(Base):
    """One question of an attempt's fixed paper, and the candidate's latest answer to it."""

    __tablename__ = "attempt_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based, as shown
    item_version_id: Mapped[int] = mapped_column(ForeignKey("item_version.id"))
    outcome: Mapped[int] = mapped_column(Integer)
    criterion: Mapped[str] = mapped_column(String(20))
    option_order: Mapped[list] = mapped_column(JSON)  # stored letters in display order
    chosen: Mapped[str | None] = mapped_column(String(4))  # a stored letter, never a position
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)  # the save that set `chosen`
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    item_version: Mapped[ItemVersion] = relationship()

    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
