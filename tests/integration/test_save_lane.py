"""The save lane (quiz/web/lane.py): an ordinary save is answered beneath Flask, with the same
checks; anything else is answered by Flask exactly as before."""
import re
import threading
import time
from datetime import timedelta

import pytest
from flask import request_started
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select, update

from quiz.accounts.models import User
from quiz.delivery.models import AttemptQuestion
from quiz.web.lane import Verified
from tests.factories import PASSWORD


@pytest.fixture
def guarded(app):
    """The app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


class Browser:
    """A signed-in candidate's browser, holding the token the question page gives its script."""

    def __init__(self, app, username: str, attempt_id: int, base_url: str = "http://localhost"):
        self.client = app.test_client()
        self.base_url = base_url
        self.attempt_id = attempt_id
        login = self._token(self.client.get("/login", base_url=base_url).data)
        signed = self.client.post("/login", base_url=base_url, headers={
            "Referer": f"{base_url}/login"}, data={
            "username": username, "password": PASSWORD, "csrf_token": login})
        assert signed.status_code == 302
        page = self.client.get(f"/attempts/{attempt_id}/q/1", base_url=base_url)
        self.token = self._token(page.data)

    @staticmethod
    def _token(page: bytes) -> str:
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()

    def save(self, body: dict, token: str | None = "mine", **headers):
        if token is not None:
            headers["X-CSRFToken"] = self.token if token == "mine" else token
        return self.client.post(f"/api/attempts/{self.attempt_id}/answers", json=body,
                                base_url=self.base_url, headers=headers)


@pytest.fixture
def alice(guarded, started):
    return Browser(guarded, "alice", started.id)


