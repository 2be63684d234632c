"""Every role's pages pass axe-core's accessibility rules (WCAG 2.1 A and AA, and best practice).

A screen reader user sits the same test as everyone else, so the candidate's pages are checked at
each step of a sitting, with errors showing as well as without; the staff pages are checked too.
"""
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from e2e.conftest import sign_in
from quiz.db import utcnow
from quiz.invigilation import service as invigilation
from tests import factories

AXE = Axe()


def assert_accessible(page, what: str) -> None:
    """Run axe-core on the page as it stands and fail with every violation it finds, in words.

    It waits for the page to finish loading first: a click that navigates returns once the new
    page has started to load, and axe on a half-parsed document reads a null documentElement.
    """
    page.wait_for_load_state("load")
    violations = AXE.run(page).response["violations"]
    found = [f"{v['id']} ({v['impact']}): {v['help']} at "
             + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
             for v in violations]
    assert not found, f"{what} ({page.url}):\n  " + "\n  ".join(found)


@pytest.fixture
def check():
    return assert_accessible


def test_a_candidates_pages_are_accessible_at_every_step(new_context, world, check):
    page = new_context().new_page()
    page.goto("/login")
    check(page, "sign-in page")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "sign-in page showing an error")

    sign_in(page, "alice")  # booked on one test today: its keycode page
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    check(page, "keycode page with the instructions")
    page.get_by_role("link", name="All your tests").click()
    expect(page.get_by_role("heading", name="Your tests")).to_be_visible()
    check(page, "the candidate's tests")
    page.get_by_role("link", name="Enter keycode for Morning sitting").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    page.get_by_label("Keycode").fill("WRONG9")
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_text("That keycode is not right")).to_be_visible()
    check(page, "keycode page showing an error")
    page.get_by_label("Keycode").fill(factories.KEYCODE)
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_text("Question 1 of 30")).to_be_visible()
    check(page, "a question")
    page.locator("#option-0").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_role("button", name="Flagged for review")).to_be_visible()
    check(page, "an answered, flagged question")
    page.get_by_role("button", name="Review answers").click()
    check(page, "the review screen")
    page.get_by_role("link", name="Submit the test").click()
    check(page, "the submit confirmation")
    page.get_by_role("button", name="Yes, submit my answers").click()
    expect(page.get_by_role("heading", name="2794-03/315 Coaching and mentoring")).to_be_visible()
    check(page, "the result by outcome")


def test_an_invigilators_pages_are_accessible(new_context, db, world, check):
    factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    attempt = factories.start(db, world.sitting, world.alice, now=utcnow())
    world.bob.rest_break_minutes = 10
    factories.start(db, world.sitting, world.bob, now=utcnow())
    db.commit()
    page = new_context().new_page()
    sign_in(page, "ivy")
    check(page, "the invigilator's sittings")
    page.get_by_role("link", name=world.sitting.title).click()
    expect(page.get_by_role("button", name="Pause Alice")).to_be_visible()
    check(page, "the live board with a candidate in progress")
    page.get_by_role("button", name="Start break for Bob").click()
    check(page, "the reason for a rest break")
    page.get_by_role("dialog").get_by_label("Reason").select_option(label="Toilet visit")
    page.get_by_role("dialog").get_by_role("button", name="Start a rest break for Bob").click()
    expect(page.get_by_text("Started a rest break for Bob (2002).")).to_be_visible()
    page.get_by_label("Message to the whole room").fill("Ten minutes left.")
    page.get_by_role("button", name="Send to the whole room").click()
    page.get_by_text("Messages sent (1)").click()
    check(page, "the live board with a candidate on a break and a message sent")
    page.get_by_role("button", name="Message Alice").click()
    check(page, "a message to one candidate")
    page.keyboard.press("Escape")
    page.get_by_label("Select Alice (2001)").check()
    page.get_by_label("Find a candidate by name or number").fill("ali")
    check(page, "the live board, filtered, with a candidate selected")
    page.get_by_role("button", name="Pause Alice").click()
    expect(page.get_by_role("dialog", name="Pause Alice (2001)")).to_be_visible()
    check(page, "the reason for pausing one candidate")
    page.get_by_role("dialog").get_by_label("Reason").select_option(label="Toilet visit")
    page.get_by_role("dialog").get_by_role("button", name="Pause Alice").click()
    expect(page.get_by_text("Paused Alice (2001).")).to_be_visible()
    check(page, "the live board after an action, with its message")
    page.get_by_role("link", name="Extra time for Alice").click()
    check(page, "extra time for one candidate")
    page.get_by_role("button", name="Give extra time").click()
    check(page, "extra time for one candidate, with errors")
    page.get_by_role("link", name="Void the attempt of Alice").click()
    check(page, "voiding an attempt")
    page.get_by_role("button", name="Continue").click()
    check(page, "voiding an attempt, with errors")
    page.get_by_label("Reason for voiding").select_option(label="Malpractice")
    page.get_by_label("What happened").fill("notes on the desk")
    page.get_by_role("button", name="Continue").click()
    check(page, "confirming a void")
    page.get_by_role("link", name="No, go back to the board").click()
    page.goto(f"/invigilate/attempts/{attempt.id}/resume")
    check(page, "the reason for resuming, on a page of its own (no script)")
    page.go_back()
    page.get_by_role("link", name="Audit trail").click()
    check(page, "the audit trail")
    page.goto("/invigilate/sittings/new")
    check(page, "scheduling a sitting")
    page.get_by_role("button", name="Schedule", exact=True).click()
    check(page, "scheduling a sitting, with errors")


