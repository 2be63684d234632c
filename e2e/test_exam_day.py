"""An invigilator's exam day in Chromium: reasons, voiding, a board for a room, forms and times."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import sign_in
from quiz.audit import AuditEvent
from quiz.db import utcnow
from quiz.delivery import service as delivery
from quiz.delivery.models import Sitting
from quiz.invigilation import service as invigilation
from tests import factories


@pytest.fixture
def room(db, world):
    """The world's sitting with an invigilator, Ivy Okafor, and two more candidates."""
    ivy = factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    ivy.full_name = "Ivy Okafor"
    carol = factories.make_user(db, "carol", centre=world.centre, candidate_number="2003")
    dave = factories.make_user(db, "dave", centre=world.centre, candidate_number="2004")
    invigilation.book(db, world.sitting, [carol.id, dave.id], ivy, utcnow())
    db.commit()
    world.ivy, world.carol, world.dave = ivy, carol, dave
    return world


def start(db, sitting, candidate, ago=timedelta(0)):
    attempt = factories.start(db, sitting, candidate, now=utcnow() - ago)
    db.commit()
    return attempt


def open_board(new_context, room, **context_options):
    page = new_context(**context_options).new_page()
    sign_in(page, "ivy")
    page.get_by_role("link", name=room.sitting.title).click()
    expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()
    return page


def row(page, candidate):
    return page.locator(f'tr[data-candidate-id="{candidate.id}"]')


def events(db, action):
    db.expire_all()
    return db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


# --- 2. reasons ------------------------------------------------------------------------------------

def test_pausing_and_resuming_one_candidate_asks_why_and_the_trail_names_people(new_context, db, room):
    start(db, room.sitting, room.alice)
    page = open_board(new_context, room)
    alice = row(page, room.alice)

    alice.get_by_role("button", name="Pause Alice").click()
    dialog = page.get_by_role("dialog", name="Pause Alice (2001)")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Pause Alice").click()  # no reason chosen yet
    expect(dialog).to_be_visible()
    assert events(db, "attempt_paused") == []
    dialog.get_by_label("Reason").select_option(label="Candidate unwell")
    dialog.get_by_label("Details").fill("feeling faint")
    dialog.get_by_role("button", name="Pause Alice").click()
    expect(page.get_by_text("Paused Alice (2001).")).to_be_visible()
    expect(row(page, room.alice).locator(".cell-state")).to_have_text("Paused")

    # Resuming, by keyboard alone: the dialog opens on the reason, Tab reaches the button.
    row(page, room.alice).get_by_role("button", name="Resume Alice").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Resume Alice (2001)")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Resume Alice")).to_be_focused()
    page.keyboard.press("Enter")
    expect(row(page, room.alice).locator(".cell-state")).to_have_text("In progress")

    page.get_by_role("link", name="Audit trail").click()
    paused = page.get_by_role("row").filter(has_text="attempt paused")
    expect(paused).to_contain_text("Ivy Okafor")
    expect(paused).to_contain_text("Alice (2001)")
    expect(paused).to_contain_text("Candidate unwell: feeling faint")
    expect(page.get_by_role("row").filter(has_text="attempt resumed")).to_contain_text(
        "Candidate ready to carry on")
    expect(page.get_by_role("cell", name="ivy", exact=True)).to_have_count(0)


# --- 3. void ---------------------------------------------------------------------------------------