class FlaskRequests:
    """Count the requests Flask itself handled."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def _seen(self, _sender, **_extra):
        self.count += 1

    def __enter__(self):
        request_started.connect(self._seen, self.app)
        return self

    def __exit__(self, *_exc):
        request_started.disconnect(self._seen, self.app)


def stored(session, attempt_id, position):
    session.expire_all()
    return session.scalar(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == position))


def token_signed_seconds_ago(app, browser, seconds: int) -> str:
    """Return the browser's session's CSRF token as the app signs it, but signed `seconds` ago."""
    with browser.client.session_transaction() as cookie:
        secret = cookie["csrf_token"]

    class ThatLongAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - seconds

    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token",
                                  signer=ThatLongAgo).dumps(secret)


def test_an_ordinary_save_is_stored_without_flask_handling_the_request(guarded, session, alice):
    with FlaskRequests(guarded) as flask:
        reply = alice.save({"position": 1, "choice": 2, "seq": 1})
    assert reply.status_code == 200 and reply.json["status"] == "saved"
    assert flask.count == 0
    question = stored(session, alice.attempt_id, 1)
    assert question.chosen == question.option_order[2] and question.seq == 1


def test_the_lane_replies_with_the_body_and_headers_flask_gives(guarded, alice):
    guarded.config["QUIZ_SAVE_LANE"] = False
    with FlaskRequests(guarded) as flask:
        by_flask = alice.save({"position": 1, "choice": 2, "seq": 1})
    assert flask.count == 1
    guarded.config["QUIZ_SAVE_LANE"] = True
    by_lane = alice.save({"position": 2, "choice": 2, "seq": 2})
    assert by_lane.status_code == by_flask.status_code == 200
    assert {**by_lane.json, "position": 1, "seq": 1} == by_flask.json
    assert sorted(by_lane.headers.items()) == sorted(by_flask.headers.items())


@pytest.mark.parametrize("lane", [True, False], ids=["lane", "flask"])
def test_by_either_way_a_retry_or_an_older_save_changes_nothing(guarded, session, alice, lane):
    guarded.config["QUIZ_SAVE_LANE"] = lane
    assert alice.save({"position": 1, "choice": 2, "seq": 2}).json["status"] == "saved"
    retry = alice.save({"position": 1, "choice": 2, "seq": 2})
    older = alice.save({"position": 1, "choice": 0, "seq": 1})
    assert (retry.json["status"], older.json["status"]) == ("duplicate", "stale")
    assert older.json["choice"] == 2 and older.json["seq"] == 2  # what is held, as the reply
    question = stored(session, alice.attempt_id, 1)
    assert question.chosen == question.option_order[2] and question.seq == 2


def test_a_save_without_a_csrf_token_is_refused_and_changes_nothing(session, alice):
    reply = alice.save({"position": 1, "choice": 2, "seq": 1}, token=None)
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_a_token_from_another_session_is_refused(guarded, session, alice, exam):
    bob = Browser(guarded, "bob", alice.attempt_id)  # bob's page for alice's attempt: a 404,
    bob_token = Browser._token(bob.client.get("/tests").data)  # but his session's token
    reply = alice.save({"position": 1, "choice": 2, "seq": 1}, token=bob_token)
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_where_tokens_have_a_time_limit_one_past_it_is_refused(guarded, session, alice):
    guarded.config["WTF_CSRF_TIME_LIMIT"] = 3600  # ours have none: a test outlasts an hour
    old = token_signed_seconds_ago(guarded, alice, 3660)
    assert alice.save({"position": 1, "choice": 2, "seq": 1}, token=old).status_code == 400
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_a_tampered_session_cookie_is_no_session(session, alice):
    cookie = alice.client.get_cookie("session")
    alice.client.set_cookie("session", cookie.value[:-2] + ("A" if cookie.value[-1] != "A" else "B")
                            + cookie.value[-1])
    reply = alice.save({"position": 1, "choice": 2, "seq": 1})
    # no session, so no CSRF secret to match the token: refused before anyone is looked up
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_a_session_signed_out_elsewhere_cannot_save(session, alice, exam):
    session.execute(update(User).where(User.id == exam.alice.id)
                    .values(session_version=User.session_version + 1))
    reply = alice.save({"position": 1, "choice": 2, "seq": 1})
    assert reply.status_code == 401
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_on_https_a_save_must_come_from_a_page_of_this_host(guarded, session, started):
    alice = Browser(guarded, "alice", started.id, base_url="https://exams.example")
    body = {"position": 1, "choice": 2, "seq": 1}
    assert alice.save(body).status_code == 400  # no Referer
    assert alice.save(body, Referer="https://elsewhere.example/page").status_code == 400
    assert stored(session, started.id, 1).chosen is None
    with FlaskRequests(guarded) as flask:
        reply = alice.save(body, Referer=f"https://exams.example/attempts/{started.id}/q/1")
    assert reply.status_code == 200 and reply.json["status"] == "saved" and flask.count == 0


@pytest.mark.parametrize("body, message", [
    ({"position": "1", "choice": 1, "seq": 1}, "position must be a whole number"),
    ({"position": 1, "choice": 9, "seq": 1}, "choice must be an option number from 0 to 3"),
    ([1, 2, 3], "Send a JSON object"),
])
def test_a_malformed_save_gets_flasks_message_from_the_body_the_lane_read(
        session, alice, body, message):
    reply = alice.save(body)
    assert reply.status_code == 400 and message in reply.json["message"]
    assert stored(session, alice.attempt_id, 1).chosen is None


def test_a_save_after_the_deadline_is_refused_by_the_general_path(guarded, session, alice,
                                                                    started, clock):
    clock.set(started.started_at + timedelta(minutes=45, seconds=3))
    with FlaskRequests(guarded) as flask:
        reply = alice.save({"position": 1, "choice": 2, "seq": 1})
    assert reply.status_code == 409 and reply.json["error"] == "time_up"
    assert flask.count == 1
    assert stored(session, alice.attempt_id, 1).chosen is None


class Later:
    """The clock every signature's age is counted by (time.time), moved on by some seconds."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.real = monkeypatch, time.time

    def move_on(self, seconds: float) -> None:
        self.monkeypatch.setattr(time, "time", lambda: self.real() + seconds)


