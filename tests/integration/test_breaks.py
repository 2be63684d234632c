"""Rest breaks: a supervised break stops the candidate's clock, up to their allowance."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.delivery import breaks, service
from quiz.delivery.models import Attempt, Booking
from quiz.errors import Refused
from quiz.invigilation import service as invigilation
from tests import factories

GRACE = timedelta(seconds=2)
MORNING = factories.MORNING
BREAK_AT = MORNING + timedelta(minutes=20)  # 25 of the 45 minutes left


@pytest.fixture
def sam(session, exam):
    """A candidate with a 10-minute rest-break allowance, booked on the morning sitting."""
    user = factories.make_user(session, "sam", centre=exam.centre, candidate_number="1003",
                               rest_break_minutes=10)
    session.add(Booking(sitting=exam.sitting, candidate=user))
    session.commit()
    return user


@pytest.fixture
def sams(session, exam, sam):
    """Sam's attempt, started at the named morning moment."""
    attempt = factories.start(session, exam.sitting, sam)
    session.commit()
    return attempt


@pytest.fixture
def on_break(session, sam, sams):
    """Sam's attempt with a break started by Sam 20 minutes in."""
    breaks.start_break(session, sams, sam, BREAK_AT, reason="needs some air")
    session.commit()
    return sams


@pytest.fixture
def ivy(session, exam, auth):
    user = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    return user


def reload(session, attempt) -> Attempt:
    session.expire_all()
    return session.get(Attempt, attempt.id)


def events(session, attempt=None) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if attempt is not None:
        query = query.where(AuditEvent.attempt_id == attempt.id)
    return list(session.scalars(query))


def status(client, attempt):
    return client.get(f"/api/attempts/{attempt.id}/status").json


def test_the_allowance_is_copied_from_the_candidate_when_the_attempt_starts(session, sams, started):
    assert sams.break_allowance_seconds == 600
    assert started.break_allowance_seconds == 0


def test_a_break_stops_the_clock_and_the_trail_records_who_started_it(session, exam, sam, on_break):
    attempt = reload(session, on_break)
    assert attempt.clock.remaining(BREAK_AT + timedelta(minutes=2)) == timedelta(minutes=25)
    started = events(session, attempt)[-1]
    assert (started.action, started.actor, started.reason) == ("break_started", "sam", "needs some air")
    assert (started.sitting_id, started.attempt_id) == (exam.sitting.id, attempt.id)
    assert started.detail == {"left_seconds": 600}


def test_two_minutes_into_a_break_the_status_says_on_break_and_the_time_stands_still(
        client, auth, clock, on_break):
    auth.login("sam")
    clock.set(BREAK_AT + timedelta(minutes=2))
    payload = status(client, on_break)
    assert payload["state"] == "on_break"
    assert payload["remaining_seconds"] == 25 * 60
    assert payload["break"] == {"allowance_seconds": 600, "used_seconds": 120.0,
                                "left_seconds": 480.0, "on_break": True,
                                "since": BREAK_AT.isoformat()}


def test_an_answer_saved_on_a_break_is_refused_and_not_stored(client, auth, session, clock, on_break):
    auth.login("sam")
    clock.set(BREAK_AT + timedelta(minutes=1))
    response = client.post(f"/api/attempts/{on_break.id}/answers",
                           json={"position": 1, "choice": 0, "seq": 1})
    assert response.status_code == 409
    assert response.json["error"] == "on_break"
    assert "rest break" in response.json["message"]
    assert reload(session, on_break).questions[0].chosen is None


def test_a_flag_set_on_a_break_is_refused(client, auth, session, clock, on_break):
    auth.login("sam")
    clock.set(BREAK_AT + timedelta(minutes=1))
    response = client.post(f"/api/attempts/{on_break.id}/flags", json={"position": 1, "flagged": True})
    assert (response.status_code, response.json["error"]) == (409, "on_break")
    assert reload(session, on_break).questions[0].flagged is False


def test_after_the_allowance_ran_out_the_candidate_answers_again_without_anyone_ending_it(
        client, auth, session, clock, on_break):
    auth.login("sam")
    clock.set(BREAK_AT + timedelta(minutes=12))
    payload = status(client, on_break)
    assert payload["state"] == "in_progress"
    assert payload["remaining_seconds"] == 23 * 60
    assert payload["break"]["on_break"] is False and payload["break"]["left_seconds"] == 0
    response = client.post(f"/api/attempts/{on_break.id}/answers",
                           json={"position": 1, "choice": 0, "seq": 1})
    assert response.status_code == 200


def test_ending_a_break_restarts_the_clock_and_records_its_length(session, exam, sam, on_break):
    attempt = reload(session, on_break)
    breaks.end_break(session, attempt, sam, BREAK_AT + timedelta(minutes=4))
    session.commit()
    attempt = reload(session, on_break)
    assert attempt.on_break_since is None and attempt.break_used_seconds == 240
    assert attempt.clock.remaining(BREAK_AT + timedelta(minutes=5)) == timedelta(minutes=24)
    ended = events(session, attempt)[-1]
    assert ended.action == "break_ended"
    assert ended.detail == {"break_seconds": 240, "used_seconds": 240, "left_seconds": 360}


def test_a_candidate_without_an_allowance_cannot_take_a_break(session, exam, started):
    before = len(events(session))
    with pytest.raises(Refused, match="no rest-break allowance"):
        breaks.start_break(session, reload(session, started), exam.alice, BREAK_AT)
    session.rollback()
    assert reload(session, started).on_break_since is None
    assert len(events(session)) == before


def test_a_second_break_cannot_start_during_a_break(session, sam, on_break):
    with pytest.raises(Refused, match="already running"):
        breaks.start_break(session, reload(session, on_break), sam, BREAK_AT + timedelta(minutes=1))


