"""How long someone must wait after repeated wrong guesses (passwords, keycodes): pure rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 3  # a typo or two costs nothing
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=5)
FORGET_AFTER = timedelta(minutes=30)  # a clean half hour wipes the slate


@dataclass(frozen=True)
class GuessRecord:
    """Failures so far against one target, and when guessing may resume."""

    failures: int = 0
    last_failure_at: datetime | None = None
    blocked_until: datetime | None = None

    def wait(self, now: datetime) -> timedelta:
        """Return how long until another guess is allowed (zero if allowed now)."""
        if self.blocked_until is None or now >= self.blocked_until:
            return timedelta(0)
        return self.blocked_until - now

    def after_failure(self, now: datetime) -> GuessRecord:
        """Return the record after one more wrong guess at now."""
        failures = 1 if self._forgotten(now) else self.failures + 1
        blocked = None
        if failures > FREE_FAILURES:
            delay = min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY)
            blocked = now + delay
        return GuessRecord(failures, now, blocked)

    def _forgotten(self, now: datetime) -> bool:
        return self.last_failure_at is None or now - self.last_failure_at > FORGET_AFTER
