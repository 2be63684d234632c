"""Classical item analysis of a test whose papers are drawn from a bank: one row per question seen.

Papers are assembled from a bank, so each attempt is presented only some of the items (say 30 of
140). Every statistic of an item therefore uses only the attempts that were presented it, and an
attempt's total score X is its raw marks over the items it was presented (one mark per item; an
omitted answer is wrong). Each (attempt, item) pair must appear at most once, as it does in
attempt_question. The figures are the classical-test-theory ones an awarding body's item review
reads; the formulas follow, with the sources of the numbers that flag an item.

Per item i, over the n_i attempts presented it (u = 1 if the key was chosen, else 0)
  facility p_i = (attempts choosing the key) / n_i, the classical difficulty index.
  point_biserial: the corrected item-total correlation (Henrysson 1963), the Pearson correlation
    of u with the rest score Y = X - u, so the item is not correlated with itself (on a 30-item
    paper the uncorrected figure is inflated by about 0.1). With sums over the n_i attempts,
    c = sum u:
      r = (n sum uY - c sum Y) / sqrt((n c - c^2) (n sum Y^2 - (sum Y)^2)).
    None when either variance is zero: everyone right, everyone wrong, or equal rest scores.
  discrimination D = p_upper - p_lower, the upper-lower index, with Kelley's (1939) groups: the
    top and bottom 27% of the attempts presented the item, ranked by total score X. A group holds
    g = floor(0.27 n_i + 1/2) attempts (27% rounded to the nearest attempt, half up), at least 1.
    Ties at the cut are broken deterministically by sharing: if t attempts tie at the cut score
    and m places are left in the group, each of the t counts as m/t of an attempt. That is the
    average of D over every possible way of breaking the tie, so no arbitrary order (attempt id,
    row order, start time) decides who is in the group, and the rows may arrive in any order.
    Ebel & Frisbie (1991) read D as: 0.40 and above very good; 0.30-0.39 reasonably good;
    0.20-0.29 marginal, usually needing improvement; 0.19 and below poor, to be revised or
    rejected. The flags below use D only for its sign.
  option_rates: for each option letter, the share of all n_i attempts, of the upper group and of
    the lower group that chose it (group shares weighted as above); omitted: the same for no
    answer.

Per test, over the n attempts (attempts with at least one question)
  mean, sd, min and max of X in raw marks. sd is the population SD (divide by n, not n - 1), and
    every variance here divides by its own count, p q included, as KR-20 is defined.
  max_score = k, the number of items per attempt: the most common count, the smaller if tied
    (every paper of a blueprint has the same length, so in practice the only count).
  kr20: Kuder & Richardson (1937) formula 20, k/(k-1) (1 - sum p q / var X), needs each attempt to
    take the same k items. With a bank, different attempts take different items, so the sum of
    item variances is replaced by its expectation over a paper, k times the mean of p_i q_i
    weighted by n_i (how often item i was presented):
      kr20 = k/(k-1) (1 - k mbar / var X),  mbar = sum n_i p_i q_i / sum n_i.
    When every attempt takes every item, n_i = n and k mbar = sum p_i q_i: exactly the classical
    KR-20. It estimates the reliability of a typical paper; var X also holds the differences in
    difficulty between papers, which lift it a little. Reported as computed, negative included;
    None when var X = 0 or k < 2.
  sem = sd sqrt(1 - kr20), the classical standard error of measurement, with kr20 clamped to
    [0, 1] for this purpose only; None when kr20 is None.

Flags (only for items with n_i >= min_attempts; below that the statistics are reported but the
page says "not enough data", and no flag is raised)
  likely-miskey: D < 0, or corrected point-biserial < 0, or a distractor chosen by more of the
    upper group than the key is: the signs of an item whose stronger candidates reject its key.
  too-easy: facility > 0.90. Nearly everyone is right, so the item's variance p q is below 0.09
    and it can hardly separate candidates (the same upper bound as the charts' acceptable band).
  too-hard: facility below the chance rate 1/m of an item with m options (0.25 with four): no
    better than blind guessing, so the key, the teaching or the wording is at fault.
  weak-discrimination: corrected point-biserial < 0.15, unless the item is already a likely
    miskey. This is inside Ebel & Frisbie's "poor" band (0.19 and below, stated for D); the line
    sits at 0.15 rather than 0.20 because the corrected correlation runs lower than the
    uncorrected one, and a real bank's sound items rarely fall below it.
  unused-distractor: a distractor chosen by under 5% of the attempts presented the item: not
    functional, in Haladyna & Downing's (1993) sense used by Haladyna & Rodriguez (2013).
  Each needs at least min_attempts = 30 attempts, the usual rule of thumb. Even then a
  correlation near zero has a standard error of about 1/sqrt(30) = 0.18, so a flag is a prompt
  for an item writer to look, not a verdict.

Sources
  Ebel, R. L. & Frisbie, D. A. (1991). Essentials of Educational Measurement (5th ed.).
  Haladyna, T. M. & Downing, S. M. (1993). How many options is enough for a multiple-choice test
    item? Educational and Psychological Measurement, 53, 999-1010.
  Haladyna, T. M. & Rodriguez, M. C. (2013). Developing and Validating Test Items. Routledge.
  Henrysson, S. (1963). Correction of item-total correlations in item analysis. Psychometrika, 28,
    211-218.
  Kelley, T. L. (1939). The selection of upper and lower groups for the validation of test items.
    Journal of Educational Psychology, 30, 17-24.
  Kuder, G. F. & Richardson, M. W. (1937). The theory of the estimation of test reliability.
    Psychometrika, 2, 151-160.

Speed: the rows are never looped over in Python. One bincount gives each attempt's total; one
more counts the rows by (item, total score, choice), and every statistic above, the groups
included, comes from those counts. 3,000,000 rows (100,000 attempts x 30 of 140 items) take about
0.05 s, some 20 times as long as copying the three columns (bench/bench_analysis.py).
"""
from __future__ import annotations

