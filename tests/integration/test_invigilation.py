"""Invigilators run sittings: open with a keycode, board, pause, extra time, void, close, trail."""
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent, AuditIsAppendOnly
from quiz.delivery.models import Attempt, Booking, Sitting
from tests import factories


@pytest.fixture
def invigilator(session, exam):
    user = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    return user


@pytest.fixture
def ivy(auth, invigilator):
    auth.login("ivy")
    return invigilator


def reload(session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def actions(session):
    session.expire_all()
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_invigilator_sees_their_centres_sittings(client, ivy, exam):
    page = client.get("/invigilate/").data.decode()
    assert "Morning sitting" in page and "keycode" in page


def test_scheduling_a_sitting_records_the_window_in_utc(client, ivy, session, exam):
    response = client.post("/invigilate/sittings/new", data={
        "blueprint": exam.blueprint.code, "title": "Room 4", "day": "2026-07-01",
        "starts": "09:00", "ends": "11:30", "results_policy": "to_follow"})
    assert response.status_code == 302
    sitting = session.scalar(select(Sitting).where(Sitting.title == "Room 4"))
    # Europe/London is an hour ahead of UTC in July.
    assert sitting.starts_at.isoformat() == "2026-07-01T08:00:00+00:00"
    assert sitting.ends_at.isoformat() == "2026-07-01T10:30:00+00:00"
    assert (sitting.status, sitting.results_policy, sitting.centre_id) == (
        "scheduled", "to_follow", exam.centre.id)


def test_a_window_that_ends_before_it_starts_is_refused(client, ivy, session, exam):
    response = client.post("/invigilate/sittings/new", data={
        "blueprint": exam.blueprint.code, "title": "Backwards", "day": "2026-07-01",
        "starts": "11:00", "ends": "09:00", "results_policy": "instant"})
    assert response.status_code == 400
    assert b"The window must end after it starts." in response.data
    assert session.scalar(select(Sitting).where(Sitting.title == "Backwards")) is None


def test_opening_issues_an_unambiguous_keycode(client, ivy, session, exam):
    sitting = factories.make_sitting(session, exam.blueprint.code, exam.centre, [exam.alice],
                                     status="scheduled", title="Later")
    session.commit()
    client.post(f"/invigilate/sittings/{sitting.id}/open")
    sitting = reload(session, sitting)
    assert sitting.status == "open"
    assert len(sitting.keycode) == 6
    assert not set(sitting.keycode) & set("0O1IL2Z5S8B")
    assert sitting.keycode != factories.KEYCODE
    assert "sitting_opened" in actions(session)


def test_booking_centre_candidates(client, ivy, session, exam):
    carol = factories.make_user(session, "carol", centre=exam.centre, candidate_number="1003")
    session.commit()
    client.post(f"/invigilate/sittings/{exam.sitting.id}/bookings",
                data={"candidate_id": [str(carol.id)]})
    assert session.scalar(select(Booking).where(Booking.candidate_id == carol.id)) is not None


def test_a_roster_upload_books_everyone_and_makes_accounts_for_new_candidates(client, ivy, session, exam):
    csv = ("candidate_number,full_name,extra_time_percent\n"
           "1001,Alice,\n"            # already registered and booked
           "1009,Dana Scully,25\n")   # new
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/roster",
                           data={"roster": (io.BytesIO(csv.encode()), "room.csv")},
                           content_type="multipart/form-data")
    page = response.data.decode()
    assert response.status_code == 200
    assert "Booked 1 candidate" in page and "1 were already booked" in page
    assert "c001-1009" in page  # the new candidate's username, shown once with a password
    from quiz.accounts.models import User
    dana = session.scalar(select(User).where(User.candidate_number == "1009"))
    assert dana.extra_time_percent == 25


