"""Item writers and reviewers in a real browser: write, preview, review, version, retire."""
import re
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from e2e.conftest import sign_in
from e2e.test_sitting import current_attempt, join_and_start
from quiz.accounts.models import User
from quiz.db import utcnow
from quiz.delivery.models import AttemptQuestion
from quiz.itembank import workflow
from quiz.itembank.assembly import assemble
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_blueprint, get_item, live_candidates
from tests import factories

CODE = "2794-03/315"
STEM = ("Dana mentors Lee, a new adviser. Lee asks Dana to tell her exactly what to say to an "
        "angry caller. What is Dana's role in this mentoring relationship?")


@pytest.fixture
def writers(db, world):
    """wren writes (and may review others' items); robin reviews."""
    factories.make_writer(db, "wren", can_review=True)
    factories.make_writer(db, "robin", can_review=True)
    db.commit()


def write_item(page, stem=STEM):
    """Fill in the new item form for AC2.3 and save it; return the new item's id."""
    page.goto("/bank/")
    page.get_by_role("link", name=f"Write a new item in {CODE}").click()
    page.get_by_label("Assessment criterion").select_option("2.3")
    page.get_by_label("easy").check()
    page.get_by_label("Stem").fill(stem)
    options = ["To offer guidance from her own experience", "To discipline Lee formally",
               "To take the call for Lee every time", "To assess Lee for her appraisal"]
    for letter, text in zip("ABCD", options):
        page.get_by_label(f"Option {letter}", exact=True).fill(text)
    page.get_by_label("Option A is the key").check()
    page.get_by_label("Rationale").fill("AC2.3: a mentor guides from experience; B, C and D are "
                                        "a manager's tasks or do the work for the mentee.")
    page.get_by_label("decision", exact=True).check()
    page.get_by_label("mentor 2.3/role/mentor", exact=True).check()  # a Range point of AC2.3
    page.get_by_label("None: I have checked the bank").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("as a draft (version 1)")).to_be_visible()
    return page.get_by_role("heading", level=1).inner_text().split()[0]


def review(page, item_id, decision, comment=""):
    page.goto(f"/bank/{CODE}/items/{item_id}")
    page.get_by_role("link", name=re.compile(r"^Review version \d+$")).click()
    page.get_by_label("Comment for the writer").fill(comment)
    page.get_by_role("button", name=decision).click()


def test_an_item_is_written_previewed_returned_edited_approved_and_its_history_kept(
        new_context, db, world, writers):
    writer = new_context().new_page()
    sign_in(writer, "wren")
    item_id = write_item(writer)
    assert item_id.startswith("315-2.3-")

    writer.get_by_role("link", name="Preview as a candidate").click()
    expect(writer.get_by_text("Question 1 of 30")).to_be_visible()
    expect(writer.get_by_label(re.compile("To offer guidance from her own experience"))).to_be_visible()
    expect(writer.get_by_text("(key)")).to_have_count(0)
    expect(writer.get_by_text("a mentor guides from experience")).to_have_count(0)
    writer.get_by_label("Large text").check()
    writer.get_by_label("High contrast").check()
    writer.get_by_role("button", name="Show").click()
    expect(writer.locator("body")).to_have_class(re.compile("large-text.*high-contrast"))
    writer.get_by_role("link", name=item_id).click()
    writer.get_by_role("button", name="Submit version 1 for review").click()
    expect(writer.get_by_role("status")).to_contain_text("is waiting for a reviewer")

    # The two-person rule: its writer, a reviewer too, is not offered the approval, nor given it.
    expect(writer.get_by_text("another reviewer must approve it")).to_be_visible()
    writer.goto(f"/bank/{CODE}/items/{item_id}/review")
    expect(writer.get_by_role("button", name="Approve and make live")).to_have_count(0)

    reviewer = new_context().new_page()
    sign_in(reviewer, "robin")
    review(reviewer, item_id, "Return to the writer", "Say she is new to the contact centre.")
    expect(reviewer.get_by_text("went back to its writer")).to_be_visible()

    writer.goto(f"/bank/{CODE}/items/{item_id}")
    expect(writer.get_by_role("note")).to_contain_text("Returned by robin")
    expect(writer.get_by_role("note")).to_contain_text("Say she is new to the contact centre.")
    writer.get_by_role("link", name=f"Edit {item_id}").click()
    writer.get_by_label("Stem").fill(STEM.replace("a new adviser", "a new adviser in the contact centre"))
    writer.get_by_label("What changed, and why").fill("Placed Lee in the contact centre, as asked")
    writer.get_by_role("button", name="Save draft").click()
    writer.get_by_role("button", name="Submit version 2 for review").click()

    review(reviewer, item_id, "Approve and make live")
    expect(reviewer.get_by_text(f"Version 2 of {item_id} is live.")).to_be_visible()

    # Live, and so in the pool newly assembled papers draw from.
    db.expire_all()
    item = get_item(db, CODE, item_id)
    assert (item.status, item.current_version.version) == ("live", 2)
    pool = live_candidates(db, CODE)
    assert item.current_version_id in {c.version_id for c in pool}
    blueprint = get_blueprint(db, CODE).to_domain()
    assert any(item_id in {q.item_id for q in assemble(blueprint, pool, seed).questions}
               for seed in range(1, 200))

    writer.get_by_role("link", name="History and versions").click()
    expect(writer.get_by_role("cell", name=re.compile(r"^Placed Lee in the contact centre"))).to_be_visible()
    diff = writer.get_by_role("table", name=re.compile("What changed from version 1 to version 2"))
    expect(diff.locator("ins")).to_contain_text("in the contact centre")
    expect(writer.get_by_role("row", name=re.compile(r"^1 superseded"))).to_be_visible()
    expect(writer.get_by_role("row", name=re.compile(r"^2 live"))).to_be_visible()


