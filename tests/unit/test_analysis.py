"""Item analysis: figures worked by hand on small designs, the edge cases, the flags and speed.

Papers are written one string per candidate, one character per item: the letter chosen, "." for
presented but not answered, "_" for not presented.
"""
import itertools
import json
import math
import statistics
import sys

import numpy as np
import pytest

from quiz.scoring.analysis import ItemKey, Responses, Thresholds, analyse

FOUR = ("first", "second", "third", "fourth")


def keys(letters: str, options: tuple = FOUR) -> list[ItemKey]:
    """Return one item per key letter, labelled i0, i1, ..."""
    return [ItemKey(f"i{n}", key, options, 1, "1.1") for n, key in enumerate(letters)]


def papers(*rows: str) -> Responses:
    """Return the responses written one string per candidate (see the module docstring)."""
    return Responses.from_rows((attempt, item, -1 if mark == "." else "ABCDEFGH".index(mark))
                               for attempt, row in enumerate(rows)
                               for item, mark in enumerate(row) if mark != "_")


def analysed(key_letters: str, rows, **thresholds):
    return analyse(keys(key_letters), papers(*rows), Thresholds(**thresholds))


def codes(stats) -> tuple[str, ...]:
    return tuple(flag.code for flag in stats.flags)


def reason(stats, code: str) -> str:
    [found] = [flag.reason for flag in stats.flags if flag.code == code]
    return found


# Five candidates, three items, worked by hand ---------------------------------------------------
#
#        i0 i1 i2   key A, B, C          u (1 = right)   total X   rest score X - u
#   c1   A  B  C                         1  1  1          3         2  2  2
#   c2   A  B  C                         1  1  1          3         2  2  2
#   c3   A  B  D                         1  1  0          2         1  1  2
#   c4   A  A  D                         1  0  0          1         0  1  1
#   c5   B  .  C                         0  0  1          1         1  1  0
#
# Facility: i0 4/5 = 0.8, i1 3/5 = 0.6, i2 3/5 = 0.6.
# Totals 3, 3, 2, 1, 1: mean 2, population variance 24/5 - 4 = 0.8, sd sqrt(0.8) = 0.894427.
# KR-20 = 3/2 (1 - (0.16 + 0.24 + 0.24) / 0.8) = 1.5 x 0.2 = 0.3; SEM = sqrt(0.8 x 0.7) = 0.748331.
# Corrected point-biserial, r = cov(u, Y) / sqrt(var u var Y), Y the rest score:
#   i0: mean Y 1.2, mean uY 1.0, cov 1.0 - 0.8 x 1.2 = 0.04, var u 0.16, var Y 2 - 1.44 = 0.56,
#       r = 0.04 / sqrt(0.0896) = 1 / sqrt(56) = 0.133631
#   i1: mean Y 1.4, mean uY 1.0, cov 1.0 - 0.6 x 1.4 = 0.16, var u 0.24, var Y 2.2 - 1.96 = 0.24,
#       r = 0.16 / 0.24 = 2/3
#   i2: mean Y 1.4, mean uY 0.8, cov 0.8 - 0.6 x 1.4 = -0.04, var u 0.24, var Y 2.6 - 1.96 = 0.64,
#       r = -0.04 / sqrt(0.1536) = -1 / sqrt(96) = -0.102062
# D: groups of floor(0.27 x 5 + 0.5) = 1. c1 and c2 tie at the top on 3, so each counts as 1/2
# of the upper group; c4 and c5 tie at the bottom on 1, so each counts as 1/2 of the lower group.
#   i0: upper 1/2 + 1/2 = 1, lower c4 right 1/2 -> D = 0.5
#   i1: upper 1, lower 0 -> D = 1.0
#   i2: upper 1, lower c5 right 1/2 -> D = 0.5

HAND = ("ABC", "ABC", "ABD", "AAD", "B.C")


def test_facility_is_the_share_of_candidates_who_chose_the_key():
    assert [item.facility for item in analysed("ABC", HAND).items] == pytest.approx([0.8, 0.6, 0.6])


def test_the_corrected_point_biserial_correlates_each_item_with_the_rest_of_the_test():
    items = analysed("ABC", HAND).items
    assert [item.point_biserial for item in items] == pytest.approx(
        [1 / math.sqrt(56), 2 / 3, -1 / math.sqrt(96)])


