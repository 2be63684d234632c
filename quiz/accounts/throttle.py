"""How long someone must wait after wrong guesses (passwords, keycodes): pure rules.

Two counters slow guessing down without letting anyone lock a real user out:

- per account *and* source address (GuessRecord): three wrong guesses are free, then the wait
  doubles from 2 seconds up to 5 minutes. The owner at another computer is not affected.
- per source address (SourceBucket), generous because a whole exam hall can share one address
  behind NAT: a leaky bucket that holds `burst` wrong guesses and lets one out every
  `interval`. Only when it is full must that address wait, and then only until one drains.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 3  # a typo or two costs nothing
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=5)
FORGET_AFTER = timedelta(minutes=30)  # a clean half hour wipes the slate

# Per source address: 200 wrong guesses at once (a hall of several hundred candidates typing
# passwords from printed slips), then one every 3 seconds, i.e. at most 1,200 an hour.
SOURCE_BURST = 200
SOURCE_INTERVAL = timedelta(seconds=3)


@dataclass(frozen=True)
class Source:
    """Where guesses come from, and how many wrong ones that address may make."""

    address: str = "unknown"
    burst: int = SOURCE_BURST
    interval: timedelta = SOURCE_INTERVAL


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


@dataclass(frozen=True)
class SourceBucket:
    """Wrong guesses from one source address not yet drained, counted down since `since`."""

    level: int = 0
    since: datetime | None = None
    burst: int = SOURCE_BURST
    interval: timedelta = SOURCE_INTERVAL

    def drained(self, now: datetime) -> SourceBucket:
        """Return the bucket at now, after whole intervals have each let one guess out."""
        if self.since is None or self.level <= 0:
            return SourceBucket(0, now, self.burst, self.interval)
        steps = max(0, int((now - self.since) / self.interval))
        level = max(0, self.level - steps)
        since = self.since + steps * self.interval if level else now
        return SourceBucket(level, since, self.burst, self.interval)

    def wait(self, now: datetime) -> timedelta:
        """Return how long until this address may guess again (zero if it may now)."""
        bucket = self.drained(now)
        if bucket.level < self.burst:
            return timedelta(0)
        return bucket.since + (bucket.level - self.burst + 1) * self.interval - now

    def after_failure(self, now: datetime) -> SourceBucket:
        """Return the bucket after one more wrong guess at now."""
        bucket = self.drained(now)
        return SourceBucket(bucket.level + 1, bucket.since, self.burst, self.interval)


def source_of(address: str | None) -> str:
    """Return the source a request is counted against: its IPv4 address or its IPv6 /64.

    One IPv6 host usually holds a whole /64, so counting single IPv6 addresses would let it
    guess from billions of them."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def seconds(wait: timedelta) -> int:
    """Return a wait as whole seconds for people, never 0."""
    return max(1, int(wait.total_seconds() + 0.999))