def test_results_and_item_bank_pages_are_accessible(new_context, db, world, check, simulate_past):
    officer = factories.make_user(db, "rita", role="results_officer")
    factories.make_user(db, "wendy", role="item_writer")
    simulate_past(world.sitting, 35, seed=5, start=utcnow() - timedelta(hours=2))
    alices = factories.start(db, world.sitting, world.alice, now=utcnow() - timedelta(minutes=9))
    invigilation.void(db, alices, officer, utcnow(), "withdrawn")
    invigilation.close_sitting(db, world.sitting, officer, utcnow(), timedelta(seconds=2))
    db.commit()

    page = new_context().new_page()
    sign_in(page, "rita")
    check(page, "results")
    page.get_by_role("link", name=world.sitting.title).click()
    expect(page).to_have_url(re.compile(rf".*/results/sittings/{world.sitting.id}$"))
    check(page, "a sitting's results")
    page.get_by_role("link", name="item analysis for 2794-03/315").click()
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()
    check(page, "the item analysis with its pictures")
    page.get_by_label("Show", exact=True).select_option(value="all")
    page.get_by_label("Sort by").select_option(value="facility")
    page.get_by_role("button", name="Show items").click()
    expect(page).to_have_url(re.compile(r".*[?&]sort=facility(&|$)"))
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r".*[?&]page=2(&|$)"))
    check(page, "the item analysis, every item by facility, page 2")
    page.goto(f"/results/sittings/{world.sitting.id}")
    page.get_by_role("link", name="Feedback report").first.click()
    expect(page).to_have_url(re.compile(r".*/results/attempts/\d+/feedback$"))
    check(page, "a feedback report")

    writer = new_context().new_page()
    sign_in(writer, "wendy")
    check(writer, "the item banks")
    writer.get_by_role("link", name="1.1 Explain the purpose of coaching").click()
    expect(writer).to_have_url(re.compile(r".*/bank/2794-03/315/items\?.*"))
    check(writer, "a criterion's items")
    writer.get_by_role("link", name="315-1.1-001").click()
    expect(writer).to_have_url(re.compile(r".*/bank/2794-03/315/items/315-1\.1-001$"))
    check(writer, "one item with its key and rationale")
    writer.goto("/bank/")
    writer.get_by_role("link", name="Range coverage").click()
    expect(writer.get_by_role("heading", name="Range coverage: 2794-03/315")).to_be_visible()
    check(writer, "Range coverage, the gaps first")


def test_range_coverage_is_usable_by_keyboard(new_context, db, world):
    factories.make_user(db, "wendy", role="item_writer")
    db.commit()
    page = new_context().new_page()
    sign_in(page, "wendy")
    page.goto("/bank/2794-03/315/range")
    link = page.get_by_role("link", name="1.4 Describe the benefits and challenges of coaching")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*/bank/2794-03/315/range#ac-1\.4$"))
    expect(page.locator('[id="ac-1.4"]')).to_be_in_viewport()
