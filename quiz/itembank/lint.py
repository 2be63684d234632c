"""Review the quality of a bank's items as a whole, the way an awarding body's item review would.

Items reach the linter already structurally valid (bankfile.py checked them). The linter
judges quality across the bank. Errors fail the lint; warnings are reported and do not.

Errors
  duplicate-stem, near-duplicate-stem (every item, any status)
    Stems are compared after folding case, dropping apostrophes, turning other punctuation
    into spaces and collapsing spacing. Equal folded stems are duplicates. Otherwise two stems
    are near-duplicates when difflib.SequenceMatcher's ratio over their words, 2 x matching
    words / all words, is at least near_duplicate_ratio = 0.95: about one word in twenty
    changed, added or dropped. The 2794-03/315 bank settles the figure: its closest pairs are
    parallel items that swap one topic word in a short shared question ("... stages of the
    PIGEEP coaching model ..." / "... ACHIEVE ...", 0.93; "What is the first step in the
    coaching process?" / "... mentoring ...", 0.89). They are different questions and must not
    fail the lint, so the line sits above 0.93. Above it: a scenario stem of 40 words or more
    copied with one or two words edited (0.95 to 0.98), and a 10- to 19-word stem with "NOT"
    added (0.95 to 0.97). Missed by design: one word changed in a stem under 20 words, where
    that word is usually the point of the question, and clones whose names were swapped
    throughout a scenario. Words rather than characters, so that the cheap pre-filter is
    exact: only pairs whose lengths and shared rare words leave the ratio within reach (prefix
    filtering) reach SequenceMatcher, and 1,000 items lint in about a tenth of a second. Each
    pair is reported once, at the later item (by file and line), naming the earlier.
  key: an item without exactly one key among its option letters.
  repeated-option: two options of one item that read the same once folded as above.
  key-balance (live items): a chi-square goodness-of-fit test of the key's position against
    A-D equally likely. It fails when the statistic exceeds key_balance_critical_value =
    11.345, the critical value for 3 degrees of freedom at the 0.01 level, so a bank whose keys
    were scattered at random fails only one time in a hundred. With 40 live items, keys of
    A 20, B 8, C 6, D 6 fail (13.6); A 16, B 12, C 6, D 6 pass (7.2), and fail once the bank
    doubles with the same lean (14.4). It runs only from min_live_for_key_balance = 20 live
    items: the chi-square approximation needs an expected count of about 5 in each of A-D.
  longest-key (live items): a two-sided exact binomial test (math.comb) of how often the key is
    the strictly longest option, over the live items that have a strictly longest option (a
    tie at the top gives a test-wise candidate no cue, so those items are left out). If keys
    do not depend on length the key is that option exactly 1 time in 4. The key being the
    longest too often rewards "always choose the longest"; too rarely rewards "never choose
    the longest" (the 2794-03/315 bank had it 4 times in 122, and that strategy scored 31%).
    It fails when either tail is below half of longest_key_significance = 0.01, so a bank keyed
    at random fails 1 time in 100 as before: with 20 such items, 0 longest keys fail and so do
    11 or more, 1 to 10 pass; with 122, as in that bank, 19 to 43 pass. figures.py gives the
    expected scores of both strategies, which quiz bank lint prints. Being exact, it needs no
    minimum number of items.
  criterion-minimum (live items): a criterion with fewer live items than the blueprint's
    minimum_live_per_criterion (0 sets no minimum).
  outcome-shortfall (live items): an outcome with fewer live items than each paper draws from it.
  range-minimum (live items): a Range point (range.yaml) named by fewer live items than the
    blueprint's minimum_live_per_range_point (0 sets no minimum), reported at the point's line.
  form-share (live items): decision and application items, together, a smaller percentage of the
    live items than the blueprint's minimum_decision_or_application_percent (0: none set).

Warnings
  all-none-both-option: "All of the above", "None of these", "Both A and B" style options,
    which reward partial knowledge and break when options are shuffled.
  lowercase-negative: NOT, EXCEPT, LEAST or never in the stem's question (its last sentence)
    not written in capitals. Scenario sentences before the question are not checked: "Callum is
    not sure of the details" is a fact, not a negatively worded question. "at least" is not a
    negative.
  stem-ending: a stem that does not end with "?" or ":".
  rationale-criterion: a rationale that does not mention the item's criterion ("AC1.2" or "1.2";
    "1.20" does not count for 1.2).
  question-reuse: one question asked by more than max_question_uses = 3 items that are not
    retired. The question is the stem's last sentence, folded as for duplicates; the scenarios
    before it may differ. "Which challenge of coaching does this show?" ending 10 stems lets a
    candidate answer from the form rather than the content, and shows one form dominating.
    Reported once per question, at the first item beyond the limit, naming them all.
"""
from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import PurePath
from typing import Callable, Iterable, Iterator, Sequence

