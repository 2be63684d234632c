"""Item analysis reaches people: the results officer's page and the item writers' bank."""
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.cli import main as cli
from quiz.delivery import service as delivery
from quiz.invigilation import service as invigilation
from quiz.itembank.models import Item, ItemVersion
from tests import factories

CANDIDATES = 42


@pytest.fixture
def analysed(session):
    """42 candidates sit a 6-item test whose paper is the whole bank.

    Candidate i answers the items q1.1-01 .. q2.1-03, in that order, right while the item's
    place in that order is below i mod 7, and wrong otherwise: a perfect ladder, so q2.1-03 is
    answered right by one candidate in seven, too hard for a four-option item.
    """
    blueprint = factories.make_blueprint("9999-02/201", questions=(3, 3), criteria_per_outcome=1)
    items = factories.make_items(blueprint, per_criterion=3)
    factories.load_bank(session, blueprint, items)
    order = [item.item_id for item in items]
    centre = factories.make_centre(session)
    people = [factories.make_user(session, f"c{i}", centre=centre, candidate_number=f"{i:04d}")
              for i in range(CANDIDATES)]
    sitting = factories.make_sitting(session, blueprint.code, centre, people)
    for i, person in enumerate(people):
        attempt = factories.start(session, sitting, person, seed=i)
        for question in attempt.questions:
            version = session.get(ItemVersion, question.item_version_id)
            key_at = question.option_order.index(version.key)
            right = order.index(version.item.item_id) < i % 7
            delivery.save_answer(session, attempt, question.position,
                                 key_at if right else (key_at + 1) % 4, question.position,
                                 factories.MORNING, factories.timedelta(seconds=2))
        delivery.submit(session, attempt, factories.MORNING, "candidate")
    officer = factories.make_user(session, "rita", role="results_officer")
    factories.make_user(session, "wendy", role="item_writer")
    invigilation.close_sitting(session, sitting, officer, factories.MORNING,
                               factories.timedelta(seconds=2))
    session.commit()
    return sitting


def test_the_analysis_page_shows_the_test_figures_three_pictures_and_the_flags(client, auth, analysed):
    auth.login("rita")
    page = client.get(f"/results/tests/{analysed.blueprint_id}/analysis").data.decode()
    assert f"<dd>{CANDIDATES}</dd>" in page
    assert "Reliability (KR-20)" in page and "Standard error of measurement" in page
    assert page.count('role="img"') == 3
    for title in ("Score distribution", "Marks by learning outcome", "Item facility and discrimination"):
        assert title in page
    assert "q2.1-03 v1" in page and 'class="flag-badge flag-too-hard">Too hard</span>' in page


def test_an_item_with_too_few_attempts_shows_no_statistics(client, auth, session, exam):
    attempt = factories.start(session, exam.sitting, exam.alice)
    delivery.submit(session, attempt, factories.MORNING, "candidate")
    factories.make_user(session, "rita", role="results_officer")
    session.commit()
    auth.login("rita")
    page = client.get(f"/results/tests/{exam.sitting.blueprint_id}/analysis").data.decode()
    assert "Not enough data yet (1 of 30 attempts)" in page
    assert "flag-badge flag-too-hard\">Too hard</span>" not in page


def test_flagged_items_reach_the_item_writers_as_needing_review(client, auth, session, analysed):
    auth.login("rita")
    response = client.post(f"/results/tests/{analysed.blueprint_id}/analysis/flags")
    assert response.status_code == 302
    session.expire_all()
    flagged = {item.item_id: item.needs_review for item in session.scalars(select(Item))
               if item.needs_review}
    assert "too hard" in flagged["q2.1-03"]
    assert session.scalars(select(AuditEvent).where(
        AuditEvent.action == "item_flagged_for_review")).all()

    auth.logout()
    auth.login("wendy")
    page = client.get(f"/bank/{analysed.blueprint.code}/items?review=1").data.decode()
    assert "q2.1-03" in page and "Needs review" in page
    assert f"{len(flagged)} item" in page
    detail = client.get(f"/bank/{analysed.blueprint.code}/items/q2.1-03").data.decode()
    assert "Needs review." in detail and "too hard" in detail


def test_a_new_version_of_a_flagged_item_starts_without_the_flag(session, analysed):
    item = session.scalar(select(Item).where(Item.item_id == "q2.1-03"))
    item.needs_review = "too hard: facility 0.14"
    session.commit()
    blueprint = analysed.blueprint.to_domain()
    items = factories.make_items(blueprint, per_criterion=3)
    reworded = [i if i.item_id != "q2.1-03" else replace(
        i, content=replace(i.content, stem="A clearer question: which option is right?"))
        for i in items]
    factories.load_bank(session, blueprint, reworded)
    session.commit()
    session.expire_all()
    item = session.scalar(select(Item).where(Item.item_id == "q2.1-03"))
    assert item.current_version.version == 2 and item.needs_review is None


@pytest.fixture
def quiz(db_url, monkeypatch):
    """Run `quiz ...` against the database under test."""
    monkeypatch.setenv("QUIZ_DATABASE_URL", db_url)
    return lambda *args: CliRunner().invoke(cli, list(args))


def test_analyse_prints_json_with_item_and_test_statistics(quiz, analysed):
    result = quiz("analyse", analysed.blueprint.code, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["test"]["n"] == CANDIDATES
    assert set(data["test"]) >= {"n", "mean", "sd", "kr20", "sem"}
    hardest = next(i for i in data["items"] if i["item_id"] == "q2.1-03 v1")
    assert {"item_id", "facility", "discrimination", "flags"} <= set(hardest)
    assert hardest["facility"] == round(6 / 42, 4)
    assert "too-hard" in [flag["code"] for flag in hardest["flags"]]


def test_analyse_of_an_unknown_test_says_so(quiz, app):
    result = quiz("analyse", "0000-00/000", "--json")
    assert result.exit_code != 0 and "no blueprint '0000-00/000'" in result.output


@pytest.mark.parametrize("role", ["candidate", "invigilator", "item_writer"])
def test_other_roles_cannot_see_or_send_the_analysis(client, auth, session, analysed, role):
    factories.make_user(session, f"someone-{role}", role=role, centre=analysed.centre)
    session.commit()
    auth.login(f"someone-{role}")
    assert client.get(f"/results/tests/{analysed.blueprint_id}/analysis").status_code == 403
    assert client.post(f"/results/tests/{analysed.blueprint_id}/analysis/flags").status_code == 403
    assert client.get(f"/results/tests/{analysed.blueprint_id}").status_code == 403
    assert client.get(f"/results/tests/{analysed.blueprint_id}/download.csv").status_code == 403


@pytest.mark.parametrize("role", ["candidate", "invigilator", "results_officer"])
def test_only_item_writers_see_the_bank(client, auth, session, exam, role):
    factories.make_user(session, f"someone-{role}", role=role, centre=exam.centre)
    session.commit()
    auth.login(f"someone-{role}")
    assert client.get("/bank/").status_code == 403
    assert client.get(f"/bank/{exam.blueprint.code}/items").status_code == 403
