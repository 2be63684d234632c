"""Use cases for accounts: sign in with slowed-down guessing, create users."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.accounts.models import ROLES, Centre, Throttle, User
from quiz.accounts.throttle import GuessRecord


class SignInRefused(Exception):
    """Wrong username or password, or too many tries; the message is safe to show."""

    def __init__(self, message: str, wait: timedelta | None = None):
        super().__init__(message)
        self.wait = wait


def authenticate(session: Session, username: str, password: str, now: datetime) -> User:
    """Return the user if the password is right; count and slow down wrong guesses."""
    target = username.strip().lower()
    throttle = session.scalar(select(Throttle).where(Throttle.kind == "password",
                                                     Throttle.target == target))
    record = GuessRecord() if throttle is None else GuessRecord(
        throttle.failures, throttle.last_failure_at, throttle.blocked_until)
    wait = record.wait(now)
    if wait:
        seconds = max(1, int(wait.total_seconds() + 0.999))
        raise SignInRefused(f"Too many wrong sign-ins for this account. Try again in {seconds} "
                            "seconds.", wait)
    user = session.scalar(select(User).where(func.lower(User.username) == target))
    if user is not None and user.active and user.check_password(password):
        if throttle is not None:
            throttle.failures, throttle.blocked_until = 0, None
        audit.record(session, now, "signed_in", user)
        return user
    if throttle is None:
        throttle = Throttle(kind="password", target=target, failures=0)
        session.add(throttle)
    record = record.after_failure(now)
    throttle.failures = record.failures
    throttle.last_failure_at = record.last_failure_at
    throttle.blocked_until = record.blocked_until
    raise SignInRefused("That username and password do not match an account.")


def create_user(session: Session, *, username: str, password: str, full_name: str, role: str,
                centre: Centre | None = None, candidate_number: str | None = None,
                now: datetime | None = None, **arrangements) -> User:
    """Create an account, refusing unknown roles and taken usernames with a clear message."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if not username or len(username) > 80:
        raise ValueError("username must be 1 to 80 characters")
    if len(password) < 8:
        raise ValueError("password must be at least 8 characters")
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())):
        raise ValueError(f"username {username!r} is already taken")
    user = User(username=username, full_name=full_name, role=role, centre=centre,
                candidate_number=candidate_number, active=True, created_at=now,
                extra_time_percent=arrangements.get("extra_time_percent", 0),
                large_text=arrangements.get("large_text", False),
                high_contrast=arrangements.get("high_contrast", False),
                rest_break_minutes=arrangements.get("rest_break_minutes", 0))
    user.set_password(password)
    session.add(user)
    session.flush()
    return user
