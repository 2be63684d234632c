"""Messages to the room: an invigilator's note to every candidate in a sitting, or to one of them.

A message is kept as sent (with the sender's name at the time) and recorded in the audit trail in
the same transaction; the candidate's page shows it through the status payload.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from quiz import audit
from quiz.accounts.models import User
from quiz.db import Base, UTCDateTime
from quiz.delivery.models import Attempt, Sitting
from quiz.errors import BadRequest, Refused

MAX_MESSAGE_LENGTH = 1000


class RoomMessage(Base):
    """One message to a sitting's room (attempt_id is None) or to one candidate's attempt."""

    __tablename__ = "room_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempt.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    sender_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    sender_name: Mapped[str] = mapped_column(String(200))  # the full name, as sent
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


def send_message(session: Session, sitting: Sitting, sender: User, now: datetime, body: str,
                 attempt: Attempt | None = None) -> RoomMessage:
    """Send a message to the room, or to one attempt of it; raise and change nothing if refused."""
    text = (body or "").strip()
    if not text:
        raise BadRequest("Write the message before sending it.")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise BadRequest(f"A message can be at most {MAX_MESSAGE_LENGTH} characters; this one has "
                         f"{len(text)}.")
    if sitting.status != "open":
        state = "has not been opened yet" if sitting.status == "scheduled" else "is closed"
        raise Refused(f"This sitting {state}, so no message can be sent to it.")
    if attempt is not None:
        if attempt.sitting_id != sitting.id:
            raise BadRequest("That candidate is not sitting this test.")
        if attempt.status != "in_progress":
            raise Refused(f"This candidate's attempt is {attempt.status.replace('_', ' ')}, so "
                          "they would not see the message.")
    message = RoomMessage(sitting_id=sitting.id, attempt_id=attempt.id if attempt else None,
                          body=text, sender_id=sender.id, sender_name=sender.full_name,
                          sent_at=now)
    session.add(message)
    session.flush()
    audit.record(session, now, "message_sent", sender, sitting_id=sitting.id,
                 attempt_id=message.attempt_id, message_id=message.id, body=text)
    return message


def messages_for(session: Session, attempt: Attempt) -> list[RoomMessage]:
    """Return every message of the attempt's sitting to the room or to this attempt, oldest first."""
    return list(session.scalars(
        select(RoomMessage).where(RoomMessage.sitting_id == attempt.sitting_id,
                                  or_(RoomMessage.attempt_id.is_(None),
                                      RoomMessage.attempt_id == attempt.id))
        .order_by(RoomMessage.sent_at, RoomMessage.id)))