from quiz.itembank.bankfile import BLUEPRINT_FILE
from quiz.itembank.domain import APPLIED_FORMS, OPTION_LETTERS, BankItem, Blueprint, RangeList
# binomial_tail lived here first; it is still importable from here.
from quiz.itembank.figures import binomial_tail, form_shares, longest_option_figures  # noqa: F401

ERROR = "error"
WARNING = "warning"

NEGATIVE_WORDS = ("not", "except", "least", "never")
CROSS_OPTION_PATTERNS = (
    re.compile(r"\b(all|none|both|neither|either) of (the )?(above|below|these|those|them)\b",
               re.IGNORECASE),
    re.compile(r"\b(both )?[A-D],? and [A-D]\b"),  # capital letters only: "a and b" is prose
    re.compile(r"\b[A-D] or [A-D]\b"),
)


@dataclass(frozen=True)
class Finding:
    """One quality problem in a bank, where it is."""

    rule: str
    severity: str  # ERROR fails the lint; WARNING is reported and does not
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.rule}] {self.message}"


@dataclass(frozen=True)
class LintThresholds:
    """The numbers the bank-wide rules judge by (the module docstring gives the reasons)."""

    # Word-level SequenceMatcher ratio: about one word in twenty may differ; the real bank's
    # parallel items, one topic word swapped in a short question (0.93, 0.89), stay below it.
    near_duplicate_ratio: float = 0.95
    # Chi-square critical value, 3 degrees of freedom, 0.01 level: random keys fail 1 bank in 100.
    key_balance_critical_value: float = 11.345
    # The chi-square approximation wants about 5 expected keys in each of A-D.
    min_live_for_key_balance: int = 20
    # Two-sided exact binomial test, half in each tail; the same 1-in-100 false alarm rate as
    # the key balance.
    longest_key_significance: float = 0.01
    # One question sentence may end this many stems; more and the wording becomes the cue.
    max_question_uses: int = 3


def lint_bank(blueprint: Blueprint, items: Sequence[BankItem],
              thresholds: LintThresholds = LintThresholds(),
              range_list: RangeList | None = None) -> list[Finding]:
    """Return every quality finding for one bank, ordered by file and line."""
    findings: list[Finding] = []
    for item in items:
        for rule in ITEM_RULES:
            findings.extend(rule(item))
    findings.extend(_duplicate_stems(items, thresholds))
    findings.extend(_question_reuse(items, thresholds))
    live = [item for item in items if item.status == "live"]
    path, line = _blueprint_location(blueprint, items)
    for rule in LIVE_BANK_RULES:
        for code, message in rule(blueprint, live, thresholds):
            findings.append(Finding(code, ERROR, path, line, message))
    if range_list is not None:
        findings.extend(_range_minimum(blueprint, range_list, live, (path, line)))
    return sorted(findings, key=lambda f: (f.path, f.line))


