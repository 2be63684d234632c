"""Linting a bank: each rule fires with a clear FILE:LINE message; a clean bank is silent."""
import difflib
import random
from dataclasses import replace

import pytest

from quiz.itembank.domain import BankItem, Blueprint, ItemContent, OutcomeSpec, RangeList, RangePoint
from quiz.itembank import lint
from quiz.itembank.figures import binomial_head, form_shares, longest_option_figures
from quiz.itembank.lint import ERROR, WARNING, LintThresholds, binomial_tail, lint_bank

BANK = "item_banks/9999-01/101"
BLUEPRINT_FILE = f"{BANK}/blueprint.yaml"
CRITERIA = ("1.1", "1.2", "2.1", "2.2")
SCENARIO = ("Amira, an adviser in an energy supplier's contact centre, asks her mentor Callum how "
            "to register a customer for extra help during power cuts. Callum shows her the "
            "intranet page that explains the process and gives her the contact details of the "
            "specialist team. Which purpose of mentoring is Callum mainly fulfilling?")


def make_blueprint(questions=(4, 4), minimum: int = 3) -> Blueprint:
    """Return a blueprint with outcomes 1 and 2, each with criteria n.1 and n.2."""
    outcomes = tuple(OutcomeSpec(n, f"outcome {n}", count, {f"{n}.1": "one", f"{n}.2": "two"})
                     for n, count in enumerate(questions, start=1))
    return Blueprint(code="9999-01/101", qualification="9999-01", unit="101", title="Test unit",
                     duration_minutes=20, pass_mark_percent=60, outcomes=outcomes,
                     minimum_live_per_criterion=minimum)


def make_item(n: int, criterion: str = "1.1", status: str = "live") -> BankItem:
    """Return a sound item: its own stem, options of equal length, key rotating A-D."""
    item_id = f"i{n:03d}"
    key = "ABCD"[n % 4]
    content = ItemContent(
        stem=f"Which statement about topic {n} fits case {n + 100}?",
        options={letter: f"Answer {letter} for item {item_id}" for letter in "ABCD"},
        key=key, rationale=f"AC{criterion}: {key} is the answer.")
    return BankItem(item_id=item_id, bank="9999-01/101", criterion=criterion,
                    outcome=int(criterion[0]), status=status, content=content,
                    line=3 + 16 * n, path=f"{BANK}/items/{criterion}.yaml")


def make_bank(per_criterion: int = 6) -> list[BankItem]:
    """Return a clean bank: every criterion with per_criterion live items, keys balanced."""
    return [make_item(n, CRITERIA[n % 4]) for n in range(per_criterion * 4)]


def edit(item: BankItem, status: str | None = None, **content) -> BankItem:
    """Return the item with its status or parts of its content changed."""
    return replace(item, status=status or item.status, content=replace(item.content, **content))


def with_keys(bank: list[BankItem], keys: str) -> list[BankItem]:
    """Return the bank with its keys set in order from a string such as 'AABD'."""
    return [edit(item, key=key) for item, key in zip(bank, keys, strict=True)]


def lengthen(item: BankItem, *letters: str) -> BankItem:
    """Return the item with the given options made longer than the rest, by the same amount."""
    options = {letter: text + (" and more besides" if letter in letters else "")
               for letter, text in item.content.options.items()}
    return edit(item, options=options)


def where(item: BankItem) -> str:
    return f"{item.path}:{item.line}"


def found(findings, rule: str) -> list[str]:
    return [str(f) for f in findings if f.rule == rule]


BLUEPRINT = make_blueprint()


def test_a_clean_balanced_bank_has_no_findings():
    assert lint_bank(BLUEPRINT, make_bank()) == []


# Duplicate and near-duplicate stems ------------------------------------------------------------

def test_a_stem_repeated_with_other_case_punctuation_and_spacing_is_a_duplicate():
    bank = make_bank()
    first, copy = bank[1], bank[5]
    bank[5] = edit(copy, stem="  which STATEMENT about topic 1 -- fits case 101 ")
    assert found(lint_bank(BLUEPRINT, bank), "duplicate-stem") == [
        f"{where(copy)}: error [duplicate-stem] item i005: stem duplicates item i001 at "
        f"{where(first)} (ignoring case, punctuation and spacing)"]


