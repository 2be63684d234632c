"""What the item analysis page shows of 146 or more items: worst first, filtered, sorted and paged.

Plain Python over the analysis' ItemStats, so the page's choices are tested without a browser.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from quiz.scoring.analysis import Flag, ItemStats

# Worst first. A miskey marks every candidate wrongly, and an item below chance usually hides a
# wrong key or a broken stem, so both come before an item that merely separates candidates weakly;
# an item nearly everyone gets right wastes a question but harms no one; an unused distractor is
# advice about one option, and the most common flag by far.
SEVERITY = ("likely-miskey", "too-hard", "weak-discrimination", "too-easy", "unused-distractor")
FLAG_NAMES = {
    "likely-miskey": "Likely miskey",
    "too-hard": "Too hard",
    "weak-discrimination": "Weak discrimination",
    "too-easy": "Too easy",
    "unused-distractor": "Unused distractor",
}
SHOW = ("flagged", "all", "not-enough-data", *SEVERITY)
SORTS = {
    "severity": "Most serious flag first",
    "item": "Item",
    "facility": "Facility, lowest first",
    "r": "r, lowest first",
    "d": "D, lowest first",
    "attempts": "Attempts, fewest first",
}
PER_PAGE = 25


def rank(code: str) -> int:
    """Return a flag's place in the severity order (unknown codes go last)."""
    return SEVERITY.index(code) if code in SEVERITY else len(SEVERITY)


def ordered_flags(stats: ItemStats) -> list[Flag]:
    """Return an item's flags, most serious first."""
    return sorted(stats.flags, key=lambda flag: rank(flag.code))


def worst(stats: ItemStats) -> int:
    """Return the rank of an item's most serious flag; unflagged items rank after every flag."""
    return min((rank(flag.code) for flag in stats.flags), default=len(SEVERITY) + 1)


@dataclass(frozen=True)
class Choice:
    """What the reader asked for; anything not understood falls back to the default."""

    show: str = "flagged"
    outcome: int | None = None
    sort: str = "severity"
    search: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args, any_flagged: bool = True) -> Choice:
        """Read the choice from query arguments, ignoring values that are not offered.

        Flagged items are shown first; when there are none, every item is.
        """
        show = args.get("show", "flagged" if any_flagged else "all")
        sort = args.get("sort", "severity")
        outcome = args.get("outcome", "")
        page = args.get("page", "1")
        return cls(show=show if show in SHOW else "flagged",
                   outcome=int(outcome) if outcome.isdigit() else None,
                   sort=sort if sort in SORTS else "severity",
                   search=args.get("q", "").strip()[:60],
                   page=int(page) if page.isdigit() and int(page) >= 1 else 1)


@dataclass(frozen=True)
class Page:
    """One page of the items chosen, and how they were counted."""

    items: list[ItemStats]
    matching: int  # items that match the choice, over all pages
    page: int
    pages: int


def _keep(stats: ItemStats, choice: Choice) -> bool:
    if choice.outcome is not None and stats.outcome != choice.outcome:
        return False
    if choice.search and choice.search.casefold() not in stats.item_id.casefold():
        return False
    if choice.show == "all":
        return True
    if choice.show == "not-enough-data":
        return not stats.enough_data
    if choice.show == "flagged":
        return bool(stats.flags)
    return choice.show in stats.flag_codes


def _figure(value: float | None) -> float:
    return math.inf if value is None else value  # no figure: last


_SORT_KEYS = {
    "severity": lambda s: (worst(s), _figure(s.point_biserial), s.item_id),
    "item": lambda s: (s.item_id,),
    "facility": lambda s: (_figure(s.facility), s.item_id),
    "r": lambda s: (_figure(s.point_biserial), s.item_id),
    "d": lambda s: (_figure(s.discrimination), s.item_id),
    "attempts": lambda s: (s.n, s.item_id),
}


def choose(items: Sequence[ItemStats], choice: Choice, per_page: int = PER_PAGE) -> Page:
    """Return the page of items the choice asks for, in its order."""
    kept = sorted((s for s in items if _keep(s, choice)), key=_SORT_KEYS[choice.sort])
    pages = max(1, math.ceil(len(kept) / per_page))
    page = min(choice.page, pages)
    return Page(kept[(page - 1) * per_page:page * per_page], len(kept), page, pages)


def flag_counts(items: Sequence[ItemStats]) -> list[tuple[str, str, int]]:
    """Return (code, name, items flagged with it) for every flag, most serious first."""
    return [(code, FLAG_NAMES[code], sum(1 for s in items if code in s.flag_codes))
            for code in SEVERITY]
