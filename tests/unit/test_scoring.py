"""Scoring: raw marks, percentage, pass/fail and marks per outcome and criterion."""
from quiz.scoring.scoring import Response, score


def answers(*rows):
    return [Response(outcome=o, criterion=c, key=k, chosen=ch) for o, c, k, ch in rows]


PAPER = answers(
    (1, "1.1", "A", "A"),
    (1, "1.2", "B", "C"),
    (1, "1.2", "C", "C"),
    (2, "2.1", "D", None),
    (2, "2.1", "A", "A"),
)


def test_raw_score_counts_correct_answers():
    result = score(PAPER, pass_mark_percent=60)
    assert (result.raw, result.maximum) == (3, 5)
    assert result.percent == 60.0


def test_unanswered_questions_score_nothing():
    assert score(answers((1, "1.1", "A", None)), 50).raw == 0


def test_marks_are_broken_down_by_outcome_and_criterion():
    result = score(PAPER, 60)
    assert {k: (t.marks, t.out_of) for k, t in result.by_outcome.items()} == {1: (2, 3), 2: (1, 2)}
    assert result.by_criterion["1.2"].marks == 1
    assert result.by_criterion["1.2"].out_of == 2
    assert result.by_criterion["2.1"].percent == 50.0


def test_reaching_the_pass_mark_passes():
    assert score(PAPER, 60).passed


def test_falling_just_short_of_the_pass_mark_fails_even_if_the_percentage_rounds_up():
    # 17/30 = 56.67%; with a pass mark of 56.7 the rounded percentage would wrongly pass.
    thirty = answers(*([(1, "1.1", "A", "A")] * 17 + [(1, "1.1", "A", "B")] * 13))
    result = score(thirty, 56.7)
    assert result.percent == 56.7
    assert not result.passed


def test_an_empty_paper_scores_zero_and_fails():
    result = score([], 60)
    assert (result.raw, result.maximum, result.percent, result.passed) == (0, 0, 0.0, False)


def test_result_as_data_names_outcomes_as_strings_for_json():
    data = score(PAPER, 60).to_dict()
    assert data["by_outcome"]["1"] == {"marks": 2, "out_of": 3, "percent": 66.7}
    assert data["passed"] is True
