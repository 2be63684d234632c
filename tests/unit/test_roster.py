"""Reading a CSV of candidates: every row checked, every problem reported with its line."""
from quiz.invigilation.roster import parse_roster


def test_a_good_roster_gives_every_candidate():
    rows, problems = parse_roster(
        "candidate_number,full_name,extra_time_percent,large_text\n"
        "1001,Ada Lovelace,25,yes\n"
        "1002,Alan Turing,,\n")
    assert problems == []
    assert [(r.candidate_number, r.full_name, r.extra_time_percent, r.large_text) for r in rows] == [
        ("1001", "Ada Lovelace", 25, True), ("1002", "Alan Turing", None, None)]


def test_a_byte_order_mark_from_excel_is_ignored():
    rows, problems = parse_roster("\ufeffcandidate_number,full_name\n1001,Ada Lovelace\n")
    assert problems == [] and rows[0].candidate_number == "1001"


def test_a_missing_required_column_is_reported():
    assert parse_roster("number,name\n1,A\n")[1] == [
        "line 1: the header must include candidate_number, full_name (missing: candidate_number, "
        "full_name); optional: username, extra_time_percent, rest_break_minutes, large_text, "
        "high_contrast"]


def test_an_unknown_column_is_reported():
    assert "unknown column(s) shoe_size" in parse_roster("candidate_number,full_name,shoe_size\n")[1][0]


def test_each_bad_row_is_reported_with_its_line_and_no_rows_are_returned():
    rows, problems = parse_roster(
        "candidate_number,full_name,extra_time_percent,high_contrast\n"
        "1001,Ada Lovelace,25,no\n"
        ",Nobody,,\n"
        "1003,Grace Hopper,150,\n"
        "1004,Edsger Dijkstra,,perhaps\n"
        "1001,Ada Again,,\n")
    assert problems == [
        "line 3: candidate_number '' must be 1-20 letters, digits or '-'",
        "line 4: extra_time_percent '150' must be a whole number from 0 to 100",
        "line 5: high_contrast 'perhaps' must be yes or no",
        "line 6: candidate number 1001 is already on line 2",
    ]


def test_a_header_without_rows_is_reported():
    assert parse_roster("candidate_number,full_name\n")[1] == ["the file has a header but no candidates"]


def test_a_rest_break_allowance_is_read_in_minutes():
    rows, problems = parse_roster("candidate_number,full_name,rest_break_minutes\n"
                                  "1001,Ada Lovelace,10\n1002,Alan Turing,\n")
    assert problems == []
    assert [r.rest_break_minutes for r in rows] == [10, None]


def test_a_rest_break_allowance_that_is_not_whole_minutes_is_reported():
    _, problems = parse_roster("candidate_number,full_name,rest_break_minutes\n"
                               "1001,Ada Lovelace,ten\n1002,Alan Turing,500\n")
    assert problems == [
        "line 2: rest_break_minutes 'ten' must be a whole number of minutes from 0 to 120",
        "line 3: rest_break_minutes '500' must be a whole number of minutes from 0 to 120"]
