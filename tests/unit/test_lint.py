"""Linting a bank: each rule fires with a clear FILE:LINE message; a clean bank is silent."""
import difflib
import random
from dataclasses import replace

import pytest

from quiz.itembank.domain import BankItem, Blueprint, ItemContent, OutcomeSpec
from quiz.itembank import lint
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


def test_a_key_that_is_far_too_often_the_longest_option_fails_with_the_rates():
    bank = make_bank(per_criterion=5)
    bank = [lengthen(item, item.content.key) if n < 11 else item for n, item in enumerate(bank)]
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == [
        f"{BLUEPRINT_FILE}:1: error [longest-key] the key is the strictly longest option in 11 "
        "of 20 live items (55%) against a chance rate of 25%; one-sided binomial p = 0.0039 "
        "< 0.01"]


def test_a_key_that_is_the_longest_option_half_the_time_in_twenty_items_passes():
    bank = make_bank(per_criterion=5)
    bank = [lengthen(item, item.content.key) if n < 10 else item for n, item in enumerate(bank)]
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == []


def test_a_key_tied_for_longest_does_not_count_as_longest():
    bank = [lengthen(item, item.content.key, "D" if item.content.key != "D" else "A")
            for item in make_bank(per_criterion=5)]
    assert found(lint_bank(BLUEPRINT, bank), "longest-key") == []


def test_the_binomial_tail_is_exact():
    assert binomial_tail(1, 2, 4) == 7 / 16  # 1 - (3/4)^2
    assert binomial_tail(0, 1000, 4) == 1.0
    assert 1e-5 < binomial_tail(300, 1000, 4) < 1e-3  # a large bank neither overflows nor rounds
    assert binomial_tail(1000, 1000, 4) == 0.0  # 4 ** -1000 is below the smallest float


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
