"""The attempt clock at named moments: before start, one second before the deadline, at it, after."""
from datetime import datetime, timedelta, timezone

from quiz.delivery.clock import AttemptClock, percent_of

START = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
FORTY_FIVE = timedelta(minutes=45)
DEADLINE = START + FORTY_FIVE
GRACE = timedelta(seconds=2)


def clock(**kw) -> AttemptClock:
    return AttemptClock(started_at=START, duration=FORTY_FIVE, **kw)


def test_deadline_is_start_plus_duration():
    assert clock().deadline(START) == DEADLINE


def test_answer_before_start_is_refused():
    assert not clock().accepts_answer(START - timedelta(seconds=1))


def test_answer_one_second_before_deadline_is_accepted():
    assert clock().accepts_answer(DEADLINE - timedelta(seconds=1))


def test_answer_at_deadline_is_refused_without_grace():
    assert not clock().accepts_answer(DEADLINE)


def test_answer_after_deadline_is_refused():
    assert not clock().accepts_answer(DEADLINE + timedelta(seconds=1))


def test_grace_accepts_an_answer_in_flight_at_the_deadline_but_not_after_it():
    assert clock().accepts_answer(DEADLINE + timedelta(seconds=1), GRACE)
    assert not clock().accepts_answer(DEADLINE + GRACE, GRACE)


def test_time_remaining_counts_down_and_stops_at_zero():
    assert clock().remaining(START) == FORTY_FIVE
    assert clock().remaining(DEADLINE - timedelta(seconds=1)) == timedelta(seconds=1)
    assert clock().remaining(DEADLINE + timedelta(minutes=5)) == timedelta(0)


def test_attempt_expires_at_the_deadline_not_a_second_before():
    assert not clock().has_expired(DEADLINE - timedelta(seconds=1))
    assert clock().has_expired(DEADLINE)


def test_finalising_waits_out_the_grace():
    assert not clock().is_due_for_finalising(DEADLINE + timedelta(seconds=1), GRACE)
    assert clock().is_due_for_finalising(DEADLINE + GRACE, GRACE)


def test_extra_time_moves_the_deadline():
    extended = clock().with_extra(timedelta(minutes=10))
    assert extended.deadline(START) == DEADLINE + timedelta(minutes=10)
    assert extended.accepts_answer(DEADLINE + timedelta(minutes=5))


def test_extra_time_can_be_reduced_but_never_below_zero():
    assert clock(extra=timedelta(minutes=5)).with_extra(timedelta(minutes=-10)).extra == timedelta(0)


def test_twenty_five_percent_of_forty_five_minutes_is_eleven_minutes_fifteen_seconds():
    assert percent_of(FORTY_FIVE, 25) == timedelta(minutes=11, seconds=15)


def test_a_paused_clock_stands_still():
    paused_at = START + timedelta(minutes=10)
    paused = clock().pause(paused_at)
    assert paused.remaining(paused_at + timedelta(minutes=20)) == timedelta(minutes=35)
    assert not paused.has_expired(DEADLINE + timedelta(hours=1))


def test_a_paused_attempt_takes_no_answers():
    paused = clock().pause(START + timedelta(minutes=10))
    assert not paused.accepts_answer(START + timedelta(minutes=11), GRACE)


def test_resume_keeps_the_time_left_at_the_pause():
    paused_at = START + timedelta(minutes=10)
    resumed_at = paused_at + timedelta(minutes=7)
    resumed = clock().pause(paused_at).resume(resumed_at)
    assert resumed.remaining(resumed_at) == timedelta(minutes=35)
    assert resumed.deadline(resumed_at) == DEADLINE + timedelta(minutes=7)


def test_pauses_add_up():
    c = clock().pause(START + timedelta(minutes=1)).resume(START + timedelta(minutes=3))
    c = c.pause(START + timedelta(minutes=10)).resume(START + timedelta(minutes=11))
    assert c.paused_total == timedelta(minutes=3)
    assert c.deadline(START + timedelta(minutes=12)) == DEADLINE + timedelta(minutes=3)


def test_pausing_twice_or_resuming_a_running_clock_changes_nothing():
    paused = clock().pause(START + timedelta(minutes=1))
    assert paused.pause(START + timedelta(minutes=5)) == paused
    assert clock().resume(START + timedelta(minutes=5)) == clock()
