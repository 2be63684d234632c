"""Hostile or broken bank files are reported as FILE:LINE: what is wrong, never a traceback."""
import pytest

from quiz.itembank.bankfile import MAX_FILE_BYTES, MAX_TEXT, read_banks
from tests.unit.test_bankfile import BLUEPRINT, ITEM, problems_of, write_bank

HEAD = "bank: 9999-01/101\nitems:\n"


def write_raw(tmp_path, data: bytes):
    path = write_bank(tmp_path, ITEM.format(id="a1"))
    path.write_bytes(data)
    return path


def test_invalid_utf8_is_reported_on_its_line(tmp_path):
    good = (HEAD + ITEM.format(id="a1")).encode()
    path = write_raw(tmp_path, good.replace(b"Bravo", b"Br\xffvo"))
    assert problems_of(tmp_path) == [
        f"{path}:12: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"]


def test_binary_content_is_reported_as_not_text(tmp_path):
    path = write_raw(tmp_path, b"bank: x\n\x00\x01\x02\x89PNG\r\n\x1a\n" * 10)
    [problem] = problems_of(tmp_path)
    assert problem == f"{path}:2: the file holds binary content (a NUL byte), not YAML text"


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x85x\x9b"])
def test_a_control_character_is_reported_on_its_line(tmp_path, char):
    text = HEAD + ITEM.format(id="a1").replace("Charlie", "Char" + char + "lie")
    path = write_raw(tmp_path, text.encode())
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:13: the file holds a control character (U+00")


def test_a_control_character_written_as_an_escape_is_reported_on_its_line(tmp_path):
    item = ITEM.format(id="a1").replace("A: Alpha a1", 'A: "Alpha\\0 a1"')
    path = write_bank(tmp_path, item)
    assert problems_of(tmp_path) == [
        f"{path}:11: item a1: option A holds a control character (U+0000)"]


def test_deep_nesting_is_reported_on_its_line(tmp_path):
    path = write_raw(tmp_path, (HEAD + "  - " + "[" * 100_000 + "]" * 100_000 + "\n").encode())
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:3: ") and "nested more than" in problem


def test_deep_nesting_of_blocks_is_reported_too(tmp_path):
    nested = "".join("  " * n + f"k{n}:\n" for n in range(60)) + "  " * 60 + "end: 1\n"
    path = write_raw(tmp_path, nested.encode())
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:") and "nested more than" in problem


def test_a_file_over_the_size_limit_is_reported_without_reading_it_all(tmp_path):
    stem = "x" * (MAX_FILE_BYTES + 10)
    path = write_raw(tmp_path, (HEAD + ITEM.format(id="a1").replace(">-", stem)).encode())
    assert problems_of(tmp_path) == [
        f"{path}:1: the file is larger than the 1 MB a bank file may be; split it into "
        "several files"]


def test_a_stem_over_the_length_limit_is_reported_on_its_line(tmp_path):
    item = ITEM.format(id="a1").replace("Which option is right", "Which " * 500)
    path = write_bank(tmp_path, item)
    assert problems_of(tmp_path) == [
        f"{path}:7: item a1: stem is 3017 characters long; at most {MAX_TEXT} are allowed"]


def test_a_blueprint_title_too_long_to_store_is_reported(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1"),
               blueprint=BLUEPRINT.replace("title: Test unit", "title: " + "T" * 201))
    path = tmp_path / "9999-01" / "101" / "blueprint.yaml"
    assert problems_of(tmp_path) == [
        f"{path}:4: title is 201 characters long; at most 200 are allowed"]


def test_a_huge_number_is_reported_not_stored(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1"),
               blueprint=BLUEPRINT.replace("duration_minutes: 20", "duration_minutes: " + "9" * 40))
    path = tmp_path / "9999-01" / "101" / "blueprint.yaml"
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:5: duration_minutes must be a whole number from 1 to "
                              "100000, not 99999")


def test_a_digit_that_is_not_ascii_is_reported_not_a_traceback(tmp_path):
    write_bank(tmp_path, ITEM.format(id="a1"),
               blueprint=BLUEPRINT.replace("duration_minutes: 20", "duration_minutes: 2\u00b2"))
    path = tmp_path / "9999-01" / "101" / "blueprint.yaml"
    [problem] = problems_of(tmp_path)
    assert problem.startswith(f"{path}:5: duration_minutes must be a whole number")


def test_a_folder_named_like_a_bank_file_is_reported_not_a_traceback(tmp_path):
    path = write_bank(tmp_path, ITEM.format(id="a1"))
    (path.parent / "zz.yaml").mkdir()
    assert problems_of(tmp_path)[0].startswith(f"{path.parent / 'zz.yaml'}:0: cannot be read")


def test_the_limits_leave_the_shipped_bank_alone():
    from pathlib import Path
    banks = read_banks(Path(__file__).resolve().parents[2] / "item_banks")
    assert banks.problems == []


def test_the_command_line_prints_the_problem_and_exits_1_on_a_binary_file(tmp_path):
    from click.testing import CliRunner

    from quiz.cli import main
    path = write_raw(tmp_path, b"\x00\xff\xfe" * 1000)
    result = CliRunner().invoke(main, ["bank", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{path}:1: the file holds binary content" in result.output
    assert "Traceback" not in result.output


def test_a_list_used_as_a_field_name_is_reported_even_when_it_contains_itself(tmp_path):
    path = write_raw(tmp_path, (HEAD + "  - ? &a [*a]\n    : x\n").encode())
    problems = problems_of(tmp_path)
    assert problems[0] == f"{path}:3: a name in an item must be a single word, not a list or mapping"