import math
import string
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

import numpy as np

LETTERS = string.ascii_uppercase  # option index 0 is A, 1 is B, ... as the caller maps them
NOT_ANSWERED = -1


@dataclass(frozen=True)
class ItemKey:
    """What analysis needs to know about one item version: its label, key, options and tags."""

    item_id: str  # a label such as "315-1.1-001 v2"
    key: str  # the correct option letter
    options: tuple  # the options in stored order; only how many there are matters here
    outcome: int
    criterion: str


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays has no single truth value
class Responses:
    """Every question presented, one row per (attempt, item), as three parallel columns.

    Columns rather than row objects, so that millions of rows cost tens of megabytes and are
    analysed with whole-array operations.
    """

    attempt: np.ndarray  # int64, attempt index 0..n_attempts-1
    item: np.ndarray  # int64, index into the items given to analyse()
    choice: np.ndarray  # int8, option index (0 = A, 1 = B, ...), or -1 if not answered

    def __post_init__(self) -> None:
        for name, dtype in (("attempt", np.int64), ("item", np.int64), ("choice", np.int8)):
            column = np.asarray(getattr(self, name))
            if column.ndim != 1:
                raise ValueError(f"responses.{name} must be one-dimensional")
            object.__setattr__(self, name, column.astype(dtype, copy=False))
        if not len(self.attempt) == len(self.item) == len(self.choice):
            raise ValueError(f"responses have {len(self.attempt)} attempts, {len(self.item)} "
                             f"items and {len(self.choice)} choices; they must match")

    def __len__(self) -> int:
        return len(self.attempt)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, int]]) -> Responses:
        """Return responses from (attempt, item, choice) rows; handy in tests."""
        table = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
        return cls(attempt=table[:, 0], item=table[:, 1], choice=table[:, 2])


@dataclass(frozen=True)
class Thresholds:
    """The numbers analysis judges items by (the module docstring gives the reasons)."""

    # Fewer attempts than this and an item's figures are too noisy to flag: the usual rule of
    # thumb; even at 30 a correlation near zero has a standard error of about 0.18.
    min_attempts: int = 30
    # Kelley (1939): upper and lower groups of 27% make D most sensitive for normal scores.
    group_fraction: float = 0.27
    # Above this almost everyone is right (p q < 0.09): the item separates almost no one.
    too_easy_facility: float = 0.90
    # Below this multiple of the chance rate 1/options (0.25 with four options) an item does no
    # better than blind guessing.
    too_hard_vs_chance: float = 1.0
    # Corrected point-biserial; inside Ebel & Frisbie's (1991) "poor" band (0.19 and below),
    # lower than 0.20 because the corrected correlation runs below the uncorrected one.
    weak_point_biserial: float = 0.15
    # A distractor chosen by fewer is not functional (Haladyna & Downing 1993; Haladyna &
    # Rodriguez 2013).
    unused_distractor_rate: float = 0.05


