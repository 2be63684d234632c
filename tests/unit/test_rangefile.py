"""Reading range.yaml: the handbook's Range points with their ids, every fault as FILE:LINE."""
from pathlib import Path
from textwrap import dedent

import pytest

from quiz.itembank.bankfile import read_blueprint
from quiz.itembank.rangefile import read_range_file

REPO_BANK = Path(__file__).resolve().parents[2] / "item_banks" / "2794-03" / "315"

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
          "1.2": Explain another thing
    """)

GOOD = dedent("""\
    bank: 9999-01/101
    criteria:
      "1.1":
        - section: Benefits
          points:
            - group: to coach
              points:
                - 1.1/coach/job-satisfaction: increased job satisfaction
            - 1.1/benefit/other: another benefit
      "1.2":
        - section: Models
          points:
            - 1.2/model/grow: GROW model (Goals, Reality, Options, Will)
    """)


def read(tmp_path, text: str):
    problems = []
    (tmp_path / "blueprint.yaml").write_text(BLUEPRINT)
    blueprint = read_blueprint(tmp_path / "blueprint.yaml", problems)
    path = tmp_path / "range.yaml"
    path.write_text(text)
    return read_range_file(path, blueprint, problems), [str(p) for p in problems], path


def test_a_good_range_file_reads_every_point_in_order(tmp_path):
    range_list, problems, _ = read(tmp_path, GOOD)
    assert problems == []
    assert [p.id for p in range_list.points] == [
        "1.1/coach/job-satisfaction", "1.1/benefit/other", "1.2/model/grow"]
    assert range_list.get("1.2/model/grow").text == "GROW model (Goals, Reality, Options, Will)"
    assert [p.id for p in range_list.for_criterion("1.1")] == [
        "1.1/coach/job-satisfaction", "1.1/benefit/other"]


@pytest.mark.parametrize("old, new, line, message", [
    ("1.1/benefit/other", "1.1/coach/job-satisfaction", 9,
     "Range point id 1.1/coach/job-satisfaction is already used on line 8"),
    ("1.1/benefit/other", "1.1/Benefit/Other", 9,
     "Range point id '1.1/Benefit/Other' must be the criterion and then lower-case words joined "
     "by '-', separated by '/', e.g. 1.1/group/point (at most 80 characters)"),
    ("1.2/model/grow", "1.1/model/grow", 13,
     "Range point id '1.1/model/grow' must start with its criterion, '1.2/'"),
    ('"1.2":', '"1.3":', 2, "criterion 1.2 has no Range points"),
    ("bank: 9999-01/101", "bank: 9999-01/102", 1,
     "bank '9999-01/102' does not match the blueprint beside it ('9999-01/101')"),
    ("another benefit", "", 9, "Range point 1.1/benefit/other is empty"),
    ("- 1.1/benefit/other: another benefit", "- {1.1/benefit/other: another, 1.1/b/c: d}", 9,
     "a point is one line, 'id: the handbook's words'; a group has 'group:' and 'points:'"),
])
def test_each_fault_in_a_range_file_is_reported_on_its_line(tmp_path, old, new, line, message):
    range_list, problems, path = read(tmp_path, GOOD.replace(old, new))
    assert range_list is None
    assert f"{path}:{line}: {message}" in problems


def test_a_criterion_the_blueprint_lacks_is_reported(tmp_path):
    text = GOOD + '  "1.9":\n    - section: X\n      points:\n        - 1.9/x/y: z\n'
    _, problems, path = read(tmp_path, text)
    assert problems == [f"{path}:14: criterion 1.9 is not in blueprint 9999-01/101 (known: 1.1, 1.2)"]


def test_a_group_inside_a_group_is_reported(tmp_path):
    text = GOOD.replace("            - 1.1/coach/job-satisfaction: increased job satisfaction\n",
                        "            - group: deeper\n"
                        "              points:\n"
                        "                - 1.1/coach/deep: too deep\n")
    _, problems, path = read(tmp_path, text)
    assert problems == [f"{path}:8: group to coach: a group inside a group is not part of the "
                        "format; the handbook nests no deeper"]


def test_the_shipped_range_has_every_handbook_point_of_unit_315():
    problems = []
    blueprint = read_blueprint(REPO_BANK / "blueprint.yaml", problems)
    range_list = read_range_file(REPO_BANK / "range.yaml", blueprint, problems)
    assert problems == []
    per_criterion = {code: len(range_list.for_criterion(code))
                     for o in blueprint.outcomes for code in o.criteria}
    # Every bullet with no bullets under it (the file's header says how the handbook is read).
    assert per_criterion == {"1.1": 7, "1.2": 5, "1.3": 9, "1.4": 32, "1.5": 43,
                             "2.1": 10, "2.2": 20, "2.3": 15, "2.4": 39, "2.5": 45}
    assert range_list.get("1.4/coachee/self-confidence").group == "to coachee"
    assert range_list.get("2.4/complex-needs/personal-circumstances").section == "Challenges"
