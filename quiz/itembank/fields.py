"""An item's fields, defined once (pure).

The bank file reader (`bankfile.py`), the item writers' form (`forms.py`) and the exporter
(`bankwriter.py`) all walk ITEM_FIELDS, and every check on a field's value lives here, so the form
refuses exactly what `quiz bank validate` refuses. A new field (such as the Range points an item
tests) is one more entry in ITEM_FIELDS, with a kind that knows how to check it.

A draft may be unfinished: the fields marked draft_may_omit (the Range points, the question form
and the enemies) may be left out of a draft, as an import from another tool leaves them, and
must all be given before the draft goes for review. Every other item, in a file or the database,
has them; `enemies: []` says the item was checked and has none.

Each kind has a *shape*, which is all the reader, the form and the exporter need to know: a
`scalar` (one line of text or a word), `text` (prose, folded when written), `mapping` (the options
A-D) or `list` (ids).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from quiz.itembank.domain import (
    DIFFICULTIES, FORMS, OPTION_LETTERS, STATUSES, Blueprint, ItemContent, RangeList,
)

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ITEM_TYPES = ("single_best_answer",)
RANGE_FILE = "range.yaml"  # beside blueprint.yaml: the handbook's Range points, with their ids


@dataclass(frozen=True)
class Context:
    """What checking one item needs beyond the item: its bank and the ids it may refer to."""

    blueprint: Blueprint
    item_id: str | None = None
    # For each list field that refers to something (enemies -> "items"), the ids that exist.
    # None (or absent) means "checked elsewhere": the file reader checks enemies bank-wide.
    known: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    # The bank's Range points; None when the bank has none (its range.yaml is reported missing
    # on its own), and then Range ids are checked for shape only.
    range_list: RangeList | None = None
    # The item's criterion, once it is known to be one of the blueprint's (check fills it in).
    criterion: str | None = None


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field: part is an option letter or a list position, if any."""

    field: str
    message: str
    part: str | int | None = None


def _text_problems(what: str, text: str, max_chars: int) -> list[str]:
    """Return what is wrong with a piece of prose: empty, too long, or holding control characters."""
    if not text:
        return [f"{what} is empty"]
    problems = []
    if len(text) > max_chars:
        problems.append(f"{what} is {len(text):,} characters long; at most {max_chars:,} are allowed")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in text):
        problems.append(f"{what} holds a control or unassigned character; retype it as plain text")
    return problems


class Kind:
    """How one kind of field is checked; subclasses say their shape."""

    shape = "scalar"
    absent: Any = ""  # the value an item's content holds when a draft leaves the field out

    def empty(self) -> Any:
        """Return the value an empty form shows."""
        return ""

    def empty_message(self, name: str) -> str:
        """Return what to say when a file gives the field no value at all ("enemies:")."""
        return f"{name} is empty"

    def check(self, name: str, value: Any, ctx: Context) -> list[FieldProblem]:
        """Return every problem with this value (already normalised by normalise)."""
        return []

    def normalise(self, value: Any) -> Any:
        """Return the value with whitespace tidied, as the file reader tidies it."""
        return tidy(value) if isinstance(value, str) else value


def tidy(text: str) -> str:
    """Return text with every run of whitespace made one space: files fold lines the same way."""
    return " ".join(text.split())


def id_list(value) -> list[str] | None:
    """Return ids given as a list, or as text separated by commas, semicolons or spaces.

    None stays None: a list field a draft has not answered yet.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    return [tidy(v) for v in value if tidy(v)]


@dataclass(frozen=True)
class Text(Kind):
    """Prose a candidate reads (stem, rationale): folded over lines when written to a file."""

    max_chars: int
    shape = "text"

    def check(self, name, value, ctx):
        return [FieldProblem(name, m) for m in _text_problems(name, value or "", self.max_chars)]


@dataclass(frozen=True)
class Word(Kind):
    """One word from a fixed list (status, difficulty, key, type)."""

    choices: tuple[str, ...]

    def normalise(self, value):
        if isinstance(value, (list, tuple)):
            values = [tidy(v) for v in value if tidy(v)]
            return values[0] if len(values) == 1 else values
        return tidy(value or "")

    def check(self, name, value, ctx):
        if isinstance(value, list):
            return [FieldProblem(name, f"{name} must be exactly one of {', '.join(self.choices)}; "
                                       f"{len(value)} were given ({', '.join(value) or 'none'})")]
        if not value:
            return [FieldProblem(name, f"{name} is empty")]
        if value not in self.choices:
            return [FieldProblem(name, f"{name} '{value}' must be one of: {', '.join(self.choices)}")]
        return []


class Criterion(Kind):
    """An assessment criterion of the item's blueprint; the outcome follows from it."""

    def check(self, name, value, ctx):
        if not value:
            return [FieldProblem(name, f"{name} is empty")]
        if ctx.blueprint.outcome_of(value) is None:
            known = ", ".join(c for o in ctx.blueprint.outcomes for c in o.criteria)
            return [FieldProblem(name, f"criterion '{value}' is not in blueprint "
                                       f"{ctx.blueprint.code} (known: {known})")]
        return []