@dataclass(frozen=True)
class Flag:
    """A reason for an item writer to review an item: a code and a plain-English sentence."""

    code: str  # likely-miskey, too-easy, too-hard, weak-discrimination or unused-distractor
    reason: str  # the evidence, with its numbers

    def to_dict(self) -> dict:
        """Return the flag as JSON-ready data."""
        return {"code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class OptionRate:
    """How often one option (or no answer) was chosen: by all, the upper and the lower group."""

    option: str  # "A", "B", ... or "omitted"
    is_key: bool
    all: float | None  # None when nobody was presented the item
    upper: float | None
    lower: float | None

    def to_dict(self) -> dict:
        """Return the rates as JSON-ready data."""
        return {"option": self.option, "key": self.is_key, "all": _round(self.all),
                "upper": _round(self.upper), "lower": _round(self.lower)}


@dataclass(frozen=True)
class ItemStats:
    """One item's statistics over the attempts that were presented it."""

    item_id: str
    key: str
    outcome: int
    criterion: str
    n: int  # attempts presented the item
    enough_data: bool  # n >= min_attempts; if not, no flags are raised
    facility: float | None  # None when n = 0
    point_biserial: float | None  # corrected; None when undefined (a variance of zero)
    discrimination: float | None  # upper-lower D; None when n = 0
    option_rates: tuple[OptionRate, ...]  # one per option, in letter order
    omitted: OptionRate
    flags: tuple[Flag, ...] = ()

    @property
    def flag_codes(self) -> tuple[str, ...]:
        """Return the codes of the flags raised, in order."""
        return tuple(flag.code for flag in self.flags)

    def to_dict(self) -> dict:
        """Return the item's statistics as JSON-ready data, figures to 4 decimal places."""
        return {
            "item_id": self.item_id, "key": self.key, "outcome": self.outcome,
            "criterion": self.criterion, "n": self.n, "enough_data": self.enough_data,
            "facility": _round(self.facility), "discrimination": _round(self.discrimination),
            "point_biserial": _round(self.point_biserial),
            "option_rates": [rate.to_dict() for rate in self.option_rates],
            "omitted": self.omitted.to_dict(),
            "flags": [flag.to_dict() for flag in self.flags],
        }


@dataclass(frozen=True)
class TestStats:
    """The test's score distribution and reliability, in raw marks."""

    __test__ = False  # not a pytest test class, whatever its name

    n: int  # attempts
    mean: float | None  # None when there are no attempts
    sd: float | None  # population SD (divide by n)
    min: int | None
    max: int | None
    kr20: float | None  # as computed, may be negative; None when var X = 0 or k < 2
    sem: float | None  # sd sqrt(1 - kr20), kr20 clamped to [0, 1]
    max_score: int  # k, the (most common) number of items per attempt

    def to_dict(self) -> dict:
        """Return the test's statistics as JSON-ready data, figures to 4 decimal places."""
        return {"n": self.n, "mean": _round(self.mean), "sd": _round(self.sd), "min": self.min,
                "max": self.max, "max_score": self.max_score, "kr20": _round(self.kr20),
                "sem": _round(self.sem)}


@dataclass(frozen=True)
class Analysis:
    """The analysis of a test: its score statistics and one ItemStats per item, in order."""

    test: TestStats
    items: tuple[ItemStats, ...]

    def to_dict(self) -> dict:
        """Return the whole analysis as JSON-ready data."""
        return {"test": self.test.to_dict(), "items": [item.to_dict() for item in self.items]}


def analyse(items: Sequence[ItemKey], responses: Responses,
            thresholds: Thresholds = Thresholds()) -> Analysis:
    """Return the item analysis of the responses; item indices in them refer to `items`."""
    keys, n_options = _keys(items)
    _check(items, responses, n_options)
    attempt, item, choice = responses.attempt, responses.item, responses.choice

    correct = choice == keys[item]
    presented = np.bincount(attempt) if len(attempt) else np.zeros(0, np.int64)
    totals = np.bincount(attempt[correct], minlength=len(presented))
    taken = presented > 0
    test = _test_stats(totals[taken], presented[taken])

    # Count the rows by (item, attempt's total score, choice): every item statistic comes from
    # these counts. Column 0 of the last axis is "not answered", column j + 1 option j.
    n_scores = int(presented.max(initial=0)) + 1
    width = int(n_options.max(initial=0)) + 1
    cell = (item * n_scores + totals[attempt]) * width + (choice.astype(np.int64) + 1)
    counts = np.bincount(cell, minlength=len(items) * n_scores * width).reshape(
        len(items), n_scores, width)
    figures = _item_figures(counts, keys, thresholds.group_fraction)
    mean_item_variance = _mean_item_variance(figures)
    test = _with_reliability(test, mean_item_variance)

    stats = []
    for i, key in enumerate(items):
        stats.append(_item_stats(key, i, int(n_options[i]), figures, thresholds))
    return Analysis(test, tuple(stats))


# Checking the input ------------------------------------------------------------------------------

def _keys(items: Sequence[ItemKey]) -> tuple[np.ndarray, np.ndarray]:
    """Return each item's key as an option index and its number of options."""
    keys, n_options = [], []
    for item in items:
        letters = LETTERS[:len(item.options)]
        if len(item.key) != 1 or item.key not in letters:
            raise ValueError(f"item {item.item_id}: key {item.key!r} is not one of its options "
                             f"({', '.join(letters) or 'none'})")
        keys.append(letters.index(item.key))
        n_options.append(len(item.options))
    return np.array(keys, dtype=np.int64), np.array(n_options, dtype=np.int64)


def _check(items: Sequence[ItemKey], responses: Responses, n_options: np.ndarray) -> None:
    """Raise ValueError for rows that name no item, a negative attempt or a missing option."""
    if not len(responses):
        return
    if responses.attempt.min() < 0:
        raise ValueError("attempt indices must be 0 or more")
    item = responses.item
    bad = (item < 0) | (item >= len(items))
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"response row {row} names item index {int(item[row])}, but there are "
                         f"only {len(items)} items")
    choice = responses.choice
    bad = (choice < NOT_ANSWERED) | (choice >= n_options[item])
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"response row {row}: option index {int(choice[row])} is not one of "
                         f"item {items[int(item[row])].item_id}'s {int(n_options[item[row]])} "
                         "options (or -1 for not answered)")


