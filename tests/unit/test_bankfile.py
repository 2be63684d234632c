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
    "    form: recall\n"
    "    range: [1.1/thing/first]\n"
    "    enemies: []\n"
)

RANGE = dedent("""\
    bank: 9999-01/101
    criteria:
      "1.1":
        - section: Things
          points:
            - 1.1/thing/first: the first thing
            - group: other things
              points:
                - 1.1/other/second: the second thing
      "1.10":
        - section: Things
          points:
            - 1.10/thing/tenth: the tenth thing
    """)


def write_bank(folder: Path, items_text: str, blueprint: str = BLUEPRINT,
               range_text: str | None = RANGE) -> Path:
    bank = folder / "9999-01" / "101"
    (bank / "items").mkdir(parents=True)
    (bank / "blueprint.yaml").write_text(blueprint)
    if range_text is not None:
        (bank / "range.yaml").write_text(range_text)
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
    assert first.content.range_ids == ("1.1/thing/first",) and first.content.form == "recall"
    assert first.content.enemies == ()
    assert second.line == 20


def test_values_are_read_as_text_so_criterion_one_point_ten_survives(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1").replace('"1.1"', "1.10")
               .replace("1.1/thing/first", "1.10/thing/tenth"))
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
    assert problems_of(tmp_path) == [f"{path}:20: id a1 is already used at {path}:3"]


def test_an_enemy_that_is_not_in_the_bank_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("enemies: []", "enemies: [zz9]"))
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


# The Range points an item tests, its question form, and its enemies ----------------------------

@pytest.mark.parametrize("field", ["range", "form", "enemies"])
def test_an_item_without_range_form_or_enemies_is_reported(tmp_path, field):
    lines = [line for line in ITEM.format(id="a1").splitlines(keepends=True)
             if not line.startswith(f"    {field}:")]
    path = write_bank(tmp_path, "".join(lines))
    assert problems_of(tmp_path) == [f"{path}:3: item a1 has no '{field}'"]


def test_an_empty_enemies_value_asks_for_an_empty_list(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("enemies: []", "enemies:"))
    assert problems_of(tmp_path) == [
        f"{path}:19: item a1: enemies is empty; write 'enemies: []' once the item has been "
        "checked against the others and has none"]


def test_an_enemy_named_twice_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("enemies: []", "enemies: [a2, a2]")
                      + ITEM.format(id="a2"))
    assert problems_of(tmp_path) == [f"{path}:19: item a1: enemy 'a2' is listed twice"]


def test_an_empty_range_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("[1.1/thing/first]", "[]"))
    assert problems_of(tmp_path) == [
        f"{path}:18: item a1: range is empty; name the Range point(s) from range.yaml that the "
        "item tests"]


def test_a_range_point_not_in_the_range_file_is_reported_with_the_nearest_id(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("1.1/thing/first", "1.1/thing/frist"))
    assert problems_of(tmp_path) == [
        f"{path}:18: item a1: range point '1.1/thing/frist' is not in range.yaml "
        "(did you mean 1.1/thing/first?)"]


def test_a_range_point_of_another_criterion_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("[1.1/thing/first]",
                                                             "[1.1/other/second, 1.10/thing/tenth]"))
    assert problems_of(tmp_path) == [
        f"{path}:18: item a1: range point 1.10/thing/tenth belongs to criterion 1.10, not to the "
        "item's criterion 1.1"]


def test_a_range_point_named_twice_is_reported(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace(
        "range: [1.1/thing/first]", "range:\n      - 1.1/thing/first\n      - 1.1/thing/first"))
    assert problems_of(tmp_path) == [
        f"{path}:20: item a1: range point 1.1/thing/first is listed twice"]


def test_an_unknown_question_form_is_reported_with_the_known_ones(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("form: recall", "form: scenario"))
    assert problems_of(tmp_path) == [
        f"{path}:17: item a1: form 'scenario' must be one of: recall, label, decision, "
        "application"]


def test_a_bank_without_a_range_file_is_reported_and_its_items_checked_for_shape_only(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1").replace("1.1/thing/first", "anything"),
                      range_text=None)
    assert problems_of(tmp_path) == [
        f"{path.parent.parent / 'range.yaml'}:0: no range.yaml beside the blueprint: every bank "
        "lists the handbook's Range points for each criterion there (see item_banks/README.md)"]


def test_the_range_list_is_read_in_handbook_order_with_its_groups(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1"))
    range_list = read_banks(tmp_path).ranges["9999-01/101"]
    assert [(p.id, p.section, p.group, p.text, p.line) for p in range_list.points] == [
        ("1.1/thing/first", "Things", "", "the first thing", 6),
        ("1.1/other/second", "Things", "other things", "the second thing", 9),
        ("1.10/thing/tenth", "Things", "", "the tenth thing", 13)]