def test_a_scenario_copied_with_one_word_changed_is_a_near_duplicate():
    bank = make_bank()
    bank[2] = edit(bank[2], stem=SCENARIO)
    bank[6] = edit(bank[6], stem=SCENARIO.replace("power cuts", "power outages"))
    assert found(lint_bank(BLUEPRINT, bank), "near-duplicate-stem") == [
        f"{where(bank[6])}: error [near-duplicate-stem] item i006: stem is 98% the same as "
        f"item i002 at {where(bank[2])} (near-duplicates from 95%)"]


def test_parallel_items_that_swap_one_topic_word_in_a_short_question_are_not_duplicates():
    bank = make_bank()
    stem = "Which option lists the stages of the {} coaching model in the correct order?"
    bank[0] = edit(bank[0], stem=stem.format("PIGEEP"))
    bank[4] = edit(bank[4], stem=stem.format("ACHIEVE"))
    assert lint_bank(BLUEPRINT, bank) == []


def test_each_pair_is_reported_once_at_the_later_item_whatever_order_items_arrive_in():
    bank = make_bank()
    for n in (3, 7, 11):
        bank[n] = edit(bank[n], stem="What is the first step in the coaching process?")
    findings = found(lint_bank(BLUEPRINT, list(reversed(bank))), "duplicate-stem")
    assert [f.split(": error")[0] for f in findings] == [where(bank[7]), where(bank[11]),
                                                          where(bank[11])]
    assert f"item i007: stem duplicates item i003 at {where(bank[3])}" in findings[0]
    assert "item i011: stem duplicates item i003" in findings[1]
    assert "item i011: stem duplicates item i007" in findings[2]


def test_duplicates_are_found_among_items_of_any_status():
    bank = make_bank()
    bank.append(edit(make_item(90, "1.1", status="retired"), stem=bank[0].content.stem))
    bank.append(edit(make_item(91, "1.2", status="draft"), stem=SCENARIO))
    bank.append(edit(make_item(92, "1.2", status="in_review"), stem=SCENARIO + " "))
    assert len(found(lint_bank(BLUEPRINT, bank), "duplicate-stem")) == 2


def test_near_duplicates_among_a_thousand_items_are_found_without_comparing_every_pair(
        monkeypatch):
    # The timing of this lint is in the benchmark (bench/bench_lint.py); here, the shape: stems
    # are compared word by word only when prefix filtering says they could be near-duplicates,
    # a few hundred of the 499,500 pairs, so the work cannot turn quadratic unnoticed.
    compared = []

    class CountingMatcher(difflib.SequenceMatcher):
        def __init__(self, *args, **kwargs):
            compared.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(lint.difflib, "SequenceMatcher", CountingMatcher)
    bank = thousand_random_stems()
    bank[900] = edit(bank[900], stem=bank[500].content.stem.replace(" ", " very ", 1))
    findings = lint_bank(BLUEPRINT, bank)
    [near] = found(findings, "near-duplicate-stem")
    assert near.startswith(f"{where(bank[900])}: error") and "item i500" in near
    assert 1 <= len(compared) < 1000 * 999 // 2 // 100  # under 1% of all pairs


def thousand_random_stems() -> list[BankItem]:
    """Return 1,000 items whose stems are 10-50 words drawn from a 400-word vocabulary."""
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(400)]
    return [edit(make_item(n, CRITERIA[n % 4]),
                 stem=" ".join(rng.choices(vocabulary, k=rng.randint(10, 50))) + "?")
            for n in range(1000)]


# One key, options that differ ------------------------------------------------------------------

@pytest.mark.parametrize("key, message", [
    ("", "item i001: has no key"),
    ("E", "item i001: key 'E' is not one of its options (A, B, C, D)"),
    ("A, C", "item i001: key 'A, C' names 2 options; a single-best-answer item has exactly one"),
])
def test_an_item_without_exactly_one_key_among_its_options_fails(key, message):
    bank = make_bank()
    bank[1] = edit(bank[1], key=key)
    assert found(lint_bank(BLUEPRINT, bank), "key") == [f"{where(bank[1])}: error [key] {message}"]


def test_options_that_read_the_same_once_folded_fail():
    bank = make_bank()
    options = {"A": "To set targets", "B": "To listen actively.", "C": "To give advice",
               "D": "to listen  ACTIVELY"}
    bank[2] = edit(bank[2], options=options)
    assert found(lint_bank(BLUEPRINT, bank), "repeated-option") == [
        f"{where(bank[2])}: error [repeated-option] item i002: options B and D read the same "
        "('to listen  ACTIVELY')"]