class ItemId(Kind):
    """The item's id: unique in its bank, never reused, never renamed."""

    def check(self, name, value, ctx):
        if not value:
            return [FieldProblem(name, "id is empty")]
        if not ID_PATTERN.match(value):
            return [FieldProblem(name, f"id '{value}' may hold only letters, digits, '.', '-' and "
                                       "'_' (at most 64)")]
        return []


@dataclass(frozen=True)
class Options(Kind):
    """The options, exactly A, B, C and D in that order, each a line of text."""

    max_chars: int
    letters: tuple[str, ...] = OPTION_LETTERS
    part_label: str = "Option"  # how one entry is named: "Option A"
    shape = "mapping"

    def empty(self):
        return {letter: "" for letter in self.letters}

    def normalise(self, value):
        return {letter: tidy(text or "") for letter, text in (value or {}).items()}

    def check(self, name, value, ctx):
        problems = []
        given = tuple(value)
        if given != self.letters:
            problems.append(FieldProblem(
                name, f"options must be exactly {', '.join(self.letters)} in that order, "
                      f"not {', '.join(given) or 'none'}"))
        for letter, text in value.items():
            problems += [FieldProblem(name, m, letter)
                         for m in _text_problems(f"option {letter}", text, self.max_chars)]
        return problems


@dataclass(frozen=True)
class Ids(Kind):
    """A list of ids that must exist: other items of the bank (enemies). An empty list is an
    answer ("checked, none"), so a draft that has not been checked holds None instead."""

    refers_to: str  # the Context.known entry that lists the ids that exist
    noun: str  # how a message names one of them: "enemy"
    none_label: str = ""  # how the form offers the empty list as an explicit answer
    shape = "list"
    absent = None

    def empty(self):
        return []

    def empty_message(self, name):
        return (f"{name} is empty; write '{name}: []' once the item has been checked against "
                "the others and has none")

    def normalise(self, value):
        return id_list(value)

    def check(self, name, value, ctx):
        problems = []
        known = ctx.known.get(self.refers_to)
        seen: set[str] = set()
        for position, one in enumerate(value):
            if one in seen:
                problems.append(FieldProblem(name, f"{self.noun} '{one}' is listed twice", position))
            elif self.refers_to == "items" and one == ctx.item_id:
                problems.append(FieldProblem(name, f"{self.noun} '{one}' is this item itself",
                                             position))
            elif known is not None and one not in known:
                problems.append(FieldProblem(name, f"{self.noun} '{one}' is not in the bank",
                                             position))
            seen.add(one)
        return problems


@dataclass(frozen=True)
class RangePoints(Kind):
    """The Range points of the handbook an item tests: at least one, each a point of the item's
    own criterion in the bank's range.yaml (the nearest id is suggested for a mistyped one)."""

    shape = "list"
    absent = ()

    def empty(self):
        return []

    def empty_message(self, name):
        return f"{name} is empty; name the Range point(s) from {RANGE_FILE} that the item tests"

    def normalise(self, value):
        return id_list(value)

    def check(self, name, value, ctx):
        if not value:
            return [FieldProblem(name, self.empty_message(name))]
        problems = []
        seen: set[str] = set()
        for position, one in enumerate(value):
            if one in seen:
                problems.append(FieldProblem(name, f"range point {one} is listed twice", position))
                continue
            seen.add(one)
            point = ctx.range_list.get(one) if ctx.range_list is not None else None
            if ctx.range_list is None:
                continue
            if point is None:
                near = difflib.get_close_matches(one, [p.id for p in ctx.range_list.points], n=1)
                hint = f" (did you mean {near[0]}?)" if near else ""
                problems.append(FieldProblem(
                    name, f"range point '{one}' is not in {RANGE_FILE}{hint}", position))
            elif ctx.criterion and point.criterion != ctx.criterion:
                problems.append(FieldProblem(
                    name, f"range point {one} belongs to criterion {point.criterion}, not to the "
                          f"item's criterion {ctx.criterion}", position))
        return problems


def unknown_reference(noun: str, one: str) -> str:
    """Return the message for an id that names nothing in the bank."""
    return f"names {noun} '{one}', which is not in the bank"


@dataclass(frozen=True)
class ItemField:
    """One field of an item as the bank file, the form and the exporter know it."""

    name: str  # the key in the bank file
    label: str  # what the form calls it
    kind: Kind
    required: bool = True  # must be in every bank file entry
    writer: bool = True  # the writer fills it in; False for those the workflow keeps (id, status)
    hint: str = ""
    default: Any = None  # a file may leave it out; the exporter leaves it out when it is this
    draft_may_omit: bool = False  # a draft may leave it out; it is needed before review
    missing: str = ""  # what to say when it is missing, if more than "<name> is missing"
    attribute: str = ""  # ItemContent's name for it, when that is not the file's

    @property
    def content_name(self) -> str:
        """Return the ItemContent attribute holding this field."""
        return self.attribute or self.name

    def given(self, value: Any) -> bool:
        """Return whether an item's content gives this field (a draft may not, yet)."""
        as_stored = tuple(value) if isinstance(value, list) else value
        return not (self.draft_may_omit and as_stored == self.kind.absent)