def test_a_roster_with_a_bad_row_books_nobody(client, ivy, session, exam):
    csv = "candidate_number,full_name\n1010,Fox Mulder\n1002,Not Bob\n"
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/roster",
                           data={"roster": (io.BytesIO(csv.encode()), "room.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "line 3: candidate 1002 is registered as &#39;Bob&#39;" in response.data.decode()
    from quiz.accounts.models import User
    assert session.scalar(select(User).where(User.candidate_number == "1010")) is None


def test_the_board_shows_each_candidates_state_answers_and_time_left(client, ivy, session, exam, started, clock):
    other = client.application.test_client()
    other.post("/login", data={"username": "alice", "password": factories.PASSWORD})
    other.post(f"/api/attempts/{started.id}/answers", json={"position": 1, "choice": 0, "seq": 1})
    clock.advance(minutes=5)
    board = client.get(f"/api/invigilate/sittings/{exam.sitting.id}/board").json
    rows = {row["name"]: row for row in board["rows"]}
    assert rows["Alice"]["state"] == "in_progress"
    assert rows["Alice"]["answered"] == 1 and rows["Alice"]["questions"] == 6
    assert rows["Alice"]["remaining_seconds"] == 40 * 60
    assert rows["Alice"]["last_seen_seconds_ago"] == 300
    assert rows["Bob"]["state"] == "not_started"


def test_pausing_stops_the_clock_and_resuming_restores_the_time_left(client, ivy, session, started, clock):
    clock.advance(minutes=10)
    client.post(f"/invigilate/attempts/{started.id}/pause", data={"pause-reason": "unwell"})
    clock.advance(minutes=7)
    attempt = reload(session, started)
    assert attempt.clock.remaining(clock()) == timedelta(minutes=35)
    client.post(f"/invigilate/attempts/{started.id}/resume", data={"resume-reason": "ready"})
    clock.advance(minutes=1)
    attempt = reload(session, started)
    assert attempt.clock.remaining(clock()) == timedelta(minutes=34)
    assert actions(session)[-2:] == ["attempt_paused", "attempt_resumed"]


def test_a_paused_candidate_cannot_answer(client, auth, session, exam, invigilator, started):
    from quiz.invigilation import service
    service.pause(session, reload(session, started), invigilator, factories.MORNING, "unwell")
    session.commit()
    auth.login("alice")
    response = client.post(f"/api/attempts/{started.id}/answers",
                           json={"position": 1, "choice": 0, "seq": 1})
    assert response.status_code == 409 and response.json["error"] == "paused"
    assert client.get(f"/api/attempts/{started.id}/status").json["state"] == "paused"


def test_pausing_the_whole_room_pauses_every_attempt_in_progress(client, ivy, session, exam, started):
    bobs = factories.start(session, exam.sitting, exam.bob, seed=9)
    session.commit()
    client.post(f"/invigilate/sittings/{exam.sitting.id}/pause-all",
                data={"room-pause-reason": "emergency"})
    assert all(reload(session, a).paused_since is not None for a in (started, bobs))
    client.post(f"/invigilate/sittings/{exam.sitting.id}/resume-all",
                data={"room-resume-reason": "all_clear"})
    assert all(reload(session, a).paused_since is None for a in (started, bobs))


def test_extra_time_in_minutes_moves_the_deadline(client, ivy, session, started, clock):
    client.post(f"/invigilate/attempts/{started.id}/extra-time",
                data={"amount": "10", "unit": "minutes", "reason": "late_start"})
    assert reload(session, started).clock.remaining(clock()) == timedelta(minutes=55)


def test_extra_time_as_a_percentage_is_of_the_tests_duration(client, ivy, session, started, clock):
    client.post(f"/invigilate/attempts/{started.id}/extra-time",
                data={"amount": "25", "unit": "percent", "reason": "arrangement",
                      "note": "25% on file"})
    assert reload(session, started).extra_seconds == 11 * 60 + 15
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "extra_time_granted")).one()
    assert (event.reason, event.actor) == ("Access arrangement: 25% on file", "ivy")


def test_extra_time_without_a_reason_changes_nothing(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/extra-time",
                           data={"amount": "10", "unit": "minutes", "reason": ""})
    assert response.status_code == 400
    assert reload(session, started).extra_seconds == 0


def test_a_voided_attempt_is_not_scored_and_cannot_be_resumed(client, ivy, auth, session, started):
    client.post(f"/invigilate/attempts/{started.id}/void",
                data={"category": "malpractice", "note": "phone in use", "confirmed": "yes"})
    attempt = reload(session, started)
    assert (attempt.status, attempt.void_reason) == ("voided", "malpractice: phone in use")
    assert attempt.score_raw is None
    auth.logout()
    auth.login("alice")
    response = client.post(f"/api/attempts/{started.id}/answers",
                           json={"position": 1, "choice": 0, "seq": 1})
    assert response.status_code == 409
    assert b"voided" in client.get(f"/attempts/{started.id}/result").data


def test_voiding_for_malpractice_needs_a_description(client, ivy, session, started):
    response = client.post(f"/invigilate/attempts/{started.id}/void",
                           data={"category": "malpractice", "confirmed": "yes"})
    assert response.status_code == 400
    assert reload(session, started).status == "in_progress"


def test_closing_submits_every_attempt_in_progress_and_stops_new_starts(client, ivy, auth, session, exam, started):
    client.post(f"/invigilate/sittings/{exam.sitting.id}/close")
    attempt = reload(session, started)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "closed")
    assert reload(session, exam.sitting).status == "closed"
    auth.logout()
    auth.login("bob")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": factories.KEYCODE})
    assert response.status_code == 403 and b"is closed" in response.data


def test_every_action_is_in_the_sitting_trail_with_who_and_why(client, ivy, session, exam, started):
    client.post(f"/invigilate/attempts/{started.id}/pause",
                data={"pause-reason": "toilet", "pause-note": "escorted"})
    client.post(f"/invigilate/attempts/{started.id}/resume", data={"resume-reason": "ready"})
    client.post(f"/invigilate/sittings/{exam.sitting.id}/close")
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}/trail").data.decode()
    for words in ("attempt started", "attempt paused", "Toilet visit: escorted", "attempt resumed",
                  "Candidate ready to carry on", "attempt submitted", "sitting closed"):
        assert words in page


def test_the_trail_names_people_by_their_full_names(client, ivy, session, exam, started):
    ivy.full_name = "Ivy Okafor"
    session.commit()
    client.post(f"/invigilate/attempts/{started.id}/pause", data={"pause-reason": "unwell"})
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}/trail").data.decode()
    assert "<td>Ivy Okafor</td>" in page
    assert "<td>ivy</td>" not in page
    assert "<td>Alice (1001)</td>" in page  # the candidate the action was about


def test_the_trail_cannot_be_edited(session, exam, started):
    event = session.scalars(select(AuditEvent)).first()
    event.reason = "rewritten"
    with pytest.raises(AuditIsAppendOnly):
        session.flush()