# Balance across the live items ----------------------------------------------------------------

def test_keys_crowded_onto_one_letter_fail_with_the_counts():
    bank = with_keys(make_bank(), "A" * 15 + "BCD" * 3)
    assert found(lint_bank(BLUEPRINT, bank), "key-balance") == [
        f"{BLUEPRINT_FILE}:1: error [key-balance] the key's position is unbalanced across the "
        "24 live items: A 15, B 3, C 3, D 3 (expected 6 each); chi-square 18.00 > 11.345 "
        "with 3 degrees of freedom"]


def test_keys_just_inside_the_critical_value_pass():
    bank = with_keys(make_bank(), "A" * 13 + "B" * 5 + "CCCDDD")  # chi-square 11.33
    assert found(lint_bank(BLUEPRINT, bank), "key-balance") == []


def test_key_balance_is_not_judged_below_twenty_live_items():
    bank = with_keys(make_bank(per_criterion=4), "A" * 16)
    assert found(lint_bank(BLUEPRINT, bank), "key-balance") == []


def test_only_live_items_count_towards_key_balance():
    extra = [make_item(n, "1.1", status) for n, status in
             zip(range(50, 80), ["draft", "in_review", "retired"] * 10)]
    bank = make_bank() + with_keys(extra, "A" * 30)
    assert found(lint_bank(BLUEPRINT, bank), "key-balance") == []


def with_longest(bank: list[BankItem], key_longest: int) -> list[BankItem]:
    """Return the bank with one option of every item made the longest: the key in the first n."""
    return [lengthen(item, item.content.key if n < key_longest else
                     "B" if item.content.key == "A" else "A")
            for n, item in enumerate(bank)]


def test_a_key_that_is_far_too_often_the_longest_option_fails_with_the_rates():
    bank = with_longest(make_bank(per_criterion=5), key_longest=11)
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == [
        f"{BLUEPRINT_FILE}:1: error [longest-key] the key is the strictly longest option too "
        "often: in 11 of the 20 live items that have one (55%) against a chance rate of 25%; "
        "two-sided exact binomial p = 0.0079 < 0.01 (from 1 to 10 would pass). Always choosing "
        "the longest option scores 55.0% by guessing"]


def test_a_key_that_is_far_too_rarely_the_longest_option_fails_with_the_rates():
    bank = with_longest(make_bank(per_criterion=5), key_longest=0)
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == [
        f"{BLUEPRINT_FILE}:1: error [longest-key] the key is the strictly longest option too "
        "rarely: in 0 of the 20 live items that have one (0%) against a chance rate of 25%; "
        "two-sided exact binomial p = 0.0063 < 0.01 (from 1 to 10 would pass). Never choosing "
        "the longest option scores 33.3% by guessing"]


@pytest.mark.parametrize("key_longest", [1, 5, 10])
def test_a_key_that_is_the_longest_option_within_chance_passes(key_longest):
    bank = with_longest(make_bank(per_criterion=5), key_longest)
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == []


def test_items_without_a_strictly_longest_option_are_left_out_of_the_count():
    bank = make_bank(per_criterion=5)  # every option the same length: no cue at all
    bank[:11] = [lengthen(item, item.content.key) for item in bank[:11]]
    [finding] = found(lint_bank(BLUEPRINT, bank), "longest-key")
    assert "too often: in 11 of the 11 live items that have one (100%)" in finding


def test_a_key_tied_for_longest_does_not_count_as_longest():
    bank = [lengthen(item, item.content.key, "D" if item.content.key != "D" else "A")
            for item in make_bank(per_criterion=5)]
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == []


def test_the_strategy_figures_match_the_bank_the_review_measured():
    # Issue 13: 146 live items, 122 with a longest option, the key the longest in only 4.
    bank = [make_item(n, CRITERIA[n % 4]) for n in range(146)]
    bank = with_longest(bank[:122], key_longest=4) + bank[122:]
    figures = longest_option_figures(bank, 0.01)
    assert (figures.live, figures.with_longest, figures.key_longest) == (146, 122, 4)
    assert round(figures.never_longest(), 4) == round((118 / 3 + 24 / 4) / 146, 4) == 0.3105
    assert round(figures.always_longest(), 4) == round((4 + 24 / 4) / 146, 4)
    assert figures.passing == (19, 43)
    low, high = figures.chance_range(figures.never_longest)
    assert low < 0.25 < high < figures.never_longest()
    assert figures.lines()[2] == ("expected score of never choosing the longest option: 31.1% "
                                  "(a bank keyed at random: 22.1% to 27.6%)")


