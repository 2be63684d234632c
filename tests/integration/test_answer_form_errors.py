"""Without JavaScript, an answer the server cannot take is reported on the page, never ignored."""
import pytest
from sqlalchemy import select

from quiz.delivery.models import AttemptQuestion


@pytest.fixture
def alice(auth, started):
    auth.login("alice")
    return started


def held(session, attempt, position):
    session.expire_all()
    return session.scalar(select(AttemptQuestion.chosen).where(
        AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == position))


@pytest.mark.parametrize("choice", ["B", "two", "1.5", "\u0661", "9" * 40])
def test_a_choice_that_is_not_a_number_is_reported_and_the_page_stays(client, session, alice, choice):
    response = client.post(f"/attempts/{alice.id}/q/2", data={"choice": choice, "seq": "1",
                                                              "action": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{alice.id}/q/2")  # not moved on
    page = client.get(response.headers["Location"]).data.decode()
    assert "Your answer was not saved" in page
    assert held(session, alice, 2) is None


def test_a_choice_that_is_not_an_option_is_reported_and_the_page_stays(client, session, alice):
    response = client.post(f"/attempts/{alice.id}/q/2", data={"choice": "7", "seq": "1",
                                                              "action": "next"})
    assert response.headers["Location"].endswith(f"/attempts/{alice.id}/q/2")
    page = client.get(response.headers["Location"]).data.decode()
    assert "Your answer was not saved" in page and "Choose one of the options" in page
    assert held(session, alice, 2) is None


def test_a_choice_without_its_sequence_number_is_reported(client, session, alice):
    response = client.post(f"/attempts/{alice.id}/q/2", data={"choice": "1", "action": "next"})
    assert response.headers["Location"].endswith(f"/attempts/{alice.id}/q/2")
    page = client.get(response.headers["Location"]).data.decode()
    assert "Your answer was not saved" in page
    assert held(session, alice, 2) is None


def test_moving_on_without_choosing_still_moves_on_quietly(client, session, alice):
    response = client.post(f"/attempts/{alice.id}/q/2", data={"seq": "1", "action": "next"})
    assert response.headers["Location"].endswith(f"/attempts/{alice.id}/q/3")
    page = client.get(response.headers["Location"]).data.decode()
    assert "not saved" not in page
