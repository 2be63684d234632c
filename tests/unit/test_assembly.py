"""Assembling papers to a blueprint: exact counts, no repeats, no enemies, spread, shuffled, seeded."""
from collections import Counter

import pytest

from quiz.itembank.assembly import BankShortfall, assemble, prepare
from tests.factories import candidates_of, make_blueprint, make_items

BLUEPRINT = make_blueprint(questions=(15, 15), criteria_per_outcome=5)
BANK = candidates_of(make_items(BLUEPRINT, per_criterion=6))
SEEDS = range(300)


def outcome_counts(paper):
    return Counter(q.outcome for q in paper.questions)


def test_every_paper_meets_the_blueprint_over_many_seeds():
    for seed in SEEDS:
        paper = assemble(BLUEPRINT, BANK, seed)
        assert outcome_counts(paper) == {1: 15, 2: 15}, seed
        assert len({q.item_id for q in paper.questions}) == 30, seed


def test_questions_are_spread_evenly_across_the_criteria():
    for seed in SEEDS:
        per_criterion = Counter(q.criterion for q in assemble(BLUEPRINT, BANK, seed).questions)
        assert set(per_criterion.values()) == {3}, seed


def test_the_same_seed_gives_the_same_paper():
    assert assemble(BLUEPRINT, BANK, 42) == assemble(BLUEPRINT, BANK, 42)


def test_the_order_items_arrive_in_does_not_change_the_paper():
    assert assemble(BLUEPRINT, list(reversed(BANK)), 42) == assemble(BLUEPRINT, BANK, 42)


def test_a_prepared_pool_gives_the_same_papers_as_the_items_it_was_prepared_from():
    pool = prepare(reversed(BANK))
    for seed in SEEDS:
        assert assemble(BLUEPRINT, pool, seed) == assemble(BLUEPRINT, BANK, seed), seed


def test_a_prepared_pool_is_not_used_up_by_the_papers_drawn_from_it():
    pool = prepare(BANK)
    first = [assemble(BLUEPRINT, pool, seed) for seed in range(50)]
    assert [assemble(BLUEPRINT, pool, seed) for seed in range(50)] == first
    assert pool.live_count(1) == pool.live_count(2) == 30


def test_different_seeds_give_different_papers():
    papers = {tuple(q.item_id for q in assemble(BLUEPRINT, BANK, seed).questions) for seed in SEEDS}
    assert len(papers) == len(SEEDS)


def test_question_order_is_shuffled_across_outcomes():
    orders = {tuple(q.outcome for q in assemble(BLUEPRINT, BANK, seed).questions)
              for seed in range(20)}
    assert len(orders) > 1
    assert (1,) * 15 + (2,) * 15 not in orders


def test_options_are_shuffled_per_question():
    paper = assemble(BLUEPRINT, BANK, 3)
    orders = Counter(q.option_order for q in paper.questions)
    assert all(sorted(order) == ["A", "B", "C", "D"] for order in orders)
    assert len(orders) > 5


def test_items_are_used_evenly_across_many_papers():
    usage = Counter(q.item_id for seed in range(1000) for q in assemble(BLUEPRINT, BANK, seed).questions)
    assert len(usage) == len(BANK)
    expected = 1000 * 30 / len(BANK)  # every item in a criterion has the same chance: 500 each
    assert all(abs(count - expected) < 0.15 * expected for count in usage.values()), usage


def test_enemy_items_never_appear_together():
    enemies = {"q1.1-01": ("q1.1-02", "q1.2-01"), "q2.3-04": ("q2.3-05",)}
    bank = candidates_of(make_items(BLUEPRINT, per_criterion=6, enemies=enemies))
    for seed in SEEDS:
        chosen = {q.item_id for q in assemble(BLUEPRINT, bank, seed).questions}
        for item, foes in enemies.items():
            assert not (item in chosen and chosen & set(foes)), seed


def test_an_enemy_named_on_one_side_only_keeps_both_apart():
    bank = candidates_of(make_items(BLUEPRINT, per_criterion=6, enemies={"q1.1-01": ("q1.1-02",)}))
    for seed in SEEDS:
        chosen = {q.item_id for q in assemble(BLUEPRINT, bank, seed).questions}
        assert not {"q1.1-01", "q1.1-02"} <= chosen


def test_a_thin_criterion_is_made_up_from_the_others_in_its_outcome():
    bank = [c for c in BANK if not (c.criterion == "1.1" and c.item_id != "q1.1-01")]
    for seed in range(50):
        paper = assemble(BLUEPRINT, bank, seed)
        assert outcome_counts(paper) == {1: 15, 2: 15}
        assert Counter(q.criterion for q in paper.questions)["1.1"] == 1


def test_a_bank_too_small_for_an_outcome_says_exactly_what_is_short():
    bank = [c for c in BANK if c.outcome == 2 or c.criterion == "1.1"]  # 6 items for outcome 1
    with pytest.raises(BankShortfall) as raised:
        assemble(BLUEPRINT, bank, 1)
    assert raised.value.reasons == [
        "outcome 1 needs 15 live items but the bank has 6 (short by 9)"]


def test_enemies_that_make_a_paper_impossible_are_reported():
    small = make_blueprint(questions=(2,), criteria_per_outcome=1)
    bank = candidates_of(make_items(small, per_criterion=2, enemies={"q1.1-01": ("q1.1-02",)}))
    with pytest.raises(BankShortfall, match="enemy"):
        assemble(small, bank, 1)
