"""A candidate signs in, finds the sitting, gives the keycode and starts: the paper is fixed then."""
from datetime import timedelta

from sqlalchemy import select, update

from quiz.audit import AuditEvent
from quiz.delivery.models import Attempt, AttemptQuestion, Booking
from quiz.invigilation.messages import send_message
from tests import factories
from tests.factories import KEYCODE, PASSWORD


def test_signing_in_with_a_wrong_password_is_refused(client, exam):
    response = client.post("/login", data={"username": "alice", "password": "nope-nope"})
    assert response.status_code == 401
    assert b"do not match an account" in response.data


def test_repeated_wrong_passwords_are_slowed_down(client, exam):
    for _ in range(4):
        client.post("/login", data={"username": "alice", "password": "wrong-wrong"})
    response = client.post("/login", data={"username": "alice", "password": "correct-horse-9"})
    assert response.status_code == 429
    assert b"Try again in" in response.data


def test_a_candidate_sees_the_sittings_they_are_booked_on(client, auth, exam):
    auth.login("alice")
    page = client.get("/tests")
    assert page.status_code == 200
    assert b"Morning sitting" in page.data
    assert b"Enter keycode" in page.data


def test_a_wrong_keycode_is_refused_and_recorded(client, auth, exam, session):
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": "WRONG1"})
    assert response.status_code == 400
    assert b"That keycode is not right" in response.data
    assert "keycode_refused" in session.scalars(select(AuditEvent.action)).all()
    assert session.scalar(select(Attempt)) is None


def test_a_keycode_with_letters_outside_ascii_is_refused_as_wrong(client, auth, exam, session):
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": "ÄBÇ123"})
    assert response.status_code == 400
    assert "That keycode is not right" in response.get_data(as_text=True)
    assert session.scalar(select(Attempt)) is None


def test_repeated_wrong_keycodes_are_slowed_down(client, auth, exam):
    auth.login("alice")
    for _ in range(4):
        client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": "WRONG1"})
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert response.status_code == 429
    assert b"Too many wrong keycodes" in response.data


def test_the_old_instructions_address_leads_to_the_keycode_page(client, auth, exam):
    auth.login("alice")
    response = client.get(f"/sittings/{exam.sitting.id}/instructions")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sittings/{exam.sitting.id}/join")


def test_the_keycode_page_shows_the_instructions_and_starts_nothing(client, auth, exam, session):
    auth.login("alice")
    page = client.get(f"/sittings/{exam.sitting.id}/join")
    assert b"Number of questions: <strong>6</strong>" in page.data
    assert b"Time allowed: <strong>45 minutes</strong>" in page.data
    assert b'name="keycode"' in page.data and b"Start the test" in page.data
    assert session.scalar(select(Attempt)) is None  # reading the instructions starts nothing
    assert session.scalar(select(Booking.admitted_at)) is None


def test_the_right_keycode_starts_the_attempt_and_fixes_the_paper_in_one_request(
        client, auth, exam, session):
    auth.login("alice")
    started = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE.lower()})
    attempt = session.scalar(select(Attempt))
    assert started.status_code == 200  # the first question itself, not a redirect to it
    page = started.get_data(as_text=True)
    assert "Question 1 of 6" in page
    assert f'action="/attempts/{attempt.id}/q/1"' in page  # its form posts to its own address
    questions = session.scalars(select(AttemptQuestion).order_by(AttemptQuestion.position)).all()
    assert len(questions) == 6
    assert {q.outcome for q in questions} == {1, 2}
    assert all(sorted(q.option_order) == ["A", "B", "C", "D"] for q in questions)
    assert attempt.seed is not None and attempt.duration_seconds == 45 * 60
    assert session.scalar(select(Booking.admitted_at).where(
        Booking.candidate_id == exam.alice.id)) is not None  # the board saw them admitted
    trail = session.scalars(select(AuditEvent).where(AuditEvent.action == "attempt_started")).all()
    assert [(e.attempt_id, e.actor_id, e.detail["seed"]) for e in trail] == [
        (attempt.id, exam.alice.id, attempt.seed)]


def test_the_first_question_start_answers_with_is_the_page_its_own_address_serves(
        client, auth, exam, session):
    """Start draws question 1 from what it has just written and the cached bank, not from a
    read of the attempt: the page is the one GET /attempts/<id>/q/1 draws from the database,
    with a room message sent before the start, byte for byte."""
    ivy = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    send_message(session, exam.sitting, ivy, factories.MORNING, "Phones off, please.")
    session.commit()
    auth.login("alice")
    started = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    attempt = session.scalar(select(Attempt))
    served = client.get(f"/attempts/{attempt.id}/q/1")
    assert started.status_code == served.status_code == 200
    assert "Phones off, please." in started.get_data(as_text=True)
    assert started.get_data(as_text=True) == served.get_data(as_text=True)


def test_a_wrong_keycode_starts_nothing_and_keeps_the_instructions_in_view(client, auth, exam,
                                                                           session):
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": "WRONG1"})
    assert response.status_code == 400
    assert b"Number of questions: <strong>6</strong>" in response.data
    assert session.scalar(select(Attempt)) is None
    assert session.scalar(select(Booking.admitted_at)) is None


