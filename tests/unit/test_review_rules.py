"""The review workflow's pure rules: new ids, the two-person rule, retiring with the numbers."""
from collections import Counter
from dataclasses import replace

from quiz.itembank import review
from tests import factories

BLUEPRINT = replace(factories.make_blueprint(code="2794-03/315", questions=(3, 3)),
                    minimum_live_per_criterion=2)


def test_a_new_id_follows_the_criterions_numbering():
    ids = {"1.1": ["315-1.1-001", "315-1.1-014", "315-1.1-002"], "1.2": ["315-1.2-001"]}
    assert review.next_item_id(BLUEPRINT, "1.1", ids) == "315-1.1-015"


def test_a_criterion_without_items_borrows_the_banks_pattern():
    assert review.next_item_id(BLUEPRINT, "2.2", {"1.1": ["315-1.1-007"]}) == "315-2.2-001"
    assert review.next_item_id(BLUEPRINT, "2.2", {}) == "315-2.2-001"


def test_a_new_id_never_reuses_one_taken_elsewhere():
    ids = {"1.1": ["315-1.1-001"], "1.2": ["315-1.1-002"]}  # retagged: its id stays
    assert review.next_item_id(BLUEPRINT, "1.1", ids) == "315-1.1-003"


def test_no_author_of_a_version_under_review_may_approve_it():
    assert review.approval_refusal(7, {3, 7}) is not None
    assert review.approval_refusal(9, {3, 7, None}) is None


def test_retiring_below_the_criterion_minimum_and_the_outcome_count_gives_both_numbers():
    live = Counter({"1.1": 2, "1.2": 1, "2.1": 5, "2.2": 5})
    assert review.retirement_shortfall(BLUEPRINT, live, "1.1") == [
        "outcome 1 would have 2 live items, fewer than the 3 questions every paper draws from it",
        "criterion 1.1 would have 1 live item, below the blueprint's minimum of 2"]
    assert review.retirement_shortfall(BLUEPRINT, live, "2.1") == []
