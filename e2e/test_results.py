"""A results officer releases a sitting, downloads its results, and reads the reports."""
import csv
from datetime import timedelta

import openpyxl
from playwright.sync_api import expect

from e2e.conftest import sign_in
from quiz.db import utcnow
from quiz.invigilation import service as invigilation
from tests import factories

SIMULATED = 35


def test_a_results_officer_releases_downloads_and_reads_the_reports(new_context, db, world, tmp_path, simulate_past):
    officer = factories.make_user(db, "rita", role="results_officer")
    simulate_past(world.sitting, SIMULATED, seed=3, start=utcnow() - timedelta(hours=2))
    invigilation.close_sitting(db, world.sitting, officer, utcnow(), timedelta(seconds=2))
    db.commit()

    page = new_context().new_page()
    sign_in(page, "rita")
    page.get_by_role("link", name=world.sitting.title).click()
    expect(page.get_by_text("Provisional.")).to_be_visible()
    page.get_by_role("button", name="Release results").click()
    expect(page.get_by_text("Released on")).to_be_visible()

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="results (CSV)").click()
    rows = list(csv.DictReader(open(csv_download.value.path(), newline="", encoding="utf-8")))
    assert len(rows) == SIMULATED
    assert {row["outcome_1_max"] for row in rows if row["result"] != "voided"} == {"15"}

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="results (Excel)").click()
    saved = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == SIMULATED + 1
    assert sorted(r[0] for r in table[1:]) == sorted(row["candidate_number"] for row in rows)

    first = rows[0]
    page.get_by_role("link", name=f"Feedback report for {first['candidate_name']}").first.click()
    expect(page.get_by_role("heading", name="Feedback report")).to_be_visible()
    expect(page.get_by_text("How you did on each learning outcome")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="item analysis for 2794-03/315").click()
    expect(page.get_by_role("heading", name="Item analysis: 2794-03/315 Coaching and mentoring")).to_be_visible()
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()
    expect(page.get_by_role("img", name="Item facility and discrimination")).to_be_visible()
    expect(page.get_by_text(f"{SIMULATED}", exact=True).first).to_be_visible()
