"""One definition of an item's fields: the checks the bank files and the writers' form share."""
from quiz.itembank import fields
from quiz.itembank.domain import ItemContent
from tests import factories

BLUEPRINT = factories.make_blueprint()
RANGE = factories.make_range(BLUEPRINT)


def good_values(**changes):
    values = {"criterion": "1.1", "difficulty": "easy", "form": "decision",
              "stem": "Which option is right?",
              "options": {"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta"},
              "key": "B", "rationale": "B is right.", "range": ["1.1/topic/point-1"],
              "enemies": []}
    values.update(changes)
    return fields.normalise(values)


def problems(values, known_items=None, item_id="x1", draft=False, range_list=RANGE):
    ctx = fields.Context(BLUEPRINT, item_id=item_id, known={"items": known_items},
                         range_list=range_list)
    names = tuple(f.name for f in fields.WRITER_FIELDS)
    return [(p.field, p.message, p.part) for p in fields.check(values, ctx, names, draft)]


def test_a_good_item_has_no_problems():
    assert problems(good_values(), known_items=frozenset()) == []


def test_three_options_are_refused_at_the_options():
    values = good_values(options={"A": "Alpha", "B": "Bravo", "C": "Charlie"})
    assert problems(values) == [
        ("options", "options must be exactly A, B, C, D in that order, not A, B, C", None)]


def test_an_empty_option_is_refused_at_that_option():
    values = good_values(options={"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "  "})
    assert problems(values) == [("options", "option D is empty", "D")]


def test_two_keys_are_refused():
    assert problems(good_values(key=["A", "B"])) == [
        ("key", "key must be exactly one of A, B, C, D; 2 were given (A, B)", None)]


def test_an_unknown_enemy_is_refused_where_the_bank_is_known():
    values = good_values(enemies="q1.1-01, zz9")
    assert problems(values, known_items=frozenset({"q1.1-01"})) == [
        ("enemies", "enemy 'zz9' is not in the bank", 1)]


def test_an_item_cannot_be_its_own_enemy_or_name_one_twice():
    values = good_values(enemies=["x1", "q1", "q1"])
    assert problems(values, known_items=frozenset({"x1", "q1"})) == [
        ("enemies", "enemy 'x1' is this item itself", 0),
        ("enemies", "enemy 'q1' is listed twice", 2)]


def test_an_empty_stem_is_refused():
    assert problems(good_values(stem=" \n ")) == [("stem", "stem is empty", None)]


def test_a_twenty_thousand_character_stem_is_refused_with_the_limit():
    assert problems(good_values(stem="word " * 4000)) == [
        ("stem", "stem is 19,999 characters long; at most 2,000 are allowed", None)]


def test_control_characters_are_refused():
    [(name, message, _)] = problems(good_values(rationale="B is\x00 right."))
    assert name == "rationale" and "control" in message


def test_a_criterion_the_blueprint_lacks_is_refused_with_the_known_ones():
    assert problems(good_values(criterion="9.9")) == [
        ("criterion", "criterion '9.9' is not in blueprint 9999-01/101 (known: 1.1, 1.2, 2.1, 2.2)",
         None)]


def test_a_missing_required_field_is_reported():
    values = good_values()
    del values["rationale"]
    assert problems(values) == [("rationale", "rationale is missing", None)]


def test_whitespace_is_tidied_as_files_fold_it():
    values = good_values(stem="  Which\n option   is right? ", enemies=" a1,b2  c3 ")
    assert values["stem"] == "Which option is right?"
    assert values["enemies"] == ["a1", "b2", "c3"]


def test_content_and_values_convert_both_ways():
    content = fields.content_of(good_values(enemies=["q1"]))
    assert content == ItemContent(stem="Which option is right?",
                                  options={"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta"},
                                  key="B", rationale="B is right.", difficulty="easy",
                                  enemies=("q1",), range_ids=("1.1/topic/point-1",),
                                  form="decision")
    assert fields.content_of(fields.values_of(content, criterion="1.1")) == content


# The Range points, the question form and the enemies: needed before review ---------------------

def test_a_range_point_of_another_criterion_is_refused_at_its_place():
    values = good_values(range=["1.1/topic/point-2", "1.2/topic/point-1"])
    assert problems(values) == [
        ("range", "range point 1.2/topic/point-1 belongs to criterion 1.2, not to the item's "
                  "criterion 1.1", 1)]


def test_a_mistyped_range_point_is_refused_with_the_nearest_id():
    assert problems(good_values(range=["1.1/topic/piont-2"])) == [
        ("range", "range point '1.1/topic/piont-2' is not in range.yaml (did you mean "
                  "1.1/topic/point-2?)", 0)]


def test_an_empty_range_asks_for_the_points_the_item_tests():
    assert problems(good_values(range=[])) == [
        ("range", "range is empty; name the Range point(s) from range.yaml that the item tests",
         None)]


def test_without_a_range_list_range_ids_are_checked_for_shape_only():
    assert problems(good_values(range=["9.9/any/thing"]), range_list=None) == []


def test_an_unknown_question_form_is_refused_with_the_known_ones():
    assert problems(good_values(form="scenario")) == [
        ("form", "form 'scenario' must be one of: recall, label, decision, application", None)]


def test_no_enemies_at_all_is_not_the_same_as_checked_and_none():
    values = good_values()
    del values["enemies"]
    [(name, message, _)] = problems(values)
    assert name == "enemies" and "say it has none once you have checked" in message
    assert problems(good_values(enemies=[])) == []


def test_a_draft_may_leave_range_form_and_enemies_for_later_but_not_the_rest():
    values = {k: v for k, v in good_values().items() if k not in ("range", "form", "enemies")}
    assert problems(values, draft=True) == []
    assert [name for name, _, _ in problems(values)] == ["form", "range", "enemies"]
    assert fields.missing_for_review(values) == ["question form", "range points", "enemies"]
    del values["rationale"]
    assert problems(values, draft=True) == [("rationale", "rationale is missing", None)]


def test_a_draft_left_unfinished_keeps_unchecked_enemies_apart_from_none():
    values = {k: v for k, v in good_values().items() if k not in ("range", "form", "enemies")}
    content = fields.content_of(values)
    assert (content.enemies, content.range_ids, content.form) == (None, (), "")
    assert "enemies" not in fields.values_of(content)
    checked = fields.content_of(good_values(enemies=[]))
    assert fields.values_of(checked)["enemies"] == []
