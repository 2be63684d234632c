"""An invigilator's actions on candidates: reasons, the void page, the ticked candidates, the board."""

import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.delivery import service as delivery
from quiz.delivery.models import Sitting
from tests import factories


@pytest.fixture
def ivy(auth, session, exam):
    user = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    return user


def reload(session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def events(session, action):
    session.expire_all()
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)).all()


def board(client, exam):
    return {row["name"]: row for row in
            client.get(f"/api/invigilate/sittings/{exam.sitting.id}/board").json["rows"]}


# --- reasons ---------------------------------------------------------------------------------------

def test_pausing_one_candidate_records_the_reason_chosen(client, ivy, session, started):
    client.post(f"/invigilate/attempts/{started.id}/pause",
                data={"pause-reason": "unwell", "pause-note": "feeling faint"})
    assert reload(session, started).paused_since is not None
    assert [e.reason for e in events(session, "attempt_paused")] == ["Candidate unwell: feeling faint"]


def test_pausing_without_a_reason_changes_nothing(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/pause", data={"pause-reason": ""})
    assert response.status_code == 400
    assert "Choose a reason" in response.data.decode()
    assert reload(session, started).paused_since is None
    assert events(session, "attempt_paused") == []


def test_other_needs_a_description(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/pause", data={"pause-reason": "other"})
    assert response.status_code == 400
    assert "Describe the reason" in response.data.decode()
    assert reload(session, started).paused_since is None
    client.post(f"/invigilate/attempts/{started.id}/pause",
                data={"pause-reason": "other", "pause-note": "desk wobbling"})
    assert [e.reason for e in events(session, "attempt_paused")] == ["desk wobbling"]


def test_resuming_one_candidate_records_the_reason(client, ivy, session, started):
    client.post(f"/invigilate/attempts/{started.id}/pause", data={"pause-reason": "toilet"})
    client.post(f"/invigilate/attempts/{started.id}/resume", data={"resume-reason": "ready"})
    assert reload(session, started).paused_since is None
    assert [e.reason for e in events(session, "attempt_resumed")] == ["Candidate ready to carry on"]


def test_without_a_script_pausing_asks_for_the_reason_on_its_own_page(client, ivy, started):
    page = client.get(f"/invigilate/attempts/{started.id}/pause").data.decode()
    assert "Pause Alice (1001)" in page
    assert 'name="pause-reason"' in page and "<textarea" in page


def test_pausing_the_room_needs_a_reason(client, ivy, session, exam, started):
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/pause-all", data={})
    assert response.status_code == 400
    assert reload(session, started).paused_since is None


# --- the ticked candidates -------------------------------------------------------------------------

def test_the_ticked_candidates_are_paused_with_one_reason(client, ivy, session, exam, started):
    bobs = factories.start(session, exam.sitting, exam.bob, seed=9)
    session.commit()
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/selected", data={
        "action": "pause", "candidate_id": [str(exam.alice.id), str(exam.bob.id)],
        "pause-reason": "disturbance"}, follow_redirects=True)
    assert "Paused 2 candidate(s): Alice (1001), Bob (1002)." in response.data.decode()
    assert all(reload(session, a).paused_since is not None for a in (started, bobs))
    assert {e.reason for e in events(session, "attempt_paused")} == {"Disturbance in the room"}


def test_a_ticked_candidate_who_cannot_be_paused_is_reported_not_skipped_silently(client, ivy, session, exam, started):
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/selected", data={
        "action": "pause", "candidate_id": [str(exam.alice.id), str(exam.bob.id)],
        "pause-reason": "emergency"}, follow_redirects=True)
    page = response.data.decode()
    assert "Paused 1 candidate(s): Alice (1001)." in page
    assert "Not changed: Bob (1002): has not started." in page


def test_ticked_candidates_without_a_reason_are_asked_for_one(client, ivy, session, exam, started):
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/selected", data={
        "action": "pause", "candidate_id": [str(exam.alice.id)]})
    assert response.status_code == 200
    assert "Pause Alice (1001)" in response.data.decode()
    assert reload(session, started).paused_since is None


def test_a_candidate_of_another_sitting_cannot_be_ticked(client, ivy, session, exam, started):
    carol = factories.make_user(session, "carol", centre=exam.centre, candidate_number="1003")
    session.commit()
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/selected", data={
        "action": "pause", "candidate_id": [str(exam.alice.id), str(carol.id)],
        "pause-reason": "unwell"})
    assert response.status_code == 400
    assert reload(session, started).paused_since is None


# --- voiding ---------------------------------------------------------------------------------------

def test_voiding_asks_for_confirmation_naming_the_candidate_and_number(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/void",
                           data={"category": "malpractice", "note": "phone in use"})
    page = response.data.decode()
    assert response.status_code == 200
    assert "Void the attempt of Alice (1001)?" in page
    assert "Yes, void the attempt of Alice (1001)" in page
    assert reload(session, started).status == "in_progress"


