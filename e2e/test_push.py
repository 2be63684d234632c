"""The server pushes changes to the candidate's page: a pause hides the questions at once."""
from playwright.sync_api import expect

from e2e import board
from e2e.conftest import sign_in
from e2e.test_accessibility import assert_accessible
from e2e.test_sitting import current_attempt, join_and_start
from quiz.db import utcnow
from quiz.delivery import breaks
from quiz.invigilation import messages
from quiz.invigilation import service as invigilation
from tests import factories


def refuse_status_polls(page) -> list[str]:
    """Refuse the page's status polls, so only the pushed stream can bring it news; returns the
    polls it tried, for the test to see the news did not come that way."""
    tried = []

    def refuse(route):
        tried.append(route.request.url)
        route.abort()

    page.route("**/api/attempts/*/status", refuse)
    return tried


def seconds_of(text: str) -> int:
    minutes, seconds = text.strip().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def test_a_pause_is_pushed_to_the_page_and_freezes_the_boards_time(new_context, db, world):
    factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    db.commit()
    desk = new_context().new_page()
    sign_in(desk, "alice")
    join_and_start(desk)
    room = new_context().new_page()
    sign_in(room, "ivy")
    board.open_board(room, world.sitting.title)
    board.expect_state(room, world.alice.id, "In progress")
    desk.wait_for_timeout(1500)  # let the countdown run, so a wrong frozen time would show

    polls = refuse_status_polls(desk)
    confirm = board.ready_to(room, "Pause", world.alice.id, "Alice", "Fire alarm or emergency")
    confirm.click()
    # With every status poll refused, only the stream can have told the page of the pause.
    expect(desk.locator("#question-area")).to_be_hidden(timeout=15_000)
    assert polls == []
    expect(desk.get_by_role("heading", name="Your test is paused")).to_be_visible()

    # The frozen countdown is exactly the server's time left, which the board shows too.
    board.expect_state(room, world.alice.id, "Paused")
    attempt = current_attempt(db, world.alice)
    clock = attempt.clock
    server_left = round(clock.remaining(clock.paused_since).total_seconds(), 1)
    frozen = desk.locator("#time-left").inner_text()
    expected = f"{int(-(-server_left // 1)) // 60}:{int(-(-server_left // 1)) % 60:02d}"
    assert frozen == expected
    expect(room.locator(f'tr[data-candidate-id="{world.alice.id}"] .cell-time')).to_have_text(frozen)
    desk.wait_for_timeout(2000)
    assert desk.locator("#time-left").inner_text() == frozen
    assert_accessible(desk, "the paused screen")

    # Resume: the questions come back and the clock carries on from where it stood, no jump.
    board.resume(room, world.alice.id, "Alice")
    expect(desk.locator("#question-area")).to_be_visible(timeout=3_000)
    assert 0 <= seconds_of(frozen) - seconds_of(desk.locator("#time-left").inner_text()) <= 2


def test_extra_time_shows_beside_the_countdown(new_context, db, world):
    ivy = factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    db.commit()
    desk = new_context().new_page()
    sign_in(desk, "alice")
    join_and_start(desk)
    expect(desk.locator("#extra-time")).to_be_hidden()
    attempt = current_attempt(db, world.alice)
    invigilation.grant_extra_time(db, attempt, ivy, utcnow(), minutes=10, reason="printer fault")
    db.commit()
    expect(desk.locator("#extra-time")).to_have_text("including +10 min extra time", timeout=3_000)
    assert seconds_of(desk.locator("#time-left").inner_text()) > 54 * 60


def test_a_message_to_the_room_appears_at_once_and_stays_until_dismissed(new_context, db, world):
    ivy = factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    db.commit()
    desk = new_context().new_page()
    sign_in(desk, "alice")
    join_and_start(desk)

    polls = refuse_status_polls(desk)
    messages.send_message(db, world.sitting, ivy, utcnow(),
                          "Question wording: in question 7, 'mentee' should read 'coachee'.")
    db.commit()
    message = desk.locator(".room-message").filter(has_text="should read 'coachee'")
    # With every status poll refused, only the stream can have brought the message.
    expect(message).to_be_visible(timeout=15_000)
    assert polls == []
    desk.unroute("**/api/attempts/*/status")
    expect(message.get_by_role("heading")).to_contain_text("Message from Ivy")
    # Announced: it arrives inside an assertive live region.
    assert desk.locator("#room-messages").get_attribute("aria-live") == "assertive"
    assert_accessible(desk, "a question with a message from the invigilator")

    desk.wait_for_timeout(1000)
    desk.reload()  # still there until the candidate dismisses it
    expect(message).to_be_visible()
    message.get_by_role("button", name="Dismiss the message from Ivy").press("Enter")
    expect(message).to_have_count(0)
    desk.reload()
    expect(desk.get_by_text("Question 1 of 30")).to_be_visible()
    desk.wait_for_timeout(1000)
    expect(message).to_have_count(0)  # dismissal is remembered

    attempt = current_attempt(db, world.alice)
    messages.send_message(db, world.sitting, ivy, utcnow(), "Thirty minutes have gone.",
                          attempt=attempt)
    db.commit()
    expect(desk.locator(".room-message").filter(has_text="Thirty minutes have gone.")
           .get_by_role("heading")).to_contain_text("to you", timeout=3_000)


def test_a_rest_break_stops_the_clock_and_comes_back(new_context, db, world):
    world.alice.rest_break_minutes = 5
    db.commit()
    desk = new_context().new_page()
    sign_in(desk, "alice")
    join_and_start(desk)
    desk.locator("#option-1").check()
    expect(desk.locator("#save-status")).to_have_text("Answer saved.")

    take = desk.get_by_role("button", name="Take a rest break")
    expect(take).to_be_visible()
    take.focus()
    desk.keyboard.press("Enter")
    expect(desk.get_by_role("heading", name="You are on a rest break")).to_be_visible()
    expect(desk.locator("#question-area")).to_be_hidden()
    expect(desk.locator("#timer-note")).to_have_text("(on a break)")
    expect(desk.get_by_role("button", name="End my break and go back to the test")).to_be_focused()
    frozen = desk.locator("#time-left").inner_text()
    break_left = seconds_of(desk.locator("#break-left").inner_text())
    assert 4 * 60 < break_left <= 5 * 60
    assert_accessible(desk, "the rest-break screen")
    desk.wait_for_timeout(2500)
    assert desk.locator("#time-left").inner_text() == frozen  # the clock stands still
    assert seconds_of(desk.locator("#break-left").inner_text()) < break_left  # the break runs
    attempt = current_attempt(db, world.alice)
    assert attempt.on_break_since is not None

    desk.keyboard.press("Enter")  # End my break
    expect(desk.locator("#question-area")).to_be_visible()
    expect(desk.locator("#option-1")).to_be_checked()
    assert 0 <= seconds_of(frozen) - seconds_of(desk.locator("#time-left").inner_text()) <= 2
    expect(take).to_be_visible()
    expect(desk.locator("#break-allowance")).to_contain_text("left")
    assert current_attempt(db, world.alice).on_break_since is None

    # The invigilator can start one too, from the board; the page follows at once.
    ivy = factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    breaks.start_break(db, current_attempt(db, world.alice), ivy, utcnow(), "asked to")
    db.commit()
    expect(desk.get_by_role("heading", name="You are on a rest break")).to_be_visible(timeout=3_000)
