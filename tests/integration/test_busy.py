"""When every pooled database connection stays in use past the pool's time-out, the server says
it is busy (503, Retry-After) at once, changes nothing, and works again once a connection frees.

Before, the error page itself needed a connection (its header loads the signed-in account), so
it waited out the time-out a second time and failed as a bare 500.
"""
import pytest
from flask import request_started
from sqlalchemy import select
from sqlalchemy.exc import TimeoutError as PoolTimeout

from quiz import create_app
from quiz.delivery import presence
from quiz.delivery.models import AttemptQuestion
from quiz.web import BUSY_RETRY_SECONDS
from tests import factories

SHARED = ("TESTING", "WTF_CSRF_ENABLED", "SECRET_KEY", "QUIZ_SCHEDULER",
          "QUIZ_ANSWER_GRACE_SECONDS", "QUIZ_CLOCK", "QUIZ_DATABASE_URL")


@pytest.fixture
def crowded(app):
    """The same app on the same database, but its pool gives up after a fifth of a second."""
    crowded = create_app({**{key: app.config[key] for key in SHARED},
                          "QUIZ_DB_POOL_TIMEOUT_SECONDS": 0.2})
    yield crowded
    engine = crowded.extensions["quiz.engine"]
    presence.flush(engine)
    engine.dispose()


@pytest.fixture
def alice(crowded, started):
    """Alice, signed in on the crowded app, with her attempt started."""
    client = crowded.test_client()
    signed_in = client.post("/login", data={"username": "alice", "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    return client


@pytest.fixture
def full_pool(crowded):
    """Every connection of the crowded app's pool, held by someone else until released."""
    held = []
    engine = crowded.extensions["quiz.engine"]

    def release():
        while held:
            held.pop().close()

    while True:
        try:
            held.append(engine.connect())
        except PoolTimeout:
            break
    yield release
    release()


def stored_answers(session, attempt):
    session.expire_all()
    return [q.chosen for q in session.scalars(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt.id).order_by(AttemptQuestion.position))]


def test_a_page_says_the_server_is_busy_and_when_to_try_again(alice, full_pool):
    response = alice.get("/tests")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(BUSY_RETRY_SECONDS)
    assert b"The server is busy" in response.data
    assert b"Please try again in a moment" in response.data


def test_the_api_says_busy_in_json_so_the_page_keeps_the_answer_and_retries(
        alice, full_pool, started):
    response = alice.get(f"/api/attempts/{started.id}/status")
    assert response.status_code == 503
    assert response.json["error"] == "busy"
    assert response.headers["Retry-After"] == str(BUSY_RETRY_SECONDS)


def test_a_save_refused_as_busy_changes_nothing_and_goes_through_once_a_connection_frees(
        alice, full_pool, started, session, crowded):
    save = {"position": 1, "choice": 2, "seq": 1}
    flask_requests = []
    request_started.connect(flask_requests.append, crowded, weak=False)
    try:
        refused = alice.post(f"/api/attempts/{started.id}/answers", json=save)
    finally:
        request_started.disconnect(flask_requests.append, crowded)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == str(BUSY_RETRY_SECONDS)
    # The save lane said it, in the app's words, without handing Flask a second wait.
    assert flask_requests == []
    assert refused.json == alice.get(f"/api/attempts/{started.id}/status").json
    assert stored_answers(session, started) == [None] * 6

    full_pool()  # the connections come free
    saved = alice.post(f"/api/attempts/{started.id}/answers", json=save)
    assert saved.status_code == 200
    assert saved.json["status"] == "saved"
    assert stored_answers(session, started)[0] is not None
