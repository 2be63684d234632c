"""Malformed requests get a 4xx with a message and change nothing; never a 500."""
import pytest
from sqlalchemy import select

from quiz.delivery.models import AttemptQuestion
from tests import factories

TOO_BIG = 2**63  # one past SQLite's largest integer
BIGGEST = 2**63 - 1
PG_TOO_BIG = 2**31  # one past the 32-bit id columns of PostgreSQL


@pytest.fixture
def alice(auth, started):
    auth.login("alice")
    return started


def answers_held(session, attempt):
    session.expire_all()
    return [q.chosen for q in session.scalars(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt.id).order_by(AttemptQuestion.position))]


@pytest.mark.parametrize("number", [PG_TOO_BIG, BIGGEST, TOO_BIG, 10**30])
@pytest.mark.parametrize("path", ["/attempts/{n}", "/attempts/{n}/q/1", "/attempts/1/q/{n}",
                                  "/api/attempts/{n}/status", "/sittings/{n}/join"])
def test_a_huge_id_in_a_candidates_url_is_not_found(client, alice, path, number):
    response = client.get(path.format(n=number))
    assert response.status_code == 404
    assert b"not found" in response.data.lower() or b"no such" in response.data.lower()


@pytest.mark.parametrize("path", ["/invigilate/sittings/{n}", "/invigilate/attempts/{n}",
                                  "/api/invigilate/sittings/{n}/board"])
def test_a_huge_id_in_an_invigilators_url_is_not_found(client, auth, session, exam, path):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    assert client.get(path.format(n=TOO_BIG)).status_code == 404


@pytest.mark.parametrize("path", ["/results/sittings/{n}", "/results/tests/{n}",
                                  "/results/attempts/{n}/feedback",
                                  "/results/sittings/{n}/download.csv"])
def test_a_huge_id_in_a_results_url_is_not_found(client, auth, session, exam, path):
    factories.make_user(session, "rita", role="results_officer")
    session.commit()
    auth.login("rita")
    assert client.get(path.format(n=TOO_BIG)).status_code == 404


@pytest.mark.parametrize("field", ["position", "choice", "seq"])
def test_a_huge_number_in_a_saved_answer_is_refused_with_a_message(client, session, alice, field):
    body = {"position": 1, "choice": 0, "seq": 1, field: TOO_BIG}
    response = client.post(f"/api/attempts/{alice.id}/answers", json=body)
    assert response.status_code == 400
    assert field in response.json["message"]
    assert answers_held(session, alice) == [None] * 6


def test_a_huge_position_in_a_flag_is_refused_with_a_message(client, alice):
    response = client.post(f"/api/attempts/{alice.id}/flags",
                           json={"position": TOO_BIG, "flagged": True})
    assert response.status_code == 400
    assert "position" in response.json["message"]


def test_json_nested_a_hundred_thousand_deep_is_refused_with_a_message(client, session, alice):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(f"/api/attempts/{alice.id}/answers", data=deep,
                           content_type="application/json")
    assert response.status_code == 413  # 200 KB: over the API's size limit before any parsing
    assert response.json["message"]
    assert answers_held(session, alice) == [None] * 6


def test_json_nested_too_deeply_within_the_size_limit_is_refused_with_a_message(client, session, alice):
    deep = '{"position": ' + "[" * 30_000 + "]" * 30_000 + "}"
    response = client.post(f"/api/attempts/{alice.id}/answers", data=deep,
                           content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json["message"]
    assert answers_held(session, alice) == [None] * 6


def test_ten_megabytes_of_json_is_refused_before_it_is_read(client, session, alice):
    padding = "x" * (10 * 1024 * 1024)
    body = '{"position": 1, "choice": 0, "seq": 1, "padding": "%s"}' % padding
    response = client.post(f"/api/attempts/{alice.id}/answers", data=body,
                           content_type="application/json")
    assert response.status_code == 413
    assert "64 KB" in response.json["message"]
    assert answers_held(session, alice) == [None] * 6


def test_an_upload_over_the_request_limit_is_refused_with_the_limit_named(client, auth, session, exam):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    huge = b"x" * (9 * 1024 * 1024)
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/roster",
                           data={"roster": (__import__("io").BytesIO(huge), "roster.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert b"8 MB" in response.data


def test_a_huge_candidate_id_in_a_booking_form_is_refused(client, auth, session, exam):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    response = client.post(f"/invigilate/sittings/{exam.sitting.id}/bookings",
                           data={"candidate_id": str(TOO_BIG)})
    assert 400 <= response.status_code < 500