def test_discrimination_compares_the_top_and_bottom_27_percent_sharing_places_at_a_tie():
    assert [item.discrimination for item in analysed("ABC", HAND).items] == pytest.approx(
        [0.5, 1.0, 0.5])


def test_option_rates_are_given_for_everyone_and_for_each_group_with_omissions_apart():
    i1 = analysed("ABC", HAND).items[1]
    assert [(rate.option, rate.is_key) for rate in i1.option_rates] == [
        ("A", False), ("B", True), ("C", False), ("D", False)]
    assert [rate.all for rate in i1.option_rates] == pytest.approx([0.2, 0.6, 0, 0])
    assert [rate.upper for rate in i1.option_rates] == pytest.approx([0, 1, 0, 0])  # c1, c2
    assert [rate.lower for rate in i1.option_rates] == pytest.approx([0.5, 0, 0, 0])  # c4
    assert (i1.omitted.option, i1.omitted.all, i1.omitted.upper, i1.omitted.lower) == \
        pytest.approx(("omitted", 0.2, 0.0, 0.5))  # c5 left i1 blank and is half the lower group


def test_the_score_distribution_is_in_raw_marks_with_the_population_sd():
    test = analysed("ABC", HAND).test
    assert (test.n, test.min, test.max, test.max_score) == (5, 1, 3, 3)
    assert (test.mean, test.sd) == pytest.approx((2.0, math.sqrt(0.8)))


def test_kr20_and_the_sem_match_the_classical_formulas_on_a_complete_design():
    test = analysed("ABC", HAND).test
    assert test.kr20 == pytest.approx(0.3)
    assert test.sem == pytest.approx(math.sqrt(0.56))


def test_kr20_equals_the_classical_formula_on_any_complete_design():
    rng = np.random.default_rng(5)
    right = rng.random((200, 12)) < rng.uniform(0.2, 0.9, 12)  # item facilities vary
    right[:100, :6] |= rng.random((100, 6)) < 0.5  # and the first half are stronger at some
    rows = ["".join("A" if cell else "B" for cell in row) for row in right]
    p, totals = right.mean(axis=0), right.sum(axis=1)
    classical = 12 / 11 * (1 - (p * (1 - p)).sum() / totals.var())
    assert analysed("A" * 12, rows).test.kr20 == pytest.approx(classical)


def test_too_few_candidates_give_figures_but_no_flags():
    # With 30 as the minimum these five are reported without judgement; with 1 they are judged.
    assert not any(item.enough_data or item.flags for item in analysed("ABC", HAND).items)
    items = analysed("ABC", HAND, min_attempts=1).items
    assert [codes(item) for item in items] == [
        ("weak-discrimination", "unused-distractor"), ("unused-distractor",),
        ("likely-miskey", "unused-distractor")]
    assert reason(items[2], "likely-miskey") == (
        "likely miskey: candidates who chose the key scored lower on the rest of the test "
        "(corrected point-biserial -0.10)")


def test_the_order_the_rows_arrive_in_changes_nothing():
    responses = papers(*HAND)
    order = np.random.default_rng(3).permutation(len(responses))
    shuffled = Responses(responses.attempt[order], responses.item[order], responses.choice[order])
    assert analyse(keys("ABC"), shuffled).to_dict() == analyse(keys("ABC"), responses).to_dict()


def test_ties_at_the_cut_count_as_the_average_of_every_way_of_breaking_them():
    # Seven candidates, groups of floor(0.27 x 7 + 0.5) = 2: three tie for the second place at
    # the top, and three for the first at the bottom. Break the ties every possible way
    # (every order of the seven, ranked by total with a stable sort) and average D.
    rows = ("AAA", "AAB", "ABA", "BAA", "ABB", "BBA", "BAB")
    key_letters = "AAA"
    totals = [row.count("A") for row in rows]
    by_item = [[], [], []]
    for order in itertools.permutations(range(7)):
        ranked = sorted(order, key=lambda c: -totals[c])
        upper, lower = ranked[:2], ranked[-2:]
        for i in range(3):
            right = [rows[c][i] == key_letters[i] for c in range(7)]
            by_item[i].append(sum(right[c] for c in upper) / 2 - sum(right[c] for c in lower) / 2)
    expected = [statistics.fmean(ds) for ds in by_item]
    assert [item.discrimination for item in analysed(key_letters, rows).items] == \
        pytest.approx(expected)