def normalise(text: str) -> str:
    """Return text folded for comparison: case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"['\u2019]", "", text)  # so "adviser's" and "advisers" read alike
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _at(item: BankItem, rule: str, severity: str, message: str) -> Finding:
    """Return a finding about one item, at the item."""
    return Finding(rule, severity, item.path, item.line, f"item {item.item_id}: {message}")


def _where(item: BankItem) -> str:
    """Return an item's FILE:LINE, for naming it in another item's message."""
    return f"{item.path}:{item.line}"


# Rules for one item at a time ----------------------------------------------------------------

def _key(item: BankItem) -> Iterator[Finding]:
    """Report an item without exactly one key among its option letters."""
    key = (item.content.key or "").strip()
    letters = [part for part in re.split(r"[\s,;/]+", key) if part]
    options = ", ".join(item.content.options)
    if not letters:
        yield _at(item, "key", ERROR, "has no key")
    elif len(letters) > 1 and all(letter in item.content.options for letter in letters):
        yield _at(item, "key", ERROR, f"key '{key}' names {len(letters)} options; "
                                      "a single-best-answer item has exactly one")
    elif key not in item.content.options:
        yield _at(item, "key", ERROR, f"key '{key}' is not one of its options ({options})")


def _repeated_options(item: BankItem) -> Iterator[Finding]:
    """Report options of one item that read the same once folded."""
    first_with: dict[str, str] = {}
    for letter, text in item.content.options.items():
        folded = normalise(text)
        if folded in first_with:
            yield _at(item, "repeated-option", ERROR,
                      f"options {first_with[folded]} and {letter} read the same ('{text}')")
        else:
            first_with[folded] = letter


def _cross_options(item: BankItem) -> Iterator[Finding]:
    """Warn of options that refer to other options, such as "All of the above"."""
    for letter, text in item.content.options.items():
        if any(pattern.search(text) for pattern in CROSS_OPTION_PATTERNS):
            yield _at(item, "all-none-both-option", WARNING,
                      f"option {letter} '{text}' refers to other options; it rewards partial "
                      "knowledge and breaks when options are shuffled")


def _lowercase_negative(item: BankItem) -> Iterator[Finding]:
    """Warn of a negative word in the stem's question that is not in capitals."""
    question = _question(item.content.stem)
    question = re.sub(r"\bat least\b", "", question, flags=re.I)  # a quantity, not a negative
    for word in re.findall(r"[A-Za-z]+", question):
        if word.lower() in NEGATIVE_WORDS and word != word.upper():
            yield _at(item, "lowercase-negative", WARNING,
                      f"the question is negatively worded ('{word}'); write it as "
                      f"'{word.upper()}' so no candidate misses it")
            return


def _stem_ending(item: BankItem) -> Iterator[Finding]:
    """Warn of a stem that ends with neither a question mark nor a colon."""
    if not item.content.stem.rstrip().endswith(("?", ":")):
        ending = " ".join(item.content.stem.split()[-3:])
        yield _at(item, "stem-ending", WARNING, f"stem ends '...{ending}', not with '?' or ':'")


def _rationale_criterion(item: BankItem) -> Iterator[Finding]:
    """Warn of a rationale that does not name the item's criterion."""
    # Not after a digit or a point, nor followed by more digits: "1.2" is not in "11.2" or "1.20".
    mention = re.compile(rf"(?<![\d.]){re.escape(item.criterion)}(?!\.?\d)")
    if not mention.search(item.content.rationale):
        yield _at(item, "rationale-criterion", WARNING,
                  f"rationale does not mention its criterion (AC{item.criterion})")


def _question_reuse(items: Sequence[BankItem], thresholds: LintThresholds) -> Iterator[Finding]:
    """Warn once per question sentence that ends more stems than the limit allows."""
    asking: dict[str, list[BankItem]] = defaultdict(list)
    for item in sorted((i for i in items if i.status != "retired"),
                       key=lambda i: (i.path, i.line, i.item_id)):
        asking[normalise(_question(item.content.stem))].append(item)
    for folded, group in asking.items():
        if folded and len(group) > thresholds.max_question_uses:
            ids = ", ".join(item.item_id for item in group)
            yield _at(group[thresholds.max_question_uses], "question-reuse", WARNING,
                      f"the question '{_question(group[0].content.stem)}' ends {len(group)} "
                      f"stems ({ids}); more than {thresholds.max_question_uses} makes the "
                      "wording a cue: ask it another way, or ask for a decision instead")


def _question(stem: str) -> str:
    """Return a stem's last sentence: the question the scenario before it leads to."""
    return re.split(r"(?<=[.!?])\s+", stem.strip())[-1]


ITEM_RULES: tuple[Callable[[BankItem], Iterable[Finding]], ...] = (
    _key, _repeated_options, _cross_options, _lowercase_negative, _stem_ending,
    _rationale_criterion,
)


# Duplicate stems, across every item of the bank ----------------------------------------------

