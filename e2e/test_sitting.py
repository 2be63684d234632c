"""A candidate sits 2794-03/315 in a real browser, on the server's clock."""
import time
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import sign_in
from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.itembank.models import ItemVersion
from tests.factories import KEYCODE


def join_and_start(page):
    """From the keycode page that signing in leads a candidate booked on one test today to, give
    the keycode and start."""
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    page.get_by_label("Keycode").fill(KEYCODE.lower())
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_text("Question 1 of 30")).to_be_visible()


def current_attempt(db, candidate):
    db.expire_all()
    return db.scalar(select(Attempt).where(Attempt.candidate_id == candidate.id))


def keys_in_display_order(db, attempt):
    """Return, for each position, the display index of the key (the test knows; the page does not)."""
    rows = db.execute(select(AttemptQuestion.position, AttemptQuestion.option_order, ItemVersion.key)
                      .join(ItemVersion, ItemVersion.id == AttemptQuestion.item_version_id)
                      .where(AttemptQuestion.attempt_id == attempt.id)).all()
    return {position: order.index(key) for position, order, key in rows}


def test_a_full_sitting_from_sign_in_to_the_result_by_outcome(new_context, db, world):
    page = new_context().new_page()
    sign_in(page, "alice")  # booked on one test today: its keycode page, to wait for the keycode
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    page.get_by_role("link", name="All your tests").click()
    expect(page.get_by_role("heading", name="Your tests")).to_be_visible()
    page.get_by_role("link", name="Enter keycode for Morning sitting").click()
    join_and_start(page)
    attempt = current_attempt(db, world.alice)
    keys = keys_in_display_order(db, attempt)
    wrong = {2, 17, 29}
    for position in range(1, 31):
        expect(page.get_by_text(f"Question {position} of 30")).to_be_visible()
        choice = (keys[position] + 1) % 4 if position in wrong else keys[position]
        option = page.locator(f"#option-{choice}")
        # By keyboard: focus the option and press space, as a keyboard-only candidate would.
        option.focus()
        page.keyboard.press("Space")
        expect(page.locator("#save-status")).to_have_text("Answer saved.")
        if position == 5:
            page.get_by_role("button", name="Flag for review").click()
            expect(page.get_by_role("button", name="Flagged for review")).to_be_visible()
        if position < 30:
            page.get_by_role("button", name="Next").press("Enter")
    page.get_by_role("button", name="Review answers").click()
    expect(page.get_by_text("You have answered 30 of 30 questions.")).to_be_visible()
    expect(page.get_by_text("1 flagged for review.")).to_be_visible()
    page.get_by_role("link", name="Submit the test").click()
    page.get_by_role("button", name="Yes, submit my answers").click()

    expect(page.get_by_text("27 out of 30")).to_be_visible()
    expect(page.get_by_role("table", name="Marks by learning outcome")).to_be_visible()
    attempt = current_attempt(db, world.alice)
    by_outcome = attempt.result["by_outcome"]
    assert (by_outcome["1"]["out_of"], by_outcome["2"]["out_of"]) == (15, 15)
    assert by_outcome["1"]["marks"] + by_outcome["2"]["marks"] == 27
    for number in ("1", "2"):
        row = page.get_by_role("row").filter(has_text=f"{number}. Understand the principles")
        expect(row).to_contain_text(f"{by_outcome[number]['marks']} / 15")


def test_start_shows_question_one_at_its_own_address_so_a_reload_asks_nothing(
        new_context, db, world):
    """Start answers its POST with question 1 itself; the page's script gives it the question's
    address, so reloading it is a plain GET of the question, not the keycode sent again."""
    page = new_context().new_page()
    sign_in(page, "alice")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    join_and_start(page)
    attempt = current_attempt(db, world.alice)
    page.wait_for_url(f"**/attempts/{attempt.id}/q/1")
    page.locator("#option-1").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    with page.expect_request(lambda r: r.url.endswith(f"/attempts/{attempt.id}/q/1")) as reloaded:
        page.reload()
    assert reloaded.value.method == "GET" and dialogs == []
    expect(page.get_by_text("Question 1 of 30")).to_be_visible()
    expect(page.locator("#option-1")).to_be_checked()