def test_both_strategies_score_exactly_chance_when_the_key_is_longest_one_time_in_four():
    figures = longest_option_figures(with_longest(make_bank(per_criterion=5), 5), 0.01)
    assert figures.always_longest() == figures.never_longest() == 0.25


def test_the_binomial_tail_is_exact():
    assert binomial_tail(1, 2, 4) == 7 / 16  # 1 - (3/4)^2
    assert binomial_tail(0, 1000, 4) == 1.0
    assert 1e-5 < binomial_tail(300, 1000, 4) < 1e-3  # a large bank neither overflows nor rounds
    assert binomial_tail(1000, 1000, 4) == 0.0  # 4 ** -1000 is below the smallest float
    assert binomial_head(0, 20, 4) == 0.75 ** 20
    assert binomial_head(20, 20, 4) == 1.0


# Enough live items for the blueprint -----------------------------------------------------------

def test_a_criterion_under_its_minimum_of_live_items_fails():
    bank = [edit(item, status="draft") if item.criterion == "2.2" and item.item_id != "i003"
            else item for item in make_bank()]  # i003 is the one live item left in 2.2
    assert found(lint_bank(BLUEPRINT, bank), "criterion-minimum") == [
        f"{BLUEPRINT_FILE}:1: error [criterion-minimum] criterion 2.2: 1 live, the blueprint "
        "asks for at least 3"]


def test_a_minimum_of_zero_sets_no_minimum():
    bank = [item for item in make_bank() if item.criterion != "2.2"]
    assert lint_bank(make_blueprint(minimum=0), bank) == []


def test_an_outcome_with_fewer_live_items_than_a_paper_draws_fails():
    outcome_2 = [item for item in make_bank() if item.outcome == 2]
    bank = [edit(item, status="draft") if item in outcome_2[6:] else item for item in make_bank()]
    blueprint = make_blueprint(questions=(4, 8), minimum=0)
    assert found(lint_bank(blueprint, bank), "outcome-shortfall") == [
        f"{BLUEPRINT_FILE}:1: error [outcome-shortfall] outcome 2: 6 live, fewer than the 8 "
        "questions each paper draws from it"]


def test_bank_findings_name_the_bank_when_items_have_no_file():
    bank = [replace(item, path="", line=0) for item in make_bank()]
    [finding] = lint_bank(make_blueprint(questions=(4, 20)), bank)
    assert str(finding).startswith("9999-01/101:0: error [outcome-shortfall] outcome 2: 12 live")


# Warnings: reported, never failing ------------------------------------------------------------

@pytest.mark.parametrize("option", ["All of the above", "None of these", "Both A and B",
                                    "A and C only"])
def test_an_option_that_refers_to_other_options_is_a_warning(option):
    bank = make_bank()
    bank[3] = edit(bank[3], options={**bank[3].content.options, "D": option})
    [finding] = lint_bank(BLUEPRINT, bank)
    assert (finding.rule, finding.severity) == ("all-none-both-option", WARNING)
    assert str(finding).startswith(f"{where(bank[3])}: warning [all-none-both-option] item i003: "
                                   f"option D '{option}' refers to other options")


def test_an_option_that_mentions_both_people_is_not_a_cross_reference():
    bank = make_bank()
    bank[3] = edit(bank[3], options={**bank[3].content.options, "D": "Both the coach and coachee"})
    assert lint_bank(BLUEPRINT, bank) == []


def test_a_lowercase_negative_in_the_question_is_a_warning():
    bank = make_bank()
    bank[1] = edit(bank[1], stem="Which of these is not a purpose of coaching?")
    assert [str(f) for f in lint_bank(BLUEPRINT, bank)] == [
        f"{where(bank[1])}: warning [lowercase-negative] item i001: the question is negatively "
        "worded ('not'); write it as 'NOT' so no candidate misses it"]


@pytest.mark.parametrize("stem", [
    "Which of these is NOT a purpose of coaching?",
    "All of these are benefits of mentoring EXCEPT:",
    "Callum is not sure of the details. Which purpose of mentoring is he fulfilling?",
    "Which of these needs at least two sessions?",
])
def test_capitalised_negatives_negative_facts_and_at_least_raise_nothing(stem):
    bank = make_bank()
    bank[1] = edit(bank[1], stem=stem)
    assert lint_bank(BLUEPRINT, bank) == []


