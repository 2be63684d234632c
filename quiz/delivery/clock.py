"""The clock of an attempt: the server's rules about time, each taking `now` as an argument.

deadline = started_at + duration + extra time + time spent paused (so far, including a pause
still running). A paused attempt's deadline moves with `now`, so its remaining time stands still.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

ZERO = timedelta(0)


@dataclass(frozen=True)
class AttemptClock:
    """The timing facts of one attempt, from which every answer about time is derived."""

    started_at: datetime
    duration: timedelta
    extra: timedelta = ZERO
    paused_total: timedelta = ZERO  # completed pauses
    paused_since: datetime | None = None  # set while a pause is running

    @property
    def is_paused(self) -> bool:
        """Return whether a pause is running."""
        return self.paused_since is not None

    def paused_for(self, now: datetime) -> timedelta:
        """Return all time spent paused up to now, including a pause still running."""
        running = max(now - self.paused_since, ZERO) if self.paused_since else ZERO
        return self.paused_total + running

    def deadline(self, now: datetime) -> datetime:
        """Return when the attempt's time runs out, as things stand at now."""
        return self.started_at + self.duration + self.extra + self.paused_for(now)

    def remaining(self, now: datetime) -> timedelta:
        """Return the time left at now, never negative."""
        return max(self.deadline(now) - now, ZERO)

    def has_expired(self, now: datetime) -> bool:
        """Return whether time has run out at now (a paused attempt never runs out)."""
        return not self.is_paused and now >= self.deadline(now)

    def accepts_answer(self, now: datetime, grace: timedelta = ZERO) -> bool:
        """Return whether an answer arriving at now may be saved.

        The grace covers a request that left the browser before the deadline and arrived just
        after it; it never extends the time shown to the candidate.
        """
        if self.is_paused or now < self.started_at:
            return False
        return now < self.deadline(now) + grace

    def is_due_for_finalising(self, now: datetime, grace: timedelta = ZERO) -> bool:
        """Return whether the attempt must now be submitted for the candidate.

        Finalising waits out the grace, so an in-flight answer the grace accepts is never
        refused because its attempt was closed a moment earlier.
        """
        return not self.is_paused and now >= self.deadline(now) + grace

    def pause(self, now: datetime) -> AttemptClock:
        """Return the clock stopped at now (pausing a paused clock changes nothing)."""
        return self if self.is_paused else replace(self, paused_since=now)

    def resume(self, now: datetime) -> AttemptClock:
        """Return the clock running again from now, with the pause added to paused time."""
        if not self.is_paused:
            return self
        return replace(self, paused_total=self.paused_for(now), paused_since=None)

    def with_extra(self, extra: timedelta) -> AttemptClock:
        """Return the clock with further extra time granted (may not take time away below zero)."""
        return replace(self, extra=max(self.extra + extra, ZERO))


def percent_of(duration: timedelta, percent: float) -> timedelta:
    """Return a percentage of a duration, rounded to whole seconds (25% of 45 min = 11m15s)."""
    return timedelta(seconds=round(duration.total_seconds() * percent / 100))
