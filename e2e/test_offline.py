"""The network drops mid-test: the page keeps the paper and an outbox, and nothing acknowledged is lost."""
import re
import time
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import CHROMIUM_ARGS, _executable, sign_in
from e2e.test_accessibility import assert_accessible
from e2e.test_sitting import current_attempt, join_and_start
from quiz.delivery.models import AttemptQuestion


def held(db, attempt):
    """Return {position: (display index chosen or None, flagged)} as the database holds them."""
    db.expire_all()
    rows = db.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)).all()
    return {q.position: (None if q.chosen is None else q.option_order.index(q.chosen), q.flagged)
            for q in rows}


def choose(page, position: int, index: int) -> None:
    """On question `position`, choose option `index` by keyboard, as a keyboard-only candidate would."""
    expect(page.get_by_text(f"Question {position} of 30")).to_be_visible()
    # The page's script is deferred and runs before DOMContentLoaded. A choice made before it runs
    # is sent when it starts (the last test here), but the status line would say so only then.
    page.wait_for_load_state("domcontentloaded")
    page.locator(f"#option-{index}").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#option-{index}")).to_be_checked()


def outbox_keys(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.endsWith(':outbox'))")


def test_sixty_seconds_offline_then_every_answer_is_saved_and_the_newest_wins(new_context, db, world):
    context = new_context()
    page = context.new_page()
    sign_in(page, "alice")
    join_and_start(page)
    choose(page, 1, 1)
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    attempt = current_attempt(db, world.alice)
    before = held(db, attempt)
    went_offline = time.monotonic()
    context.set_offline(True)

    # Offline: change question 1, answer 2 to 5 (changing 2 twice), flag 3, move back and forth.
    choose(page, 1, 3)
    expect(page.locator("#save-status")).to_contain_text("Not saved yet")
    page.get_by_role("button", name="Next").click()
    for position, index in ((2, 0), (2, 2)):
        choose(page, position, index)
    page.get_by_role("button", name="Next").click()
    choose(page, 3, 1)
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_role("button", name="Flagged for review")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    choose(page, 4, 2)
    page.get_by_role("link", name="Question 5, not answered").click()
    assert page.url.endswith(f"/attempts/{attempt.id}/q/5")  # the same address the server serves
    choose(page, 5, 0)
    page.get_by_role("link", name="Question 2, answered").click()
    expect(page.locator("#option-2")).to_be_checked()  # the newest choice, held by the page
    page.go_back()
    expect(page.get_by_text("Question 5 of 30")).to_be_visible()
    page.get_by_role("link", name="Review all answers").click()
    expect(page.get_by_text("You have answered 5 of 30 questions.")).to_be_visible()
    expect(page.locator("#outbox-status")).to_contain_text("5 answers and 1 flag not saved yet")
    assert_accessible(page, "the review drawn by the page, offline, with answers waiting")
    page.get_by_role("link", name="Question 4", exact=True).click()
    expect(page.locator("#save-status")).to_contain_text("Not saved yet")
    assert_accessible(page, "a question drawn by the page, offline, its answer waiting")

    # The rest of the minute offline: nothing reached the server, the page still counts down.
    page.wait_for_timeout(max(0, 60 - (time.monotonic() - went_offline)) * 1000)
    assert held(db, attempt) == before
    expect(page.locator("#outbox-status")).to_contain_text("5 answers and 1 flag not saved yet")

    context.set_offline(False)
    expect(page.locator("#outbox-status")).to_have_text("", timeout=20_000)
    now_held = held(db, attempt)
    assert {p: now_held[p] for p in range(1, 6)} == {
        1: (3, False), 2: (2, False), 3: (1, True), 4: (2, False), 5: (0, False)}
    assert outbox_keys(page) == []
    page.get_by_role("link", name="Question 2, answered").click()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")


def start_persistent(browser, server, profile):
    """Start Chromium on a profile directory that outlives it, as a real browser's does."""
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=_executable(), args=CHROMIUM_ARGS, base_url=server.url)
    context.set_default_timeout(10_000)
    return context, (context.pages[0] if context.pages else context.new_page())


