"""The clock of an attempt: the server's rules about time, each taking `now` as an argument.

deadline = started_at + duration + extra time + time spent paused + rest-break time (each so far,
including a pause or break still running). A paused attempt's deadline moves with `now`, so its
remaining time stands still.

A rest break stops the clock like a pause, but only up to what is left of the candidate's
allowance: once the allowance is used up the clock runs again, so the break is over in effect even
before anyone ends it. Breaks and pauses never overlap: a break cannot start during a pause, and
pausing ends a running break first.
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
    break_allowance: timedelta = ZERO  # rest-break time allowed for the whole attempt
    break_used: timedelta = ZERO  # completed breaks
    on_break_since: datetime | None = None  # set while a break is running (or ran out unended)

    @property
    def is_paused(self) -> bool:
        """Return whether a pause is running."""
        return self.paused_since is not None

    def break_time(self, now: datetime) -> timedelta:
        """Return all rest-break time counted up to now, never more than the allowance."""
        if self.on_break_since is None:
            return self.break_used
        running = max(now - self.on_break_since, ZERO)
        return min(self.break_used + running, max(self.break_allowance, self.break_used))

    def break_left(self, now: datetime) -> timedelta:
        """Return how much of the break allowance is still unused at now."""
        return max(self.break_allowance - self.break_time(now), ZERO)

    def is_on_break(self, now: datetime) -> bool:
        """Return whether a break is stopping the clock at now (not once the allowance ran out)."""
        return self.on_break_since is not None and self.break_left(now) > ZERO

    def break_refusal(self, now: datetime) -> str | None:
        """Return why a break cannot start at now, or None if it can.

        The reasons are "paused", "on_break", "no_allowance" and "time_up".
        """
        if self.is_paused:
            return "paused"
        if self.is_on_break(now):
            return "on_break"
        if self.break_left(now) <= ZERO:
            return "no_allowance"
        if now >= self.deadline(now):
            return "time_up"
        return None

    def paused_for(self, now: datetime) -> timedelta:
        """Return all time spent paused up to now, including a pause still running."""
        running = max(now - self.paused_since, ZERO) if self.paused_since else ZERO
        return self.paused_total + running

    def deadline(self, now: datetime) -> datetime:
        """Return when the attempt's time runs out, as things stand at now."""
        return (self.started_at + self.duration + self.extra + self.paused_for(now)
                + self.break_time(now))

    def remaining(self, now: datetime) -> timedelta:
        """Return the time left at now, never negative."""
        return max(self.deadline(now) - now, ZERO)

    def has_expired(self, now: datetime) -> bool:
        """Return whether time has run out at now (a paused attempt never runs out)."""
        return not self.is_paused and not self.is_on_break(now) and now >= self.deadline(now)

    def accepts_answer(self, now: datetime, grace: timedelta = ZERO) -> bool:
        """Return whether an answer arriving at now may be saved.

        The grace covers a request that left the browser before the deadline and arrived just
        after it; it never extends the time shown to the candidate.
        """
        if self.is_paused or self.is_on_break(now) or now < self.started_at:
            return False
        return now < self.deadline(now) + grace

    def is_due_for_finalising(self, now: datetime, grace: timedelta = ZERO) -> bool:
        """Return whether the attempt must now be submitted for the candidate.

        Finalising waits out the grace, so an in-flight answer the grace accepts is never
        refused because its attempt was closed a moment earlier.
        """
        return (not self.is_paused and not self.is_on_break(now)
                and now >= self.deadline(now) + grace)

    def pause(self, now: datetime) -> AttemptClock:
        """Return the clock stopped at now, ending a running break first (break time counted to now).

        Pausing a paused clock changes nothing.
        """
        return self if self.is_paused else replace(self.end_break(now), paused_since=now)

    def resume(self, now: datetime) -> AttemptClock:
        """Return the clock running again from now, with the pause added to paused time."""
        if not self.is_paused:
            return self
        return replace(self, paused_total=self.paused_for(now), paused_since=None)

    def start_break(self, now: datetime) -> AttemptClock:
        """Return the clock stopped for a rest break from now; raise ValueError if one cannot start."""
        refusal = self.break_refusal(now)
        if refusal is not None:
            raise ValueError(f"a break cannot start: {refusal}")
        return replace(self, on_break_since=now)

    def end_break(self, now: datetime) -> AttemptClock:
        """Return the clock with the break over, its time (within the allowance) added to break time.

        Ending when no break is running changes nothing.
        """
        if self.on_break_since is None:
            return self
        return replace(self, break_used=self.break_time(now), on_break_since=None)

    def with_extra(self, extra: timedelta) -> AttemptClock:
        """Return the clock with further extra time granted (may not take time away below zero)."""
        return replace(self, extra=max(self.extra + extra, ZERO))


def percent_of(duration: timedelta, percent: float) -> timedelta:
    """Return a percentage of a duration, rounded to whole seconds (25% of 45 min = 11m15s)."""
    return timedelta(seconds=round(duration.total_seconds() * percent / 100))