def _duplicate_stems(items: Sequence[BankItem], thresholds: LintThresholds) -> Iterator[Finding]:
    """Report each pair of duplicate or near-duplicate stems once, at the later item."""
    ordered = [item for _, item in sorted(enumerate(items), key=lambda pair: (
        pair[1].path, pair[1].line, pair[0]))]
    words = [normalise(item.content.stem).split() for item in ordered]
    earlier_with: dict[tuple[str, ...], list[BankItem]] = defaultdict(list)
    for later, stem in zip(ordered, words):
        for earlier in earlier_with[tuple(stem)]:
            yield _at(later, "duplicate-stem", ERROR,
                      f"stem duplicates item {earlier.item_id} at {_where(earlier)} "
                      "(ignoring case, punctuation and spacing)")
        earlier_with[tuple(stem)].append(later)
    for earlier, later in _candidate_pairs(words, thresholds.near_duplicate_ratio):
        if words[earlier] == words[later]:
            continue  # reported above as a duplicate
        ratio = difflib.SequenceMatcher(None, words[earlier], words[later],
                                        autojunk=False).ratio()
        if ratio >= thresholds.near_duplicate_ratio:
            a, b = ordered[earlier], ordered[later]
            yield _at(b, "near-duplicate-stem", ERROR,
                      f"stem is {math.floor(ratio * 100)}% the same as item {a.item_id} at "
                      f"{_where(a)} (near-duplicates from {thresholds.near_duplicate_ratio:.0%})")


def _candidate_pairs(stems: list[list[str]], ratio: float) -> list[tuple[int, int]]:
    """Return the pairs (earlier, later) of stems that could reach the ratio, cheaply.

    SequenceMatcher's ratio is 2M / (|a| + |b|) with M matching words, and M is at most the
    number of words the two share (counting repeats), so a pair must share at least
    ratio * (|a| + |b|) / 2 words. Taking stems shortest first and every stem's words rarest
    first, a pair sharing that many must share a word between the longer stem's first
    n - ceil(ratio * n / (2 - ratio)) + 1 words and the shorter one's first
    n - ceil(ratio * n) + 1 (prefix filtering): a few rare words each, so stems that share only
    common words or a template are never compared. No pair that can reach the ratio is missed.
    """
    tokens = [_numbered(stem) for stem in stems]
    shared_sets = [set(stem) for stem in tokens]
    frequency = Counter(token for stem in tokens for token in stem)
    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    pairs = set()
    for this in sorted(range(len(stems)), key=lambda n: len(stems[n])):
        size = len(stems[this])
        rarest_first = sorted(tokens[this], key=lambda token: (frequency[token], token))
        # Rounded down a hair, so float error can only lengthen a prefix, never miss a pair.
        probe = size - math.ceil(ratio * size / (2 - ratio) - 1e-9) + 1
        for token in rarest_first[:probe]:
            for shorter in index[token]:
                if _could_reach(stems[shorter], stems[this], shared_sets[shorter],
                                shared_sets[this], ratio):
                    pairs.add((min(shorter, this), max(shorter, this)))
        for token in rarest_first[:size - math.ceil(ratio * size - 1e-9) + 1]:
            index[token].append(this)
    return sorted(pairs)


def _could_reach(a: list[str], b: list[str], a_set: set, b_set: set, ratio: float) -> bool:
    """Return whether two stems' lengths and shared words leave the ratio within reach."""
    total = len(a) + len(b)
    return (2 * min(len(a), len(b)) >= ratio * total - 1e-9
            and 2 * len(a_set & b_set) >= ratio * total - 1e-9)


def _numbered(words: list[str]) -> list[tuple[str, int]]:
    """Return words as (word, nth time it appears), so shared repeats count as shared words."""
    seen: Counter[str] = Counter()
    numbered = []
    for word in words:
        seen[word] += 1
        numbered.append((word, seen[word]))
    return numbered


# Rules over the live items of the bank: each yields (rule, message), placed at the blueprint --

BankRule = Callable[[Blueprint, list[BankItem], LintThresholds], Iterable[tuple[str, str]]]


def _key_balance(blueprint: Blueprint, live: list[BankItem],
                 thresholds: LintThresholds) -> Iterator[tuple[str, str]]:
    """Report keys spread over A-D less evenly than chance allows (chi-square, 3 df)."""
    keys = Counter(item.content.key for item in live if item.content.key in OPTION_LETTERS)
    total = sum(keys.values())
    if total < thresholds.min_live_for_key_balance:
        return
    expected = total / len(OPTION_LETTERS)
    statistic = sum((keys[letter] - expected) ** 2 / expected for letter in OPTION_LETTERS)
    if statistic > thresholds.key_balance_critical_value:
        counts = ", ".join(f"{letter} {keys[letter]}" for letter in OPTION_LETTERS)
        yield "key-balance", (
            f"the key's position is unbalanced across the {total} live items: {counts} "
            f"(expected {expected:g} each); chi-square {statistic:.2f} > "
            f"{thresholds.key_balance_critical_value} with {len(OPTION_LETTERS) - 1} "
            "degrees of freedom")


