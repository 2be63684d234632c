"""A wrong sign-in does the same work whether or not the username exists, so timing tells nothing.

Wall-clock times are too noisy on a shared machine, so these count the password-hash checks, the
one step that costs anything (`scripts/signin_timing.py` measures the times themselves).
"""
import pytest
import werkzeug.security

import quiz.accounts.models


@pytest.fixture
def hash_checks(monkeypatch):
    """Count every password-hash check the sign-in makes."""
    made = []
    real = werkzeug.security.check_password_hash

    def counted(stored, password):
        made.append(stored.split("$", 1)[0])
        return real(stored, password)
    monkeypatch.setattr(quiz.accounts.models, "check_password_hash", counted)
    return made


def test_an_unknown_username_costs_the_same_hash_check_as_a_known_one(client, exam, hash_checks):
    client.post("/login", data={"username": "alice", "password": "wrong-wrong"})
    client.post("/login", data={"username": "nobody-at-all", "password": "wrong-wrong"})
    assert len(hash_checks) == 2
    assert hash_checks[0] == hash_checks[1]  # the same scheme and cost


def test_an_account_that_cannot_sign_in_costs_the_same_hash_check(client, session, exam, hash_checks):
    from quiz.accounts.models import UNUSABLE_PASSWORD
    exam.bob.password_hash = UNUSABLE_PASSWORD  # as simulated candidates have
    session.commit()
    client.post("/login", data={"username": "alice", "password": "wrong-wrong"})
    client.post("/login", data={"username": "bob", "password": "wrong-wrong"})
    assert len(hash_checks) == 2 and hash_checks[0] == hash_checks[1]


def test_a_deactivated_account_costs_the_same_hash_check(client, session, exam, hash_checks):
    exam.bob.active = False
    session.commit()
    client.post("/login", data={"username": "alice", "password": "wrong-wrong"})
    refused = client.post("/login", data={"username": "bob", "password": "correct-horse-9"})
    assert refused.status_code == 401
    assert len(hash_checks) == 2 and hash_checks[0] == hash_checks[1]


def test_the_stand_in_hash_never_lets_anyone_in(client, exam):
    response = client.post("/login", data={"username": "nobody", "password": ""})
    assert response.status_code in (400, 401)