def test_an_attempt_started_before_an_edit_shows_and_is_scored_on_the_old_version(
        new_context, db, world, writers):
    candidate = new_context().new_page()
    sign_in(candidate, "alice")
    join_and_start(candidate)
    attempt = current_attempt(db, world.alice)
    first = db.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                    AttemptQuestion.position == 1))
    old = db.get(ItemVersion, first.item_version_id)
    item = db.get(Item, old.item_pk)
    new_key = "A" if old.key != "A" else "B"

    writer = new_context().new_page()
    sign_in(writer, "wren")
    writer.goto(f"/bank/{CODE}/items/{item.item_id}/edit")
    writer.get_by_label("Stem").fill("A reworded question for new papers only?")
    writer.get_by_label(f"Option {new_key} is the key").check()
    writer.get_by_label("What changed, and why").fill("Rekeyed after the item analysis")
    writer.get_by_role("button", name="Save draft").click()
    expect(writer.get_by_text("The live version stays in papers until this one is approved")).to_be_visible()
    writer.get_by_role("button", name="Submit version 2 for review").click()
    reviewer = new_context().new_page()
    sign_in(reviewer, "robin")
    review(reviewer, item.item_id, "Approve and make live")
    expect(reviewer.get_by_text(f"Version 2 of {item.item_id} is live.")).to_be_visible()

    candidate.reload()
    expect(candidate.get_by_text(old.stem)).to_be_visible()
    expect(candidate.get_by_text("A reworded question for new papers only?")).to_have_count(0)
    candidate.locator(f"#option-{first.option_order.index(old.key)}").check()
    expect(candidate.locator("#save-status")).to_have_text("Answer saved.")
    candidate.get_by_role("button", name="Review answers").click()
    candidate.get_by_role("link", name="Submit the test").click()
    candidate.get_by_role("button", name="Yes, submit my answers").click()
    expect(candidate.get_by_text("1 out of 30")).to_be_visible()
    db.expire_all()
    assert db.get(AttemptQuestion, first.id).item_version_id == old.id


def test_retiring_an_item_the_blueprint_needs_is_refused_with_the_numbers(new_context, db, world,
                                                                        writers):
    robin = db.scalar(select(User).where(User.username == "robin"))
    others = db.scalars(select(Item).where(Item.bank == CODE, Item.criterion == "1.1",
                                           Item.status == "live", Item.item_id != "315-1.1-001")
                        .order_by(Item.item_id)).all()
    for item in others[9:]:  # leave AC1.1 with 10 live items, the blueprint's minimum
        workflow.retire(db, item, robin, utcnow(), "Dated")
    db.commit()
    page = new_context().new_page()
    sign_in(page, "robin")
    page.goto(f"/bank/{CODE}/items/315-1.1-001")
    page.get_by_role("link", name="Retire 315-1.1-001").click()
    expect(page.get_by_text("criterion 1.1 would have 9 live items, below the blueprint's "
                            "minimum of 10")).to_be_visible()
    page.get_by_label("Why is it retired?").fill("Outdated scenario")
    page.get_by_role("button", name="Retire 315-1.1-001").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Retiring 315-1.1-001 would leave the bank short: criterion 1.1 would have 9 live items, "
        "below the blueprint's minimum of 10. Nothing was changed.")
    db.expire_all()
    assert get_item(db, CODE, "315-1.1-001").status == "live"
