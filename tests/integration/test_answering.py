"""Answering: saved on choice, ordered by sequence number, refused after the deadline, never leaked."""
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.itembank.models import ItemVersion


@pytest.fixture
def alice(auth, started):
    auth.login("alice")
    return started


def save(client, attempt, **body):
    return client.post(f"/api/attempts/{attempt.id}/answers", json=body)


def stored(session, attempt, position):
    session.expire_all()
    return session.scalar(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == position))


def test_choosing_an_option_saves_it_before_the_server_says_saved(client, session, alice):
    response = save(client, alice, position=1, choice=2, seq=1)
    assert response.status_code == 200
    assert response.json["status"] == "saved"
    question = stored(session, alice, 1)
    assert question.chosen == question.option_order[2]


def test_changing_an_answer_keeps_the_newest(client, session, alice):
    save(client, alice, position=1, choice=2, seq=1)
    save(client, alice, position=1, choice=0, seq=2)
    question = stored(session, alice, 1)
    assert question.chosen == question.option_order[0]


def test_an_older_save_arriving_late_does_not_overwrite_a_newer_answer(client, session, alice):
    save(client, alice, position=1, choice=0, seq=5)
    late = save(client, alice, position=1, choice=3, seq=4)
    assert late.json["status"] == "stale"
    assert late.json["choice"] == 0
    question = stored(session, alice, 1)
    assert question.chosen == question.option_order[0]


def test_a_retried_save_is_idempotent(client, session, alice):
    first = save(client, alice, position=2, choice=1, seq=1)
    again = save(client, alice, position=2, choice=1, seq=1)
    assert (first.json["status"], again.json["status"]) == ("saved", "duplicate")
    assert stored(session, alice, 2).seq == 1


def test_an_answer_can_be_cleared(client, session, alice):
    save(client, alice, position=1, choice=2, seq=1)
    save(client, alice, position=1, choice=None, seq=2)
    assert stored(session, alice, 1).chosen is None


def test_an_answer_one_second_before_the_deadline_is_saved(client, session, alice, clock):
    clock.set(alice.started_at + timedelta(minutes=45) - timedelta(seconds=1))
    assert save(client, alice, position=1, choice=1, seq=1).status_code == 200


def test_an_answer_in_flight_at_the_deadline_is_saved_within_the_grace(client, session, alice, clock):
    clock.set(alice.started_at + timedelta(minutes=45, seconds=1))
    assert save(client, alice, position=1, choice=1, seq=1).status_code == 200


def test_an_answer_after_the_deadline_is_refused_and_never_scored(client, session, alice, clock):
    save(client, alice, position=1, choice=1, seq=1)
    clock.set(alice.started_at + timedelta(minutes=45, seconds=3))
    response = save(client, alice, position=1, choice=2, seq=2)
    assert response.status_code == 409
    assert response.json["error"] == "time_up"
    assert "after the deadline" in response.json["message"] or "Time is up" in response.json["message"]
    question = stored(session, alice, 1)
    assert question.chosen == question.option_order[1]
    attempt = session.get(Attempt, alice.id)
    assert attempt.status == "submitted" and attempt.submitted_reason == "time"


@pytest.mark.parametrize("body, message", [
    ({"position": 1, "choice": 1}, "seq must be a whole number"),
    ({"position": 1, "choice": 9, "seq": 1}, "choice must be an option number from 0 to 3"),
    ({"position": 1, "choice": "B", "seq": 1}, "choice must be a whole number"),
    ({"position": 1, "choice": True, "seq": 1}, "choice must be a whole number"),
    ({"position": "1", "choice": 1, "seq": 1}, "position must be a whole number"),
    ({"position": 1, "choice": 1, "seq": -3}, "seq must be a whole number counting up from 1"),
    ([1, 2, 3], "Send a JSON object"),
])
def test_a_malformed_answer_gets_a_400_and_changes_nothing(client, session, alice, body, message):
    response = client.post(f"/api/attempts/{alice.id}/answers", json=body)
    assert response.status_code == 400
    assert message in response.json["message"]
    assert stored(session, alice, 1).chosen is None


def test_an_answer_that_is_not_json_gets_a_400(client, session, alice):
    response = client.post(f"/api/attempts/{alice.id}/answers", data="choice=1",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


def test_an_answer_to_a_question_not_on_the_paper_gets_a_404(client, alice):
    response = save(client, alice, position=99, choice=0, seq=1)
    assert response.status_code == 404
    assert "no question 99" in response.json["message"]


def test_a_candidate_cannot_answer_on_another_candidates_attempt(client, auth, session, exam, alice):
    from tests import factories
    bobs = factories.start(session, exam.sitting, exam.bob, seed=8)
    session.commit()
    response = save(client, bobs, position=1, choice=0, seq=1)
    assert response.status_code == 404
    assert stored(session, bobs, 1).chosen is None


def test_a_signed_out_visitor_gets_a_401_from_the_api(client, started):
    response = save(client, started, position=1, choice=0, seq=1)
    assert response.status_code == 401


def test_the_key_never_reaches_the_browser(client, session, alice):
    pages = [client.get(f"/attempts/{alice.id}/q/{n}").data.decode() for n in range(1, 7)]
    answers = [save(client, alice, position=n, choice=0, seq=n).json for n in range(1, 7)]
    status = client.get(f"/api/attempts/{alice.id}/status").json
    for question in alice.questions:
        version = session.get(ItemVersion, question.item_version_id)
        for page in pages:
            assert version.rationale not in page
        displayed_key = question.option_order.index(version.key)
        page = pages[question.position - 1]
        # Options are sent as display positions 0-3, never as the stored letters.
        assert f'value="{displayed_key}"' in page and 'data-key' not in page
    blob = json.dumps(answers) + json.dumps(status)
    assert '"key"' not in blob and "option_order" not in blob


def test_flagging_a_question_shows_in_the_navigator(client, session, alice):
    response = client.post(f"/api/attempts/{alice.id}/flags", json={"position": 3, "flagged": True})
    assert (response.json["status"], response.json["position"], response.json["flagged"]) == \
        ("saved", 3, True)
    page = client.get(f"/attempts/{alice.id}/q/1").data.decode()
    assert 'class="nav-q flagged"' in page
    assert "not answered, flagged for review" in page


def test_each_link_in_the_navigator_leads_to_its_own_question(client, alice):
    page = client.get(f"/attempts/{alice.id}/q/1").data.decode()
    links = re.findall(r'<li><a href="([^"]+)"\s+class="nav-q[^"]*"\s+id="nav-(\d+)"', page)
    assert [int(position) for _, position in links] == list(range(1, len(alice.questions) + 1))
    for href, position in links:
        assert href == f"/attempts/{alice.id}/q/{position}"
        shown = client.get(href)
        assert shown.status_code == 200
        assert f'aria-current="page">{position}<' in shown.data.decode()


def test_without_javascript_the_form_saves_the_answer_and_moves_on(client, session, alice):
    response = client.post(f"/attempts/{alice.id}/q/1", data={"choice": "3", "seq": "1",
                                                              "action": "next"})
    assert response.headers["Location"].endswith(f"/attempts/{alice.id}/q/2")
    question = stored(session, alice, 1)
    assert question.chosen == question.option_order[3]


def test_the_status_reports_the_servers_time_left(client, alice, clock):
    clock.advance(minutes=10)
    status = client.get(f"/api/attempts/{alice.id}/status").json
    assert status["state"] == "in_progress"
    assert status["remaining_seconds"] == 35 * 60
    assert status["questions"] == 6