def test_voiding_has_its_own_page_a_required_reason_and_a_confirmation_naming_the_candidate(new_context, db, room):
    start(db, room.sitting, room.alice)
    bobs = start(db, room.sitting, room.bob)
    delivery.submit(db, bobs, utcnow(), "candidate")
    db.commit()
    page = open_board(new_context, room)
    expect(row(page, room.bob).get_by_role("link", name="Void the attempt of Bob")).to_be_hidden()

    row(page, room.alice).get_by_role("link", name="Void the attempt of Alice").click()
    expect(page.get_by_role("heading", name="Void the attempt of Alice (2001)")).to_be_visible()
    expect(page.get_by_label("Amount")).to_have_count(0)  # extra time is elsewhere
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose the reason for voiding.")).to_be_visible()
    page.get_by_label("Reason for voiding").select_option(label="Malpractice")
    page.get_by_label("What happened").fill("Phone in use under the desk")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Void the attempt of Alice (2001)?")).to_be_visible()
    expect(page.get_by_text("candidate number 2001")).to_be_visible()
    assert events(db, "attempt_voided") == []
    page.get_by_role("button", name="Yes, void the attempt of Alice (2001)").click()
    expect(page.get_by_text("Voided the attempt of Alice (2001).")).to_be_visible()
    expect(row(page, room.alice).locator(".cell-state")).to_have_text("Voided")
    expect(row(page, room.alice).get_by_role("link", name="Void the attempt of Alice")).to_be_hidden()
    assert [e.reason for e in events(db, "attempt_voided")] == ["malpractice: Phone in use under the desk"]


# --- 4. the board for thirty -----------------------------------------------------------------------

def test_the_board_shows_extra_time_frozen_last_heard_and_who_has_gone_quiet(new_context, db, room):
    alices = start(db, room.sitting, room.alice)
    invigilation.grant_extra_time(db, alices, room.ivy, utcnow(), minutes=10, reason="Late start")
    bobs = start(db, room.sitting, room.bob, ago=timedelta(minutes=4))
    delivery.submit(db, bobs, utcnow() - timedelta(minutes=3), "candidate")
    start(db, room.sitting, room.carol, ago=timedelta(minutes=2))  # her laptop went quiet
    db.commit()
    # An American browser: the board's times must still read as a UK page's.
    page = open_board(new_context, room, locale="en-US", timezone_id="America/New_York")

    expect(row(page, room.alice).locator(".cell-time")).to_contain_text("+10 min")
    expect(page.locator("#board-updated")).to_have_text(re.compile(r"^Updated \d\d:\d\d:\d\d$"))

    bob_heard = row(page, room.bob).locator(".cell-seen")
    expect(bob_heard).to_have_text(re.compile(r"^at \d\d:\d\d:\d\d$"))
    before = bob_heard.inner_text()
    page.wait_for_timeout(2500)
    assert bob_heard.inner_text() == before

    carol = row(page, room.carol)
    expect(carol.locator(".cell-seen")).to_contain_text("Not heard from")
    expect(carol).to_have_class(re.compile(r"\bsilent\b"))
    expect(row(page, room.alice).locator(".cell-seen")).not_to_contain_text("Not heard from")
    expect(page.locator("#board-hint")).to_contain_text("60 seconds")


def test_the_actions_column_lines_up_with_the_rest_of_each_row(new_context, db, room):
    room.alice.extra_time_percent, room.alice.large_text = 25, True  # a second line in her row
    db.commit()
    start(db, room.sitting, room.alice)
    start(db, room.sitting, room.bob)
    page = open_board(new_context, room)
    for candidate in (room.alice, room.bob, room.carol):
        # One snapshot of the row's cells: the board refreshes itself, so boxes read one by one
        # could straddle a redraw.
        boxes = row(page, candidate).evaluate(
            "tr => [...tr.querySelectorAll('td, th')].map(c => c.getBoundingClientRect())"
            ".map(r => ({x: r.x, y: r.y, height: r.height}))")
        tops = {round(box["y"]) for box in boxes}
        heights = {round(box["height"]) for box in boxes}
        assert len(tops) == 1 and len(heights) == 1, boxes
        lefts = [round(box["x"]) for box in boxes]
        assert lefts == sorted(lefts), boxes


