"""The item writers' pages pass axe-core, and the whole workflow works by keyboard alone."""
import re
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.test_accessibility import assert_accessible as check
from quiz.db import utcnow
from quiz.itembank import workflow
from quiz.itembank.service import get_item
from tests import factories

CODE = "2794-03/315"


@pytest.fixture
def people(db, world):
    wren = factories.make_writer(db, "wren")
    robin = factories.make_writer(db, "robin", can_review=True)
    db.commit()
    return wren, robin


def focused(page) -> dict:
    return page.evaluate(r"""() => { const e = document.activeElement;
        const text = e.tagName === 'INPUT' ? e.value : e.textContent;
        return {id: e.id, tag: e.tagName, text: (text || '').replace(/\s+/g, ' ').trim()}; }""")


def tab_to(page, wanted, limit=150) -> None:
    """Press Tab until the focused element matches wanted (an id, or its visible text)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted in (now["id"], now["text"]):
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


def go(page, key="Enter") -> None:
    """Press a key that follows a link or submits a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_an_item_is_written_previewed_submitted_and_approved_by_keyboard_alone(new_context, people):
    writer = new_context().new_page()
    sign_in(writer, "wren")
    writer.goto("/bank/")
    tab_to(writer, f"Write a new item in {CODE}")
    go(writer)
    tab_to(writer, "criterion")
    writer.keyboard.type("2.5")
    tab_to(writer, "form-0")  # the question form: recall, the first radio of its group
    writer.keyboard.press("Space")
    tab_to(writer, "stem")
    writer.keyboard.type("Which quality helps a mentor most when a mentee admits a mistake?")
    for letter, text in zip("ABCD", ["Patience", "Impatience", "Sarcasm", "Indifference"]):
        tab_to(writer, f"option_{letter}")
        writer.keyboard.type(text)
        if letter == "A":
            writer.keyboard.press("Tab")  # the key for A: the first radio of the key group
            writer.keyboard.press("Space")
    tab_to(writer, "rationale")
    writer.keyboard.type("AC2.5: patience lets the mentee learn from the mistake.")
    tab_to(writer, "range-2_5__quality__patience")  # the Range point 2.5/quality/patience
    writer.keyboard.press("Space")
    tab_to(writer, "enemies_none")  # checked the bank: no enemies
    writer.keyboard.press("Space")
    tab_to(writer, "Save draft")
    go(writer)
    expect(writer.get_by_role("status")).to_contain_text("as a draft (version 1)")
    item_id = writer.get_by_role("heading", level=1).inner_text().split()[0]

    tab_to(writer, "Preview as a candidate")
    go(writer)
    tab_to(writer, "large-text")
    writer.keyboard.press("Space")
    tab_to(writer, "Show")
    go(writer)
    expect(writer.locator("body")).to_have_class(re.compile("large-text"))
    tab_to(writer, "option-0")  # the candidate's options answer to the keyboard in the preview
    writer.keyboard.press("Space")
    expect(writer.locator("#option-0")).to_be_checked()

    writer.goto(f"/bank/{CODE}/items/{item_id}")
    tab_to(writer, "Submit version 1 for review")
    go(writer)
    expect(writer.get_by_role("status")).to_contain_text("waiting for a reviewer")

    reviewer = new_context().new_page()
    sign_in(reviewer, "robin")
    reviewer.goto(f"/bank/{CODE}/items/{item_id}")
    tab_to(reviewer, "Review version 1")
    go(reviewer)
    tab_to(reviewer, "comment")
    reviewer.keyboard.type("Clear and fair.")
    tab_to(reviewer, "Approve and make live")
    go(reviewer)
    expect(reviewer.get_by_role("status")).to_contain_text(f"Version 1 of {item_id} is live.")

    tab_to(reviewer, f"Retire {item_id}")
    go(reviewer)
    tab_to(reviewer, "reason")
    reviewer.keyboard.type("Written for the keyboard test")
    tab_to(reviewer, f"Retire {item_id}")
    go(reviewer)
    expect(reviewer.get_by_role("status")).to_contain_text("is retired")


def test_every_item_writers_page_passes_axe(new_context, db, people):
    wren, robin = people
    page = new_context().new_page()
    sign_in(page, "wren")
    page.goto("/bank/")
    check(page, "the banks")
    page.goto(f"/bank/{CODE}/items?q=coaching&status=live")
    check(page, "finding items, with filters and pages")
    page.goto(f"/bank/{CODE}/items/new")
    check(page, "a new item's form")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=re.compile("The item was not saved"))).to_be_visible()
    check(page, "a new item's form, with a problem beside each field")

    page.goto(f"/bank/{CODE}/items/315-1.2-001/edit")
    page.get_by_label("Stem").fill("Which coaching model starts with the goal?")
    page.get_by_label("What changed, and why").fill("Shorter")
    item = get_item(db, CODE, "315-1.2-001")
    workflow.save_version(db, item, criterion="1.2", author=robin, now=utcnow(), note="meanwhile",
                          base_version_id=item.current_version_id,
                          content=replace(item.current_version.content(),
                                          stem=item.current_version.stem + " Choose one."))
    db.commit()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=re.compile("saved this item while you were editing"))).to_be_visible()
    check(page, "an edit refused because another writer saved first")

    db.expire_all()
    workflow.submit(db, get_item(db, CODE, "315-1.2-001"), robin, utcnow(),
                    get_item(db, CODE, "315-1.2-001").latest_version.id)
    db.commit()
    page.goto(f"/bank/{CODE}/items/315-1.2-001")
    check(page, "a live item with a new version in review")
    page.get_by_role("link", name="Preview as a candidate").click()
    check(page, "the preview")
    page.goto(page.url + "&order=stored&large-text=1&high-contrast=1")
    check(page, "the preview in large text and high contrast")
    page.goto(f"/bank/{CODE}/items/315-1.2-001/history?from=1&to=2")
    check(page, "the history with a comparison")

    reviewer = new_context().new_page()
    sign_in(reviewer, "robin")
    reviewer.goto(f"/bank/{CODE}/items/315-1.2-001/review")
    check(reviewer, "reviewing a version of a live item, which its author may not approve")
    factories.make_writer(db, "sam", can_review=True)
    db.commit()
    other = new_context().new_page()
    sign_in(other, "sam")
    other.goto(f"/bank/{CODE}/items/315-1.2-001/review")
    other.get_by_role("button", name="Return to the writer").click()
    check(other, "a return refused for want of a comment")
    other.goto(f"/bank/{CODE}/items/315-1.2-001/retire")
    check(other, "retiring an item")
    other.get_by_role("button", name="Retire 315-1.2-001").click()
    check(other, "retiring refused for want of a reason")
