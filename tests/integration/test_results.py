"""Results officers: results by outcome, release, downloads that are recorded, feedback reports."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.delivery import service as delivery
from quiz.delivery.models import Attempt, Sitting
from quiz.invigilation import service as invigilation
from quiz.itembank.models import ItemVersion
from tests import factories


@pytest.fixture
def finished(session, exam):
    """Alice scored 6/6 and Bob 3/6; the sitting is closed."""
    for candidate, right in ((exam.alice, 6), (exam.bob, 3)):
        attempt = factories.start(session, exam.sitting, candidate, seed=candidate.id)
        for question in attempt.questions:
            key_at = question.option_order.index(session.get(ItemVersion, question.item_version_id).key)
            choice = key_at if question.position <= right else (key_at + 1) % 4
            delivery.save_answer(session, attempt, question.position, choice, question.position,
                                 factories.MORNING, factories.timedelta(seconds=2))
        delivery.submit(session, attempt, factories.MORNING, "candidate")
    officer = factories.make_user(session, "rita", role="results_officer")
    invigilation.close_sitting(session, exam.sitting, officer, factories.MORNING,
                               factories.timedelta(seconds=2))
    session.commit()
    return exam


@pytest.fixture
def rita(auth, finished):
    auth.login("rita")


def test_the_sitting_shows_each_candidates_marks_by_outcome(client, rita, finished):
    page = client.get(f"/results/sittings/{finished.sitting.id}").data.decode()
    assert "6 / 6" in page and "3 / 6" in page
    assert "Outcome 1" in page and "Outcome 2" in page
    assert "Provisional" in page


def test_results_download_as_csv_has_a_row_per_candidate_with_outcome_marks(client, rita, finished):
    response = client.get(f"/results/sittings/{finished.sitting.id}/download.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    by_name = {row["candidate_name"]: row for row in rows}
    assert by_name["Alice"]["raw_marks"] == "6" and by_name["Alice"]["result"] == "Pass"
    assert by_name["Bob"]["percent"] == "50.0" and by_name["Bob"]["result"] == "Not yet passed"
    assert int(by_name["Bob"]["outcome_1_marks"]) + int(by_name["Bob"]["outcome_2_marks"]) == 3
    assert by_name["Bob"]["outcome_1_max"] == "3"


def test_results_download_as_xlsx_opens_and_holds_the_rows(client, rita, finished):
    response = client.get(f"/results/sittings/{finished.sitting.id}/download.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("candidate_number", "candidate_name", "centre")
    assert sorted(r[1] for r in rows[1:]) == ["Alice", "Bob"]
    alice = next(r for r in rows[1:] if r[1] == "Alice")
    assert alice[rows[0].index("raw_marks")] == 6


def test_a_finished_download_gives_its_database_connection_back(client, rita, finished, app):
    pool = app.extensions["quiz.engine"].pool
    response = client.get(f"/results/sittings/{finished.sitting.id}/download.csv")
    assert response.data.startswith(b"candidate_number,")
    assert pool.checkedout() == 0


def test_the_response_export_has_one_row_per_candidate_per_question(client, rita, finished, session):
    response = client.get(f"/results/sittings/{finished.sitting.id}/download.responses")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 12
    assert set(rows[0]) == {"attempt_id", "candidate_number", "sitting_id", "status", "scored",
                            "position", "item_id", "item_version", "outcome", "criterion",
                            "option_chosen", "key", "correct"}
    assert sum(int(r["correct"]) for r in rows) == 9
    assert all(r["option_chosen"] in "ABCD" for r in rows)


@pytest.fixture
def with_a_voided_attempt(session, exam):
    """Alice submitted 6/6; Bob answered three questions and was voided for malpractice."""
    alice = factories.start(session, exam.sitting, exam.alice, seed=1)
    for question in alice.questions:
        key_at = question.option_order.index(session.get(ItemVersion, question.item_version_id).key)
        delivery.save_answer(session, alice, question.position, key_at, question.position,
                             factories.MORNING, factories.timedelta(seconds=2))
    delivery.submit(session, alice, factories.MORNING, "candidate")
    bob = factories.start(session, exam.sitting, exam.bob, seed=2)
    for question in bob.questions[:3]:
        delivery.save_answer(session, bob, question.position, 0, question.position,
                             factories.MORNING, factories.timedelta(seconds=2))
    ivy = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    invigilation.void(session, bob, ivy, factories.MORNING, "malpractice", "phone in use")
    factories.make_user(session, "rita", role="results_officer")
    session.commit()
    return exam


def test_the_response_export_includes_voided_attempts_marked_and_not_scored(client, auth, with_a_voided_attempt):
    auth.login("rita")
    response = client.get(f"/results/sittings/{with_a_voided_attempt.sitting.id}/download.responses")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    bobs = [r for r in rows if r["candidate_number"] == "1002"]
    assert len(bobs) == 6
    assert {(r["status"], r["scored"], r["correct"]) for r in bobs} == {("voided", "0", "")}
    assert [r["option_chosen"] != "" for r in bobs] == [True] * 3 + [False] * 3
    alices = [r for r in rows if r["candidate_number"] == "1001"]
    assert {(r["status"], r["scored"], r["correct"]) for r in alices} == {("submitted", "1", "1")}


def test_the_sitting_page_counts_and_figures_leave_the_voided_attempt_out(client, auth, with_a_voided_attempt):
    auth.login("rita")
    page = client.get(f"/results/sittings/{with_a_voided_attempt.sitting.id}").data.decode()
    assert "1 submitted attempt and 1 voided" in page
    assert "<strong>Voided</strong>: Malpractice: phone in use" in page
    assert "Submitted 10:00" in page and page.count("Submitted 10:00") == 1  # Alice only
    assert "<dt>Pass rate</dt><dd>100%" in page
    assert "<dt>Mean</dt><dd>6.0 / 6" in page
    assert 'aria-labelledby="sitting-dist-title sitting-dist-desc"' in page


def test_a_result_below_the_pass_mark_reads_not_yet_passed_as_the_candidate_saw_it(client, rita, finished):
    page = client.get(f"/results/sittings/{finished.sitting.id}").data.decode()
    assert "Not yet passed" in page
    assert ">Fail<" not in page


def test_every_download_is_recorded(client, rita, finished, session):
    client.get(f"/results/sittings/{finished.sitting.id}/download.csv")
    client.get(f"/results/sittings/{finished.sitting.id}/download.xlsx")
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "results_downloaded")).all()
    assert [(e.actor, e.detail["what"]) for e in events] == [("rita", "csv"), ("rita", "xlsx")]


def test_an_unknown_download_format_is_not_found(client, rita, finished):
    assert client.get(f"/results/sittings/{finished.sitting.id}/download.pdf").status_code == 404


def test_releasing_lets_candidates_with_results_to_follow_see_them(client, auth, rita, finished, session):
    finished.sitting.results_policy = "to_follow"
    session.commit()
    client.post(f"/results/sittings/{finished.sitting.id}/release")
    session.expire_all()
    assert session.get(Sitting, finished.sitting.id).results_released_at is not None
    auth.logout()
    auth.login("bob")
    attempt = delivery.booked_sittings(session, finished.bob)[0][1]
    page = client.get(f"/attempts/{attempt.id}/result").data.decode()
    assert "3 out of 6" in page and "Results to follow" not in page


def test_results_of_an_open_sitting_cannot_be_released(client, auth, session, exam):
    factories.make_user(session, "rita", role="results_officer")
    session.commit()
    auth.login("rita")
    response = client.post(f"/results/sittings/{exam.sitting.id}/release")
    assert response.status_code == 409
    assert b"Close the sitting" in response.data


def test_the_feedback_report_shows_outcomes_and_criteria_but_no_item_content(client, rita, finished, session):
    attempt = delivery.booked_sittings(session, finished.bob)[0][1]
    page = client.get(f"/results/attempts/{attempt.id}/feedback").data.decode()
    assert "Feedback report" in page and "3 out of 6" in page
    assert "Outcome 1" in page and "1.1 criterion 1.1" in page
    for question in attempt.questions:
        version = session.get(ItemVersion, question.item_version_id)
        assert version.stem not in page
        assert all(text not in page for text in version.options.values())


@pytest.mark.parametrize("role", ["candidate", "invigilator", "item_writer"])
@pytest.mark.parametrize("path", ["/results/", "/results/sittings/{s}", "/results/sittings/{s}/download.csv",
                                  "/results/sittings/{s}/download.xlsx",
                                  "/results/sittings/{s}/download.responses"])
def test_other_roles_cannot_reach_results(client, auth, session, finished, role, path):
    factories.make_user(session, f"someone-{role}", role=role, centre=finished.centre)
    session.commit()
    auth.login(f"someone-{role}")
    response = client.get(path.format(s=finished.sitting.id))
    assert response.status_code == 403
    assert not session.scalars(select(AuditEvent).where(
        AuditEvent.action == "results_downloaded")).all()


def test_other_roles_cannot_release_results(client, auth, session, finished):
    auth.login("alice")
    assert client.post(f"/results/sittings/{finished.sitting.id}/release").status_code == 403
    session.expire_all()
    assert session.get(Sitting, finished.sitting.id).results_released_at is None


def test_a_test_wide_download_holds_every_sitting_of_the_test(client, rita, finished, session):
    response = client.get(f"/results/tests/{finished.sitting.blueprint_id}/download.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert sorted(row["candidate_name"] for row in rows) == ["Alice", "Bob"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "results_downloaded"))
    assert event.detail == {"what": "csv", "test": finished.blueprint.code}


def test_results_export_writes_the_file_and_records_it(cli, finished, session, tmp_path):
    target = tmp_path / "results.xlsx"
    result = cli("results", "export", finished.sitting.id, "--format", "xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == ["Alice", "Bob"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "results_downloaded"))
    assert event.actor == "system" and event.detail["via"] == "command line"


def test_results_export_of_an_unknown_sitting_says_so_and_writes_nothing(cli, tmp_path):
    target = tmp_path / "results.csv"
    result = cli("results", "export", 999, "-o", target)
    assert result.exit_code == 1 and "There is no such sitting." in result.output
    assert not target.exists()


def test_simulate_runs_candidates_through_an_open_sitting(cli, exam, session):
    result = cli("simulate", exam.sitting.id, "--candidates", 5, "--seed", 3)
    assert result.exit_code == 0, result.output
    attempts = session.scalars(select(Attempt).where(Attempt.sitting_id == exam.sitting.id)).all()
    assert len(attempts) == 5
    assert all(a.status == "submitted" and a.score_raw is not None for a in attempts)


def test_simulate_refuses_a_closed_sitting(cli, finished):
    result = cli("simulate", finished.sitting.id, "--candidates", 5)
    assert result.exit_code == 1 and "is closed; open it first" in result.output