def test_voiding_needs_a_reason(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/void",
                           data={"category": "", "confirmed": "yes"})
    assert response.status_code == 400
    assert "Choose the reason for voiding." in response.data.decode()
    assert reload(session, started).status == "in_progress"


def test_a_confirmed_void_names_the_candidate(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/void", data={
        "category": "withdrawn", "note": "", "confirmed": "yes"}, follow_redirects=True)
    assert "Voided the attempt of Alice (1001)." in response.data.decode()
    assert reload(session, started).void_reason == "withdrawn"


def test_a_submitted_attempt_is_not_offered_for_voiding(client, ivy, session, started):
    delivery.submit(session, reload(session, started), factories.MORNING, "candidate")
    session.commit()
    page = client.get(f"/invigilate/attempts/{started.id}/void")
    assert page.status_code == 409 and "cannot be voided" in page.data.decode()
    response = client.post(f"/invigilate/attempts/{started.id}/void", data={
        "category": "malpractice", "note": "notes found", "confirmed": "yes"})
    assert response.status_code == 409
    assert reload(session, started).status == "submitted"


def test_extra_time_and_voiding_are_on_separate_pages(client, ivy, started):
    extra = client.get(f"/invigilate/attempts/{started.id}").data.decode()
    assert "Give extra time" in extra and 'name="category"' not in extra
    void = client.get(f"/invigilate/attempts/{started.id}/void").data.decode()
    assert 'name="category"' in void and "Give extra time" not in void


# --- the board -------------------------------------------------------------------------------------

def test_the_board_shows_extra_time_given(client, ivy, started):
    client.post(f"/invigilate/attempts/{started.id}/extra-time",
                data={"amount": "10", "unit": "minutes", "reason": "late_start"})
    rows = client.get(f"/api/invigilate/sittings/{started.sitting_id}/board").json["rows"]
    alice = next(r for r in rows if r["name"] == "Alice")
    assert (alice["extra_seconds"], alice["extra_words"]) == (600, "+10 min")


def test_last_heard_stops_counting_once_the_attempt_is_submitted(client, ivy, session, exam, started, clock):
    clock.advance(minutes=3)
    delivery.submit(session, reload(session, started), clock(), "candidate")
    session.commit()
    clock.advance(minutes=20)
    alice = board(client, exam)["Alice"]
    assert alice["last_seen_seconds_ago"] is None and not alice["silent"]
    assert alice["last_seen_local"] == "10:00:00"  # 09:00 UTC is 10:00 in London in June


def test_a_running_candidate_silent_for_a_minute_stands_out(client, ivy, exam, started, clock):
    clock.advance(seconds=59)
    assert not board(client, exam)["Alice"]["silent"]
    clock.advance(seconds=1)
    alice = board(client, exam)["Alice"]
    assert alice["silent"] and alice["last_seen_words"] == "1 min 0 s ago"


def test_nothing_is_offered_once_the_sitting_is_closed(client, ivy, session, exam, started):
    assert board(client, exam)["Alice"]["actions"] == ["pause", "extra_time", "void", "message"]
    client.post(f"/invigilate/sittings/{exam.sitting.id}/close")
    assert board(client, exam)["Alice"]["actions"] == []
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}").data.decode()
    assert 'class="act-extra" href="/invigilate/attempts/' in page
    assert page.count('class="act-extra"') == page.count('hidden>Extra time')


def test_the_board_json_says_when_it_was_made_on_the_24_hour_clock(client, ivy, exam, clock):
    clock.set(factories.MORNING.replace(hour=13, minute=5, second=9))
    data = client.get(f"/api/invigilate/sittings/{exam.sitting.id}/board").json
    assert data["updated_local"] == "14:05:09"


# --- scheduling with explicit formats --------------------------------------------------------------

def test_dates_are_typed_day_first_whatever_the_browser(client, ivy, session, exam):
    client.post("/invigilate/sittings/new", data={
        "blueprint": exam.blueprint.code, "title": "Room 5", "day": "01/07/2026",
        "starts": "14:30", "ends": "16:00", "results_policy": "instant"})
    sitting = session.scalar(select(Sitting).where(Sitting.title == "Room 5"))
    assert sitting.starts_at.isoformat() == "2026-07-01T13:30:00+00:00"


@pytest.mark.parametrize("day, starts, message", [
    ("07/31/2026", "09:00", "07/31/2026 is not a real date. Enter the date as day/month/year"),
    ("1 July", "09:00", "Enter the date as day/month/year, for example 01/07/2026."),
    ("01/07/2026", "9am", "Enter the time on the 24-hour clock as hours:minutes"),
    ("01/07/2026", "25:00", "Enter the time on the 24-hour clock as hours:minutes"),
])
def test_a_date_or_time_in_another_format_gets_a_clear_error(client, ivy, session, exam, day, starts, message):
    response = client.post("/invigilate/sittings/new", data={
        "blueprint": exam.blueprint.code, "title": "Room 6", "day": day, "starts": starts,
        "ends": "23:00", "results_policy": "instant"})
    assert response.status_code == 400
    assert message in response.data.decode()
    assert session.scalar(select(Sitting).where(Sitting.title == "Room 6")) is None