def test_a_stem_ending_without_a_question_mark_or_colon_is_a_warning():
    bank = make_bank()
    bank[1] = edit(bank[1], stem="The main purpose of coaching is to")
    assert [str(f) for f in lint_bank(BLUEPRINT, bank)] == [
        f"{where(bank[1])}: warning [stem-ending] item i001: stem ends '...coaching is to', "
        "not with '?' or ':'"]


@pytest.mark.parametrize("rationale", ["B is the answer.", "AC1.10: B is the answer.",
                                       "See 11.2 and 2.1.2."])
def test_a_rationale_that_does_not_mention_its_criterion_is_a_warning(rationale):
    bank = make_bank()
    bank[5] = edit(bank[5], rationale=rationale)  # criterion 1.2
    assert [str(f) for f in lint_bank(BLUEPRINT, bank)] == [
        f"{where(bank[5])}: warning [rationale-criterion] item i005: rationale does not mention "
        "its criterion (AC1.2)"]


@pytest.mark.parametrize("rationale", ["AC1.2: B is right.", "As 1.2 says, B.", "B (see 1.2)."])
def test_a_rationale_that_names_its_criterion_raises_nothing(rationale):
    bank = make_bank()
    bank[5] = edit(bank[5], rationale=rationale)
    assert lint_bank(BLUEPRINT, bank) == []


def test_warnings_never_fail_and_errors_always_do():
    bank = make_bank()
    bank[1] = edit(bank[1], stem="Which is not right", options={
        **bank[1].content.options, "D": "All of the above"}, rationale="None.")
    bank[2] = edit(bank[2], key="E")
    findings = lint_bank(BLUEPRINT, bank)
    assert {f.rule: f.severity for f in findings} == {
        "lowercase-negative": WARNING, "stem-ending": WARNING, "all-none-both-option": WARNING,
        "rationale-criterion": WARNING, "key": ERROR}


def test_stricter_thresholds_can_be_passed_in():
    bank = make_bank()
    bank[0] = edit(bank[0], stem="What is the first step in the coaching process?")
    bank[4] = edit(bank[4], stem="What is the first step in the mentoring process?")
    assert lint_bank(BLUEPRINT, bank) == []
    [finding] = lint_bank(BLUEPRINT, bank, LintThresholds(near_duplicate_ratio=0.85))
    assert "stem is 88% the same as item i000" in finding.message


# One question asked by too many stems ----------------------------------------------------------

QUESTION = "Which challenge of coaching does this show?"


def ask(bank: list[BankItem], indexes, question: str = QUESTION) -> list[BankItem]:
    """Return the bank with a scenario of its own and then the same question in the given items."""
    return [edit(item, stem=f"Case {n}: someone in team {n * 7} says no. {question}")
            if n in indexes else item for n, item in enumerate(bank)]


def test_one_question_ending_more_than_three_stems_is_a_warning_naming_them_all():
    bank = ask(make_bank(), (1, 5, 9, 13))
    findings = lint_bank(BLUEPRINT, bank)
    assert [str(f) for f in findings] == [
        f"{where(bank[13])}: warning [question-reuse] item i013: the question '{QUESTION}' ends 4 "
        "stems (i001, i005, i009, i013); more than 3 makes the wording a cue: ask it another way, "
        "or ask for a decision instead"]


def test_one_question_ending_three_stems_raises_nothing():
    assert lint_bank(BLUEPRINT, ask(make_bank(), (1, 5, 9))) == []


def test_retired_items_do_not_count_towards_question_reuse():
    bank = ask(make_bank(), (1, 5, 9))
    bank.append(edit(ask([make_item(60, "1.2", status="retired")], (0,))[0]))
    assert found(lint_bank(BLUEPRINT, bank), "question-reuse") == []


def test_questions_are_compared_folded_like_stems():
    bank = ask(make_bank(), (1, 5, 9))
    bank = ask(bank, (13,), "which CHALLENGE of coaching  does this show ?")
    [finding] = found(lint_bank(BLUEPRINT, bank), "question-reuse")
    assert "ends 4 stems (i001, i005, i009, i013)" in finding


# Every Range point tested by enough live items -------------------------------------------------

