"""Read a bank's range.yaml: the handbook's Range points for every criterion, with their ids.

The format is described in item_banks/README.md. Every problem is reported as FILE:LINE, the
same way bankfile.py reports problems in blueprints and items.
"""
from __future__ import annotations

import re
from pathlib import Path

from quiz.itembank.bankfile import Problem, _Reader
from quiz.itembank.domain import Blueprint, RangeList, RangePoint

# "<criterion>/<list>/<point>": lower-case words joined by hyphens, e.g. 1.4/coachee/self-confidence.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_PATTERN = re.compile(rf"^(?P<criterion>\d+\.\d+)(?:/{SLUG})+$")
MAX_ID_LENGTH = 80


def read_range_file(path: Path, blueprint: Blueprint, problems: list[Problem]) -> RangeList | None:
    """Read and check one range.yaml against its blueprint; None (with problems) if anything is wrong."""
    reader = _Reader(str(path), problems)
    if not path.is_file():
        reader.problem(0, f"no {path.name} beside the blueprint: every bank lists the handbook's "
                          "Range points for each criterion there (see item_banks/README.md)")
        return None
    text = reader.read(path)  # size, encoding and control characters, as for every bank file
    root = None if text is None else reader.compose(text)
    if root is None:
        if not problems or problems[-1].path != str(path):
            reader.problem(1, "the file is empty")
        return None
    fields = reader.mapping(root, "the Range file")
    if fields is None:
        return None
    reader.reject_unknown(fields, ("bank", "criteria"), "the Range file")
    if not reader.require(fields, ("bank", "criteria"), root, "the Range file"):
        return None
    before = len(problems)
    bank = reader.text(fields["bank"][1], "bank")
    if bank and bank != blueprint.code:
        reader.problem(fields["bank"][1], f"bank '{bank}' does not match the blueprint beside it "
                                          f"('{blueprint.code}')")
    points: list[RangePoint] = []
    criteria = reader.mapping(fields["criteria"][1], "criteria")
    known = [code for outcome in blueprint.outcomes for code in outcome.criteria]
    for code, (key_node, sections_node) in (criteria or {}).items():
        if code not in known:
            reader.problem(key_node, f"criterion {code} is not in blueprint {blueprint.code} "
                                     f"(known: {', '.join(known)})")
            continue
        for section_node in reader.sequence(sections_node, f"criterion {code}") or []:
            points.extend(_read_section(reader, section_node, code))
    for code in known:
        if criteria is not None and code not in criteria:
            reader.problem(fields["criteria"][0], f"criterion {code} has no Range points")
    _check_unique(reader, points)
    if len(problems) > before:
        return None
    return RangeList(bank=blueprint.code, points=tuple(points), path=str(path), text=text)


def _read_section(reader: _Reader, node, criterion: str) -> list[RangePoint]:
    """Read one handbook heading ("Benefits") and the points and groups listed under it."""
    fields = reader.mapping(node, "a section")
    if fields is None:
        return []
    reader.reject_unknown(fields, ("section", "points"), "a section")
    if not reader.require(fields, ("section", "points"), node, "the section"):
        return []
    section = reader.text(fields["section"][1], "section") or ""
    points: list[RangePoint] = []
    entries = reader.sequence(fields["points"][1], f"section {section} points")
    if entries == []:
        reader.problem(fields["points"][1], f"section {section} lists no points")
    for entry in entries or []:
        entry_fields = reader.mapping(entry, "a point or group")
        if entry_fields is None:
            continue
        if "group" in entry_fields:
            points.extend(_read_group(reader, entry, entry_fields, criterion, section))
        else:
            point = _read_point(reader, entry, entry_fields, criterion, section, "")
            if point is not None:
                points.append(point)
    return points


def _read_group(reader: _Reader, node, fields: dict, criterion: str,
                section: str) -> list[RangePoint]:
    """Read a sub-list of a section ("to coach:") and its points."""
    reader.reject_unknown(fields, ("group", "points"), "a group")
    if not reader.require(fields, ("group", "points"), node, "the group"):
        return []
    group = reader.text(fields["group"][1], "group") or ""
    points: list[RangePoint] = []
    entries = reader.sequence(fields["points"][1], f"group {group} points") or []
    if not entries:
        reader.problem(fields["points"][1], f"group {group} lists no points")
    for entry in entries:
        entry_fields = reader.mapping(entry, "a point")
        if entry_fields is None:
            continue
        if "group" in entry_fields:
            reader.problem(entry, f"group {group}: a group inside a group is not part of the "
                                  "format; the handbook nests no deeper")
            continue
        point = _read_point(reader, entry, entry_fields, criterion, section, group)
        if point is not None:
            points.append(point)
    return points


def _read_point(reader: _Reader, node, fields: dict, criterion: str, section: str,
                group: str) -> RangePoint | None:
    """Read one point, written as a single 'id: handbook words' line."""
    if len(fields) != 1:
        reader.problem(node, "a point is one line, 'id: the handbook's words'; a group has "
                             "'group:' and 'points:'")
        return None
    [(point_id, (key_node, value_node))] = fields.items()
    text = reader.text(value_node, f"Range point {point_id}")
    match = ID_PATTERN.match(point_id)
    if not match or len(point_id) > MAX_ID_LENGTH:
        reader.problem(key_node, f"Range point id '{point_id}' must be the criterion and then "
                                 "lower-case words joined by '-', separated by '/', e.g. "
                                 f"{criterion}/group/point (at most {MAX_ID_LENGTH} characters)")
        return None
    if match["criterion"] != criterion:
        reader.problem(key_node, f"Range point id '{point_id}' must start with its criterion, "
                                 f"'{criterion}/'")
        return None
    if text is None:
        return None
    return RangePoint(point_id, criterion, section, group, text, key_node.start_mark.line + 1)


def _check_unique(reader: _Reader, points: list[RangePoint]) -> None:
    """Report an id used twice, at the second use."""
    first: dict[str, RangePoint] = {}
    for point in points:
        if point.id in first:
            reader.problem(point.line, f"Range point id {point.id} is already used on line "
                                       f"{first[point.id].line}")
        else:
            first[point.id] = point
