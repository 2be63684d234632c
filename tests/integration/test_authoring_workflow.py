"""The item writers' workflow rules, on SQLite and PostgreSQL: drafts, review, versions, retiring."""
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from quiz.audit import AuditEvent
from quiz.delivery import service as delivery
from quiz.errors import NotAllowed, Refused
from quiz.itembank import workflow
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_item, live_candidates
from tests import factories

NOW = factories.MORNING


@pytest.fixture
def bank(session):
    """A small live bank (3 items per criterion, at least 3 per criterion required), a writer and
    two reviewers."""
    blueprint = replace(factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2),
                        minimum_live_per_criterion=3)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion=3))
    people = SimpleNamespace(
        pat=factories.make_writer(session, "pat"),
        robin=factories.make_writer(session, "robin", can_review=True),
        sam=factories.make_writer(session, "sam", can_review=True))
    session.commit()
    return SimpleNamespace(code=blueprint.code, blueprint=blueprint, **vars(people))


def draft(session, bank, author=None, **content):
    item = workflow.create_draft(session, bank=bank.code, criterion="1.1",
                                 content=factories.item_content(**content),
                                 author=author or bank.pat, now=NOW)
    session.commit()
    return item


def through_review(session, bank, item, reviewer=None):
    workflow.submit(session, item, bank.pat, NOW, item.latest_version.id)
    workflow.approve(session, item, reviewer or bank.robin, NOW, item.latest_version.id)
    session.commit()


def live_version_ids(session, bank):
    return {c.item_id: c.version_id for c in live_candidates(session, bank.code)}


def test_a_new_draft_takes_the_next_id_and_stays_out_of_papers(session, bank):
    item = draft(session, bank)
    assert item.item_id == "q1.1-04"
    assert (item.status, item.current_version.status, item.current_version.version) == (
        "draft", "draft", 1)
    assert "q1.1-04" not in live_version_ids(session, bank)


def test_importing_the_same_source_twice_changes_nothing(session, bank):
    first = workflow.create_draft(session, bank=bank.code, criterion="1.2",
                                  content=factories.item_content(criterion="1.2"), author=bank.pat, now=NOW,
                                  source_ref="moodle.xml#q17")
    again = workflow.create_draft(session, bank=bank.code, criterion="1.2",
                                  content=factories.item_content(criterion="1.2"), author=bank.pat, now=NOW,
                                  source_ref="moodle.xml#q17")
    session.commit()
    assert again.id == first.id
    assert session.scalar(select(func.count()).select_from(Item)
                          .where(Item.source_ref == "moodle.xml#q17")) == 1


@pytest.mark.parametrize("content, criterion, field, words", [
    (dict(options={"A": "Alpha", "B": "Bravo", "C": "Charlie"}), "1.1", "options",
     "exactly A, B, C, D"),
    (dict(key=["A", "B"]), "1.1", "key", "2 were given"),
    (dict(enemies=("nobody-99",)), "1.1", "enemies", "enemy 'nobody-99' is not in the bank"),
    (dict(stem="   "), "1.1", "stem", "stem is empty"),
    (dict(stem="x" * 20_000), "1.1", "stem", "20,000 characters long"),
    ({}, "7.7", "criterion", "criterion '7.7' is not in blueprint"),
])
def test_bad_input_is_refused_field_by_field_and_stores_nothing(session, bank, content, criterion,
                                                                  field, words):
    before = session.scalar(select(func.count()).select_from(ItemVersion))
    with pytest.raises(workflow.InvalidItem) as refused:
        workflow.create_draft(session, bank=bank.code, criterion=criterion,
                              content=factories.item_content(**content), author=bank.pat, now=NOW)
    session.rollback()
    [problem] = refused.value.problems
    assert problem.field == field and words in problem.message
    assert session.scalar(select(func.count()).select_from(ItemVersion)) == before


