"""The live board's rules: what a row says, what stands out, and what may be done."""
from datetime import datetime, timedelta, timezone

from quiz.invigilation.board import BoardRow, ago_words, extra_words

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=timezone.utc)


def row(state="in_progress", heard=timedelta(seconds=5), **fields):
    fields = {"extra_seconds": 0, **fields}
    return BoardRow(candidate_id=1, candidate_number="2001", name="Alice", arrangements="",
                    state=state, attempt_id=7, answered=3, questions=30, remaining_seconds=600.0,
                    last_seen_at=NOW - heard, **fields)


def test_extra_time_reads_in_minutes_and_seconds():
    assert [extra_words(s) for s in (0, 600, 675, 45)] == ["", "+10 min", "+11 min 15 s", "+45 s"]


def test_how_long_ago_reads_at_a_glance():
    assert [ago_words(s) for s in (8, 125, 3725)] == ["8 s ago", "2 min 5 s ago", "1 h 2 min ago"]


def test_a_running_attempt_silent_for_a_minute_stands_out_and_not_before():
    assert not row(heard=timedelta(seconds=59)).silent(NOW)
    assert row(heard=timedelta(seconds=60)).silent(NOW)
    assert row(state="paused", heard=timedelta(minutes=5)).silent(NOW)


def test_last_heard_stops_counting_once_the_attempt_ends():
    for state in ("submitted", "voided"):
        ended = row(state=state, heard=timedelta(minutes=30))
        assert ended.heard_seconds_ago(NOW) is None and not ended.silent(NOW)


def test_nothing_is_offered_once_the_sitting_is_closed_or_the_attempt_has_ended():
    assert row().actions("closed") == ()
    assert row(state="submitted").actions("open") == ()
    assert row(state="voided").actions("open") == ()
    assert row().actions("open") == ("pause", "extra_time", "void", "message")


def test_a_break_is_offered_only_while_one_may_start():
    assert "break_start" in row(break_allowance_seconds=600, break_allowed=True).actions("open")
    assert "break_start" not in row(break_allowance_seconds=600, break_allowed=False).actions("open")
    assert row(state="on_break").actions("open")[0] == "break_end"


def test_the_break_allowance_reads_as_what_is_left():
    assert row().break_words() == ""
    assert row(break_allowance_seconds=600).break_words() == "10 min allowed, none used"
    assert row(break_allowance_seconds=600, break_used_seconds=240).break_words() == \
        "6 min of 10 min left"
    assert row(state="on_break", break_allowance_seconds=600, break_used_seconds=90,
               on_break_since=NOW).break_words() == "On a break: 8 min 30 s of 10 min left"


def test_the_json_row_carries_the_words_the_page_shows():
    data = row(extra_seconds=600).to_dict(NOW, "open", lambda t: t.strftime("%H:%M:%S"))
    assert (data["extra_words"], data["state_words"], data["last_seen_words"]) == (
        "+10 min", "In progress", "5 s ago")
    assert data["last_seen_local"] == "09:29:55"