# The statistics ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Figures:
    """Every item's figures as arrays, one entry (or row) per item; NaN where undefined."""

    n: np.ndarray  # attempts presented the item
    right: np.ndarray  # of which chose the key
    facility: np.ndarray
    point_biserial: np.ndarray
    discrimination: np.ndarray
    rate_all: np.ndarray  # (items, 1 + options): not answered, then A, B, ...
    rate_upper: np.ndarray
    rate_lower: np.ndarray


def _item_figures(counts: np.ndarray, keys: np.ndarray, group_fraction: float) -> _Figures:
    """Return every item's figures from the counts by (item, total score, choice)."""
    by_score = counts.sum(axis=2)  # attempts presented the item, by total score
    right_by_score = np.take_along_axis(counts, (keys + 1)[:, None, None], axis=2)[:, :, 0]
    n, right = by_score.sum(axis=1), right_by_score.sum(axis=1)
    score = np.arange(counts.shape[1], dtype=np.int64)

    with np.errstate(divide="ignore", invalid="ignore"):
        facility = np.where(n > 0, right / n, np.nan)

        # Corrected point-biserial from integer sums, so that a zero variance is exactly zero.
        sum_x, sum_xx, sum_ux = by_score @ score, by_score @ score ** 2, right_by_score @ score
        sum_y = sum_x - right  # rest score Y = X - u
        sum_yy = sum_xx - 2 * sum_ux + right  # u^2 = u
        sum_uy = sum_ux - right
        covariance = (n * sum_uy - right * sum_y).astype(float)
        item_variance = (n * right - right ** 2).astype(float)
        rest_variance = (n * sum_yy - sum_y ** 2).astype(float)
        defined = (item_variance > 0) & (rest_variance > 0)
        point_biserial = np.where(defined, covariance / np.sqrt(item_variance * rest_variance),
                                  np.nan)

        # Kelley's groups, ties at the cut sharing the places left (see the module docstring).
        group = np.where(n > 0, np.maximum(np.floor(group_fraction * n + 0.5), 1), 0)
        above = n[:, None] - np.cumsum(by_score, axis=1)  # attempts with a higher total
        below = np.cumsum(by_score, axis=1) - by_score  # attempts with a lower total
        upper_weight = np.where(by_score > 0,
                                np.clip((group[:, None] - above) / by_score, 0, 1), 0)
        lower_weight = np.where(by_score > 0,
                                np.clip((group[:, None] - below) / by_score, 0, 1), 0)
        rate_all = counts.sum(axis=1) / n[:, None]
        rate_upper = np.einsum("is,iso->io", upper_weight, counts) / group[:, None]
        rate_lower = np.einsum("is,iso->io", lower_weight, counts) / group[:, None]
    key_column = (keys + 1)[:, None]
    discrimination = (np.take_along_axis(rate_upper, key_column, axis=1)
                      - np.take_along_axis(rate_lower, key_column, axis=1))[:, 0]
    return _Figures(n, right, facility, point_biserial, discrimination, rate_all, rate_upper,
                    rate_lower)