# Edge cases -----------------------------------------------------------------------------------

def thirty(row: str, then: str, count: int = 15) -> list[str]:
    """Return 30 papers: `count` of `row` and the rest `then`."""
    return [row] * count + [then] * (30 - count)


def test_an_item_everyone_answers_correctly_has_facility_one_and_is_too_easy():
    # i1 spreads the totals, so only i0 lacks variance.
    i0 = analysed("AB", thirty("AB", "AC")).items[0]
    assert (i0.facility, i0.point_biserial, i0.discrimination) == (1.0, None, 0.0)
    assert codes(i0) == ("too-easy", "unused-distractor")  # no one chose B, C or D either
    assert reason(i0, "too-easy") == (
        "too easy: 100% of the 30 candidates who were presented it chose the key, above 90%")


def test_an_item_exactly_90_percent_answer_correctly_is_not_too_easy():
    assert "too-easy" not in codes(analysed("AB", thirty("AB", "BC", count=27)).items[0])
    assert "too-easy" in codes(analysed("AB", thirty("AB", "BC", count=28)).items[0])


def test_an_item_everyone_gets_wrong_has_facility_zero_and_is_too_hard():
    i0 = analysed("AB", thirty("BB", "BC")).items[0]
    assert (i0.facility, i0.point_biserial, i0.discrimination) == (0.0, None, 0.0)
    # Everyone choosing B over the key A is itself a sign of a miskey.
    assert codes(i0) == ("likely-miskey", "too-hard", "unused-distractor")
    assert reason(i0, "too-hard") == (
        "too hard: 0% of the 30 candidates who were presented it chose the key, below the 25% "
        "that blind guessing among 4 options would score")
    assert reason(i0, "likely-miskey") == (
        "likely miskey: 100% of the top group chose B, more than the 0% who chose the key A")


def test_too_hard_means_below_chance_for_the_item_s_own_number_of_options():
    # 9 of 30 right is 30%: below the 33% chance of three options, above the 25% of four.
    rows = thirty("AB", "CA", count=9)
    three = analyse(keys("AA", ("x", "y", "z")), papers(*rows)).items[0]
    four = analyse(keys("AA"), papers(*rows)).items[0]
    assert "too-hard" in codes(three) and "too-hard" not in codes(four)
    assert reason(three, "too-hard").endswith(
        "30% of the 30 candidates who were presented it chose the key, below the 33% that "
        "blind guessing among 3 options would score")


def test_one_candidate_has_a_score_but_no_spread_reliability_or_correlation():
    analysis = analysed("AB", ["AC"])
    test = analysis.test
    assert (test.n, test.mean, test.sd) == (1, 1.0, 0.0)
    assert (test.min, test.max, test.max_score) == (1, 1, 2)
    assert (test.kr20, test.sem) == (None, None)
    i0 = analysis.items[0]
    assert (i0.n, i0.facility, i0.point_biserial, i0.discrimination) == (1, 1.0, None, 0.0)


def test_equal_total_scores_leave_kr20_and_the_sem_undefined():
    # Everyone scores 1 of 2, on different items: the items vary but the totals do not.
    analysis = analysed("AA", ["AB", "BA"] * 20)
    assert (analysis.test.sd, analysis.test.kr20, analysis.test.sem) == (0.0, None, None)
    assert [item.facility for item in analysis.items] == [0.5, 0.5]
    # Right on one item means wrong on the other: each item correlates -1 with the rest.
    assert [item.point_biserial for item in analysis.items] == pytest.approx([-1.0, -1.0])


def test_a_negative_kr20_is_reported_as_computed_but_the_sem_treats_it_as_zero():
    analysis = analysed("AA", ["AB", "BA", "AA", "AB", "BA", "BB"])
    # p = 1/2 and 1/2, totals 1, 1, 2, 1, 1, 0: mean 1, variance 1/3;
    # KR-20 = 2 (1 - 0.5 / (1/3)) = -1, SEM = sd sqrt(1 - 0) = sqrt(1/3).
    assert analysis.test.kr20 == pytest.approx(-1.0)
    assert analysis.test.sem == pytest.approx(math.sqrt(1 / 3))