def test_extra_time_and_void_are_not_offered_after_close_or_once_an_attempt_ends(new_context, db, room):
    start(db, room.sitting, room.alice)
    bobs = start(db, room.sitting, room.bob)
    delivery.submit(db, bobs, utcnow(), "candidate")
    db.commit()
    page = open_board(new_context, room)
    expect(row(page, room.alice).get_by_role("link", name="Extra time for Alice")).to_be_visible()
    for name in ("Extra time for Bob", "Void the attempt of Bob"):
        expect(row(page, room.bob).get_by_role("link", name=name)).to_be_hidden()

    page.get_by_text("Close the sitting…").click()
    page.get_by_role("button", name="Close the sitting now").click()
    expect(page.get_by_text("1 attempt(s) in progress were submitted")).to_be_visible()
    for candidate, name in ((room.alice, "Alice"), (room.bob, "Bob")):
        expect(row(page, candidate).get_by_role("link", name=f"Extra time for {name}")).to_be_hidden()
        expect(row(page, candidate).get_by_role("link", name=f"Void the attempt of {name}")).to_be_hidden()
        expect(row(page, candidate).get_by_role("button")).to_have_count(0)


def test_the_board_finds_filters_and_sorts_candidates(new_context, db, room):
    start(db, room.sitting, room.alice)
    bobs = start(db, room.sitting, room.bob)
    invigilation.pause(db, bobs, room.ivy, utcnow(), "Toilet visit")
    start(db, room.sitting, room.dave)
    db.commit()
    page = open_board(new_context, room)

    def shown():
        return [name.strip() for name in
                page.locator("#board tbody tr:visible th[scope=row]").all_inner_texts()]

    expect(page.locator("#board-shown")).to_have_text("Showing all 4 candidates.")
    page.get_by_label("Find a candidate by name or number").fill("bob")
    expect(page.locator("#board-shown")).to_have_text("Showing 1 of 4 candidates.")
    assert shown() == ["Bob"]
    page.get_by_label("Find a candidate by name or number").fill("2004")
    assert shown() == ["Dave"]
    page.get_by_label("Find a candidate by name or number").fill("")

    page.get_by_label("Show", exact=True).select_option(label="Paused")
    assert shown() == ["Bob"]
    page.get_by_label("Show", exact=True).select_option(label="Not started")
    assert shown() == ["Carol"]
    page.get_by_label("Show", exact=True).select_option(label="Every candidate")
    assert shown() == ["Alice", "Bob", "Carol", "Dave"]

    page.get_by_role("button", name="Candidate", exact=True).click()
    expect(page.locator("th[data-sort=name]")).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("button", name="Candidate", exact=True).click()
    expect(page.locator("th[data-sort=name]")).to_have_attribute("aria-sort", "descending")
    assert shown() == ["Dave", "Carol", "Bob", "Alice"]
    page.get_by_role("button", name="State", exact=True).click()
    assert shown() == ["Alice", "Dave", "Bob", "Carol"]  # in progress, paused, not started

    # The choice survives the page reloading after an action.
    page.reload()
    assert shown() == ["Alice", "Dave", "Bob", "Carol"]


def test_the_selected_candidates_are_paused_together_with_one_reason(new_context, db, room):
    for candidate in (room.alice, room.bob, room.carol):
        start(db, room.sitting, candidate)
    page = open_board(new_context, room)
    row(page, room.alice).get_by_label("Select Alice (2001)").check()
    row(page, room.bob).get_by_label("Select Bob (2002)").check()
    expect(page.locator("#selection-count")).to_have_text("2 selected: Alice (2001), Bob (2002)")
    page.get_by_role("button", name="Pause selected").click()
    dialog = page.get_by_role("dialog", name="Pause 2 candidates: Alice (2001), Bob (2002)")
    dialog.get_by_label("Reason").select_option(label="Disturbance in the room")
    dialog.get_by_role("button", name="Pause 2 candidates").click()
    expect(page.get_by_text("Paused 2 candidate(s): Alice (2001), Bob (2002).")).to_be_visible()
    for candidate, state in ((room.alice, "Paused"), (room.bob, "Paused"), (room.carol, "In progress")):
        expect(row(page, candidate).locator(".cell-state")).to_have_text(state)
    assert {e.reason for e in events(db, "attempt_paused")} == {"Disturbance in the room"}


