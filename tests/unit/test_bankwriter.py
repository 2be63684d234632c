"""Writing bank files: what the writer writes, the reader reads back unchanged."""
from quiz.itembank import bankwriter, fields
from quiz.itembank.bankfile import read_banks
from tests.unit.test_bankfile import BLUEPRINT, write_bank

TRICKY = {
    "id": "a1", "criterion": "1.10", "status": "draft", "difficulty": "hard",
    "stem": "Ask: \"what's next?\" - or say # nothing, 50% of the time; which fits best " * 3,
    "options": {"A": "yes", "B": "1.5", "C": "- a dash: and a colon", "D": "'quoted' text #1"},
    "key": "D", "rationale": "D: it is. " + "Long word " * 30, "enemies": [],
}


def read_back(tmp_path, text):
    write_bank(tmp_path, "")
    path = tmp_path / "9999-01" / "101" / "items" / "1.1.yaml"
    path.write_text(text)
    banks = read_banks(tmp_path)
    assert banks.ok, [str(p) for p in banks.problems]
    return banks.items["9999-01/101"]


def test_awkward_text_reads_back_exactly(tmp_path):
    from quiz.itembank.bankfile import read_blueprint
    blueprint = read_blueprint(_blueprint_file(tmp_path), [])
    values = fields.normalise(TRICKY)
    text = bankwriter.render_item_file(blueprint, "1.10", [values])
    [item] = read_back(tmp_path / "bank", text)
    assert fields.values_of(item.content, id=item.item_id, criterion=item.criterion,
                            status=item.status) == {**values, "enemies": []}


def test_prose_is_folded_within_the_width_and_numbers_are_quoted():
    lines = bankwriter.render_item(fields.normalise(TRICKY))
    assert lines[0] == "  - id: a1"
    assert lines[1] == '    criterion: "1.10"'
    assert all(len(line) <= bankwriter.WIDTH for line in lines if "Long" in line)
    assert '      A: "yes"' in lines and '      B: "1.5"' in lines
    assert "    enemies: []" in lines


def test_items_are_in_natural_id_order_under_a_header_naming_the_criterion(tmp_path):
    from quiz.itembank.bankfile import read_blueprint
    blueprint = read_blueprint(_blueprint_file(tmp_path), [])
    items = [fields.normalise({**TRICKY, "id": i}) for i in ("a10", "a2", "a1")]
    text = bankwriter.render_item_file(blueprint, "1.10", items)
    assert text.startswith("# 9999-01/101 AC1.10 Explain the tenth thing\nbank: 9999-01/101\n"
                           "items:\n  - id: a1\n")
    assert text.index("id: a2") < text.index("id: a10")


def test_a_file_keeps_the_name_its_items_came_from_or_takes_one_from_the_title():
    assert bankwriter.file_name("1.1", "Explain the purpose of coaching",
                                ["1.1-purpose-of-coaching.yaml"] * 3 + ["old.yaml"]) \
        == "1.1-purpose-of-coaching.yaml"
    assert bankwriter.file_name("2.6", "Describe the limits of mentoring") \
        == "2.6-limits-of-mentoring.yaml"


def _blueprint_file(tmp_path):
    path = tmp_path / "blueprint.yaml"
    path.write_text(BLUEPRINT)
    return path