# --- rest breaks and messages, the invigilator's side ----------------------------------------------

@pytest.fixture
def sams(session, exam):
    """Sam, with a 10-minute rest-break allowance, started at the named morning moment."""
    from quiz.delivery.models import Booking
    sam = factories.make_user(session, "sam", centre=exam.centre, candidate_number="1003",
                              rest_break_minutes=10)
    session.add(Booking(sitting=exam.sitting, candidate=sam))
    attempt = factories.start(session, exam.sitting, sam)
    session.commit()
    return attempt


def test_a_rest_break_is_offered_only_to_a_candidate_with_an_allowance(client, ivy, exam, started, sams):
    rows = board(client, exam)
    assert "break_start" in rows["Sam"]["actions"] and "break_start" not in rows["Alice"]["actions"]
    assert rows["Sam"]["break_words"] == "10 min allowed, none used"
    assert rows["Alice"]["break"] is None and rows["Alice"]["break_words"] == ""


def test_the_invigilator_starts_and_ends_a_rest_break_with_a_reason(client, ivy, session, exam, sams, clock):
    clock.advance(minutes=20)
    client.post(f"/invigilate/attempts/{sams.id}/break_start",
                data={"break_start-reason": "arrangement"})
    assert reload(session, sams).on_break_since == clock()
    clock.advance(minutes=4)
    row = board(client, exam)["Sam"]
    assert row["state"] == "on_break" and row["actions"][0] == "break_end"
    assert row["break_words"] == "On a break: 6 min of 10 min left"
    assert row["remaining_seconds"] == 25 * 60  # the clock stopped for the break
    client.post(f"/invigilate/attempts/{sams.id}/break_end", data={"break_end-reason": "back"})
    assert reload(session, sams).on_break_since is None
    assert [e.reason for e in events(session, "break_started")] == ["Rest break (access arrangement)"]
    assert [e.reason for e in events(session, "break_ended")] == ["Candidate back from the break"]
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}/trail").data.decode()
    assert "break started" in page and "break ended" in page and "Sam (1003)" in page


def test_a_break_without_an_allowance_is_refused_and_changes_nothing(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/break_start",
                           data={"break_start-reason": "unwell"})
    assert response.status_code == 409 and b"no rest-break allowance" in response.data
    assert reload(session, started).on_break_since is None


def test_a_message_to_the_room_is_stored_and_on_the_trail(client, ivy, session, exam, started):
    from quiz.invigilation.messages import RoomMessage
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/message",
                           data={"room-message-body": "Question 12 has a typo: read 'coach'."},
                           follow_redirects=True)
    assert "Sent the message to everyone in the room." in response.data.decode()
    message, = session.scalars(select(RoomMessage)).all()
    assert (message.attempt_id, message.sender_name) == (None, "Ivy")
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}/trail").data.decode()
    assert "message sent" in page and "Everyone in the room" in page
    assert "Question 12 has a typo: read &#39;coach&#39;." in page


def test_an_empty_message_is_refused(client, ivy, session, exam, started):
    from quiz.invigilation.messages import RoomMessage
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/message",
                           data={"room-message-body": "  "})
    assert response.status_code == 400 and "Write the message" in response.data.decode()
    assert session.scalars(select(RoomMessage)).all() == []


def test_a_message_to_the_ticked_candidates_reaches_each_of_them(client, ivy, session, exam, started, sams):
    from quiz.invigilation.messages import messages_for
    client.post(f"/invigilate/sittings/{exam.sitting.id}/selected", data={
        "action": "message", "candidate_id": [str(exam.alice.id), str(exam.bob.id)],
        "message-body": "Ten minutes left in the room."})
    assert [m.body for m in messages_for(session, reload(session, started))] == [
        "Ten minutes left in the room."]
    assert messages_for(session, reload(session, sams)) == []
    assert len(events(session, "message_sent")) == 1  # Bob has not started: told, not sent


def test_a_message_to_one_candidate(client, ivy, session, exam, started, sams):
    client.post(f"/invigilate/attempts/{sams.id}/message", data={"message-body": "Your break is due."})
    event, = events(session, "message_sent")
    assert (event.attempt_id, event.detail["body"]) == (sams.id, "Your break is due.")


def test_a_roster_can_give_rest_break_allowances(client, ivy, session, exam):
    import io
    from quiz.accounts.models import User
    csv = "candidate_number,full_name,rest_break_minutes\n1001,Alice,15\n1011,Eve Moss,10\n"
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/roster",
                           data={"roster": (io.BytesIO(csv.encode()), "room.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    session.expire_all()
    minutes = {u.candidate_number: u.rest_break_minutes for u in session.scalars(select(User))
               if u.candidate_number in ("1001", "1011")}
    assert minutes == {"1001": 15, "1011": 10}