def _test_stats(totals: np.ndarray, presented: np.ndarray) -> TestStats:
    """Return the score distribution; reliability is added once the items are known."""
    n = len(totals)
    if n == 0:
        return TestStats(0, None, None, None, None, None, None, 0)
    k = int(np.bincount(presented).argmax())  # the most common paper length, the smaller if tied
    sum_x, sum_xx = int(totals.sum()), int((totals ** 2).sum())
    variance = (n * sum_xx - sum_x ** 2) / n ** 2  # population variance, exact numerator
    return TestStats(n=n, mean=sum_x / n, sd=math.sqrt(variance), min=int(totals.min()),
                     max=int(totals.max()), kr20=None, sem=None, max_score=k)


def _mean_item_variance(figures: _Figures) -> float | None:
    """Return the mean of p q over the items, weighted by how often each was presented."""
    presented = figures.n > 0
    if not presented.any():
        return None
    p = figures.facility[presented]
    weights = figures.n[presented]
    return float((weights * p * (1 - p)).sum() / weights.sum())


def _with_reliability(test: TestStats, mean_item_variance: float | None) -> TestStats:
    """Return the test statistics with KR-20 and the SEM added where they are defined."""
    k = test.max_score
    if test.sd is None or test.sd == 0 or k < 2 or mean_item_variance is None:
        return test
    kr20 = k / (k - 1) * (1 - k * mean_item_variance / test.sd ** 2)
    sem = test.sd * math.sqrt(1 - min(max(kr20, 0.0), 1.0))
    return TestStats(test.n, test.mean, test.sd, test.min, test.max, kr20, sem, k)


def _item_stats(item: ItemKey, i: int, n_options: int, figures: _Figures,
                thresholds: Thresholds) -> ItemStats:
    """Return one item's statistics and flags."""
    n = int(figures.n[i])

    def rate(column: int, is_key: bool, name: str) -> OptionRate:
        return OptionRate(name, is_key, _float(figures.rate_all[i, column]),
                          _float(figures.rate_upper[i, column]),
                          _float(figures.rate_lower[i, column]))

    options = tuple(rate(j + 1, LETTERS[j] == item.key, LETTERS[j]) for j in range(n_options))
    stats = ItemStats(
        item_id=item.item_id, key=item.key, outcome=item.outcome, criterion=item.criterion, n=n,
        enough_data=n > 0 and n >= thresholds.min_attempts, facility=_float(figures.facility[i]),
        point_biserial=_float(figures.point_biserial[i]),
        discrimination=_float(figures.discrimination[i]), option_rates=options,
        omitted=rate(0, False, "omitted"))
    if not stats.enough_data:
        return stats
    return replace(stats, flags=_flags(stats, thresholds))


