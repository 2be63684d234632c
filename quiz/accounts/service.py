"""Use cases for accounts: sign in with slowed-down guessing, create users."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.accounts import guessing
from quiz.accounts.models import ROLES, UNUSABLE_PASSWORD, Centre, User
from quiz.accounts.throttle import Source, seconds


class SignInRefused(Exception):
    """Wrong username or password, or too many tries; the message is safe to show."""

    def __init__(self, message: str, wait: timedelta | None = None):
        super().__init__(message)
        self.wait = wait


def authenticate(session: Session, username: str, password: str, now: datetime,
                 source: Source = Source()) -> User:
    """Return the user if the password is right; count and slow down wrong guesses.

    Guesses are counted per source address and per account from that address, so a guesser
    elsewhere cannot lock the owner out. Made-up usernames are counted against their source
    only, so they leave no row each behind."""
    wait = guessing.source_wait(session, "password", source, now)
    if wait:
        raise SignInRefused("Too many wrong sign-ins from this network. Try again in "
                            f"{seconds(wait)} seconds.", wait)
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    # Looked up for unknown usernames too, so both take the same queries.
    pair = f"user:{user.id if user is not None else '-'}@{source.address}"
    wait = guessing.target_wait(session, "password", pair, now)
    if wait:
        raise SignInRefused("Too many wrong sign-ins for this account. Try again in "
                            f"{seconds(wait)} seconds.", wait)
    if user is None or user.password_hash == UNUSABLE_PASSWORD:
        _stand_in().check_password(password)  # the same work, so timing does not tell
    elif user.check_password(password) and user.active:
        guessing.forget(session, "password", pair)
        audit.record(session, now, "signed_in", user)
        return user
    guessing.count_failure(session, "password", source, now,
                           target=pair if user is not None else None)
    raise SignInRefused("That username and password do not match an account.")


@cache
def _stand_in() -> User:
    """Return an account that exists nowhere, whose password check costs what a real one does.

    Its hash is made by User.set_password, so it follows whatever scheme and cost are current."""
    user = User(username="", full_name="", role="candidate")
    user.set_password(secrets.token_urlsafe(16))
    return user


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
                high_contrast=arrangements.get("high_contrast", False))
    user.set_password(password)
    session.add(user)
    session.flush()
    return user
