"""Guessing passwords and keycodes is slowed down without letting anyone lock a real user out."""
import pytest
from sqlalchemy import func, select

from quiz.accounts.models import Throttle
from quiz.delivery.models import Booking
from tests import factories
from tests.factories import KEYCODE, PASSWORD

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
HALL = "192.0.2.1"  # a whole exam hall behind one NAT address


def sign_in(client, username, password, address):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def join(client, sitting, keycode, address):
    return client.post(f"/sittings/{sitting.id}/join", data={"keycode": keycode},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_passwords_from_another_computer_do_not_lock_the_owner_out(client, exam):
    for _ in range(10):
        sign_in(client, "alice", "guess-guess", ATTACKER)
    assert sign_in(client, "alice", PASSWORD, OWNER).status_code == 302


def test_the_guesser_is_still_slowed_down_at_their_own_computer(client, exam):
    for _ in range(4):
        sign_in(client, "alice", "guess-guess", ATTACKER)
    refused = sign_in(client, "alice", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert b"Too many wrong sign-ins for this account" in refused.data


def test_one_password_tried_against_many_accounts_from_one_address_is_slowed(app, client, session, exam):
    app.config["QUIZ_SOURCE_GUESS_BURST"] = 5
    for n in range(5):
        sign_in(client, f"someone{n}", "Spring2026!", ATTACKER)
    refused = sign_in(client, "alice", PASSWORD, ATTACKER)  # even the right password waits
    assert refused.status_code == 429
    assert b"Too many wrong sign-ins from this network. Try again in 3 seconds." in refused.data
    assert sign_in(client, "alice", PASSWORD, OWNER).status_code == 302  # elsewhere: fine


def test_the_address_may_guess_again_once_its_bucket_drains(app, client, exam, clock):
    app.config["QUIZ_SOURCE_GUESS_BURST"] = 5
    for n in range(5):
        sign_in(client, f"someone{n}", "Spring2026!", ATTACKER)
    clock.advance(seconds=3)
    assert sign_in(client, "alice", PASSWORD, ATTACKER).status_code == 302


def test_a_hall_sharing_one_address_is_not_slowed_by_its_typos(client, session, exam):
    candidates = [f"hall{n}" for n in range(5)]
    for username in candidates:
        factories.make_user(session, username, centre=exam.centre)
    session.commit()
    for username in candidates:
        assert sign_in(client, username, "typo-typo", HALL).status_code == 401
        assert sign_in(client, username, "typo-typo", HALL).status_code == 401
        assert sign_in(client, username, PASSWORD, HALL).status_code == 302
        client.post("/logout")


def test_made_up_usernames_do_not_each_store_a_row(client, session, exam):
    for n in range(10):
        sign_in(client, f"made-up-{n}", "guess-guess", ATTACKER)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Throttle)) == 1  # the address's count


def test_a_right_password_leaves_no_row_for_the_account(client, session, exam):
    sign_in(client, "alice", "typo-typo", OWNER)
    sign_in(client, "alice", PASSWORD, OWNER)
    session.expire_all()
    assert session.scalars(select(Throttle.kind)).all() == ["password-source"]


def test_wrong_keycodes_from_one_address_across_accounts_are_slowed(app, client, auth, exam):
    app.config["QUIZ_SOURCE_GUESS_BURST"] = 3
    sign_in(client, "alice", PASSWORD, ATTACKER)
    join(client, exam.sitting, "WRONG1", ATTACKER)
    join(client, exam.sitting, "WRONG2", ATTACKER)
    client.post("/logout")
    sign_in(client, "bob", PASSWORD, ATTACKER)
    join(client, exam.sitting, "WRONG3", ATTACKER)
    refused = join(client, exam.sitting, KEYCODE, ATTACKER)
    assert refused.status_code == 429
    assert b"Too many wrong keycodes from this network" in refused.data


def test_keycode_typos_in_a_hall_do_not_hold_up_the_hall(client, exam):
    for username in ("alice", "bob"):
        sign_in(client, username, PASSWORD, HALL)
        assert join(client, exam.sitting, "AAAAAA", HALL).status_code == 400
        assert join(client, exam.sitting, KEYCODE, HALL).status_code == 303  # admitted and started
        client.post("/logout")


def test_an_address_slowed_down_refuses_even_the_right_keycode_of_an_account_without_typos(
        app, client, exam):
    app.config["QUIZ_SOURCE_GUESS_BURST"] = 3
    sign_in(client, "alice", PASSWORD, ATTACKER)
    for wrong in ("WRONG1", "WRONG2", "WRONG3"):
        join(client, exam.sitting, wrong, ATTACKER)
    client.post("/logout")
    sign_in(client, "bob", PASSWORD, ATTACKER)  # nothing counted against bob's account
    refused = join(client, exam.sitting, KEYCODE, ATTACKER)
    assert refused.status_code == 429
    assert b"Too many wrong keycodes from this network" in refused.data


def test_a_candidate_without_typos_starts_in_a_hall_whose_address_has_some(client, session, exam):
    carol = factories.make_user(session, "carol", centre=exam.centre)
    session.add(Booking(sitting=exam.sitting, candidate=carol))
    session.commit()
    for username in ("alice", "bob"):
        sign_in(client, username, PASSWORD, HALL)
        join(client, exam.sitting, "AAAAAA", HALL)
        client.post("/logout")
    sign_in(client, "carol", PASSWORD, HALL)
    assert join(client, exam.sitting, KEYCODE, HALL).status_code == 200  # started: question 1


@pytest.mark.parametrize("trusted, expected", [(0, "10.0.0.1"), (1, ATTACKER)])
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(db_url, clock, trusted, expected):
    from quiz import create_app
    app = create_app({"TESTING": True, "QUIZ_DATABASE_URL": db_url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test", "QUIZ_SCHEDULER": False, "QUIZ_CLOCK": clock,
                      "QUIZ_TRUSTED_PROXIES": trusted})
    from quiz.web import guess_source
    seen = {}

    @app.get("/__source")
    def source():
        seen["address"] = guess_source().address
        return "ok"
    app.test_client().get("/__source", environ_base={"REMOTE_ADDR": "10.0.0.1"},
                          headers={"X-Forwarded-For": ATTACKER})
    app.extensions["quiz.engine"].dispose()
    assert seen["address"] == expected
