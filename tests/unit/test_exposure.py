"""Item exposure over many papers: how often each item is shown, and what two papers share."""
import pytest

from quiz.itembank.exposure import exposure
from tests.factories import candidates_of, make_blueprint, make_items


def test_a_bank_with_no_spare_items_puts_every_item_on_every_paper():
    blueprint = make_blueprint(questions=(2, 2), criteria_per_outcome=2)
    report = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=1)), range(10))
    assert set(report.uses.values()) == {10}
    assert report.mean_overlap == 4 and report.max_overlap == 4
    assert report.to_dict()["overlap"]["identical_pairs"] == 45


def test_uses_add_up_to_the_questions_on_every_paper():
    blueprint = make_blueprint(questions=(3, 3), criteria_per_outcome=3)
    report = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=4)), range(200))
    assert sum(report.uses.values()) == 200 * 6
    assert report.papers == 200 and len(report.overlaps) == 200 * 199 // 2


def test_the_mean_overlap_matches_what_the_uses_imply():
    # Two papers share item i with chance (u_i / n) * ((u_i - 1) / (n - 1)), summed over items.
    blueprint = make_blueprint(questions=(3, 3), criteria_per_outcome=3)
    report = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=4)), range(300))
    n = report.papers
    implied = sum(u * (u - 1) for u in report.uses.values()) / (n * (n - 1))
    assert report.mean_overlap == pytest.approx(implied)


def test_a_bigger_bank_means_less_overlap():
    blueprint = make_blueprint(questions=(3, 3), criteria_per_outcome=3)
    small = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=2)), range(200))
    large = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=8)), range(200))
    assert large.mean_overlap < small.mean_overlap / 2


def test_the_summary_of_a_criterion_counts_only_its_items():
    blueprint = make_blueprint(questions=(2, 2), criteria_per_outcome=2)
    report = exposure(blueprint, candidates_of(make_items(blueprint, per_criterion=3)), range(50))
    summary = report.use_summary("1.1")
    assert summary["items"] == 3 and summary["min"] <= summary["median"] <= summary["max"]
    assert summary["max"] <= 50
