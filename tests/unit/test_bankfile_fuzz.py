"""Fuzzing the bank reader: whatever a file holds, the answer is problems with their places.

Never a traceback: every problem names the file it is in and a line inside it (0 only for a
file that could not be read at all).
"""
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.itembank.bankfile import read_banks
from tests.unit.test_bankfile import BLUEPRINT, ITEM, RANGE

GOOD_ITEMS = ("bank: 9999-01/101\nitems:\n" + ITEM.format(id="a1") + ITEM.format(id="a2")).encode()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that break files in the ways people and tools do: control characters, stray UTF-8
# pieces, YAML's own punctuation, BOMs, tabs, CRs and very long or very deep runs.
NASTY = st.sampled_from([
    b"\x00", b"\x07", b"\x1b[31m", b"\x7f", b"\xc2\x85", b"\xc2\x9b", b"\xff", b"\xfe\xff",
    b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xe2\x80\xae", b"\t", b"\r", b"\r\n", b"\n", b"  ",
    b":", b": ", b"- ", b"? ", b"&a ", b"*a", b"!!python/object:os.system ", b"|", b">-",
    b"'", b'"', b'"\\0"', b'"\\ud800"', b"{", b"}", b"[", b"]", b"#", b"%YAML 1.1\n", b"---\n",
    b"...\n", b"[" * 500, b"{a: " * 200, b"x" * 5000, b"9" * 400, b"\xd9\xa3",
])


def problems_for(item_file: bytes, blueprint: bytes = BLUEPRINT.encode(),
                 range_file: bytes | None = RANGE.encode()) -> tuple[Path, list]:
    """Read a bank made of these bytes (with a good range.yaml unless told otherwise); return the
    items file's path and the problems."""
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "9999-01" / "101"
        (bank / "items").mkdir(parents=True)
        (bank / "blueprint.yaml").write_bytes(blueprint)
        if range_file is not None:
            (bank / "range.yaml").write_bytes(range_file)
        path = bank / "items" / "1.1.yaml"
        path.write_bytes(item_file)
        problems = read_banks(Path(folder)).problems
        return path, [(p.path, p.line, p.message,
                       len(Path(p.path).read_bytes().splitlines()) if Path(p.path).is_file() else 0)
                      for p in problems]


def assert_placed(problems) -> None:
    for path, line, message, lines in problems:
        assert message and "Traceback" not in message
        assert 0 <= line <= max(lines, 1) + 1, (path, line, message)


@st.composite
def mutated(draw, original: bytes):
    """Return the file with a few nasty pieces inserted, lines deleted or repeated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert":
            data[where:where] = draw(NASTY | st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[where:where + draw(st.integers(1, 40))]
        else:
            data[where:where] = data[where:where + draw(st.integers(1, 80))] * draw(st.integers(2, 30))
    return bytes(data)


@FUZZ
@given(mutated(GOOD_ITEMS))
def test_a_damaged_item_file_gives_placed_problems_never_a_traceback(data):
    _, problems = problems_for(data)
    assert_placed(problems)


@FUZZ
@given(mutated(BLUEPRINT.encode()))
def test_a_damaged_blueprint_gives_placed_problems_never_a_traceback(data):
    _, problems = problems_for(GOOD_ITEMS, blueprint=data)
    assert_placed(problems)


@FUZZ
@given(mutated(RANGE.encode()))
def test_a_damaged_range_file_gives_placed_problems_never_a_traceback(data):
    _, problems = problems_for(GOOD_ITEMS, range_file=data)
    assert_placed(problems)


def test_the_good_bank_the_fuzzing_starts_from_has_no_problems():
    assert problems_for(GOOD_ITEMS)[1] == []


def test_a_bank_without_a_range_file_gets_one_placed_problem_not_a_traceback():
    path, problems = problems_for(GOOD_ITEMS, range_file=None)
    [(where, line, message, _)] = problems
    assert (Path(where).name, line) == ("range.yaml", 0)
    assert message.startswith("no range.yaml beside the blueprint")


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_at_all_give_placed_problems(data):
    _, problems = problems_for(data)
    assert_placed(problems)
    assert problems  # random bytes are never a valid item file


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.sampled_from(
        ["id", "criterion", "status", "difficulty", "stem", "options", "key", "rationale",
         "enemies", "type", "form", "range", "A", "B", "C", "D", "bank", "items"]), inner,
        max_size=6),
    max_leaves=30)


@FUZZ
@given(st.dictionaries(st.sampled_from(["bank", "items", "extra"]), YAML_VALUES, max_size=3)
       | YAML_VALUES)
def test_well_formed_yaml_of_the_wrong_shape_gives_placed_problems(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    _, problems = problems_for(text.encode("utf-8", "surrogatepass"))
    assert_placed(problems)


def test_a_line_break_only_yaml_sees_is_refused_on_the_line_an_editor_shows():
    # Found by hypothesis: YAML counts NEL (U+0085) as a line break and editors do not, so every
    # problem after one was placed past the end of the file.
    path, problems = problems_for("bank: [\u0085]\nitems:\n".encode())
    assert [(line, "control character" in message) for _, line, message, _ in problems][:1] == [(1, True)]
    assert_placed(problems)