def test_no_keycode_is_refused_with_a_clear_error(client, auth, exam, session):
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": "  "})
    assert response.status_code == 400
    assert b"Enter the keycode." in response.data
    assert session.scalar(select(Attempt)) is None


def test_a_candidate_who_has_started_goes_back_to_their_attempt(client, auth, exam, session):
    auth.login("alice")
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    attempt = session.scalar(select(Attempt))
    page = client.get(f"/sittings/{exam.sitting.id}/join")
    assert page.status_code == 303 and page.headers["Location"].endswith(f"/attempts/{attempt.id}")
    again = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert again.headers["Location"].endswith(f"/attempts/{attempt.id}")
    assert len(session.scalars(select(Attempt)).all()) == 1


def test_a_candidate_not_booked_on_a_sitting_cannot_join_it(client, auth, exam, session):
    from tests import factories
    factories.make_user(session, "carol", centre=exam.centre)
    session.commit()
    auth.login("carol")
    assert client.get(f"/sittings/{exam.sitting.id}/join").status_code == 404


def test_a_sitting_that_is_not_open_cannot_be_started(client, auth, exam, session):
    exam.sitting.status = "scheduled"
    session.commit()
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert response.status_code == 403
    assert b"has not been opened yet" in response.data


def test_a_sitting_outside_its_window_cannot_be_started(client, auth, exam, session, clock):
    clock.set(exam.sitting.ends_at + timedelta(minutes=1))
    auth.login("alice")
    response = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert response.status_code == 403
    assert b"window has ended" in response.data


def test_starting_twice_keeps_the_first_paper(client, auth, exam, session):
    auth.login("alice")
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    paper = session.scalars(select(AttemptQuestion.item_version_id)).all()
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert len(session.scalars(select(Attempt)).all()) == 1
    assert session.scalars(select(AttemptQuestion.item_version_id)).all() == paper


def test_starting_from_the_keycode_page_applies_extra_time_and_rest_breaks(client, auth, exam,
                                                                            session):
    exam.alice.extra_time_percent, exam.alice.rest_break_minutes = 25, 10
    session.commit()
    auth.login("alice")
    page = client.get(f"/sittings/{exam.sitting.id}/join")
    assert b"plus 25% extra time granted to you" in page.data
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    attempt = session.scalar(select(Attempt))
    assert (attempt.extra_seconds, attempt.break_allowance_seconds) == (11 * 60 + 15, 600)
    assert attempt.pass_mark_percent == exam.sitting.blueprint.pass_mark_percent


def test_extra_time_granted_to_the_candidate_applies_when_they_start(session, exam):
    from tests import factories
    exam.alice.extra_time_percent = 25
    attempt = factories.start(session, exam.sitting, exam.alice)
    assert attempt.extra_seconds == 11 * 60 + 15


def session_cookie(app, client) -> dict:
    """Return what the browser's signed session cookie holds."""
    cookie = client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_admission_is_kept_on_the_server_not_in_the_session_cookie(app, client, auth, exam,
                                                                   session):
    auth.login("alice")
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert "admitted" not in session_cookie(app, client)
    booking = session.scalar(select(Booking).where(Booking.candidate_id == exam.alice.id))
    assert booking.admitted_at is not None


def keycode_asked(response) -> bool:
    """Return whether the page asks for the keycode."""
    return response.status_code == 200 and b'name="keycode"' in response.data


def test_the_next_candidate_on_a_shared_browser_needs_the_keycode_again(client, auth, exam,
                                                                        session):
    admit(session, exam, exam.alice)  # alice gave the keycode on this browser, then signed out
    auth.login("alice")
    auth.logout()
    auth.login("bob")
    assert keycode_asked(client.get(f"/sittings/{exam.sitting.id}/join"))
    started = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": ""})
    assert started.status_code == 400 and b"Enter the keycode." in started.data
    assert session.scalar(select(Attempt)) is None


def test_an_admitted_candidate_signing_in_on_another_browser_goes_straight_on(app, auth, exam,
                                                                              session):
    admit(session, exam, exam.alice)
    other = app.test_client()
    other.post("/login", data={"username": "alice", "password": PASSWORD})
    page = other.get(f"/sittings/{exam.sitting.id}/join")
    assert page.status_code == 200 and not keycode_asked(page)
    started = other.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": ""})
    attempt = session.scalar(select(Attempt))
    assert started.status_code == 303  # the general path's Start redirects to the question
    assert started.headers["Location"].endswith(f"/attempts/{attempt.id}/q/1")


def test_admission_from_before_a_sitting_was_reopened_needs_the_keycode_again(
        client, auth, exam, session, clock):
    admit(session, exam, exam.alice)
    auth.login("alice")
    clock.advance(minutes=5)
    exam.sitting.opened_at = clock()  # closed and opened again since alice gave the keycode
    session.commit()
    assert keycode_asked(client.get(f"/sittings/{exam.sitting.id}/join"))
    started = client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": ""})
    assert started.status_code == 400 and session.scalar(select(Attempt)) is None


def admit(session, exam, candidate):
    """Record the candidate as having given the keycode but not started (the board's "waiting")."""
    session.execute(update(Booking).where(Booking.candidate_id == candidate.id)
                    .values(admitted_at=exam.sitting.opened_at or factories.MORNING))
    session.commit()
