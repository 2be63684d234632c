"""Rest breaks on the attempt clock, at named moments of a 45-minute test with a 10-minute allowance."""
from datetime import datetime, timedelta, timezone

import pytest

from quiz.delivery.clock import AttemptClock

START = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
FORTY_FIVE = timedelta(minutes=45)
DEADLINE = START + FORTY_FIVE
TEN = timedelta(minutes=10)
GRACE = timedelta(seconds=2)
BREAK_AT = START + timedelta(minutes=20)  # the candidate has 25 minutes left


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def clock(**kw) -> AttemptClock:
    kw.setdefault("break_allowance", TEN)
    return AttemptClock(started_at=START, duration=FORTY_FIVE, **kw)


def on_break() -> AttemptClock:
    return clock().start_break(BREAK_AT)


def test_two_minutes_into_a_ten_minute_break_the_clock_has_stood_still():
    two_in = BREAK_AT + minutes(2)
    assert on_break().remaining(two_in) == minutes(25)
    assert on_break().is_on_break(two_in)
    assert on_break().break_time(two_in) == minutes(2)
    assert on_break().break_left(two_in) == minutes(8)


def test_two_minutes_into_a_break_the_deadline_has_moved_two_minutes():
    assert on_break().deadline(BREAK_AT + minutes(2)) == DEADLINE + minutes(2)


def test_after_the_allowance_ran_out_the_clock_runs_again_without_anyone_ending_the_break():
    fifteen_in = BREAK_AT + minutes(15)
    assert not on_break().is_on_break(fifteen_in)
    assert on_break().break_time(fifteen_in) == TEN
    assert on_break().break_left(fifteen_in) == timedelta(0)
    assert on_break().remaining(fifteen_in) == minutes(20)
    assert on_break().deadline(fifteen_in) == DEADLINE + TEN


def test_no_answer_is_accepted_during_a_break():
    assert not on_break().accepts_answer(BREAK_AT + minutes(2), GRACE)


def test_answers_are_accepted_again_after_the_allowance_ran_out():
    assert on_break().accepts_answer(BREAK_AT + minutes(10), GRACE)


def test_a_break_does_not_let_time_run_out_even_past_the_original_deadline():
    # Started with 5 s left; the original deadline passes during the break.
    last_seconds = clock().start_break(DEADLINE - timedelta(seconds=5))
    during = DEADLINE + minutes(3)
    assert not last_seconds.has_expired(during)
    assert not last_seconds.is_due_for_finalising(during, GRACE)
    assert last_seconds.remaining(during) == timedelta(seconds=5)


def test_once_the_allowance_ran_out_time_runs_out_at_the_deadline_moved_by_the_allowance():
    last_seconds = clock().start_break(DEADLINE - timedelta(seconds=5))
    new_deadline = DEADLINE + TEN
    assert not last_seconds.is_due_for_finalising(new_deadline + timedelta(seconds=1), GRACE)
    assert last_seconds.is_due_for_finalising(new_deadline + GRACE, GRACE)
    assert last_seconds.has_expired(new_deadline)


def test_ending_a_break_counts_its_time_and_restarts_the_clock():
    ended = on_break().end_break(BREAK_AT + minutes(4))
    assert ended.on_break_since is None
    assert ended.break_used == minutes(4)
    assert ended.remaining(BREAK_AT + minutes(5)) == minutes(24)


def test_ending_a_break_after_the_allowance_ran_out_counts_only_the_allowance():
    ended = on_break().end_break(BREAK_AT + minutes(30))
    assert ended.break_used == TEN
    assert ended.deadline(BREAK_AT + minutes(30)) == DEADLINE + TEN


def test_breaks_add_up_to_the_allowance():
    first = on_break().end_break(BREAK_AT + minutes(4))
    second = first.start_break(BREAK_AT + minutes(10))
    assert second.break_left(BREAK_AT + minutes(10)) == minutes(6)
    assert not second.is_on_break(BREAK_AT + minutes(16))
    assert second.break_time(BREAK_AT + minutes(20)) == TEN


def test_a_break_cannot_start_without_an_allowance():
    assert clock(break_allowance=timedelta(0)).break_refusal(BREAK_AT) == "no_allowance"


def test_a_break_cannot_start_once_the_allowance_is_used_up():
    used = on_break().end_break(BREAK_AT + minutes(10))
    assert used.break_refusal(BREAK_AT + minutes(11)) == "no_allowance"


def test_a_break_cannot_start_after_one_ran_out_unended():
    assert on_break().break_refusal(BREAK_AT + minutes(12)) == "no_allowance"


def test_a_break_cannot_start_during_a_break():
    assert on_break().break_refusal(BREAK_AT + minutes(1)) == "on_break"


def test_a_break_cannot_start_while_paused():
    assert clock().pause(BREAK_AT).break_refusal(BREAK_AT + minutes(1)) == "paused"


def test_a_break_cannot_start_once_time_is_up():
    assert clock().break_refusal(DEADLINE) == "time_up"


def test_starting_a_refused_break_raises_and_changes_nothing():
    paused = clock().pause(BREAK_AT)
    with pytest.raises(ValueError):
        paused.start_break(BREAK_AT + minutes(1))
    assert paused.on_break_since is None


def test_pausing_two_minutes_into_a_break_ends_the_break_first():
    paused = on_break().pause(BREAK_AT + minutes(2))
    assert paused.on_break_since is None and paused.is_paused
    assert paused.break_used == minutes(2)
    # Paused for half an hour: the time left stays at 25 minutes, and no allowance is spent.
    assert paused.remaining(BREAK_AT + minutes(32)) == minutes(25)
    assert paused.break_left(BREAK_AT + minutes(32)) == minutes(8)


def test_resuming_after_a_pause_that_ended_a_break_keeps_the_time_left():
    resumed = on_break().pause(BREAK_AT + minutes(2)).resume(BREAK_AT + minutes(7))
    assert resumed.remaining(BREAK_AT + minutes(7)) == minutes(25)
    assert resumed.deadline(BREAK_AT + minutes(7)) == DEADLINE + minutes(7)


def test_ending_when_no_break_is_running_changes_nothing():
    assert clock().end_break(BREAK_AT) == clock()


def test_extra_time_given_during_a_break_is_kept():
    extended = on_break().with_extra(minutes(5))
    assert extended.remaining(BREAK_AT + minutes(3)) == minutes(30)
