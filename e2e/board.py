"""The invigilator's board as the browser tests drive it, in one place.

When the board changes, only these helpers need to follow.
"""
from __future__ import annotations

from playwright.sync_api import Page, expect


def open_board(page: Page, sitting_title: str) -> None:
    """Go from the invigilator's sittings to one sitting's live board."""
    page.goto("/invigilate/")
    page.get_by_role("link", name=sitting_title).click()
    expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()


def row(page: Page, candidate_id: int):
    """Return the board's row for a candidate."""
    return page.locator(f'tr[data-candidate-id="{candidate_id}"]')


def expect_state(page: Page, candidate_id: int, words: str, timeout: float = 10_000) -> None:
    """Wait until the board shows the candidate in a state ("In progress", "Paused", ...)."""
    expect(row(page, candidate_id).locator(".cell-state")).to_have_text(words, timeout=timeout)


def ready_to(page: Page, action: str, candidate_id: int, name: str, reason: str):
    """Open the board's dialog to pause or resume one candidate and choose a reason; return its
    confirming button, so a test can time from the click that acts."""
    row(page, candidate_id).get_by_role("button", name=f"{action} {name}").click()
    dialog = page.get_by_role("dialog").filter(has_text=f"{action} {name}")
    dialog.get_by_label("Reason").select_option(label=reason)
    return dialog.get_by_role("button", name=f"{action} {name}")


def pause(page: Page, candidate_id: int, name: str, reason: str = "Candidate unwell") -> None:
    """Pause one candidate with a reason (returns as soon as the confirming click is made)."""
    ready_to(page, "Pause", candidate_id, name, reason).click()


def resume(page: Page, candidate_id: int, name: str,
           reason: str = "Candidate ready to carry on") -> None:
    """Resume one candidate with a reason."""
    ready_to(page, "Resume", candidate_id, name, reason).click()


def time_left(page: Page, candidate_id: int) -> str:
    """Return the time left the board shows for a candidate, as m:ss."""
    return row(page, candidate_id).locator(".cell-time").inner_text().strip()
