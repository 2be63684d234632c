"""The server pushes changes to the candidate's page: a pause hides the questions at once."""
import time

from playwright.sync_api import expect

from e2e import board
from e2e.conftest import sign_in
from e2e.test_accessibility import assert_accessible
from e2e.test_sitting import current_attempt, join_and_start
from quiz.db import utcnow
from quiz.invigilation import service as invigilation
from tests import factories


def seconds_of(text: str) -> int:
    minutes, seconds = text.strip().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def test_a_pause_hides_the_questions_within_3_s_and_freezes_the_boards_time(new_context, db, world):
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

    clicked = time.monotonic()
    board.pause(room, world.alice.id, "Alice")
    expect(desk.locator("#question-area")).to_be_hidden(timeout=3_000)
    assert time.monotonic() - clicked < 3
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