def test_answers_queued_when_the_browser_closed_offline_are_sent_when_it_reopens(
        browser, server, db, world, tmp_path):
    profile = tmp_path / "chromium-profile"
    context, page = start_persistent(browser, server, profile)
    try:
        sign_in(page, "alice")
        join_and_start(page)
        attempt = current_attempt(db, world.alice)
        context.set_offline(True)
        choose(page, 1, 2)
        page.get_by_role("button", name="Next").click()
        choose(page, 2, 0)
        page.get_by_role("button", name="Flag for review").click()
        expect(page.locator("#outbox-status")).to_contain_text("2 answers and 1 flag not saved yet")
    finally:
        context.close()  # the laptop's lid shuts while the Wi-Fi is down
    assert held(db, attempt)[1] == (None, False)

    context, page = start_persistent(browser, server, profile)
    try:
        page.goto("/tests")
        if "/login" in page.url:
            sign_in(page, "alice")  # lands on the keycode page, which carries her on
        else:
            page.get_by_role("link", name="Continue test").click()
        # The outbox kept on this computer empties once the server has taken every entry; an empty
        # status line alone is also what the page shows before its script has read the outbox.
        page.wait_for_function(
            "() => Object.keys(localStorage).filter(k => k.endsWith(':outbox')).length === 0",
            timeout=15_000)
        expect(page.locator("#outbox-status")).to_have_text("")
        assert {p: held(db, attempt)[p] for p in (1, 2)} == {1: (2, False), 2: (0, True)}
        page.get_by_role("link", name="Question 1, answered").click()
        expect(page.locator("#option-2")).to_be_checked()
    finally:
        context.close()


def test_answers_queued_offline_past_the_deadline_are_refused_and_reported(new_context, db, world):
    context = new_context()
    page = context.new_page()
    sign_in(page, "alice")
    join_and_start(page)
    attempt = current_attempt(db, world.alice)
    context.set_offline(True)
    for position, index in ((1, 0), (2, 1), (3, 2)):
        choose(page, position, index)
        page.get_by_role("button", name="Next").click()
    expect(page.locator("#outbox-status")).to_contain_text("3 answers not saved yet")

    # The server's deadline passes while the candidate is offline, and the server submits.
    attempt.started_at = attempt.started_at - timedelta(minutes=45, seconds=5)
    db.commit()
    for _ in range(40):
        if current_attempt(db, world.alice).status == "submitted":
            break
        time.sleep(0.25)
    assert current_attempt(db, world.alice).submitted_reason == "time"

    context.set_offline(False)
    report = page.locator("#outbox-report")
    expect(report).to_contain_text(re.compile(
        r"3 answers you chose after \d\d:\d\d reached the server after time ran out and were not "
        r"saved\."), timeout=15_000)
    expect(report.get_by_role("heading", name="Time is up")).to_be_visible()
    expect(page.locator("#question-area")).to_be_hidden()
    assert_accessible(page, "the report of answers refused after the deadline")
    assert held(db, attempt)[1] == (None, False)
    assert outbox_keys(page) == []
    report.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Time ran out, so your answers were submitted automatically.")).to_be_visible()


def test_moving_between_questions_draws_the_same_markup_as_the_server(new_context, db, world):
    page = new_context().new_page()
    sign_in(page, "alice")
    join_and_start(page)
    choose(page, 1, 1)
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_role("button", name="Flagged for review")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Previous").click()  # drawn by the page from its paper
    drawn = page.locator("#question-area").evaluate(NORMALISED)
    page.reload()  # drawn by the server
    expect(page.get_by_role("button", name="Flagged for review")).to_be_visible()
    assert page.locator("#question-area").evaluate(NORMALISED) == drawn


# The screen's structure: tags, the attributes that matter, and text; focus helpers aside.
NORMALISED = """area => {
  const keep = ["id", "class", "name", "type", "value", "for", "href", "aria-label", "aria-current",
                "aria-pressed", "aria-hidden", "role", "aria-live"];
  const walk = node => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      return text ? [text] : [];
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    if (node.name === "csrf_token" || node.name === "seq") return [];
    const attrs = keep.filter(a => node.hasAttribute(a))
      .map(a => a + "=" + node.getAttribute(a));
    if (node.tagName === "INPUT" && node.type === "radio") attrs.push("checked=" + node.checked);
    const kids = [].concat(...[...node.childNodes].map(walk));
    return [node.tagName.toLowerCase() + "[" + attrs.join(" ") + "]", kids];
  };
  return JSON.stringify(walk(area));
}"""


def test_a_choice_made_before_the_pages_script_runs_is_saved(new_context, db, world):
    page = new_context().new_page()
    sign_in(page, "alice")
    held_back = []  # the page's script, kept from the browser until the candidate has chosen
    page.route("**/static/attempt.js*", lambda route: held_back.append(route))
    join_and_start(page)
    attempt = current_attempt(db, world.alice)
    page.locator("#option-2").check()  # the browser shows it; no script has heard it
    assert len(held_back) == 1 and held(db, attempt)[1] == (None, False)

    held_back[0].continue_()
    expect(page.locator("#save-status")).to_have_text("Answer saved.")
    expect(page.locator("#option-2")).to_be_checked()
    assert held(db, attempt)[1] == (2, False)
