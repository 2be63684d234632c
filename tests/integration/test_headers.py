"""Every page says how browsers may cache, frame and submit it."""
import pytest

from tests import factories


@pytest.fixture
def writer(session, exam, auth):
    factories.make_user(session, "wendy", role="item_writer")
    session.commit()
    auth.login("wendy")
    return exam


def bank_pages(exam):
    code = exam.blueprint.code
    return ["/bank/", f"/bank/{code}/items", f"/bank/{code}/items/q1.1-01"]


def test_item_bank_pages_with_keys_and_rationales_are_never_stored_by_the_browser(client, writer):
    for path in bank_pages(writer):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path


def test_pages_of_a_signed_in_user_are_not_kept_for_the_next_person_at_a_shared_computer(client, auth, exam):
    auth.login("alice")
    response = client.get("/tests")
    assert response.headers.get("Cache-Control") == "no-store"


def test_the_sign_in_page_is_not_stored_either(client):
    assert client.get("/login").headers.get("Cache-Control") == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/quiz.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_content_security_policy_pins_base_form_targets_and_framing(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives.get("base-uri") == "'none'"
    assert directives.get("form-action") == "'self'"
    assert directives.get("frame-ancestors") == "'none'"
    assert directives.get("object-src") == "'none'"
    assert directives.get("script-src") == "'self'"


def test_error_pages_carry_the_same_headers(client, auth, exam):
    auth.login("alice")
    response = client.get("/attempts/999999")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers.get("Cache-Control") == "no-store"