def test_a_writer_cannot_approve_their_own_item(session, bank):
    author = factories.make_writer(session, "rene", can_review=True)
    item = draft(session, bank, author=author)
    workflow.submit(session, item, author, NOW, item.latest_version.id)
    session.commit()
    with pytest.raises(NotAllowed, match="two-person rule"):
        workflow.approve(session, item, author, NOW, item.latest_version.id)
    session.rollback()
    assert get_item(session, bank.code, item.item_id).status == "in_review"


def test_a_writer_without_the_permission_cannot_review(session, bank):
    item = draft(session, bank, author=bank.robin)
    workflow.submit(session, item, bank.robin, NOW, item.latest_version.id)
    with pytest.raises(NotAllowed, match="Only reviewers"):
        workflow.approve(session, item, bank.pat, NOW, item.latest_version.id)


def test_anyone_who_wrote_a_version_under_review_cannot_approve_it(session, bank):
    item = draft(session, bank)
    workflow.save_version(session, item, criterion="1.1", author=bank.robin, now=NOW,
                          note="edited", base_version_id=item.latest_version.id,
                          content=factories.item_content(stem="Which option is right, now?"))
    workflow.submit(session, item, bank.pat, NOW, item.latest_version.id)
    with pytest.raises(NotAllowed):
        workflow.approve(session, item, bank.robin, NOW, item.latest_version.id)
    workflow.approve(session, item, bank.sam, NOW, item.latest_version.id)
    assert item.status == "live"


def test_a_return_needs_a_comment_and_sends_the_version_back_to_draft(session, bank):
    item = draft(session, bank)
    workflow.submit(session, item, bank.pat, NOW, item.latest_version.id)
    with pytest.raises(Refused, match="needs a comment"):
        workflow.return_to_writer(session, item, bank.robin, NOW, item.latest_version.id, " ")
    workflow.return_to_writer(session, item, bank.robin, NOW, item.latest_version.id,
                              "Option C is also arguably right.")
    session.commit()
    assert (item.status, item.current_version.status) == ("draft", "draft")


def test_editing_a_live_item_keeps_the_live_version_in_papers_until_approved(session, bank):
    item = get_item(session, bank.code, "q1.1-01")
    live = item.current_version
    new = workflow.save_version(session, item, criterion="1.1", author=bank.pat, now=NOW,
                                base_version_id=live.id, note="clearer stem",
                                content=replace(live.content(), stem="Which one is right?"))
    workflow.submit(session, item, bank.pat, NOW, new.id)
    session.commit()
    assert (item.status, item.pending_version.status) == ("live", "in_review")
    assert live_version_ids(session, bank)["q1.1-01"] == live.id

    workflow.approve(session, item, bank.robin, NOW + timedelta(minutes=5), new.id)
    session.commit()
    assert live_version_ids(session, bank)["q1.1-01"] == new.id
    assert (live.status, new.status, item.pending_version) == ("superseded", "live", None)
    assert item.updated_at == NOW + timedelta(minutes=5)


def test_only_live_versions_are_assembled(session, bank):
    fresh = draft(session, bank)
    item = get_item(session, bank.code, "q1.2-01")
    workflow.save_version(session, item, criterion="1.2", author=bank.pat, now=NOW,
                          note="edited", base_version_id=item.current_version.id,
                          content=replace(item.current_version.content(), key="A"))
    session.commit()
    versions = session.scalars(select(ItemVersion).where(
        ItemVersion.id.in_(live_version_ids(session, bank).values()))).all()
    assert {v.status for v in versions} == {"live"}
    assert fresh.item_id not in live_version_ids(session, bank)


def test_a_save_over_a_version_changed_since_the_form_opened_is_refused(session, bank):
    item = get_item(session, bank.code, "q2.1-01")
    opened = item.current_version
    workflow.save_version(session, item, criterion="2.1", author=bank.robin, now=NOW,
                          note="edited", base_version_id=opened.id,
                          content=replace(opened.content(), stem="Robin's better stem?"))
    session.commit()
    with pytest.raises(workflow.EditConflict) as refused:
        workflow.save_version(session, item, criterion="2.1", author=bank.pat, now=NOW,
                              note="edited", base_version_id=opened.id,
                              content=replace(opened.content(), stem="Pat's better stem?"))
    session.rollback()
    assert (refused.value.base.id, refused.value.latest.version) == (opened.id, 2)
    assert "saved version 2 of q2.1-01 since you opened it" in str(refused.value)
    stems = session.scalars(select(ItemVersion.stem).where(ItemVersion.item_pk == item.id)).all()
    assert sorted(stems) == sorted([opened.stem, "Robin's better stem?"])


