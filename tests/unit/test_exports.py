"""Text cells of downloads are neutralised the way OWASP describes for CSV injection."""
import pytest

from quiz.results.exports import neutralise


@pytest.mark.parametrize("typed", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\uff1d1+1"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(typed):
    assert neutralise(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Alice Smith", "O'Neill", "1001", "2026-06-01T09:00:00", ""])
def test_ordinary_text_is_unchanged(value):
    assert neutralise(value) == value


def test_numbers_stay_numbers_and_nothing_becomes_blank():
    assert neutralise(-3) == -3 and neutralise(50.0) == 50.0
    assert neutralise(None) == ""
