"""The item writers' forms: the item form is built from fields.ITEM_FIELDS, so it has every field
a bank file has and a new field appears in it without a change here."""
from __future__ import annotations

from typing import Any, Mapping

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (BooleanField, Field, HiddenField, RadioField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.fields.choices import SelectChoice

from quiz.itembank import fields
from quiz.itembank.domain import Blueprint, RangeList

NOTE_LABEL = "What changed, and why"


def _criterion(item_field, blueprint, range_list):
    choices = [SelectChoice("", "Choose a criterion")] + [
        SelectChoice(code, f"{code} {title}", optgroup=f"Outcome {o.number}: {o.title}")
        for o in blueprint.outcomes for code, title in o.criteria.items()]
    return {item_field.name: SelectField(item_field.label, choices=choices, validate_choice=False)}


def _word(item_field, blueprint, range_list):
    choices = [SelectChoice(c, c) for c in item_field.kind.choices]
    return {item_field.name: RadioField(item_field.label, choices=choices, validate_choice=False)}


def _text(item_field, blueprint, range_list):
    return {item_field.name: TextAreaField(item_field.label)}


def _options(item_field, blueprint, range_list):
    return {option_name(letter): TextAreaField(f"{item_field.kind.part_label} {letter}")
            for letter in item_field.kind.letters}


def _ids(item_field, blueprint, range_list):
    widgets = {item_field.name: StringField(item_field.label)}
    if item_field.kind.none_label:  # "checked, none" is a choice of its own, not an empty box
        widgets[none_name(item_field.name)] = BooleanField(item_field.kind.none_label)
    return widgets


def _range_points(item_field, blueprint, range_list):
    choices = [(p.id, p.text) for p in (range_list.points if range_list else ())]
    return {item_field.name: SelectMultipleField(item_field.label, choices=choices,
                                                 validate_choice=False)}


# Which form field each kind of item field becomes (a registry, as the kinds are variants).
WIDGETS = {fields.Criterion: _criterion, fields.Word: _word, fields.Text: _text,
           fields.Options: _options, fields.Ids: _ids, fields.RangePoints: _range_points}


# How the template lays each kind out (the form page loops over the fields in this order).
LAYOUTS = {fields.Criterion: "select", fields.Word: "radios", fields.Text: "textarea",
           fields.Options: "options", fields.Ids: "ids", fields.RangePoints: "range"}


def layout() -> list[tuple[fields.ItemField, str]]:
    """Return the writer's fields with how each is laid out; the key is laid out with the options."""
    return [(f, LAYOUTS[type(f.kind)]) for f in fields.WRITER_FIELDS if f.name != "key"]


def option_name(letter: str) -> str:
    """Return the form field name of one option."""
    return f"option_{letter}"


def none_name(name: str) -> str:
    """Return the form field name of a list field's "checked, none" box."""
    return f"{name}_none"


class ItemFormBase(FlaskForm):
    """The parts of the item form that are not item fields."""

    base_version = HiddenField()  # the version the form was opened from (two writers at once)
    note = TextAreaField(NOTE_LABEL)
    save = SubmitField("Save draft")


def item_form(blueprint: Blueprint, data: Mapping[str, Any] | None = None,
              formdata: MultiDict | None = None,
              range_list: RangeList | None = None) -> FlaskForm:
    """Return the item form for a bank, filled from values by field name (or the posted form).

    A list field a draft has not answered yet (absent from data) shows empty and unticked, so
    the writer has to choose; an empty list shows its "checked, none" box ticked.
    """
    attributes: dict[str, Field] = {}
    for item_field in fields.WRITER_FIELDS:
        attributes.update(WIDGETS[type(item_field.kind)](item_field, blueprint, range_list))
    form_class = type("ItemForm", (ItemFormBase,), attributes)
    initial = {}
    for name, value in (data or {}).items():
        kind = fields.FIELDS_BY_NAME[name].kind if name in fields.FIELDS_BY_NAME else None
        if name == "options":
            initial.update({option_name(k): v for k, v in value.items()})
        elif isinstance(kind, fields.RangePoints):
            initial[name] = list(value)
        elif isinstance(value, (list, tuple)):
            initial[name] = ", ".join(value)
            if isinstance(kind, fields.Ids) and kind.none_label:
                initial[none_name(name)] = not value
        else:
            initial[name] = value
    return form_class(formdata=formdata, data=initial)


def posted_values(formdata: MultiDict) -> tuple[dict[str, Any], list[fields.FieldProblem]]:
    """Return the posted item's values by field name, tidied as a bank file would be, and what
    is wrong with the post that the values cannot show (enemies named and "none" ticked too).

    Read from the raw form, so a tampered post (a key given twice, an option missing) is seen as
    it was sent and reported, not quietly repaired. A list field with a "checked, none" box
    that is neither filled in nor ticked is left out, and reported missing.
    """
    values: dict[str, Any] = {}
    problems: list[fields.FieldProblem] = []
    for item_field in fields.WRITER_FIELDS:
        kind, name = item_field.kind, item_field.name
        if kind.shape == "mapping":
            # An option left out of the post is an empty option, reported beside its box.
            values[name] = {letter: formdata.get(option_name(letter), "")
                            for letter in kind.letters}
        elif isinstance(kind, fields.Word):
            given = formdata.getlist(name)
            values[name] = given if len(given) > 1 else (given or [""])[0]
        elif isinstance(kind, fields.RangePoints):
            values[name] = formdata.getlist(name)
        elif isinstance(kind, fields.Ids) and kind.none_label:
            ids, none = fields.id_list(formdata.get(name, "")), bool(formdata.get(none_name(name)))
            if ids and none:
                problems.append(fields.FieldProblem(
                    name, f"{item_field.label.lower()} are named and '{kind.none_label}' is "
                          "ticked as well: clear one of them"))
            if ids or none:
                values[name] = ids
        else:
            values[name] = formdata.get(name, "")
    return fields.normalise(values), problems


def errors_by_input(problems: list[fields.FieldProblem]) -> dict[str, list[str]]:
    """Return problems as messages keyed by the form input they belong beside."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        kind = fields.FIELDS_BY_NAME[problem.field].kind if problem.field in fields.FIELDS_BY_NAME else None
        name = problem.field
        if kind is not None and kind.shape == "mapping" and problem.part is not None:
            name = option_name(problem.part)
        message = problem.message[:1].upper() + problem.message[1:]
        found.setdefault(name, []).append(message if message.endswith(".") else message + ".")
    return found


class ReviewForm(FlaskForm):
    """A reviewer's decision on the version under review."""

    version_id = HiddenField()
    comment = TextAreaField("Comment for the writer")
    approve = SubmitField("Approve and make live")
    send_back = SubmitField("Return to the writer")


class RetireForm(FlaskForm):
    """Retiring an item, with the reason."""

    reason = TextAreaField("Why is it retired?")
    retire = SubmitField("Retire the item")


class SubmitForm(FlaskForm):
    """Sending a draft for review."""

    version_id = HiddenField()
    submit = SubmitField("Submit for review")


def range_groups(blueprint: Blueprint, range_list: RangeList | None) -> list[tuple]:
    """Return the Range points as the form lays them out: for each criterion (code, title), its
    headings in handbook order ("Benefits: to coachee"), each with its points."""
    if range_list is None:
        return []
    found = []
    for outcome in blueprint.outcomes:
        for code, title in outcome.criteria.items():
            headings: dict[str, list] = {}
            for point in range_list.for_criterion(code):
                heading = f"{point.section}: {point.group}" if point.group else point.section
                headings.setdefault(heading, []).append(point)
            found.append((code, title, list(headings.items())))
    return found