def test_an_item_nobody_was_presented_has_no_figures_and_no_flags():
    analysis = analysed("ABC", [row[:2] + "_" for row in HAND])
    i2 = analysis.items[2]
    assert (i2.n, i2.enough_data, i2.flags) == (0, False, ())
    assert (i2.facility, i2.point_biserial, i2.discrimination) == (None, None, None)
    assert {(rate.all, rate.upper, rate.lower) for rate in i2.option_rates + (i2.omitted,)} == \
        {(None, None, None)}
    # KR-20 over the two items that were presented: p = 0.8 and 0.6, totals 2, 2, 2, 1, 0,
    # mean 1.4, variance 13/5 - 1.96 = 0.64; 2 (1 - 0.4 / 0.64) = 0.75.
    assert analysis.test.kr20 == pytest.approx(0.75)


def test_unanswered_questions_count_as_wrong_and_are_reported_as_omitted():
    # Totals: 20 "AB" and 3 "CA" score 1; 4 "BB" and the 3 who left i0 blank score 0, so the
    # lower group of 8 is those 7 and 1 place shared among the 23 on 1.
    rows = ["AB"] * 20 + ["BB"] * 4 + ["CA"] * 3 + [".B"] * 3
    i0 = analysed("AA", rows).items[0]
    assert (i0.n, i0.facility) == (30, pytest.approx(20 / 30))  # not 20 / 27
    assert (i0.omitted.all, i0.omitted.upper, i0.omitted.lower) == pytest.approx((0.1, 0, 3 / 8))


def test_below_the_minimum_number_of_attempts_there_is_not_enough_data_and_no_flag():
    i0 = analysed("AB", thirty("AB", "AC")[:29]).items[0]
    assert (i0.facility, i0.enough_data, i0.flags) == (1.0, False, ())
    assert analysed("AB", thirty("AB", "AC")).items[0].enough_data


def test_no_responses_at_all_give_an_empty_analysis():
    analysis = analyse(keys("A"), Responses.from_rows([]))
    assert analysis.test.to_dict() == {"n": 0, "mean": None, "sd": None, "min": None,
                                       "max": None, "max_score": 0, "kr20": None, "sem": None}
    assert (analysis.items[0].n, analysis.items[0].facility) == (0, None)


# Flags ----------------------------------------------------------------------------------------
#
# A miskeyed item, i3, keyed B though C is right; i0-i2 (key A) measure the same thing.
#                      i0 i1 i2 i3  count  total  right on i3  rest score
#   strong             A  A  A  C   10     3      no           3
#   middle, chose C    A  A  D  C    6     2      no           2
#   middle, chose B    A  A  D  B    4     3      yes          2
#   weak               D  D  D  B   10     1      yes          0
# Groups of floor(0.27 x 30 + 0.5) = 8. The top: 14 tie on 3, each 8/14 of a place, so C has
# 10/14 = 71% and the key B 4/14 = 29% of the top group. The bottom: 8 of the 10 weak, all B.
# D = 4/14 - 1 = -0.71. Point-biserial with n = 30, c = 14, sum Y = 50, sum Y^2 = 130,
# sum uY = 8: (30 x 8 - 14 x 50) / sqrt((30 x 14 - 14^2)(30 x 130 - 50^2)) = -460 / 560 = -0.82.

MISKEYED = ["AAAC"] * 10 + ["AADC"] * 6 + ["AADB"] * 4 + ["DDDB"] * 10


def test_an_item_whose_top_group_prefers_a_distractor_is_a_likely_miskey_with_the_numbers():
    i3 = analysed("AAAB", MISKEYED).items[3]
    assert (i3.facility, i3.discrimination, i3.point_biserial) == pytest.approx(
        (14 / 30, -10 / 14, -460 / 560))
    assert codes(i3) == ("likely-miskey", "unused-distractor")  # not also weak: one flag is enough
    assert reason(i3, "likely-miskey") == (
        "likely miskey: 71% of the top group chose C, more than the 29% who chose the key B, "
        "the bottom group did better than the top (D = -0.71) and candidates who chose the key "
        "scored lower on the rest of the test (corrected point-biserial -0.82)")


def test_the_same_item_keyed_correctly_is_not_a_miskey():
    i3 = analysed("AAAC", MISKEYED).items[3]
    assert i3.discrimination > 0.5 and i3.point_biserial > 0.5
    assert "likely-miskey" not in codes(i3)


