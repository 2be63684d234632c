"""An item writer brings a Moodle quiz into a bank through the upload page, in real Chromium."""
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.test_accessibility import assert_accessible
from tests import factories
from tests.exchange_files import SAMPLES


def test_a_writer_uploads_a_moodle_file_sees_what_was_skipped_and_finds_the_drafts(
        new_context, db, world):
    factories.make_user(db, "wendy", role="item_writer")
    db.commit()
    page = new_context().new_page()
    sign_in(page, "wendy")
    page.goto("/bank/")
    page.get_by_role("link", name="import items").click()
    assert_accessible(page, "the import page")

    page.get_by_label("File to import").set_input_files(str(SAMPLES / "moodle_coaching.xml"))
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("3 items imported as drafts")
    expect(page.get_by_role("status")).to_contain_text("7 questions not imported")
    skipped = page.get_by_role("table", name="Not imported (7)")
    expect(skipped.get_by_role("row", name="Coaching diagram")).to_contain_text(
        "media is not supported")
    expect(skipped.get_by_role("row", name="Benefits of coaching (choose two)")).to_contain_text(
        "multiple-answer question")
    expect(skipped.get_by_role("row", name="Coaching is directive")).to_contain_text(
        "true/false question")
    assert_accessible(page, "the import summary")

    page.get_by_role("link", name="Your drafts in the review workflow").click()
    expect(page.get_by_text("What does the \"O\" stand for in the GROW model?")).to_be_visible()
    expect(page.get_by_text("In a mentoring relationship, who usually sets the agenda")).to_be_visible()
    page.get_by_role("link", name="MDL-COACH-01").click()
    expect(page.get_by_text("What is the main purpose of the coaching?")).to_be_visible()
    # Moodle has no Range points, question form or enemies: the writer gives them before review.
    expect(page.get_by_text("Before version 1 can go for review, edit it")).to_be_visible()
    page.get_by_role("link", name="Edit MDL-COACH-01").click()
    page.get_by_label("label", exact=True).check()
    page.get_by_label("improve individual performance 1.1/purpose/individual-performance",
                      exact=True).check()
    page.get_by_label("None: I have checked the bank").check()
    page.get_by_label("What changed, and why").fill("Range point, question form and enemies")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit version 2 for review").click()
    page.goto("/bank/")
    page.get_by_role("link", name="1 item waiting for review").click()
    expect(page.get_by_role("link", name="MDL-COACH-01")).to_be_visible()


def test_the_export_page_is_accessible_and_downloads_by_keyboard(new_context, db, world):
    factories.make_user(db, "wendy", role="item_writer")
    db.commit()
    page = new_context().new_page()
    sign_in(page, "wendy")
    page.goto("/bank/2794-03/315/export")
    assert_accessible(page, "the export page")
    page.get_by_label("GIFT (Moodle text format)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").press("Enter")
    assert download.value.suggested_filename == "2794-03-315-gift.txt"
