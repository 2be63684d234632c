"""Reading bank files: good files read cleanly; every fault is reported as FILE:LINE: message."""
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from quiz.itembank.bankfile import read_banks

REPO_BANKS = Path(__file__).resolve().parents[2] / "item_banks"

BLUEPRINT = dedent("""\
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
          "1.10": Explain the tenth thing
    """)

ITEM = (
    "  - id: {id}\n"
    "    criterion: \"1.1\"\n"
    "    status: live\n"
    "    difficulty: easy\n"
    "    stem: >-\n"
    "      Which option is right\n"
    "      for question {id}?\n"
    "    options:\n"
    "      A: Alpha {id}\n"
    "      B: Bravo {id}\n"
    "      C: Charlie {id}\n"
    "      D: Delta {id}\n"
    "    key: B\n"
    "    rationale: B is right.\n"
)


def write_bank(folder: Path, items_text: str, blueprint: str = BLUEPRINT) -> Path:
    bank = folder / "9999-01" / "101"
    (bank / "items").mkdir(parents=True)
    (bank / "blueprint.yaml").write_text(blueprint)
    (bank / "items" / "1.1.yaml").write_text("bank: 9999-01/101\nitems:\n" + items_text)
    return bank / "items" / "1.1.yaml"


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in read_banks(folder).problems]


def test_a_good_bank_reads_without_problems(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1") + ITEM.format(id="a2"))
    banks = read_banks(tmp_path)
    assert banks.ok
    [first, second] = banks.items["9999-01/101"]
    assert first.item_id == "a1" and first.outcome == 1 and first.criterion == "1.1"
    assert first.content.stem == "Which option is right for question a1?"
    assert first.content.options["B"] == "Bravo a1"
    assert second.line == 17


def test_values_are_read_as_text_so_criterion_one_point_ten_survives(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1").replace('"1.1"', "1.10"))
    [item] = read_banks(tmp_path).items["9999-01/101"]
    assert item.criterion == "1.10"


def test_a_missing_key_is_reported_at_the_item(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("    key: B\n", ""))
    assert problems_of(tmp_path) == [f"{path}:3: item a1 has no 'key'"]


def test_a_key_that_is_not_an_option_letter_is_reported_on_its_line(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("key: B", "key: E"))
    assert problems_of(tmp_path) == [f"{path}:15: item a1: key 'E' must be one of: A, B, C, D"]


def test_three_options_are_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("      D: Delta a1\n", ""))
    assert problems_of(tmp_path) == [
        f"{path}:11: item a1: options must be exactly A, B, C, D in that order, not A, B, C"]


def test_an_unknown_criterion_is_reported_with_the_known_ones(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace('"1.1"', '"1.3"'))
    assert problems_of(tmp_path) == [
        f"{path}:4: item a1: criterion '1.3' is not in blueprint 9999-01/101 (known: 1.1, 1.10)"]


def test_a_misspelt_field_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("rationale:", "rationle:"))
    assert f"{path}:16: unknown field 'rationle' in item a1" in problems_of(tmp_path)[1]


def test_a_repeated_id_names_both_places(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1") + ITEM.format(id="a1"))
    assert problems_of(tmp_path) == [f"{path}:17: id a1 is already used at {path}:3"]


def test_an_enemy_that_is_not_in_the_bank_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1") + "    enemies: [zz9]\n")
    assert problems_of(tmp_path) == [f"{path}:3: item a1 names enemy 'zz9', which is not in the bank"]


def test_broken_yaml_is_reported_at_its_line(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("key: B", "key: [B"))
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:") and "not valid YAML" in problem


def test_a_bad_status_and_difficulty_are_both_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("status: live", "status: approved")
                      .replace("difficulty: easy", "difficulty: 3"))
    assert problems_of(tmp_path) == [
        f"{path}:5: item a1: status 'approved' must be one of: draft, in_review, live, retired",
        f"{path}:6: item a1: difficulty '3' must be one of: easy, medium, hard"]


def test_an_item_file_for_an_unknown_bank_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1"))
    path.write_text(path.read_text().replace("bank: 9999-01/101", "bank: 9999-01/102"))
    assert problems_of(tmp_path) == [
        f"{path}:1: bank '9999-01/102' has no blueprint here (known: 9999-01/101)"]


def test_blueprint_problems_are_reported_on_their_lines(tmp_path):
    broken = BLUEPRINT.replace("duration_minutes: 20", "duration_minutes: soon") \
                      .replace('"1.10"', '"2.1"')
    write_bank(tmp_path, ITEM.format(id="a1"), blueprint=broken)
    path = tmp_path / "9999-01" / "101" / "blueprint.yaml"
    assert problems_of(tmp_path) == [
        f"{path}:5: duration_minutes must be a whole number of at least 1, not 'soon'",
        f"{path}:13: criterion 2.1 does not belong to outcome 1 (expected 1.x)",
    ]


def test_a_folder_without_a_blueprint_is_reported(tmp_path):
    assert problems_of(tmp_path) == [f"{tmp_path}:0: no blueprint.yaml found here or above"]


def test_a_single_item_file_is_checked_against_the_blueprint_above_it(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1"))
    assert read_banks(path).ok


@pytest.mark.skipif(not (REPO_BANKS / "2794-03" / "315" / "items").is_dir(),
                    reason="the shipped bank has no items yet")
def test_the_shipped_banks_read_without_problems():
    banks = read_banks(REPO_BANKS)
    assert banks.problems == []
    assert "2794-03/315" in banks.blueprints
