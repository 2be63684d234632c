"""Submitting, results by outcome, automatic submission when time runs out, and resuming."""
from datetime import timedelta

from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.db import begin_write
from quiz.delivery import service
from quiz.delivery.models import Attempt
from quiz.itembank.models import ItemVersion

GRACE = timedelta(seconds=2)


def answer_all_correctly_but(session, client, attempt, wrong=()):
    for question in attempt.questions:
        key = session.get(ItemVersion, question.item_version_id).key
        right = question.option_order.index(key)
        choice = (right + 1) % 4 if question.position in wrong else right
        client.post(f"/api/attempts/{attempt.id}/answers",
                    json={"position": question.position, "choice": choice, "seq": question.position})


def test_submitting_asks_for_confirmation_and_lists_unanswered_questions(client, auth, started):
    auth.login("alice")
    page = client.get(f"/attempts/{started.id}/submit")
    assert b"Submit the test?" in page.data
    assert b"You have not answered 6 questions" in page.data


def test_submitting_scores_the_attempt_and_shows_marks_by_outcome(client, auth, session, started):
    auth.login("alice")
    answer_all_correctly_but(session, client, started, wrong={1})
    response = client.post(f"/attempts/{started.id}/submit")
    assert response.headers["Location"].endswith(f"/attempts/{started.id}/result")
    attempt = session.get(Attempt, started.id)
    session.refresh(attempt)
    assert (attempt.score_raw, attempt.score_max, attempt.submitted_reason) == (5, 6, "candidate")
    outcome_of_first = attempt.questions[0].outcome
    assert attempt.result["by_outcome"][str(outcome_of_first)]["marks"] == 2
    page = client.get(f"/attempts/{started.id}/result").data.decode()
    assert "5 out of 6" in page and "Pass" in page
    assert "Marks by learning outcome" in page


def test_answers_after_submitting_are_refused(client, auth, session, started):
    auth.login("alice")
    client.post(f"/attempts/{started.id}/submit")
    response = client.post(f"/api/attempts/{started.id}/answers",
                           json={"position": 1, "choice": 0, "seq": 1})
    assert response.status_code == 409
    assert response.json["error"] == "attempt_closed"


def test_a_sitting_with_results_to_follow_hides_the_score(client, auth, session, exam, started):
    exam.sitting.results_policy = "to_follow"
    session.commit()
    auth.login("alice")
    client.post(f"/attempts/{started.id}/submit")
    page = client.get(f"/attempts/{started.id}/result").data.decode()
    assert "Results to follow" in page
    assert "out of 6" not in page


def test_an_expired_attempt_is_submitted_by_the_job_even_if_the_browser_never_returns(session, started):
    at_deadline = started.started_at + timedelta(minutes=45)
    assert service.finalise_expired(session, at_deadline, GRACE) == []  # waits out the grace
    assert service.finalise_expired(session, at_deadline + GRACE, GRACE) == [started.id]
    session.commit()
    attempt = session.get(Attempt, started.id)
    assert (attempt.status, attempt.submitted_reason) == ("submitted", "time")
    assert attempt.score_max == 6


def test_an_expired_attempt_is_submitted_when_any_request_touches_it(client, auth, session, started, clock):
    auth.login("alice")
    clock.set(started.started_at + timedelta(minutes=46))
    response = client.get(f"/attempts/{started.id}/q/1")
    assert response.headers["Location"].endswith(f"/attempts/{started.id}/result")
    assert b"Time ran out" in client.get(f"/attempts/{started.id}/result").data


def test_signing_in_again_resumes_with_the_answers_and_the_time_left(client, auth, session, started, clock):
    auth.login("alice")
    client.post(f"/api/attempts/{started.id}/answers", json={"position": 1, "choice": 2, "seq": 1})
    clock.advance(minutes=20)
    auth.logout()
    auth.login("alice")
    dashboard = client.get("/tests").data.decode()
    assert "Continue test" in dashboard
    resumed = client.get(f"/attempts/{started.id}")
    assert resumed.headers["Location"].endswith(f"/attempts/{started.id}/q/2")
    page = client.get(f"/attempts/{started.id}/q/1").data.decode()
    assert 'value="2" checked' in page
    assert 'data-remaining="1500.0"' in page  # 25 minutes of 45 left


def test_finalising_twice_changes_nothing(session, started):
    later = started.started_at + timedelta(hours=1)
    service.finalise_expired(session, later, GRACE)
    first = session.get(Attempt, started.id).submitted_at
    assert service.finalise_expired(session, later + timedelta(minutes=5), GRACE) == []
    assert session.get(Attempt, started.id).submitted_at == first


def test_a_past_due_attempt_finished_by_the_sweep_is_not_finished_again_by_a_stale_session(
        app, session, started):
    sessions = app.extensions["quiz.request_sessions"]
    past_due = started.started_at + timedelta(minutes=45) + GRACE
    with sessions() as candidate:
        stale = candidate.get(Attempt, started.id)
        candidate.commit()  # it read the attempt in progress; its copy is kept
        with sessions() as sweep:
            assert service.finalise_expired(sweep, past_due, GRACE) == [started.id]
            sweep.commit()
        begin_write(candidate)
        assert stale.status == "in_progress"  # what the ORM hid: a copy that is out of date
        service.submit(candidate, stale, past_due + timedelta(seconds=5), "candidate")
        candidate.commit()
        assert (stale.status, stale.submitted_reason) == ("submitted", "time")
    submitted = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "attempt_submitted", AuditEvent.attempt_id == started.id)).all()
    assert [event.reason for event in submitted] == ["time"]
    attempt = session.get(Attempt, started.id)
    session.refresh(attempt)
    assert (attempt.submitted_reason, attempt.submitted_at) == ("time", past_due)