# Flags ----------------------------------------------------------------------------------------

def _flags(stats: ItemStats, thresholds: Thresholds) -> tuple[Flag, ...]:
    """Return the flags an item with enough data raises, each with its evidence."""
    flags = []
    n, p, r, d = stats.n, stats.facility, stats.point_biserial, stats.discrimination
    key = next(rate for rate in stats.option_rates if rate.is_key)
    distractors = [rate for rate in stats.option_rates if not rate.is_key]

    evidence = []
    rivals = [rate for rate in distractors if rate.upper > key.upper + 1e-9]
    if rivals:
        rival = max(rivals, key=lambda rate: rate.upper)  # the first letter if tied
        shown, key_shown = _percents(rival.upper, key.upper)
        evidence.append(f"{shown} of the top group chose {rival.option}, more than the "
                        f"{key_shown} who chose the key {stats.key}")
    if d is not None and d < 0:
        evidence.append(f"the bottom group did better than the top (D = {_decimal(d)})")
    if r is not None and r < 0:
        evidence.append("candidates who chose the key scored lower on the rest of the test "
                        f"(corrected point-biserial {_decimal(r)})")
    if evidence:
        flags.append(Flag("likely-miskey", "likely miskey: " + _and(evidence)))

    if p > thresholds.too_easy_facility:
        shown, limit = _percents(p, thresholds.too_easy_facility)
        flags.append(Flag("too-easy", f"too easy: {shown} of the {n:,} candidates who were "
                                      f"presented it chose the key, above {limit}"))
    options = len(stats.option_rates)
    chance = 1 / options
    if p < thresholds.too_hard_vs_chance * chance:
        guessing = f"{_percent(chance)} that blind guessing among {options} options would score"
        if thresholds.too_hard_vs_chance == 1:
            below = f"below the {guessing}"
        else:
            shown, limit = _percents(p, thresholds.too_hard_vs_chance * chance)
            below = f"below {limit} (near the {guessing})"
        flags.append(Flag("too-hard", f"too hard: {_percents(p, chance)[0]} of the {n:,} "
                                      f"candidates who were presented it chose the key, {below}"))

    if not evidence and r is not None and r < thresholds.weak_point_biserial:
        flags.append(Flag("weak-discrimination", f"weak discrimination: corrected "
                          f"point-biserial {_decimal(r)}, below {thresholds.weak_point_biserial}"
                          ", so the item barely separates candidates who do well on the rest of "
                          "the test from those who do not"))

    limit = thresholds.unused_distractor_rate
    unused = [rate for rate in distractors if rate.all < limit]
    if unused:
        names = _and([rate.option for rate in unused])
        shares = _and([_percents(rate.all, limit)[0] for rate in unused])
        verb = "distractor: {} was" if len(unused) == 1 else "distractors: {} were"
        flags.append(Flag("unused-distractor", f"unused {verb.format(names)} chosen by {shares} "
                          f"of the {n:,} candidates who were presented the item, under the "
                          f"{_percent(limit)} a working distractor draws"))
    return tuple(flags)


def _percent(value: float) -> str:
    """Return a rate as a whole percentage."""
    return f"{100 * value:.0f}%"


def _percents(value: float, other: float) -> tuple[str, str]:
    """Return two rates as whole percentages, with decimals where needed to tell them apart."""
    for places in range(0, 4):
        shown, other_shown = f"{100 * value:.{places}f}%", f"{100 * other:.{places}f}%"
        if shown != other_shown or value == other:
            return shown, other_shown
    return shown, other_shown


def _decimal(value: float) -> str:
    """Return a figure to 2 decimal places, or more if 2 would show a non-zero figure as zero."""
    for places in range(2, 6):
        shown = f"{value:.{places}f}"
        if float(shown) != 0 or value == 0:
            return shown
    return shown


def _and(parts: Sequence[str]) -> str:
    """Return 'a', 'a and b' or 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _float(value) -> float | None:
    """Return a numpy figure as a Python float, NaN as None."""
    value = float(value)
    return None if math.isnan(value) else value


def _round(value: float | None) -> float | None:
    """Return a figure rounded to 4 decimal places for JSON; None stays None."""
    return None if value is None else round(float(value), 4)
