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


MIN_PASSWORD = 8
MAX_PASSWORD = 200


class SignInRefused(Exception):
    """A password check refused (wrong, too many tries, unsuitable); the message is safe to show."""

    def __init__(self, message: str, wait: timedelta | None = None):
        super().__init__(message)
        self.wait = wait


def authenticate(session: Session, username: str, password: str, now: datetime,
                 source: Source = Source()) -> User:
    """Return the user if the password is right; count and slow down wrong guesses."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    account = user if user is not None and user.active else None
    if not _password_guess(session, account, password, now, source):
        raise SignInRefused("That username and password do not match an account.")
    audit.record(session, now, "signed_in", user)
    return user


def _password_guess(session: Session, user: User | None, password: str, now: datetime,
                    source: Source) -> bool:
    """Return whether the password is the user's, counting a wrong one; raise while slowed.

    Guesses are counted per source address and per account from that address, so a guesser
    elsewhere cannot lock the owner out. A missing user (an unknown or deactivated username)
    costs the same hash check and is counted against its source only, so made-up usernames
    leave no row each behind."""
    wait = guessing.source_wait(session, "password", source, now)
    if wait:
        raise SignInRefused("Too many wrong sign-ins from this network. Try again in "
                            f"{seconds(wait)} seconds.", wait)
    # Looked up for missing users too, so both take the same queries.
    pair = f"user:{user.id if user is not None else '-'}@{source.address}"
    wait = guessing.target_wait(session, "password", pair, now)
    if wait:
        raise SignInRefused("Too many wrong sign-ins for this account. Try again in "
                            f"{seconds(wait)} seconds.", wait)
    if user is None or user.password_hash == UNUSABLE_PASSWORD:
        _stand_in().check_password(password)  # the same work, so timing does not tell
    elif user.check_password(password):
        guessing.forget(session, "password", pair)
        return True
    guessing.count_failure(session, "password", source, now,
                           target=pair if user is not None else None)
    return False


def sign_out(session: Session, user: User, now: datetime) -> None:
    """End every session of the user: this browser's, and any copy of its cookie."""
    user.end_sessions()
    audit.record(session, now, "signed_out", user)


def change_password(session: Session, user: User, current: str, new: str, now: datetime,
                    source: Source = Source()) -> None:
    """Set a new password once the current one is given; every other session ends."""
    if not _password_guess(session, user, current, now, source):
        raise SignInRefused("Your current password is not right, so nothing was changed.")
    check_new_password(new)
    if new == current:
        raise SignInRefused("The new password must differ from the current one.")
    user.set_password(new)
    user.end_sessions()
    audit.record(session, now, "password_changed", user)


def end_sessions_of(session: Session, user: User, actor: User | None, now: datetime) -> None:
    """Sign an account out everywhere, on an administrator's word (or the command line's)."""
    user.end_sessions()
    audit.record(session, now, "sessions_ended", actor, account=user.username)


def find_users(session: Session, text: str, limit: int = 50) -> list[User]:
    """Return accounts whose username or name contains the text, by username."""
    query = select(User).order_by(User.username).limit(limit)
    text = text.strip().lower()
    if text:
        query = query.where(func.lower(User.username).contains(text, autoescape=True)
                            | func.lower(User.full_name).contains(text, autoescape=True))
    return list(session.scalars(query))


def check_new_password(password: str) -> None:
    """Refuse a password that is too short or too long to be a sensible choice."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise SignInRefused(f"A password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters.")


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
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
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
