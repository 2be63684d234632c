"""Sessions end on the server: sign-out, a password change and an administrator revoke them all."""
import re

import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent
from tests import factories
from tests.factories import KEYCODE, PASSWORD


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Return a second browser holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def signed_in(client) -> bool:
    """Return whether the browser is let into a page that needs signing in."""
    return client.get("/tests").status_code == 200


@pytest.fixture
def admin(session):
    user = factories.make_user(session, "ada", role="admin")
    session.commit()
    return user


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, auth, exam):
    auth.login("alice")
    copy = session_cookie(client)
    assert signed_in(with_cookie(app, copy))
    auth.logout()
    stolen = with_cookie(app, copy)
    response = stolen.get("/tests")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert stolen.post(f"/api/attempts/1/answers", json={}).status_code == 401


def test_signing_out_ends_the_accounts_other_sessions_too(app, auth, exam):
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": "alice", "password": PASSWORD})
    auth.login("alice")
    auth.logout()
    assert not signed_in(elsewhere)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, auth, exam):
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": "alice", "password": PASSWORD})
    auth.login("alice")
    old_copy = session_cookie(client)
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "a-brand-new-one", "confirm": "a-brand-new-one"})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(elsewhere)
    assert not signed_in(with_cookie(app, old_copy))
    auth.logout()
    assert auth.login("alice", "a-brand-new-one").status_code == 302


def test_a_wrong_current_password_changes_nothing_and_is_counted(client, auth, session, exam):
    auth.login("alice")
    response = client.post("/account/password", data={
        "current": "not-my-password", "new": "a-brand-new-one", "confirm": "a-brand-new-one"})
    assert response.status_code == 400
    assert b"Your current password is not right" in response.data
    assert signed_in(client)
    auth.logout()
    assert auth.login("alice", PASSWORD).status_code == 302


def test_new_passwords_that_differ_are_refused_with_a_message(client, auth, exam):
    auth.login("alice")
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "a-brand-new-one", "confirm": "a-brand-new-two"})
    assert response.status_code == 400
    assert b"The two new passwords are not the same." in response.data


def test_an_administrator_can_sign_an_account_out_everywhere(app, client, auth, session, exam, admin):
    candidate = app.test_client()
    candidate.post("/login", data={"username": "alice", "password": PASSWORD})
    auth.login("ada")
    found = client.get("/admin/accounts?q=ALI")
    assert b"alice" in found.data and b"bob" not in found.data
    response = client.post(f"/admin/accounts/{exam.alice.id}/sign-out")
    assert response.status_code == 302
    assert not signed_in(candidate)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sessions_ended"))
    assert event.actor == "ada" and event.detail == {"account": "alice"}


def test_only_an_administrator_may_sign_others_out(app, client, auth, exam):
    other = app.test_client()
    other.post("/login", data={"username": "bob", "password": PASSWORD})
    auth.login("alice")
    assert client.post(f"/admin/accounts/{exam.bob.id}/sign-out").status_code == 403
    assert client.get("/admin/accounts").status_code == 403
    assert signed_in(other)


@pytest.fixture
def guarded(app):
    """A browser on the app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def form_token(client, path: str) -> str:
    page = client.get(path).data.decode()
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_signing_in_renews_the_csrf_secret(guarded, exam):
    token = form_token(guarded, "/login")
    with guarded.session_transaction() as before:
        secret = before["csrf_token"]
    response = guarded.post("/login", data={"username": "alice", "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302
    form_token(guarded, "/tests")
    with guarded.session_transaction() as after:
        assert after["csrf_token"] != secret
    # A token minted before signing in (say, planted by another site) no longer works.
    refused = guarded.post("/logout", data={"csrf_token": token})
    assert refused.status_code == 400 and signed_in(guarded)


def test_the_next_candidate_at_a_shared_computer_must_give_the_keycode(client, auth, exam):
    auth.login("alice")
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    assert client.get(f"/sittings/{exam.sitting.id}/join").status_code == 303  # alice started
    auth.login("bob")  # signs in over alice's session without signing out
    response = client.get(f"/sittings/{exam.sitting.id}/join")
    assert response.status_code == 200 and b'name="keycode"' in response.data


def test_signing_out_leaves_nothing_in_the_session(client, auth, exam):
    auth.login("alice")
    client.post(f"/sittings/{exam.sitting.id}/join", data={"keycode": KEYCODE})
    auth.logout()
    with client.session_transaction() as cookie:
        assert set(cookie) <= {"_flashes"}


def test_the_command_line_signs_an_account_out_everywhere(app, cli, client, auth, exam):
    auth.login("alice")
    result = cli("user", "sign-out", "alice")
    assert result.exit_code == 0, result.output
    assert not signed_in(client)


def test_the_command_line_resets_a_password_and_ends_sessions(app, cli, client, auth, exam):
    auth.login("alice")
    result = cli("user", "password", "alice", "--password", "reset-by-office")
    assert result.exit_code == 0, result.output
    assert not signed_in(client)
    assert auth.login("alice", "reset-by-office").status_code == 302


def test_checking_the_session_version_costs_no_extra_query(app, client, auth, exam):
    from sqlalchemy import event
    auth.login("alice")
    engine = app.extensions["quiz.engine"]
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.get("/tests")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sum("FROM user_account" in s for s in statements) == 1
