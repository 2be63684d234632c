"""An invigilator and a candidate side by side, in two browser contexts."""
from playwright.sync_api import expect

from e2e.conftest import sign_in
from tests import factories


def seconds_shown(page) -> int:
    minutes, seconds = page.locator("#time-left").inner_text().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def test_an_invigilator_runs_a_sitting_while_a_candidate_sits_it(new_context, db, world):
    factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    sitting = factories.make_sitting(db, "2794-03/315", world.centre, [world.alice, world.bob],
                                     status="scheduled", title="Room 4",
                                     starts_at=world.sitting.starts_at, ends_at=world.sitting.ends_at)
    db.commit()

    # The invigilator opens the sitting and reads out the keycode.
    room = new_context().new_page()
    sign_in(room, "ivy")
    room.get_by_role("link", name="Room 4").click()
    room.get_by_role("button", name="Open the sitting and issue a keycode").click()
    keycode = room.locator("#keycode").inner_text().strip()
    assert len(keycode) == 6

    # The candidate mistypes it, then gets it right and starts.
    desk = new_context().new_page()
    sign_in(desk, "alice")
    desk.get_by_role("link", name="Enter keycode for Room 4").click()
    desk.get_by_label("Keycode").fill("WRONG9")
    desk.get_by_role("button", name="Start the test").click()
    expect(desk.get_by_text("That keycode is not right")).to_be_visible()
    desk.get_by_label("Keycode").fill(keycode)
    desk.get_by_role("button", name="Start the test").click()
    expect(desk.get_by_text("Question 1 of 30")).to_be_visible()

    # The board notices by itself.
    alice_row = room.locator(f'tr[data-candidate-id="{world.alice.id}"]')
    expect(alice_row.locator(".cell-state")).to_have_text("In progress", timeout=10_000)

    # Pause: the candidate's questions disappear and their clock stands still.
    alice_row.get_by_role("button", name="Pause Alice").click()
    room.get_by_role("dialog").get_by_label("Reason").select_option(label="Candidate unwell")
    room.get_by_role("dialog").get_by_role("button", name="Pause Alice").click()
    expect(room.locator(f'tr[data-candidate-id="{world.alice.id}"] .cell-state')).to_have_text("Paused")
    expect(desk.get_by_role("heading", name="Your test is paused")).to_be_visible(timeout=10_000)
    expect(desk.locator("#question-area")).to_be_hidden()
    before = seconds_shown(desk)
    desk.wait_for_timeout(2500)
    assert seconds_shown(desk) == before

    # Resume: the questions come back with the time the candidate had.
    room.locator(f'tr[data-candidate-id="{world.alice.id}"]').get_by_role(
        "button", name="Resume Alice").click()
    room.get_by_role("dialog").get_by_label("Reason").select_option(label="Candidate ready to carry on")
    room.get_by_role("dialog").get_by_role("button", name="Resume Alice").click()
    expect(desk.locator("#question-area")).to_be_visible(timeout=10_000)
    assert abs(seconds_shown(desk) - before) <= 3

    # Extra time: the candidate's countdown follows.
    room.locator(f'tr[data-candidate-id="{world.alice.id}"]').get_by_role(
        "link", name="Extra time for Alice").click()
    room.get_by_label("Amount").fill("10")
    room.get_by_label("Reason for the extra time").select_option(label="Late start")
    room.get_by_label("Details").fill("printer fault")
    room.get_by_role("button", name="Give extra time").click()
    expect(room.get_by_text("Extra time given to Alice.")).to_be_visible()
    desk.wait_for_function(
        "before => { const [m, s] = document.querySelector('#time-left').innerText.split(':').slice(-2);"
        " return Number(m) * 60 + Number(s) > before + 500; }", arg=before, timeout=10_000)

    # Closing the sitting submits the attempt, and the candidate is told.
    room.get_by_text("Close the sitting…").click()
    room.get_by_role("button", name="Close the sitting now").click()
    expect(room.get_by_text("1 attempt(s) in progress were submitted")).to_be_visible()
    expect(desk.get_by_text("The invigilator closed the sitting, so your answers were submitted.")) \
        .to_be_visible(timeout=10_000)

    # And it is all on the record.
    room.get_by_role("link", name="Audit trail").click()
    for action in ("sitting opened", "keycode refused", "attempt started", "attempt paused",
                   "attempt resumed", "extra time granted", "sitting closed"):
        expect(room.get_by_role("cell", name=action, exact=True).first).to_be_visible()