def test_a_token_that_saved_is_refused_once_past_its_time_limit(guarded, session, alice,
                                                                  monkeypatch):
    guarded.config["WTF_CSRF_TIME_LIMIT"] = 3600
    token = token_signed_seconds_ago(guarded, alice, 3590)
    assert alice.save({"position": 1, "choice": 2, "seq": 1}, token=token).status_code == 200
    Later(monkeypatch).move_on(20)
    reply = alice.save({"position": 1, "choice": 3, "seq": 2}, token=token)
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen == "C"  # the first save's choice


def test_a_session_cookie_that_saved_is_no_session_once_past_its_lifetime(guarded, session, alice,
                                                                          monkeypatch):
    assert alice.save({"position": 1, "choice": 2, "seq": 1}).status_code == 200
    Later(monkeypatch).move_on(guarded.permanent_session_lifetime.total_seconds() + 5)
    reply = alice.save({"position": 1, "choice": 3, "seq": 2})
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen == "C"


def test_a_cookie_that_saved_no_longer_saves_once_the_secret_key_changes(guarded, session, alice):
    guarded.config["WTF_CSRF_SECRET_KEY"] = guarded.secret_key  # the token alone still holds
    assert alice.save({"position": 1, "choice": 2, "seq": 1}).status_code == 200
    guarded.secret_key = guarded.config["SECRET_KEY"] = "a new secret key"
    reply = alice.save({"position": 1, "choice": 3, "seq": 2})
    assert reply.status_code == 400 and reply.json["error"] == "csrf"
    assert stored(session, alice.attempt_id, 1).chosen == "C"


def test_a_signed_value_is_verified_once_and_remembered_up_to_a_bound():
    serializer = URLSafeTimedSerializer("key", salt="test")
    made = []

    def maker():
        made.append(1)
        return serializer

    remembered = Verified(size=2)
    first, second, third = (serializer.dumps({"n": n}) for n in (1, 2, 3))
    assert remembered.loads(maker, ("k", first), first, 60) == {"n": 1}
    assert remembered.loads(maker, ("k", first), first, 60) == {"n": 1}
    assert len(made) == 1  # the second time from memory
    remembered.loads(maker, ("k", second), second, 60)
    remembered.loads(maker, ("k", third), third, 60)  # the bound: the oldest, first, goes
    assert remembered.loads(maker, ("k", first), first, 60) == {"n": 1}
    assert len(made) == 4


def test_a_remembered_payload_cannot_be_changed_by_whoever_reads_it():
    serializer = URLSafeTimedSerializer("key", salt="test")
    value = serializer.dumps({"_user_id": "7"})
    payload = Verified().loads(lambda: serializer, ("k", value), value, 60)
    with pytest.raises(TypeError):
        payload["_user_id"] = "8"


def test_a_tampered_value_is_refused_and_not_remembered():
    serializer = URLSafeTimedSerializer("key", salt="test")
    value = serializer.dumps({"n": 1})
    # The payload's first character: the signature's last carries bits base64 may ignore.
    tampered = ("f" if value[0] != "f" else "g") + value[1:]
    remembered = Verified()
    assert remembered.loads(lambda: serializer, ("k", tampered), tampered, 60) is None
    assert ("k", tampered) not in remembered._known


def test_threads_remembering_values_at_once_keep_within_the_bound():
    serializer = URLSafeTimedSerializer("key", salt="test")
    values = [serializer.dumps({"n": n}) for n in range(2_000)]
    remembered, failures = Verified(size=100), []

    def remember(offset: int) -> None:
        try:
            for value in values[offset::4]:
                assert remembered.loads(lambda: serializer, ("k", value), value, 60) is not None
        except Exception as error:  # noqa: BLE001 - any failure in a thread fails the test
            failures.append(error)

    threads = [threading.Thread(target=remember, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(remembered._known) == 100
