"""Deciding an import: criteria from the file, the mapping or AC tags; checks; idempotence."""
import pytest

from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult
from quiz.itembank.formats.plan import TagMap, plan_import, resolve_criterion, source_ref
from tests.factories import make_blueprint

BLUEPRINT = make_blueprint("2794-03/315", questions=(15, 15), criteria_per_outcome=5)
OPTIONS = {"A": "one", "B": "two", "C": "three", "D": "four"}


def item(ref="q1", **kwargs):
    return ExchangeItem(ref=ref, stem=kwargs.pop("stem", f"Question {ref}?"),
                        options=kwargs.pop("options", OPTIONS), key=kwargs.pop("key", "A"),
                        **kwargs)


def plan(*items, mapping=TagMap(), refs=(), ids=(), content=None):
    return plan_import(ReadResult(items=list(items)), "moodle", BLUEPRINT, mapping, set(refs),
                       set(ids), content or {})


def test_a_criterion_tag_in_any_common_spelling_names_the_criterion():
    for tag in ("AC1.2", "ac 1.2", "AC-1.2", "Criterion 1.2", "Unit 315 AC1.2 models"):
        assert resolve_criterion(item(tags=(tag,)), BLUEPRINT, TagMap()) == "1.2", tag


def test_numbers_that_only_look_like_criteria_are_not_taken():
    skipped = resolve_criterion(item(tags=("AC1.2.3", "version 1.2")), BLUEPRINT, TagMap())
    assert "names no assessment criterion" in skipped.reason


def test_the_users_mapping_comes_before_ac_tags_and_matches_without_case():
    mapping = TagMap.parse("# Moodle categories\nPurpose of coaching = 1.1\nMODELS = AC1.2\n")
    assert resolve_criterion(item(category=("Top", "purpose of coaching")), BLUEPRINT,
                             mapping) == "1.1"
    assert resolve_criterion(item(tags=("models", "AC2.1")), BLUEPRINT, mapping) == "1.2"


def test_the_criterion_the_file_names_outright_wins():
    assert resolve_criterion(item(criterion="2.5", tags=("AC1.1",)), BLUEPRINT, TagMap()) == "2.5"


def test_an_item_naming_two_criteria_or_one_outside_the_blueprint_is_skipped_with_why():
    two = resolve_criterion(item(tags=("AC1.1", "AC2.1")), BLUEPRINT, TagMap())
    assert two.reason == "names several criteria (1.1, 2.1); an item tests exactly one"
    outside = resolve_criterion(item(tags=("AC3.1",)), BLUEPRINT, TagMap())
    assert outside.reason.startswith("criterion 3.1 is not in 2794-03/315")
    wrong_outcome = resolve_criterion(item(tags=("AC1.1",), outcome=2), BLUEPRINT, TagMap())
    assert wrong_outcome.reason == "says outcome 2, but criterion 1.1 belongs to outcome 1"


def test_a_mapping_line_without_a_criterion_is_an_error_with_its_line():
    with pytest.raises(FormatError, match="line 2: expected 'tag = criterion'"):
        TagMap.parse("Models = 1.2\nCoaching purpose\n")
    with pytest.raises(FormatError, match="line 1: 'Models = one' must name"):
        TagMap.parse("Models = one")


def test_an_item_imported_before_is_left_alone():
    result = plan(item("q1", tags=("AC1.1",)), refs={source_ref("moodle", "q1")})
    assert result.already == ["q1"] and not result.create


def test_an_item_already_in_the_bank_word_for_word_is_not_imported_twice():
    existing = {("Question q1?", tuple(OPTIONS.items()), "A"): "315-1.1-001"}
    result = plan(item("q1", tags=("AC1.1",)), content=existing)
    assert result.skipped[0].reason.startswith("is already in the bank as item 315-1.1-001")


def test_the_source_id_becomes_the_item_id_when_it_is_valid_and_free():
    result = plan(item("MDL-7", tags=("AC1.1",)), item("GROW model", tags=("AC1.1",)),
                  item("315-1.1-001", tags=("AC1.1",)), ids={"315-1.1-001"})
    assert [p.item_id for p in result.create] == ["MDL-7", None, None]


def test_two_questions_with_one_name_are_both_kept_apart_by_their_content():
    result = plan(item("Q", stem="First?", tags=("AC1.1",)), item("Q", stem="Second?", tags=("AC1.1",)))
    assert len({p.source_ref for p in result.create}) == 2


def test_content_checks_name_what_is_wrong():
    result = plan(item("empty", stem="", tags=("AC1.1",)),
                  item("blank", options={**OPTIONS, "C": ""}, tags=("AC1.1",)),
                  item("long", stem="x" * 2001, tags=("AC1.1",)))
    assert [str(s) for s in result.skipped] == [
        "empty: has an empty stem", "blank: option C is empty",
        "long: has a stem of 2001 characters; at most 2000 are allowed"]


def test_drafts_get_medium_difficulty_when_the_file_gives_none():
    [planned] = plan(item(tags=("AC1.1",))).create
    assert planned.content.difficulty == "medium" and planned.outcome == 1