RANGE_FILE = f"{BANK}/range.yaml"
RANGE = RangeList("9999-01/101", (
    RangePoint("1.1/x/first", "1.1", "S", "", "the first point", 5),
    RangePoint("1.2/x/second", "1.2", "S", "", "the second point", 9),
    RangePoint("2.1/x/third", "2.1", "S", "", "the third point", 13),
), path=RANGE_FILE)


def tag(bank: list[BankItem]) -> list[BankItem]:
    """Return the bank with each item naming its criterion's one point (2.2 names none)."""
    ids = {p.criterion: p.id for p in RANGE.points}
    return [edit(item, range_ids=(ids[item.criterion],) if item.criterion in ids else ())
            for item in bank]


def test_a_range_point_with_fewer_live_items_than_the_blueprint_asks_fails_at_its_line():
    bank = tag(make_bank())
    bank = [edit(item, status="draft") if item.criterion == "1.2" and item.item_id != "i001"
            else item for item in bank]  # i001 is the one live item left on 1.2/x/second
    blueprint = replace(BLUEPRINT, minimum_live_per_range_point=2, minimum_live_per_criterion=0)
    assert found(lint_bank(blueprint, bank, range_list=RANGE), "range-minimum") == [
        f"{RANGE_FILE}:9: error [range-minimum] Range point 1.2/x/second (the second point): 1 "
        "live item(s), the blueprint asks for at least 2"]


def test_a_range_point_no_item_names_fails_and_an_item_naming_it_twice_counts_once():
    bank = tag(make_bank())
    bank[0] = edit(bank[0], range_ids=("1.1/x/first", "2.1/x/third", "2.1/x/third"))
    bank = [edit(item, range_ids=()) if item.criterion == "2.1" and item is not bank[0] else item
            for item in bank]
    blueprint = replace(BLUEPRINT, minimum_live_per_range_point=2)
    assert found(lint_bank(blueprint, bank, range_list=RANGE), "range-minimum") == [
        f"{RANGE_FILE}:13: error [range-minimum] Range point 2.1/x/third (the third point): 1 "
        "live item(s), the blueprint asks for at least 2"]


def test_no_range_minimum_is_judged_without_a_setting():
    bank = [edit(item, range_ids=()) for item in make_bank()]
    assert lint_bank(BLUEPRINT, bank, range_list=RANGE) == []


def test_range_findings_name_the_blueprint_when_the_range_has_no_file():
    blueprint = replace(BLUEPRINT, minimum_live_per_range_point=1)
    [finding] = lint_bank(blueprint, make_bank(), range_list=replace(RANGE, points=RANGE.points[:1],
                                                                      path=""))
    assert str(finding).startswith(f"{BLUEPRINT_FILE}:1: error [range-minimum] Range point "
                                   "1.1/x/first")


# Question forms ---------------------------------------------------------------------------------

def with_forms(bank: list[BankItem], applied: int) -> list[BankItem]:
    """Return the bank with the first items asking for a decision or application, the rest labels."""
    return [edit(item, form=("decision", "application")[n % 2] if n < applied else "label")
            for n, item in enumerate(bank)]


def test_too_few_decision_and_application_items_fail_with_the_share():
    blueprint = replace(BLUEPRINT, minimum_decision_or_application_percent=25)
    assert found(lint_bank(blueprint, with_forms(make_bank(), applied=5)), "form-share") == [
        f"{BLUEPRINT_FILE}:1: error [form-share] decision and application items are 20.8% of the "
        "24 live items (5); the blueprint asks for at least 25%"]


def test_a_quarter_of_decision_and_application_items_passes():
    blueprint = replace(BLUEPRINT, minimum_decision_or_application_percent=25)
    assert lint_bank(blueprint, with_forms(make_bank(), applied=6)) == []


def test_form_shares_count_only_live_items():
    bank = with_forms(make_bank(), applied=6) + [
        edit(make_item(n, "1.1", "draft"), form="label") for n in range(50, 60)]
    shares = form_shares([item for item in bank if item.status == "live"], 25)
    assert shares.counts == {"recall": 0, "label": 18, "decision": 3, "application": 3}
    assert shares.lines() == [
        "question forms of the 24 live items: recall 0 (0%), label 18 (75%), decision 3 (12%), "
        "application 3 (12%)",
        "decision or application: 6 (25.0%); the blueprint asks for at least 25%"]