def test_retiring_an_item_the_blueprint_needs_is_refused_with_the_numbers(session, bank):
    item = get_item(session, bank.code, "q1.1-01")
    with pytest.raises(Refused) as refused:
        workflow.retire(session, item, bank.robin, NOW, "Outdated wording")
    session.rollback()
    assert str(refused.value) == (
        "Retiring q1.1-01 would leave the bank short: criterion 1.1 would have 2 live items, "
        "below the blueprint's minimum of 3. Nothing was changed.")
    assert get_item(session, bank.code, "q1.1-01").status == "live"


def test_retiring_needs_a_reason_and_a_spare_item(session, bank):
    spare = draft(session, bank)
    through_review(session, bank, spare)
    item = get_item(session, bank.code, "q1.1-01")
    with pytest.raises(Refused, match="needs a reason"):
        workflow.retire(session, item, bank.robin, NOW, "")
    workflow.retire(session, item, bank.robin, NOW, "Superseded by the new scenario item")
    session.commit()
    assert (item.status, item.current_version.status) == ("retired", "retired")
    assert "q1.1-01" not in live_version_ids(session, bank)


def test_every_action_is_recorded_with_who_when_and_why(session, bank):
    item = draft(session, bank)
    workflow.submit(session, item, bank.pat, NOW, item.latest_version.id)
    workflow.return_to_writer(session, item, bank.robin, NOW, item.latest_version.id, "Tighten B")
    workflow.save_version(session, item, criterion="1.1", author=bank.pat, now=NOW,
                          base_version_id=item.latest_version.id, note="B tightened",
                          content=factories.item_content(stem="Which single option is right?"))
    workflow.submit(session, item, bank.pat, NOW, item.latest_version.id)
    workflow.approve(session, item, bank.robin, NOW, item.latest_version.id)
    workflow.retire(session, item, bank.robin, NOW, "No longer on the syllabus")
    session.commit()
    trail = session.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.reason)
                            .where(AuditEvent.item_pk == item.id).order_by(AuditEvent.id)).all()
    assert trail == [("item_created", "pat", None), ("item_submitted", "pat", None),
                     ("item_returned", "robin", "Tighten B"),
                     ("item_edited", "pat", "B tightened"), ("item_submitted", "pat", None),
                     ("item_approved", "robin", None),
                     ("item_retired", "robin", "No longer on the syllabus")]


def test_an_attempt_keeps_and_is_scored_on_the_version_it_showed(session, bank):
    centre = factories.make_centre(session)
    alice = factories.make_user(session, "alice", centre=centre, candidate_number="1")
    sitting = factories.make_sitting(session, bank.code, centre, [alice])
    attempt = factories.start(session, sitting, alice)
    session.commit()
    question = attempt.questions[0]
    old = question.item_version
    item = session.get(Item, old.item_pk)
    new_key = "A" if old.key != "A" else "B"
    new = workflow.save_version(session, item, criterion=item.criterion, author=bank.pat, now=NOW,
                                note="edited", base_version_id=old.id,
                                content=replace(old.content(), key=new_key))
    workflow.submit(session, item, bank.pat, NOW, new.id)
    workflow.approve(session, item, bank.robin, NOW, new.id)
    session.commit()

    choice = question.option_order.index(old.key)
    delivery.save_answer(session, attempt, 1, choice, 1, NOW, timedelta(seconds=2))
    delivery.submit(session, attempt, NOW + timedelta(minutes=1), "candidate")
    session.commit()
    session.expire_all()
    question = session.get(type(question), question.id)
    assert question.item_version_id == old.id
    assert session.get(type(attempt), attempt.id).score_raw == 1
