"""Names people type (candidates, centres, sitting titles) never become live formulas in downloads."""
import csv
import io

import openpyxl
import pytest

from quiz.delivery import service as delivery
from tests import factories

HOSTILE = {
    "candidate": '=HYPERLINK("http://x.example","x")',
    "centre": "@SUM(1+1)*cmd|' /C calc'!A0",
    "sitting": "+cmd|' /C calc'!A0",
    "number": "-2+3",
}
STARTERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(session):
    """A finished sitting whose candidate, centre and title were each named to plant a formula."""
    blueprint = factories.make_blueprint()
    factories.load_bank(session, blueprint, factories.make_items(blueprint))
    centre = factories.make_centre(session, code="EVIL1", name=HOSTILE["centre"])
    mallory = factories.make_user(session, "mallory", centre=centre,
                                  candidate_number=HOSTILE["number"])
    mallory.full_name = HOSTILE["candidate"]
    sitting = factories.make_sitting(session, blueprint.code, centre, [mallory],
                                     title=HOSTILE["sitting"])
    attempt = factories.start(session, sitting, mallory)
    delivery.save_answer(session, attempt, 1, 0, 1, factories.MORNING,
                         factories.timedelta(seconds=2))
    delivery.submit(session, attempt, factories.MORNING, "candidate")
    factories.make_user(session, "rita", role="results_officer")
    session.commit()
    return sitting


def assert_no_cell_starts_a_formula(cells):
    texts = [c for c in cells if isinstance(c, str)]
    assert texts, "the download held no text at all"
    live = [c for c in texts if c.startswith(STARTERS)]
    assert live == [], f"cells a spreadsheet would run as formulas: {live}"


def csv_cells(data: bytes):
    return [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]


def test_a_hostile_name_is_plain_text_in_the_csv_download(client, auth, planted):
    auth.login("rita")
    response = client.get(f"/results/sittings/{planted.id}/download.csv")
    cells = csv_cells(response.data)
    assert_no_cell_starts_a_formula(cells)
    assert "'" + HOSTILE["candidate"] in cells  # still readable, with the quote that disarms it
    assert "'" + HOSTILE["number"] in cells


def test_a_hostile_name_is_plain_text_in_the_test_wide_csv_download(client, auth, planted):
    auth.login("rita")
    response = client.get(f"/results/tests/{planted.blueprint_id}/download.csv")
    assert_no_cell_starts_a_formula(csv_cells(response.data))


def test_a_hostile_candidate_number_is_plain_text_in_the_response_export(client, auth, planted):
    auth.login("rita")
    response = client.get(f"/results/sittings/{planted.id}/download.responses")
    assert_no_cell_starts_a_formula(csv_cells(response.data))


def test_a_hostile_name_is_a_text_cell_in_the_xlsx_download(client, auth, planted):
    auth.login("rita")
    response = client.get(f"/results/sittings/{planted.id}/download.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no formula anywhere
    assert not any(c.hyperlink for c in cells)
    names = [c for c in cells if c.value == HOSTILE["candidate"]]
    assert names and names[0].data_type == "s" and names[0].quotePrefix  # Excel's own "text" mark


def test_results_export_on_the_command_line_neutralises_every_text_cell(cli, planted, tmp_path):
    target = tmp_path / "results.csv"
    assert cli("results", "export", planted.id, "-o", target).exit_code == 0
    assert_no_cell_starts_a_formula(csv_cells(target.read_bytes()))
    workbook = tmp_path / "results.xlsx"
    assert cli("results", "export", planted.id, "--format", "xlsx", "-o", workbook).exit_code == 0
    sheet = openpyxl.load_workbook(workbook).active
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