ITEM_FIELDS: tuple[ItemField, ...] = (
    ItemField("id", "Id", ItemId(), writer=False),
    ItemField("type", "Type", Word(ITEM_TYPES), required=False, writer=False,
              default="single_best_answer"),
    ItemField("criterion", "Assessment criterion", Criterion(),
              hint="The outcome follows from the criterion."),
    ItemField("status", "Status", Word(STATUSES), writer=False),
    ItemField("difficulty", "Difficulty estimate", Word(DIFFICULTIES),
              hint="Your estimate; the item analysis measures it once candidates have sat it."),
    ItemField("form", "Question form", Word(FORMS), draft_may_omit=True,
              hint="What the item asks the candidate to do: recall the Range's words or facts; "
                   "label (say which Range term a situation shows); decision (what someone "
                   "should do next, the best response); application (which approach, model or "
                   "skill fits a situation)."),
    ItemField("stem", "Stem", Text(max_chars=2_000),
              hint="The question the candidate reads, ending in a question."),
    ItemField("options", "Options", Options(max_chars=500),
              hint="Exactly four, A to D; the candidate sees them shuffled."),
    ItemField("key", "Key", Word(OPTION_LETTERS), hint="The one correct option."),
    ItemField("rationale", "Rationale", Text(max_chars=2_000),
              hint="Why the key is right and each distractor wrong; name the criterion."),
    ItemField("range", "Range points", RangePoints(), draft_may_omit=True, attribute="range_ids",
              hint="The point or points of the criterion's Range in the handbook that the key "
                   "depends on."),
    ItemField("enemies", "Enemies", Ids(refers_to="items", noun="enemy",
                                        none_label="None: I have checked the bank, and no item "
                                                   "must be kept out of a paper with this one"),
              draft_may_omit=True,
              missing="enemies is missing: name the items that must never share a paper with "
                      "this one, or say it has none once you have checked the bank",
              hint="Items that must never share a paper with this one (they give each other's "
                   "answer away, or test the same point the same way): ids separated by commas."),
)
FIELDS_BY_NAME = {f.name: f for f in ITEM_FIELDS}
WRITER_FIELDS = tuple(f for f in ITEM_FIELDS if f.writer)
# The fields an item version holds (ItemContent's attributes); criterion is versioned apart.
CONTENT_FIELDS = tuple(f for f in ITEM_FIELDS if f.content_name in ItemContent.__dataclass_fields__)


def normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the values of known fields tidied as the file reader tidies them (None: left out)."""
    tidied = {name: FIELDS_BY_NAME[name].kind.normalise(value)
              for name, value in values.items() if name in FIELDS_BY_NAME}
    return {name: value for name, value in tidied.items() if value is not None}


def check(values: Mapping[str, Any], ctx: Context, names: tuple[str, ...] | None = None,
          draft: bool = False) -> list[FieldProblem]:
    """Return every problem with an item's (normalised) values, field by field, in field order.

    names limits the check to those fields (the form leaves id and status to the workflow); a
    field in names but missing from values is reported missing if it is required, unless draft
    is true and a draft may leave it out.
    """
    criterion = values.get("criterion")
    if ctx.criterion is None and isinstance(criterion, str) and ctx.blueprint.outcome_of(criterion):
        ctx = replace(ctx, criterion=criterion)
    problems = []
    for item_field in ITEM_FIELDS:
        if names is not None and item_field.name not in names:
            continue
        if item_field.name not in values:
            if item_field.required and not (draft and item_field.draft_may_omit):
                problems.append(FieldProblem(item_field.name, item_field.missing
                                             or f"{item_field.name} is missing"))
            continue
        problems += item_field.kind.check(item_field.name, values[item_field.name], ctx)
    return problems


def missing_for_review(values: Mapping[str, Any]) -> list[str]:
    """Return the labels of the fields a draft left out that a version under review must give."""
    return [f.label.lower() for f in ITEM_FIELDS if f.draft_may_omit and f.name not in values]


def content_of(values: Mapping[str, Any]) -> ItemContent:
    """Return the versioned content in checked values (a field a draft left out: not given)."""
    data = {}
    for item_field in CONTENT_FIELDS:
        name = item_field.content_name
        missing = (item_field.kind.absent if item_field.draft_may_omit
                   else ItemContent.__dataclass_fields__[name].default)
        value = values.get(item_field.name, missing)
        data[name] = tuple(value) if isinstance(value, list) else value
    return ItemContent(**data)


def values_of(content: ItemContent, **tags) -> dict[str, Any]:
    """Return an item's values by field name: its content plus tags such as criterion and status.

    A field the content does not give (an unfinished draft's) is left out, as its file leaves it.
    """
    values = {}
    for item_field in CONTENT_FIELDS:
        value = getattr(content, item_field.content_name)
        if not item_field.given(value):
            continue
        values[item_field.name] = (list(value) if isinstance(value, tuple)
                                   else dict(value) if isinstance(value, dict) else value)
    values.update(tags)
    return values