def test_a_break_cannot_start_while_paused(session, sam, sams, ivy):
    invigilation.pause(session, reload(session, sams), ivy, BREAK_AT, "Fire alarm or emergency")
    session.commit()
    with pytest.raises(Refused, match="paused"):
        breaks.start_break(session, reload(session, sams), sam, BREAK_AT + timedelta(minutes=1))


def test_a_break_cannot_start_once_the_allowance_is_used(session, sam, on_break):
    breaks.end_break(session, reload(session, on_break), sam, BREAK_AT + timedelta(minutes=10))
    session.commit()
    with pytest.raises(Refused, match="No rest-break time is left"):
        breaks.start_break(session, reload(session, on_break), sam, BREAK_AT + timedelta(minutes=15))


def test_there_is_no_break_to_end_when_none_is_running(session, sam, sams):
    with pytest.raises(Refused, match="no rest break to end"):
        breaks.end_break(session, reload(session, sams), sam, BREAK_AT)


def test_the_invigilator_pausing_a_candidate_on_a_break_ends_the_break_then_pauses(
        client, session, clock, ivy, on_break):
    clock.set(BREAK_AT + timedelta(minutes=2))
    client.post(f"/invigilate/attempts/{on_break.id}/pause", data={"pause-reason": "emergency"})
    attempt = reload(session, on_break)
    assert attempt.on_break_since is None and attempt.paused_since is not None
    assert attempt.break_used_seconds == 120
    assert [e.action for e in events(session, attempt)][-2:] == ["break_ended", "attempt_paused"]
    clock.advance(minutes=30)
    client.post(f"/invigilate/attempts/{on_break.id}/resume", data={"resume-reason": "all_clear"})
    assert reload(session, on_break).clock.remaining(clock()) == timedelta(minutes=25)


def test_pausing_the_room_ends_breaks_and_pauses_everyone(client, session, exam, clock, ivy,
                                                          started, on_break):
    clock.set(BREAK_AT + timedelta(minutes=3))
    client.post(f"/invigilate/sittings/{exam.sitting.id}/pause-all",
                data={"room-pause-reason": "emergency"})
    sams, alices = reload(session, on_break), reload(session, started)
    assert sams.paused_since is not None and sams.on_break_since is None
    assert sams.break_used_seconds == 180
    assert alices.paused_since is not None
    client.post(f"/invigilate/sittings/{exam.sitting.id}/resume-all",
                data={"room-resume-reason": "all_clear"})
    assert reload(session, on_break).paused_since is None


def test_the_board_shows_a_candidate_on_a_break(client, clock, ivy, exam, on_break):
    clock.set(BREAK_AT + timedelta(minutes=1))
    rows = {r["name"]: r for r in client.get(
        f"/api/invigilate/sittings/{exam.sitting.id}/board").json["rows"]}
    assert rows["Sam"]["state"] == "on_break"
    assert rows["Sam"]["arrangements"] == "10 min rest breaks"
    assert rows["Sam"]["remaining_seconds"] == 25 * 60


def test_the_job_never_submits_during_a_break_but_does_once_the_allowance_and_the_time_ran_out(
        session, sam, sams):
    deadline = MORNING + timedelta(minutes=45)
    breaks.start_break(session, reload(session, sams), sam, deadline - timedelta(seconds=30))
    session.commit()
    assert service.finalise_expired(session, deadline + timedelta(minutes=5), GRACE) == []
    session.commit()
    new_deadline = deadline + timedelta(minutes=10)
    assert service.finalise_expired(session, new_deadline + GRACE, GRACE) == [sams.id]
    session.commit()
    attempt = reload(session, sams)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "time")
    assert attempt.on_break_since is None and attempt.break_used_seconds == 600
    assert [e.action for e in events(session, attempt)][-2:] == ["break_ended", "attempt_submitted"]


def test_submitting_during_a_break_ends_the_break(client, auth, session, clock, on_break):
    auth.login("sam")
    clock.set(BREAK_AT + timedelta(minutes=1))
    response = client.post(f"/attempts/{on_break.id}/submit")
    assert response.status_code == 302
    attempt = reload(session, on_break)
    assert attempt.status == "submitted" and attempt.on_break_since is None
    assert attempt.break_used_seconds == 60
    assert [e.action for e in events(session, attempt)][-2:] == ["break_ended", "attempt_submitted"]


def test_closing_the_sitting_during_a_break_submits_the_attempt(client, session, exam, clock, ivy,
                                                                on_break):
    clock.set(BREAK_AT + timedelta(minutes=1))
    client.post(f"/invigilate/sittings/{exam.sitting.id}/close")
    attempt = reload(session, on_break)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "closed")
    assert attempt.on_break_since is None


def test_a_break_cannot_start_on_a_submitted_attempt(session, sam, sams):
    attempt = reload(session, sams)
    service.submit(session, attempt, BREAK_AT, "candidate", actor=sam)
    session.commit()
    with pytest.raises(Refused, match="submitted"):
        breaks.start_break(session, reload(session, sams), sam, BREAK_AT + timedelta(minutes=1))


def test_the_board_page_rounds_a_part_second_up_as_its_script_does(client, clock, ivy, exam,
                                                                     sams):
    clock.set(MORNING + timedelta(minutes=20, milliseconds=400))  # 24:59.6 left
    page = client.get(f"/invigilate/sittings/{exam.sitting.id}").get_data(as_text=True)
    rows = {r["name"]: r for r in client.get(
        f"/api/invigilate/sittings/{exam.sitting.id}/board").json["rows"]}
    assert rows["Sam"]["remaining_seconds"] == pytest.approx(24 * 60 + 59.6)
    assert '<span class="time-left">25:00</span>' in page  # what invigilate.js shows: ceil