def test_a_distractor_only_as_popular_as_the_key_in_the_top_group_is_not_a_miskey():
    # The 8 candidates on 2 marks are exactly the top group; 22 score 0.
    tied = analysed("AAA", ["AAB"] * 4 + ["BAA"] * 4 + ["CBB"] * 22).items[0]
    assert [rate.upper for rate in tied.option_rates[:2]] == [0.5, 0.5]
    assert "likely-miskey" not in codes(tied)
    ahead = analysed("AAA", ["AAB"] * 3 + ["BAA"] * 5 + ["CBB"] * 22).items[0]
    assert ahead.discrimination > 0 and ahead.point_biserial > 0  # the distractor alone tells
    assert reason(ahead, "likely-miskey") == (
        "likely miskey: 62% of the top group chose B, more than the 38% who chose the key A")


def test_a_distractor_chosen_by_under_5_percent_is_unused():
    # 50 candidates: A (the key) 35, B 8, C 6, D 1.
    rows = ["A"] * 35 + ["B"] * 8 + ["C"] * 6 + ["D"]
    i0 = analysed("A", rows).items[0]
    assert reason(i0, "unused-distractor") == (
        "unused distractor: D was chosen by 2% of the 50 candidates who were presented the item, "
        "under the 5% a working distractor draws")


def test_several_unused_distractors_are_named_in_one_flag():
    i0 = analysed("A", ["A"] * 44 + ["B"] * 5 + ["C"]).items[0]
    assert reason(i0, "unused-distractor") == (
        "unused distractors: C and D were chosen by 2% and 0% of the 50 candidates who were "
        "presented the item, under the 5% a working distractor draws")


def test_a_distractor_chosen_by_exactly_5_percent_is_working():
    i0 = analysed("A", ["A"] * 30 + ["B"] * 4 + ["C"] * 4 + ["D"] * 2).items[0]
    assert "unused-distractor" not in codes(i0)


def test_an_item_that_barely_separates_candidates_has_weak_discrimination():
    # i0 from the hand example, 6 times over: the same r = 0.134, now with 30 candidates.
    i0 = analysed("ABC", HAND * 6).items[0]
    assert i0.point_biserial == pytest.approx(1 / math.sqrt(56))
    assert reason(i0, "weak-discrimination") == (
        "weak discrimination: corrected point-biserial 0.13, below 0.15, so the item barely "
        "separates candidates who do well on the rest of the test from those who do not")


# A sparse design: each candidate is presented 2 of 4 items (all keyed A) ------------------------
#
#        i0 i1 i2 i3   total
#   a0   A  A  _  _    2
#   a1   A  _  B  _    1
#   a2   _  B  _  A    1
#   a3   _  _  A  B    1
#   a4   B  _  _  B    0
#   a5   _  A  A  _    2
# Each item was presented 3 times. Facility over those 3 only: i0 2/3, i1 2/3, i2 2/3, i3 1/3,
# so p q = 2/9 for every item and the presentation-weighted mean is 2/9. k = 2.
# Totals 2, 1, 1, 1, 0, 2: mean 7/6, variance 11/6 - 49/36 = 17/36.
# KR-20 = 2/1 (1 - 2 x (2/9) / (17/36)) = 2 (1 - 16/17) = 2/17; SEM = sqrt(17/36 x 15/17)
# = sqrt(15)/6.
# i0 (a0, a1, a4): u 1, 1, 0; totals 2, 1, 0; rest 1, 0, 0. n = 3, c = 2, sum Y = 1,
#   sum Y^2 = 1, sum uY = 1: r = (3 - 2) / sqrt((6 - 4)(3 - 1)) = 0.5. Groups of 1: D = 1 - 0.
# i3 (a2, a3, a4): u 1, 0, 0; totals 1, 1, 0; rest 0, 1, 0. c = 1, sum Y = 1, sum Y^2 = 1,
#   sum uY = 0: r = (0 - 1) / sqrt(2 x 2) = -0.5. a2 and a3 tie at the top: D = 1/2 - 0 = 0.5.

SPARSE = ("AA__", "A_B_", "_B_A", "__AB", "B__B", "_AA_")


