"""Figures a bank review reads off the live items (pure): length cues and question forms.

Length cues. An item "has a longest option" when one option is strictly longer than each of the
other three, as a candidate reads them (spacing folded). If the writers' keys are independent of
length, the key is that option one time in four, exactly, whatever the options say: so across
the n live items that have a longest option, the number whose key is the longest is
Binomial(n, 1/4). Items with no strictly longest option (a tie at the top) give no cue and are
left out of the count. Two strategies a test-wise candidate might use, on items with a longest
option, guessing at random on the rest:
  always the longest: pick it.              Expected marks: L + t/4
  never the longest: guess among the other three.   Expected marks: (n - L)/3 + t/4
with L the items whose key is the longest and t the items without a longest option. Both come to
exactly 25% of the live items when L = n/4, and both move only with L, so the two-sided exact
binomial test of L is also the test of whether either strategy beats chance. The range a bank
keyed at random lands in (the 99% one for significance 0.01) is the range of L the test passes.

Question forms. Each item says what it asks the candidate to do (domain.FORMS); the share of
decision and application items is what the blueprint's minimum_decision_or_application_percent
checks. The README says how the forms are told apart.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

from quiz.itembank.domain import APPLIED_FORMS, FORMS, OPTION_LETTERS, BankItem


def binomial_ways(trials: int, options: int) -> list[int]:
    """Return, for k = 0..trials, the ways to get k successes at chance 1/options (of options**trials)."""
    # Whole numbers until the one division, so a 1,000-item bank neither overflows nor rounds.
    return [math.comb(trials, k) * (options - 1) ** (trials - k) for k in range(trials + 1)]


def binomial_tail(successes: int, trials: int, options: int) -> float:
    """Return the exact chance of at least successes in trials, each with chance 1/options."""
    return sum(binomial_ways(trials, options)[successes:]) / options ** trials


def binomial_head(successes: int, trials: int, options: int) -> float:
    """Return the exact chance of at most successes in trials, each with chance 1/options."""
    return sum(binomial_ways(trials, options)[:successes + 1]) / options ** trials


def longest_option(item: BankItem) -> str | None:
    """Return the letter of the option longer than every other, as a candidate reads them, if any."""
    lengths = {letter: len(" ".join(text.split())) for letter, text in item.content.options.items()}
    if not lengths:
        return None
    top = max(lengths.values())
    longest = [letter for letter, length in lengths.items() if length == top]
    return longest[0] if len(longest) == 1 else None


@dataclass(frozen=True)
class LongestOption:
    """How often the key is the longest option, and what that is worth to a test-wise candidate."""

    live: int  # live items with a key among their options
    with_longest: int  # of those, items with a strictly longest option
    key_longest: int  # of those, items whose key is that option
    p_value: float  # two-sided exact binomial test of key_longest against 1/4
    low_tail: float  # chance of key_longest or fewer, keys at random
    high_tail: float  # chance of key_longest or more, keys at random
    passing: tuple[int, int]  # the key_longest counts the test passes at its significance

    @property
    def chance(self) -> float:
        """Return the expected score of random guessing: 1 in the number of options."""
        return 1 / len(OPTION_LETTERS)

    def always_longest(self, key_longest: int | None = None) -> float:
        """Return the expected score (0-1) of always choosing the longest option."""
        hits = self.key_longest if key_longest is None else key_longest
        return self._score(hits)

    def never_longest(self, key_longest: int | None = None) -> float:
        """Return the expected score (0-1) of never choosing the longest option."""
        hits = self.key_longest if key_longest is None else key_longest
        others = len(OPTION_LETTERS) - 1
        return self._score((self.with_longest - hits) / others) if self.live else 0.0

    def _score(self, marks_on_items_with_longest: float) -> float:
        if not self.live:
            return 0.0
        guessed = (self.live - self.with_longest) * self.chance
        return (marks_on_items_with_longest + guessed) / self.live

    def chance_range(self, strategy) -> tuple[float, float]:
        """Return the scores a strategy gets on banks the test passes (keys at random: 99%)."""
        low, high = self.passing
        scores = (strategy(low), strategy(high))
        return min(scores), max(scores)

    def lines(self) -> list[str]:
        """Return the figures as sentences for the lint report."""
        if not self.with_longest:
            return [f"longest option: none of the {self.live} live items has a strictly longest "
                    "option, so length gives no cue"]
        always = self.chance_range(self.always_longest)
        never = self.chance_range(self.never_longest)
        return [
            f"longest option: {self.with_longest} of {self.live} live items have a strictly "
            f"longest option; it is the key in {self.key_longest} "
            f"({self.key_longest / self.with_longest:.0%}, chance {self.chance:.0%}; "
            f"two-sided exact binomial p = {self.p_value:.2g})",
            f"expected score of always choosing the longest option: "
            f"{self.always_longest():.1%} (a bank keyed at random: {always[0]:.1%} to "
            f"{always[1]:.1%})",
            f"expected score of never choosing the longest option: "
            f"{self.never_longest():.1%} (a bank keyed at random: {never[0]:.1%} to "
            f"{never[1]:.1%})",
        ]


def longest_option_figures(live: Sequence[BankItem], significance: float) -> LongestOption:
    """Return the length-cue figures of the live items, judged two-sided at significance."""
    judged = [item for item in live if item.content.key in item.content.options]
    longest = [longest_option(item) for item in judged]
    n = sum(1 for letter in longest if letter is not None)
    hits = sum(1 for item, letter in zip(judged, longest) if letter == item.content.key)
    options = len(OPTION_LETTERS)
    ways = binomial_ways(n, options)
    total = options ** n
    heads = list(accumulate(ways))  # heads[k]: ways to get k or fewer
    tails = [total - (heads[k - 1] if k else 0) for k in range(n + 1)]  # k or more
    half = significance / 2
    # The counts of key-longest items whose own tails are both at least half the significance.
    passing = [k for k in range(n + 1) if heads[k] / total >= half and tails[k] / total >= half]
    low_tail, high_tail = heads[hits] / total, tails[hits] / total
    return LongestOption(
        live=len(judged), with_longest=n, key_longest=hits,
        p_value=min(1.0, 2 * min(low_tail, high_tail)), low_tail=low_tail, high_tail=high_tail,
        passing=(passing[0], passing[-1]) if passing else (hits, hits))


@dataclass(frozen=True)
class FormShares:
    """How many live items ask each question form, against the blueprint's minimum."""

    live: int
    counts: dict[str, int]  # form -> live items, every form in FORMS order ("" for none given)
    minimum_percent: float

    @property
    def applied(self) -> int:
        """Return the live items that ask for a decision or an application."""
        return sum(self.counts.get(form, 0) for form in APPLIED_FORMS)

    @property
    def applied_percent(self) -> float:
        """Return the decision and application items as a percentage of the live items."""
        return 100 * self.applied / self.live if self.live else 0.0

    def lines(self) -> list[str]:
        """Return the shares as sentences for the lint report."""
        parts = [f"{form} {n} ({100 * n / self.live:.0f}%)" if self.live else f"{form} 0"
                 for form, n in self.counts.items()]
        minimum = (f"; the blueprint asks for at least {self.minimum_percent:g}%"
                   if self.minimum_percent else "")
        return [f"question forms of the {self.live} live items: " + ", ".join(parts),
                f"decision or application: {self.applied} ({self.applied_percent:.1f}%){minimum}"]


def form_shares(live: Sequence[BankItem], minimum_percent: float) -> FormShares:
    """Count the live items of each question form."""
    found = Counter(item.content.form for item in live)
    counts = {form: found[form] for form in FORMS}
    if found[""]:
        counts["none given"] = found[""]
    return FormShares(len(live), counts, minimum_percent)
