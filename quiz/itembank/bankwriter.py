"""Write items as bank files (pure): the canonical layout `quiz bank export` gives, read by bankfile.

One file per assessment criterion, opening with a comment naming the bank and the criterion; the
items in id order (numbers compared as numbers), one blank line apart, their fields in the order
of fields.ITEM_FIELDS; prose folded (`>-`) at WIDTH columns, so a changed word changes one or two
lines of a diff; a value quoted only where a YAML reader would take it for something other than
text ("1.1" would be a number, "no" a boolean). Writing what bankfile read gives the same file.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

import yaml

from quiz.itembank.domain import Blueprint, RangeList
from quiz.itembank.fields import ITEM_FIELDS

WIDTH = 96  # columns, indentation included
INDENT = "    "  # an item's fields; the list dash sits two columns to the left


def render_item_file(blueprint: Blueprint, criterion: str, items: Iterable[Mapping[str, Any]]) -> str:
    """Return the text of the file holding a criterion's items (values by field name, with id)."""
    outcome = blueprint.outcome_of(criterion)
    title = blueprint.outcome(outcome).criteria[criterion] if outcome is not None else ""
    lines = [f"# {blueprint.code} AC{criterion} {title}".rstrip(), f"bank: {blueprint.code}",
             "items:"]
    for n, values in enumerate(sorted(items, key=lambda v: natural_key(v["id"]))):
        if n:
            lines.append("")
        lines += render_item(values)
    return "\n".join(lines) + "\n"


def render_item(values: Mapping[str, Any]) -> list[str]:
    """Return one item's lines, its first field after the list dash."""
    lines = []
    for item_field in ITEM_FIELDS:
        value = values.get(item_field.name)
        if value is None or (item_field.default is not None and value == item_field.default):
            continue
        lines += _SHAPE_WRITERS[item_field.kind.shape](item_field.name, value)
    lines[0] = "  - " + lines[0][len(INDENT):]
    return lines


def _scalar(name: str, value: str) -> list[str]:
    return [f"{INDENT}{name}: {scalar(value)}"]


def _text(name: str, value: str) -> list[str]:
    if value != " ".join(value.split()) or not value:
        return _scalar(name, value)  # folding would tidy its spaces away, so keep it as it is
    inner = INDENT + "  "
    return [f"{INDENT}{name}: >-", *(inner + line for line in fold(value, WIDTH - len(inner)))]


def _mapping(name: str, value: Mapping[str, str]) -> list[str]:
    return [f"{INDENT}{name}:", *(f"{INDENT}  {key}: {scalar(text)}" for key, text in value.items())]


def _list(name: str, value: list[str]) -> list[str]:
    return [f"{INDENT}{name}: [{', '.join(scalar(v, in_flow=True) for v in value)}]"]


_SHAPE_WRITERS = {"scalar": _scalar, "text": _text, "mapping": _mapping, "list": _list}


def fold(text: str, width: int) -> list[str]:
    """Return text's words filled greedily into lines of at most width (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def scalar(value: str, in_flow: bool = False) -> str:
    """Return value plain if any YAML reader gives it back as the same text, else double-quoted."""
    if value and _reads_back(value, in_flow):
        return value
    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


def _reads_back(value: str, in_flow: bool) -> bool:
    text = f"k: [{value}]" if in_flow else f"k: {value}"
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    got = loaded.get("k") if isinstance(loaded, dict) else None
    return (got == [value]) if in_flow else (got == value)


def natural_key(item_id: str) -> tuple:
    """Return a sort key that orders 'q2' before 'q10'."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", item_id) if part)


def render_blueprint(blueprint: Blueprint) -> str:
    """Return a blueprint.yaml for a blueprint that has no file of its own to give back."""
    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else str(value)
    lines = [f"blueprint: {scalar(blueprint.code)}",
             f"qualification: {scalar(blueprint.qualification)}"]
    if blueprint.qualification_title:
        lines.append(f"qualification_title: {scalar(blueprint.qualification_title)}")
    lines += [f"unit: {scalar(blueprint.unit)}", f"title: {scalar(blueprint.title)}",
              f"duration_minutes: {blueprint.duration_minutes}",
              f"pass_mark_percent: {number(blueprint.pass_mark_percent)}"]
    if blueprint.minimum_live_per_criterion:
        lines.append(f"minimum_live_per_criterion: {blueprint.minimum_live_per_criterion}")
    if blueprint.minimum_live_per_range_point:
        lines.append(f"minimum_live_per_range_point: {blueprint.minimum_live_per_range_point}")
    if blueprint.minimum_decision_or_application_percent:
        lines.append("minimum_decision_or_application_percent: "
                     f"{number(blueprint.minimum_decision_or_application_percent)}")
    lines.append("outcomes:")
    for outcome in blueprint.outcomes:
        lines += [f"  - number: {outcome.number}", f"    title: {scalar(outcome.title)}",
                  f"    questions: {outcome.questions}", "    criteria:"]
        lines += [f"      {scalar(code)}: {scalar(title)}" for code, title in outcome.criteria.items()]
    return "\n".join(lines) + "\n"


def range_text(range_list: RangeList) -> str:
    """Return range.yaml: the file it was read from, as written, or one rendered from the points."""
    return range_list.text or render_range(range_list)


def render_range(range_list: RangeList) -> str:
    """Return a range.yaml for Range points that have no file of their own to give back."""
    lines = [f"bank: {scalar(range_list.bank)}", "criteria:"]
    by_criterion: dict[str, list] = {}
    for point in range_list.points:
        by_criterion.setdefault(point.criterion, []).append(point)
    for n, (criterion, points) in enumerate(by_criterion.items()):
        if n:
            lines.append("")
        lines.append(f"  {scalar(criterion)}:")
        section = group = None
        for point in points:
            if point.section != section:
                section, group = point.section, None
                lines += [f"    - section: {scalar(section)}", "      points:"]
            if point.group != group:
                group = point.group
                if group:
                    lines += [f"        - group: {scalar(group)}", "          points:"]
            indent = "            " if group else "        "
            lines.append(f"{indent}- {point.id}: {scalar(point.text)}")
    return "\n".join(lines) + "\n"


def render_exported(code: str, at) -> str:
    """Return exported.yaml: the moment the files matched the database, for the load check."""
    return ("# Written by `quiz bank export`: these files held the database's bank at this moment.\n"
            "# Loading them refuses to overwrite items changed in the browser after it\n"
            "# (`quiz bank load --overwrite` replaces those changes with the files).\n"
            f"bank: {scalar(code)}\nexported_at: \"{at.isoformat()}\"\n")


def file_name(criterion: str, title: str, used_before: Iterable[str] = ()) -> str:
    """Return the file name for a criterion's items: the one its items came from, if they agree on
    one that starts with the criterion, else "1.1-purpose-of-coaching.yaml" from its title."""
    fitting = [name for name in used_before
               if name == f"{criterion}.yaml" or name.startswith(f"{criterion}-")]
    if fitting:
        return max(sorted(set(fitting)), key=fitting.count)
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    words = re.sub(r"^(explain|describe|identify|state|outline|define|list)-(the-)?", "", words)
    return f"{criterion}-{words or 'items'}.yaml"