def _longest_key(blueprint: Blueprint, live: list[BankItem],
                 thresholds: LintThresholds) -> Iterator[tuple[str, str]]:
    """Report the key being the strictly longest option more often, or less, than chance allows."""
    figures = longest_option_figures(live, thresholds.longest_key_significance)
    if not figures.with_longest:
        return
    half = thresholds.longest_key_significance / 2
    if figures.high_tail < half:
        side, strategy = "too often", "always choosing the longest option"
        score = figures.always_longest()
    elif figures.low_tail < half:
        side, strategy = "too rarely", "never choosing the longest option"
        score = figures.never_longest()
    else:
        return
    low, high = figures.passing
    yield "longest-key", (
        f"the key is the strictly longest option {side}: in {figures.key_longest} of the "
        f"{figures.with_longest} live items that have one "
        f"({figures.key_longest / figures.with_longest:.0%}) against a chance rate of "
        f"{figures.chance:.0%}; two-sided exact binomial p = {figures.p_value:.2g} < "
        f"{thresholds.longest_key_significance} (from {low} to {high} would pass). "
        f"{strategy.capitalize()} scores {score:.1%} by guessing")


def _form_share(blueprint: Blueprint, live: list[BankItem],
                thresholds: LintThresholds) -> Iterator[tuple[str, str]]:
    """Report decision and application items under the blueprint's share of the live items."""
    minimum = blueprint.minimum_decision_or_application_percent
    shares = form_shares(live, minimum)
    if minimum and shares.applied_percent < minimum:
        yield "form-share", (
            f"{' and '.join(APPLIED_FORMS)} items are {shares.applied_percent:.1f}% of the "
            f"{shares.live} live items ({shares.applied}); the blueprint asks for at least "
            f"{minimum:g}%")


def _coverage(blueprint: Blueprint, live: list[BankItem],
              thresholds: LintThresholds) -> Iterator[tuple[str, str]]:
    """Report criteria under their minimum and outcomes with fewer live items than a paper needs."""
    by_criterion = Counter(item.criterion for item in live)
    minimum = blueprint.minimum_live_per_criterion
    for outcome in blueprint.outcomes:
        for code in outcome.criteria:
            if by_criterion[code] < minimum:
                yield "criterion-minimum", (f"criterion {code}: {by_criterion[code]} live, "
                                            f"the blueprint asks for at least {minimum}")
        in_outcome = sum(by_criterion[code] for code in outcome.criteria)
        if in_outcome < outcome.questions:
            yield "outcome-shortfall", (f"outcome {outcome.number}: {in_outcome} live, fewer "
                                        f"than the {outcome.questions} questions each paper "
                                        "draws from it")


LIVE_BANK_RULES: tuple[BankRule, ...] = (_key_balance, _longest_key, _coverage, _form_share)


def _range_minimum(blueprint: Blueprint, range_list: RangeList, live: list[BankItem],
                   fallback: tuple[str, int]) -> Iterator[Finding]:
    """Report each Range point named by fewer live items than the blueprint asks, at its line."""
    minimum = blueprint.minimum_live_per_range_point
    if not minimum:
        return
    naming = Counter(point for item in live for point in set(item.content.range_ids))
    for point in range_list.points:
        if naming[point.id] < minimum:
            path, line = (range_list.path, point.line) if range_list.path else fallback
            yield Finding("range-minimum", ERROR, path, line,
                          f"Range point {point.id} ({point.text}): {naming[point.id]} live "
                          f"item(s), the blueprint asks for at least {minimum}")


def _blueprint_location(blueprint: Blueprint, items: Sequence[BankItem]) -> tuple[str, int]:
    """Return where findings about the bank as a whole go: its blueprint file, if known."""
    # Items live in <bank>/items/*.yaml beside <bank>/blueprint.yaml.
    path = next((PurePath(item.path) for item in items if item.path), None)
    if path is not None and path.parent.name == "items":
        return str(path.parent.parent / BLUEPRINT_FILE), 1
    return blueprint.code, 0  # no file to point at: name the bank, line 0 as bankfile.py does
