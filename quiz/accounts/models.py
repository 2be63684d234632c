"""Centres and the people who use the engine, each with one role."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quiz.db import Base, UTCDateTime

ROLES = ("candidate", "invigilator", "item_writer", "results_officer", "admin")
UNUSABLE_PASSWORD = "!"  # no hash scheme starts with "!", so no password ever matches
ROLE_TITLES = {
    "candidate": "Candidate",
    "invigilator": "Invigilator",
    "item_writer": "Item writer",
    "results_officer": "Results officer",
    "admin": "Administrator",
}


class Centre(Base):
    """A college, training provider or test centre where sittings take place."""

    __tablename__ = "centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(UserMixin, Base):
    """An account: a candidate, invigilator, item writer, results officer or administrator."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"))
    candidate_number: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Access arrangements granted by the centre; they apply to every sitting the candidate takes.
    extra_time_percent: Mapped[int] = mapped_column(Integer, default=0)
    large_text: Mapped[bool] = mapped_column(Boolean, default=False)
    high_contrast: Mapped[bool] = mapped_column(Boolean, default=False)
    # Supervised rest breaks that stop the clock, up to this many minutes per test.
    rest_break_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every session cookie; raising it ends every session the account has (sign-out,
    # a password change, an administrator's "sign this account out").
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    centre: Mapped[Centre | None] = relationship()

    __table_args__ = (UniqueConstraint("centre_id", "candidate_number"),)

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether the password matches the stored hash."""
        if self.password_hash == UNUSABLE_PASSWORD:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        """Return what the session cookie keeps: the id and the session version (Flask-Login)."""
        return f"{self.id}:{self.session_version or 0}"

    def holds_session(self, version: str) -> bool:
        """Return whether a session cookie's version is still this account's current one."""
        return self.active and version == str(self.session_version or 0)

    def end_sessions(self) -> None:
        """Revoke every session of this account, wherever its cookie is."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def role_title(self) -> str:
        """Return the role as people say it."""
        return ROLE_TITLES.get(self.role, self.role)


class Throttle(Base):
    """Failed guesses of one kind against one target, so repeated guessing can be slowed down.

    Kept in the database, not in process memory, because app servers are stateless.
    """

    __tablename__ = "throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "password" or "keycode"
    target: Mapped[str] = mapped_column(String(200))  # e.g. a username, or a user id
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("kind", "target"),)
