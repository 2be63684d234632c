"""Account pages in a real browser: sessions end everywhere, and the pages are accessible."""
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.test_accessibility import assert_accessible
from tests import factories


def test_a_session_cookie_copied_to_another_browser_dies_when_its_owner_signs_out(new_context, world):
    owner = new_context()
    page = owner.new_page()
    sign_in(page, "alice")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()

    thief = new_context()
    thief.add_cookies(owner.cookies())
    stolen = thief.new_page()
    stolen.goto("/tests")
    expect(stolen.get_by_role("heading", name="Your tests")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    stolen.goto("/tests")
    expect(stolen.get_by_role("heading", name="Sign in")).to_be_visible()


def test_changing_a_password_by_keyboard_with_an_error_first(new_context, world):
    page = new_context().new_page()
    sign_in(page, "alice")
    page.get_by_role("link", name="Change password").click()
    assert_accessible(page, "the change-password page")
    page.get_by_label("Current password").fill(factories.PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-brand-new-one")
    page.get_by_label("New password again").fill("a-different-one")
    page.get_by_label("New password again").press("Enter")
    expect(page.get_by_text("The two new passwords are not the same.")).to_be_visible()
    assert_accessible(page, "the change-password page showing an error")
    page.get_by_label("Current password").fill(factories.PASSWORD)
    page.get_by_label("New password", exact=True).fill("a-brand-new-one")
    page.get_by_label("New password again").fill("a-brand-new-one")
    page.get_by_label("New password again").press("Enter")
    expect(page.get_by_text("Your password is changed.")).to_be_visible()


def test_an_administrator_signs_a_candidate_out_everywhere(new_context, db, world):
    factories.make_user(db, "ada", role="admin")
    db.commit()
    candidate = new_context().new_page()
    sign_in(candidate, "alice")

    page = new_context().new_page()
    sign_in(page, "ada")
    page.get_by_role("link", name="Accounts (sign an account out everywhere)").click()
    assert_accessible(page, "the accounts page")
    page.get_by_label("Username or name").fill("ali")
    page.get_by_label("Username or name").press("Enter")
    assert_accessible(page, "the accounts page with a result")
    page.get_by_role("button", name="Sign out everywhere (alice)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Alice (alice) is signed out everywhere.")).to_be_visible()

    candidate.goto("/tests")
    expect(candidate.get_by_role("heading", name="Sign in")).to_be_visible()
