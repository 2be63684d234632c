"""The words a result is given in, the same on every page and download the candidate or centre reads.

The candidate's own result screen says "Not yet passed", so the centre's pages and files say it too:
two words for one result would read as two different outcomes.
"""
from __future__ import annotations

PASSED = "Pass"
NOT_YET_PASSED = "Not yet passed"
VOIDED = "Voided"


def verdict(passed: bool | None, status: str = "submitted") -> str:
    """Return the result in words: Pass, Not yet passed, Voided, or "" when there is none."""
    if status == "voided":
        return VOIDED
    return {True: PASSED, False: NOT_YET_PASSED, None: ""}[passed]