def test_a_sparse_design_judges_each_item_only_by_the_candidates_presented_it():
    items = analysed("AAAA", SPARSE).items
    assert [item.n for item in items] == [3, 3, 3, 3]
    assert [item.facility for item in items] == pytest.approx([2 / 3, 2 / 3, 2 / 3, 1 / 3])
    assert (items[0].point_biserial, items[0].discrimination) == pytest.approx((0.5, 1.0))
    assert (items[3].point_biserial, items[3].discrimination) == pytest.approx((-0.5, 0.5))


def test_a_sparse_design_scores_each_attempt_over_the_items_it_was_presented():
    test = analysed("AAAA", SPARSE).test
    assert (test.n, test.min, test.max, test.max_score) == (6, 0, 2, 2)
    assert (test.mean, test.sd) == pytest.approx((7 / 6, math.sqrt(17) / 6))
    assert test.kr20 == pytest.approx(2 / 17)
    assert test.sem == pytest.approx(math.sqrt(15) / 6)


def test_kr20_weights_each_item_s_variance_by_how_often_it_was_presented():
    # i0 seen 5 times (p 3/5, p q 0.24), i1 4 times (1/2, 0.25), i2 3 times (1/3, 2/9).
    # Weighted mean p q = (5 x 0.24 + 4 x 0.25 + 3 x 2/9) / 12 = 43/180; k = 2.
    # Totals 2, 1, 2, 0, 1, 0: mean 1, variance 10/6 - 1 = 2/3.
    # KR-20 = 2 (1 - 2 x (43/180) / (2/3)) = 2 (1 - 43/60) = 17/30 (the unweighted mean of p q
    # would give 0.578); SEM = sqrt(2/3 x 13/30) = sqrt(13/45).
    test = analysed("AAA", ["AA_", "AB_", "A_A", "B_B", "_AB", "BB_"]).test
    assert test.kr20 == pytest.approx(17 / 30)
    assert test.sem == pytest.approx(math.sqrt(13 / 45))


def reference(n_items: int, rows: list[tuple[int, int, bool]]):
    """Return each item's (n, facility, r, D) the slow, obvious way, for cross-checking."""
    totals: dict[int, int] = {}
    for attempt, _, right in rows:
        totals[attempt] = totals.get(attempt, 0) + right
    figures = []
    for item in range(n_items):
        seen = [(totals[a], right) for a, i, right in rows if i == item]
        n = len(seen)
        u = [int(right) for _, right in seen]
        rest = [total - right for total, right in seen]
        try:
            r = statistics.correlation(u, rest)
        except statistics.StatisticsError:
            r = None
        group = max(1, math.floor(0.27 * n + 0.5))

        def share(ranked):  # each score's slice of the first `group` places of the ranking
            weights, place = {}, 0
            for score in ranked:
                ties = sum(1 for total, _ in seen if total == score)
                weights[score] = max(0, min(ties, group - place)) / ties
                place += ties
            return weights
        scores = sorted({total for total, _ in seen})
        up, down = share(scores[::-1]), share(scores)
        d = (sum(up[t] * right for t, right in seen) - sum(down[t] * right for t, right in seen)) \
            / group
        figures.append((n, sum(u) / n, r, d))
    return figures


def test_a_random_sparse_design_agrees_with_a_slow_obvious_calculation():
    rng = np.random.default_rng(11)
    ability = rng.normal(size=150)
    rows = []
    for attempt in range(150):
        for item in rng.choice(25, size=8, replace=False):
            chance = 1 / (1 + math.exp(-(ability[attempt] - (item - 12) / 6)))
            rows.append((attempt, int(item), bool(rng.random() < chance)))
    responses = Responses.from_rows((a, i, 0 if right else 1) for a, i, right in rows)
    items = analyse(keys("A" * 25), responses).items
    for stats, (n, facility, r, d) in zip(items, reference(25, rows), strict=True):
        assert (stats.n, stats.facility, stats.discrimination) == (n, pytest.approx(facility),
                                                                   pytest.approx(d))
        assert stats.point_biserial == (None if r is None else pytest.approx(r))


# Output and input -------------------------------------------------------------------------------