# --- 5. forms --------------------------------------------------------------------------------------

def beside(page, control, label) -> None:
    """Assert a radio button sits just before its label, on the same line."""
    box, text = control.bounding_box(), label.bounding_box()
    assert 0 <= text["x"] - (box["x"] + box["width"]) <= 16, (box, text)
    middle = box["y"] + box["height"] / 2
    assert text["y"] <= middle <= text["y"] + text["height"], (box, text)


def test_forms_have_radios_beside_their_labels_a_full_size_drop_down_and_a_real_text_area(new_context, db, room):
    start(db, room.sitting, room.alice)
    page = open_board(new_context, room)
    row(page, room.alice).get_by_role("link", name="Extra time for Alice").click()
    for option in ("minutes", "% of the test's time"):
        beside(page, page.get_by_role("radio", name=option),
               page.locator("label", has_text=option).first)
    reason = page.get_by_label("Reason for the extra time").bounding_box()
    assert reason["height"] >= 40 and reason["width"] >= 240, reason
    details = page.get_by_label("Details")
    assert details.evaluate("el => el.tagName") == "TEXTAREA"
    assert details.bounding_box()["height"] >= 90

    page.goto(f"/invigilate/attempts/{page.url.rsplit('/', 1)[1]}/void")
    what = page.get_by_label("What happened")
    assert what.bounding_box()["height"] >= 120
    assert page.get_by_label("Reason for voiding").bounding_box()["height"] >= 40

    page.goto("/invigilate/sittings/new")
    beside(page, page.get_by_role("radio", name="Tell candidates that results will follow"),
           page.locator("label", has_text="Tell candidates that results will follow"))


# --- 9. times --------------------------------------------------------------------------------------

def test_scheduling_reads_dates_day_first_and_times_on_the_24_hour_clock_in_any_browser(new_context, db, room):
    page = open_board(new_context, room, locale="en-US", timezone_id="America/Los_Angeles")
    page.goto("/invigilate/sittings/new")
    page.get_by_label("Name of the sitting").fill("Room 9")
    expect(page.get_by_text("Day/month/year, for example 01/07/2026")).to_be_visible()
    page.get_by_label("Date", exact=True).fill("07/31/2030")  # month first, as an American browser would
    page.get_by_label("Window opens at").fill("2:30 PM")
    page.get_by_label("Window closes at").fill("16:00")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("07/31/2030 is not a real date.")).to_be_visible()
    expect(page.get_by_text("Enter the time on the 24-hour clock")).to_be_visible()

    page.get_by_label("Date", exact=True).fill("01/07/2030")
    page.get_by_label("Window opens at").fill("14:30")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Window: 01 Jul 2030 14:30 – 16:00 (Europe/London)")).to_be_visible()
    db.expire_all()
    sitting = db.scalar(select(Sitting).where(Sitting.title == "Room 9"))
    assert sitting.starts_at == datetime(2030, 7, 1, 13, 30, tzinfo=timezone.utc)


def test_the_candidates_dashboard_shows_the_window_in_the_centres_time_zone(new_context, db, room):
    factories.make_sitting(db, "2794-03/315", room.centre, [room.alice], status="scheduled",
                           title="Summer resit", starts_at=datetime(2030, 7, 1, 8, 0, tzinfo=timezone.utc),
                           ends_at=datetime(2030, 7, 1, 10, 0, tzinfo=timezone.utc))
    db.commit()
    page = new_context(timezone_id="UTC").new_page()
    sign_in(page, "alice")
    page.get_by_role("link", name="All your tests").click()
    summer = page.get_by_role("row").filter(has_text="Summer resit")
    expect(summer).to_contain_text("01 Jul 2030 09:00 – 11:00")
    expect(page.get_by_role("columnheader", name="When (Europe/London time)")).to_be_visible()


def test_the_instructions_state_the_pass_mark(new_context, room):
    page = new_context().new_page()
    sign_in(page, "alice")
    expect(page.get_by_text("Pass mark: 60%, that is 18 of the 30 marks.")).to_be_visible()


