"""The one formatting of time left, shared by the candidate's bar, the board and the attempt page."""
from quiz.web.times import time_left


def test_no_time_left_shows_as_nought():
    assert time_left(0) == "0:00"


def test_a_part_second_rounds_up_as_the_pages_scripts_do():
    assert time_left(59.2) == "1:00"
    assert time_left(0.1) == "0:01"


def test_an_hour_shows_hours_minutes_and_seconds():
    assert time_left(3600) == "1:00:00"
    assert time_left(3599.5) == "1:00:00"


def test_over_an_hour_pads_the_minutes():
    assert time_left(2 * 3600 + 5 * 60 + 7) == "2:05:07"


def test_time_past_the_deadline_shows_as_nought_and_none_as_a_dash():
    assert time_left(-12.5) == "0:00"
    assert time_left(None) == "–"
