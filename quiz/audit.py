"""The audit trail: an append-only record of who did what, when and why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from quiz.db import Base, UTCDateTime


class AuditEvent(Base):
    """One recorded action. Rows are only ever inserted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(120))  # a name, or "system" for scheduled jobs
    action: Mapped[str] = mapped_column(String(40), index=True)
    sitting_id: Mapped[int | None] = mapped_column(Integer, index=True)
    attempt_id: Mapped[int | None] = mapped_column(Integer, index=True)
    item_pk: Mapped[int | None] = mapped_column(Integer, index=True)  # an item's history
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSON)


class AuditIsAppendOnly(Exception):
    """Raised when code tries to change or delete a recorded event."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_the_trail(session: Session, _context, _instances) -> None:
    """Refuse any flush that would edit or delete an audit event."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditIsAppendOnly("the audit trail cannot be edited or deleted")


def record(session: Session, now: datetime, action: str, actor=None, *, sitting_id=None,
           attempt_id=None, item_pk=None, reason: str | None = None, **detail) -> AuditEvent:
    """Append an event to the trail in the caller's transaction."""
    event_row = AuditEvent(
        at=now, actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "username", None) or "system", action=action,
        sitting_id=sitting_id, attempt_id=attempt_id, item_pk=item_pk, reason=reason,
        detail=detail or None)
    session.add(event_row)
    return event_row