def test_the_analysis_as_data_is_json_ready_with_figures_to_4_places_and_none_kept():
    data = json.loads(json.dumps(analysed("ABC", [row[:2] + "_" for row in HAND] * 6).to_dict()))
    assert data["test"] == {"n": 30, "mean": 1.4, "sd": 0.8, "min": 0, "max": 2, "max_score": 2,
                            "kr20": 0.75, "sem": 0.4}
    i0, i2 = data["items"][0], data["items"][2]
    assert (i0["item_id"], i0["facility"], i0["discrimination"], i0["point_biserial"]) == \
        ("i0", 0.8, 0.75, 0.6124)
    assert i0["flags"] == [{"code": "unused-distractor", "reason": i0["flags"][0]["reason"]}]
    # Groups of 8: the top 8 of the 18 on 2 marks; the bottom, the 6 on 0 (wrong on i0) and 2
    # places shared among the 6 on 1 (right): 2/8 = 0.25 of the lower group chose the key.
    assert i0["option_rates"][0] == {"option": "A", "key": True, "all": 0.8, "upper": 1.0,
                                     "lower": 0.25}
    assert i0["omitted"] == {"option": "omitted", "key": False, "all": 0.0, "upper": 0.0,
                             "lower": 0.0}
    assert (i2["n"], i2["enough_data"], i2["facility"], i2["point_biserial"], i2["flags"]) == \
        (0, False, None, None, [])


def test_a_key_that_is_not_one_of_the_options_is_refused():
    with pytest.raises(ValueError, match="item i0: key 'E' is not one of its options"):
        analyse(keys("E"), papers("A"))


def test_a_choice_beyond_an_item_s_options_is_refused():
    with pytest.raises(ValueError, match="option index 3 is not one of item i0's 3 options"):
        analyse(keys("A", ("x", "y", "z")), papers("D"))


def test_a_row_naming_an_item_not_in_the_list_is_refused():
    with pytest.raises(ValueError, match="names item index 1, but there are only 1 items"):
        analyse(keys("A"), papers("AB"))


# At volume --------------------------------------------------------------------------------------

def simulated(attempts: int, bank: int = 140, per_paper: int = 30, seed: int = 42):
    """Return keys and responses of candidates on papers from a bank, under the 2PL model.

    Items 0-4 carry no information (slope 0), items 5-9 are keyed to the wrong option, the rest
    are sound."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=attempts)
    difficulty = rng.uniform(-1.0, 1.0, bank)
    slope = np.where(np.arange(bank) < 5, 0.0, rng.uniform(1.0, 2.0, bank))
    item = rng.permuted(np.tile(np.arange(bank), (attempts, 1)), axis=1)[:, :per_paper].ravel()
    attempt = np.repeat(np.arange(attempts), per_paper)
    right = rng.random(len(item)) < 1 / (1 + np.exp(-slope[item] * (ability[attempt]
                                                                      - difficulty[item])))
    choice = np.where(right, 0, rng.integers(1, 4, len(item)))  # right answer A, else B-D
    key_letters = "A" * 5 + "B" * 5 + "A" * (bank - 10)
    return keys(key_letters), Responses(attempt, item, choice)


def python_calls(action) -> int:
    """Return how many Python-level function calls action() makes."""
    calls = 0

    def count(_frame, event, _arg):
        nonlocal calls
        calls += event == "call"
    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def test_the_python_work_of_an_analysis_does_not_grow_with_the_number_of_attempts():
    # Its timing is in the benchmark (bench/bench_analysis.py); here, the shape: every response
    # is handled inside numpy, so ten times the attempts (54,000 more responses) means no more
    # Python calls; the count moves a little with which items earn flags.
    small, large = simulated(200), simulated(2000)
    assert python_calls(lambda: analyse(*large)) < 1.1 * python_calls(lambda: analyse(*small))


def test_two_thousand_candidates_on_papers_from_a_bank_are_analysed_sensibly():
    attempts, per_paper = 2000, 30
    analysis = analyse(*simulated(attempts, per_paper=per_paper))

    items = analysis.items
    assert analysis.test.n == attempts and analysis.test.max_score == per_paper
    assert 0.7 < analysis.test.kr20 < 0.95
    assert all(item.enough_data for item in items)  # about 430 presentations each
    assert all(codes(item)[0] in ("weak-discrimination", "likely-miskey") for item in items[:5])
    assert all(codes(item)[0] == "likely-miskey" for item in items[5:10])
    sound = items[10:]
    assert all(item.point_biserial > 0.15 and item.discrimination > 0.2 for item in sound)
    assert not any({"likely-miskey", "weak-discrimination"} & set(codes(item)) for item in sound)
