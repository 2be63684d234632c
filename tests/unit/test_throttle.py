"""Slowing down repeated wrong guesses of passwords and keycodes."""
from datetime import datetime, timedelta, timezone

from quiz.accounts.throttle import FORGET_AFTER, MAX_DELAY, GuessRecord

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


def fail(times: int, record=GuessRecord(), at=NOW):
    for _ in range(times):
        record = record.after_failure(at)
    return record


def test_the_first_three_wrong_guesses_cost_nothing():
    assert fail(3).wait(NOW) == timedelta(0)


def test_the_fourth_wrong_guess_makes_the_guesser_wait():
    assert fail(4).wait(NOW) == timedelta(seconds=2)


def test_each_further_wrong_guess_doubles_the_wait_up_to_a_limit():
    assert fail(5).wait(NOW) == timedelta(seconds=4)
    assert fail(6).wait(NOW) == timedelta(seconds=8)
    assert fail(30).wait(NOW) == MAX_DELAY


def test_the_wait_runs_out():
    assert fail(4).wait(NOW + timedelta(seconds=2)) == timedelta(0)


def test_a_quiet_half_hour_wipes_the_slate():
    record = fail(10)
    later = NOW + FORGET_AFTER + timedelta(seconds=1)
    assert record.after_failure(later).failures == 1
