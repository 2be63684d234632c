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


# --- per source address ---------------------------------------------------------------------

from quiz.accounts.throttle import SourceBucket, source_of  # noqa: E402


def fail_from(times: int, bucket: SourceBucket, at=NOW) -> SourceBucket:
    for _ in range(times):
        bucket = bucket.after_failure(at)
    return bucket


def test_an_address_may_make_a_whole_burst_of_wrong_guesses_without_waiting():
    bucket = fail_from(199, SourceBucket(burst=200))
    assert bucket.wait(NOW) == timedelta(0)


def test_an_address_with_a_full_bucket_waits_one_interval():
    bucket = fail_from(200, SourceBucket(burst=200, interval=timedelta(seconds=3)))
    assert bucket.wait(NOW) == timedelta(seconds=3)
    assert bucket.wait(NOW + timedelta(seconds=3)) == timedelta(0)


def test_the_bucket_drains_one_guess_per_interval():
    bucket = fail_from(10, SourceBucket(burst=200, interval=timedelta(seconds=3)))
    assert bucket.drained(NOW + timedelta(seconds=7)).level == 8  # two whole intervals
    assert bucket.drained(NOW + timedelta(hours=1)).level == 0


def test_draining_keeps_the_part_of_an_interval_already_waited():
    bucket = fail_from(3, SourceBucket(burst=3, interval=timedelta(seconds=3)))
    later = bucket.after_failure(NOW + timedelta(seconds=4))  # one drained, one more added
    assert later.level == 3
    assert later.wait(NOW + timedelta(seconds=4)) == timedelta(seconds=2)


def test_a_steady_guesser_gets_one_guess_per_interval_after_the_burst():
    bucket, at, allowed = SourceBucket(burst=5, interval=timedelta(seconds=3)), NOW, 0
    for second in range(60):
        at = NOW + timedelta(seconds=second)
        if bucket.wait(at) == timedelta(0):
            bucket, allowed = bucket.after_failure(at), allowed + 1
    assert allowed == 5 + len(range(3, 60, 3))  # the burst, then one every 3 seconds


def test_sources_are_ipv4_addresses_and_ipv6_networks():
    assert source_of("203.0.113.9") == "203.0.113.9"
    assert source_of("2001:db8:1:2:3:4:5:6") == source_of("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert source_of("::ffff:203.0.113.9") == "203.0.113.9"
    assert source_of(None) == source_of("not an address") == "unknown"