# --- messages to the room and rest breaks, from the invigilator's side -----------------------------

def test_a_message_to_the_room_and_one_to_a_candidate_are_stored_and_on_the_trail(new_context, db, room):
    from quiz.invigilation.messages import RoomMessage
    start(db, room.sitting, room.alice)
    start(db, room.sitting, room.bob)
    page = open_board(new_context, room)
    page.get_by_label("Message to the whole room").fill("Question 12: 'mentee' means the person being mentored.")
    page.get_by_role("button", name="Send to the whole room").click()
    expect(page.get_by_text("Sent the message to everyone in the room.")).to_be_visible()

    row(page, room.bob).get_by_role("button", name="Message Bob").click()
    dialog = page.get_by_role("dialog", name="Send a message to Bob (2002)")
    expect(dialog.get_by_label("Message")).to_be_focused()
    page.keyboard.type("Please raise your hand.")
    dialog.get_by_role("button", name="Send a message to Bob").click()
    expect(page.get_by_text("Sent the message to Bob (2002).")).to_be_visible()

    page.get_by_text("Messages sent (2)").click()
    expect(page.locator(".messages-sent")).to_contain_text("Ivy Okafor to Bob (2002): Please raise your hand.")
    db.expire_all()
    stored = db.scalars(select(RoomMessage).order_by(RoomMessage.id)).all()
    assert [(m.attempt_id is None, m.sender_name) for m in stored] == [(True, "Ivy Okafor"),
                                                                      (False, "Ivy Okafor")]
    page.get_by_role("link", name="Audit trail").click()
    sent = page.get_by_role("row").filter(has_text="message sent")
    expect(sent).to_have_count(2)
    expect(sent.first).to_contain_text("Everyone in the room")
    expect(sent.first).to_contain_text("'mentee' means the person being mentored.")
    expect(sent.nth(1)).to_contain_text("Bob (2002)")


def test_the_invigilator_starts_and_ends_a_rest_break_from_the_board(new_context, db, room):
    room.dave.rest_break_minutes = 10
    db.commit()
    start(db, room.sitting, room.dave)
    start(db, room.sitting, room.alice)
    page = open_board(new_context, room)
    dave = row(page, room.dave)
    expect(dave.locator(".cell-breaks")).to_have_text("10 min allowed, none used")
    expect(row(page, room.alice).get_by_role("button", name="Start break for Alice")).to_be_hidden()

    dave.get_by_role("button", name="Start break for Dave").click()
    dialog = page.get_by_role("dialog", name="Start a rest break for Dave (2004)")
    dialog.get_by_label("Reason").select_option(label="Rest break (access arrangement)")
    dialog.get_by_role("button", name="Start a rest break for Dave").click()
    expect(page.get_by_text("Started a rest break for Dave (2004).")).to_be_visible()
    dave = row(page, room.dave)
    expect(dave.locator(".cell-state")).to_have_text("On a break")
    expect(dave.locator(".cell-breaks")).to_contain_text("On a break:")
    frozen = dave.locator(".time-left").inner_text()
    page.wait_for_timeout(2500)
    assert dave.locator(".time-left").inner_text() == frozen

    dave.get_by_role("button", name="End break of Dave").click()
    dialog = page.get_by_role("dialog", name="End the rest break of Dave (2004)")
    dialog.get_by_label("Reason").select_option(label="Candidate back from the break")
    dialog.get_by_role("button", name="End the rest break of Dave").click()
    expect(row(page, room.dave).locator(".cell-state")).to_have_text("In progress")
    expect(row(page, room.dave).locator(".cell-breaks")).to_contain_text("of 10 min left")

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("row").filter(has_text="break started")).to_contain_text(
        "Rest break (access arrangement)")
    expect(page.get_by_role("row").filter(has_text="break ended")).to_contain_text(
        "Candidate back from the break")
    expect(page.get_by_role("row").filter(has_text="break started")).to_contain_text("Ivy Okafor")