def test_a_candidate_resumes_after_the_browser_is_closed_mid_test(new_context, db, world):
    first = new_context()
    page = first.new_page()
    sign_in(page, "alice")
    join_and_start(page)
    page.locator("#option-2").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    page.get_by_role("button", name="Next").click()
    page.locator("#option-0").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    left_before = current_attempt(db, world.alice).clock
    first.close()  # the browser crashes

    page = new_context().new_page()  # another browser, a fresh sign-in
    sign_in(page, "alice")  # lands on the test's keycode page, which carries her on
    expect(page.get_by_text("Question 3 of 30")).to_be_visible()  # first unanswered
    page.get_by_role("link", name="Question 1, answered").click()
    expect(page.locator("#option-2")).to_be_checked()
    page.get_by_role("link", name="Question 2, answered").click()
    expect(page.locator("#option-0")).to_be_checked()
    shown = page.locator("#time-left").inner_text()
    minutes, seconds = (int(part) for part in shown.split(":"))
    assert 43 * 60 < minutes * 60 + seconds <= 45 * 60
    assert current_attempt(db, world.alice).clock == left_before  # the same clock, not a new one


def test_an_attempt_that_runs_out_of_time_is_submitted_automatically(new_context, db, world):
    world.sitting.duration_seconds = 8
    db.commit()
    page = new_context().new_page()
    sign_in(page, "alice")
    page.get_by_label("Keycode").fill(KEYCODE)
    page.get_by_role("button", name="Start the test").click()
    page.locator("#option-1").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    # Nobody touches anything: the countdown reaches zero and the server submits.
    expect(page.get_by_text("Time ran out, so your answers were submitted automatically.")) \
        .to_be_visible(timeout=20_000)
    attempt = current_attempt(db, world.alice)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "time")


def test_an_attempt_whose_browser_never_returns_is_submitted_by_the_server(new_context, db, world):
    world.sitting.duration_seconds = 4
    db.commit()
    context = new_context()
    page = context.new_page()
    sign_in(page, "alice")
    join_and_start(page)
    context.close()
    attempt = current_attempt(db, world.alice)
    for _ in range(60):  # up to 15 s: 4 s of test, 1 s of grace, the job every second
        if attempt.status == "submitted":
            break
        time.sleep(0.25)
        attempt = current_attempt(db, world.alice)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "time")


def test_when_the_servers_deadline_passes_the_page_follows_at_once(new_context, db, world):
    page = new_context().new_page()
    sign_in(page, "alice")
    join_and_start(page)
    page.locator("#option-3").check()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    # The server's deadline passes while this browser still shows time left (e.g. a long
    # network stall): the server, not the page, decides, and tells the page. A save queued too
    # late is refused and reported (e2e/test_offline.py).
    attempt = current_attempt(db, world.alice)
    attempt.started_at = attempt.started_at - timedelta(minutes=45, seconds=5)
    db.commit()
    expect(page.get_by_text("Time ran out, so your answers were submitted automatically.")) \
        .to_be_visible(timeout=10_000)
    assert current_attempt(db, world.alice).submitted_reason == "time"


def test_the_countdown_warns_when_one_minute_is_left(new_context, db, world):
    page = new_context().new_page()
    sign_in(page, "alice")
    join_and_start(page)
    attempt = current_attempt(db, world.alice)
    attempt.started_at = attempt.started_at - timedelta(minutes=43, seconds=58)  # 62 s left
    db.commit()
    page.reload()
    warning = page.locator("#time-warning")
    expect(warning).to_contain_text("1 minute left.", timeout=10_000)
    expect(page.locator("#announcer")).to_have_text("1 minute left.")
