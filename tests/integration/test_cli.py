"""The command line: validate, load all-or-nothing, and print reproducible papers."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from quiz.cli import main
from quiz.itembank.models import Item, ItemVersion
from tests.unit.test_bankfile import ITEM, write_bank

SMALL_BLUEPRINT = """\
blueprint: 9999-01/101
qualification: 9999-01
unit: "101"
title: Test unit
duration_minutes: 20
pass_mark_percent: 60
outcomes:
  - number: 1
    title: know things
    questions: 2
    criteria:
      "1.1": Explain one thing
"""

SMALL_RANGE = """\
bank: 9999-01/101
criteria:
  "1.1":
    - section: Things
      points:
        - 1.1/thing/first: the first thing
        - 1.1/thing/second: the second thing
"""


@pytest.fixture
def good_bank(tmp_path):
    write_bank(tmp_path, "".join(ITEM.format(id=f"a{n}") for n in range(1, 5)),
               blueprint=SMALL_BLUEPRINT,
               range_text=SMALL_RANGE)
    return tmp_path


def item_count(session):
    return session.scalar(select(func.count()).select_from(Item))


def test_validate_reports_every_problem_as_file_line_and_fails(cli, tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("key: B", "key: Z")
                      + ITEM.format(id="a2").replace("status: live", "status: done"),
                      blueprint=SMALL_BLUEPRINT,
               range_text=SMALL_RANGE)
    result = cli("bank", "validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{path}:15: item a1: key 'Z' must be one of: A, B, C, D" in result.output
    assert f"{path}:22: item a2: status 'done' must be one of" in result.output
    assert "2 problem(s) found; nothing was loaded." in result.output


def test_validate_passes_a_good_bank(cli, good_bank):
    result = cli("bank", "validate", str(good_bank))
    assert result.exit_code == 0
    assert "9999-01/101: blueprint ok, 4 items (4 live)" in result.output


def test_load_stores_every_item(cli, good_bank, session):
    result = cli("bank", "load", str(good_bank))
    assert result.exit_code == 0, result.output
    assert "4 new item(s)" in result.output
    assert item_count(session) == 4


def test_a_bad_file_loads_nothing_at_all(cli, good_bank, session):
    broken = good_bank / "9999-01" / "101" / "items" / "2.yaml"
    broken.write_text("bank: 9999-01/101\nitems:\n" + ITEM.format(id="b1").replace("    key: B\n", ""))
    result = cli("bank", "load", str(good_bank))
    assert result.exit_code == 1
    assert f"{broken}:3: item b1 has no 'key'" in result.output
    assert item_count(session) == 0


def test_loading_edited_text_makes_a_new_version_and_keeps_the_old(cli, good_bank, session):
    cli("bank", "load", str(good_bank))
    path = good_bank / "9999-01" / "101" / "items" / "1.1.yaml"
    path.write_text(path.read_text().replace("Bravo a1", "Bravo a1 (clearer)"))
    result = cli("bank", "load", str(good_bank))
    assert "1 new version(s)" in result.output and "3 unchanged" in result.output
    item = session.scalar(select(Item).where(Item.item_id == "a1"))
    versions = session.scalars(select(ItemVersion).where(ItemVersion.item_pk == item.id)
                               .order_by(ItemVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].options["B"] == "Bravo a1"
    assert item.current_version_id == versions[1].id


def test_paper_prints_the_same_json_for_the_same_seed(cli, good_bank):
    cli("bank", "load", str(good_bank))
    first = json.loads(cli("paper", "9999-01/101", "--seed", "11", "--json").output)
    again = json.loads(cli("paper", "9999-01/101", "--seed", "11", "--json").output)
    assert first == again
    assert first["blueprint"] == "9999-01/101" and first["seed"] == 11
    assert first["duration_minutes"] == 20
    assert len(first["questions"]) == 2
    assert set(first["questions"][0]) >= {"item_id", "outcome", "criterion", "option_order"}


def test_paper_for_an_unknown_blueprint_says_which_exist(cli, good_bank):
    cli("bank", "load", str(good_bank))
    result = cli("paper", "1234-56/789", "--seed", "1")
    assert result.exit_code == 1
    assert "no blueprint '1234-56/789' (known: 9999-01/101)" in result.output


def test_paper_from_a_thin_bank_says_what_is_short(cli, tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1"), blueprint=SMALL_BLUEPRINT,
               range_text=SMALL_RANGE)
    cli("bank", "load", str(tmp_path))
    result = cli("paper", "9999-01/101", "--seed", "1")
    assert result.exit_code == 1
    assert "outcome 1 needs 2 live items but the bank has 1 (short by 1)" in result.output


def test_lint_passes_a_sound_bank(cli, good_bank):
    result = cli("bank", "lint", str(good_bank))
    assert result.exit_code == 0, result.output
    assert "9999-01/101: 4 items, 0 error(s), 4 warning(s)" in result.output
    assert "rationale does not mention its criterion (AC1.1)" in result.output


def test_lint_fails_and_says_where_when_an_item_repeats_an_option(cli, good_bank):
    path = good_bank / "9999-01" / "101" / "items" / "1.1.yaml"
    path.write_text(path.read_text().replace("Charlie a2", "Alpha a2"))
    result = cli("bank", "lint", str(good_bank))
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "[repeated-option]" in result.output
    assert "1 error(s)" in result.output


def test_lint_of_an_invalid_bank_reports_the_file_problems_instead(cli, tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1").replace("key: B", "key: Z"), blueprint=SMALL_BLUEPRINT,
               range_text=SMALL_RANGE)
    result = cli("bank", "lint", str(tmp_path))
    assert result.exit_code == 1 and "key 'Z' must be one of" in result.output


def test_bank_show_prints_every_item_with_its_key_and_options_in_stored_order(cli, good_bank):
    cli("bank", "load", str(good_bank))
    listing = json.loads(cli("bank", "show", "9999-01/101", "--json").output)
    assert [item["id"] for item in listing["items"]] == ["a1", "a2", "a3", "a4"]
    first = listing["items"][0]
    assert (first["version"], first["status"], first["outcome"], first["criterion"]) == (1, "live", 1, "1.1")
    assert [o["letter"] for o in first["options"]] == ["A", "B", "C", "D"]
    assert first["key"] == "B" and first["difficulty"] == "easy" and first["enemies"] == []
    assert first["range"] == ["1.1/thing/first"] and first["form"] == "recall"
    assert first["stem"] == "Which option is right for question a1?"


def test_bank_coverage_counts_live_items_against_what_a_paper_draws(cli, good_bank):
    cli("bank", "load", str(good_bank))
    report = json.loads(cli("bank", "coverage", "9999-01/101", "--json").output)
    assert report["disjoint_papers"] == 2  # 4 live items, 2 per paper
    text = cli("bank", "coverage", "9999-01/101").output
    assert "Papers that could be assembled with no item in common: 2" in text


def test_bank_coverage_by_range_lists_every_point_with_its_live_items(cli, good_bank):
    path = good_bank / "9999-01" / "101" / "items" / "1.1.yaml"
    path.write_text(path.read_text().replace("status: live", "status: draft", 1))  # a1: draft
    cli("bank", "load", str(good_bank))
    report = json.loads(cli("bank", "coverage", "9999-01/101", "--range", "--json").output)
    assert report["points_total"] == 2
    assert report["below_minimum"] == ["1.1/thing/second"]
    assert [(p["id"], p["live_items"], p["pending_items"]) for p in report["points"]] == [
        ("1.1/thing/first", ["a2", "a3", "a4"], ["a1"]), ("1.1/thing/second", [], [])]
    text = cli("bank", "coverage", "9999-01/101", "--range").output
    assert "9999-01/101: 2 Range points; live items per point: 1 with 0, 1 with 3" in text
    assert "   0       0  1.1/thing/second  (the second thing)  < minimum" in text


def test_bank_coverage_by_range_of_a_bank_loaded_without_its_range_says_so(cli, unranged):
    result = cli("bank", "coverage", unranged.code, "--range")
    assert result.exit_code == 1
    assert "was loaded without its Range points: load the bank folder again" in result.output


def test_lint_prints_the_length_cue_and_question_form_figures(cli, good_bank):
    path = good_bank / "9999-01" / "101" / "items" / "1.1.yaml"
    path.write_text(path.read_text().replace("form: recall", "form: decision", 1))
    result = cli("bank", "lint", str(good_bank))  # "Charlie aN" is the longest option of each
    assert ("9999-01/101: longest option: 4 of 4 live items have a strictly longest option; "
            "it is the key in 0 (0%, chance 25%; two-sided exact binomial p = 0.63)") in result.output
    assert ("9999-01/101: expected score of never choosing the longest option: 33.3% "
            "(a bank keyed at random: 8.3% to 33.3%)") in result.output
    assert ("9999-01/101: question forms of the 4 live items: recall 3 (75%), label 0 (0%), "
            "decision 1 (25%), application 0 (0%)") in result.output


def test_a_command_on_a_database_without_tables_says_to_upgrade_it(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = CliRunner().invoke(main, ["paper", "2794-03/315", "--seed", "1"])
    assert result.exit_code == 1
    assert "has no tables yet: run `quiz db upgrade` first" in result.output
    assert "Traceback" not in result.output


def test_a_command_on_an_unreachable_database_says_it_cannot_open_it(monkeypatch):
    monkeypatch.setenv("QUIZ_DATABASE_URL", "postgresql+psycopg://quiz@127.0.0.1:1/nowhere")
    result = CliRunner().invoke(main, ["bank", "coverage", "2794-03/315"])
    assert result.exit_code == 1
    assert "cannot open the database at postgresql+psycopg://quiz@127.0.0.1:1/nowhere" in result.output


def test_bank_exposure_reports_item_use_and_paper_overlap(cli, good_bank):
    cli("bank", "load", str(good_bank))
    data = json.loads(cli("bank", "exposure", "9999-01/101", "--papers", "50", "--json").output)
    assert data["papers"] == 50
    assert sum(data["uses"].values()) == 50 * data["questions"]
    assert 0 < data["overlap"]["mean"] <= data["questions"]
    text = cli("bank", "exposure", "9999-01/101", "--papers", "50").output
    assert "two papers share on average" in text


def test_bank_exposure_needs_at_least_two_papers(cli, good_bank):
    cli("bank", "load", str(good_bank))
    result = cli("bank", "exposure", "9999-01/101", "--papers", 1)
    assert result.exit_code == 2 and "--papers" in result.output
