"""Read bank files (blueprint.yaml and items/*.yaml) and report every problem as FILE:LINE."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from quiz.itembank import fields
from quiz.itembank.domain import BankItem, Blueprint, OutcomeSpec, RangeList
from quiz.itembank.fields import (  # noqa: F401 (re-exported)
    ID_PATTERN, ITEM_FIELDS, ITEM_TYPES, RANGE_FILE,
)

BLUEPRINT_FILE = "blueprint.yaml"
EXPORTED_FILE = "exported.yaml"  # written by `quiz bank export`: when the files matched the database
# enemies is required so that "checked, none" (enemies: []) differs from "never checked"; a draft
# may leave out the fields it needs only before review (fields.ItemField.draft_may_omit).
ITEM_FIELDS_REQUIRED = tuple(f.name for f in ITEM_FIELDS if f.required)
ITEM_FIELDS_OPTIONAL = tuple(f.name for f in ITEM_FIELDS if not f.required)
DRAFT_MAY_OMIT = tuple(f.name for f in ITEM_FIELDS if f.draft_may_omit)
BANK_PATTERN = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9-]+$")

# Limits a bank file must keep, so a broken or hostile file is a clear problem, not a traceback,
# a stalled load or a value the database cannot hold. The shipped files are under 20 KB, their
# longest value under 600 characters and their deepest nesting 5.
MAX_FILE_BYTES = 1024 * 1024
MAX_TEXT = 2000  # any one value: a stem, an option, a rationale, and any field added later
MAX_TITLE = 200  # titles are stored in 200-character columns
MAX_CODE = 20  # criterion codes are stored in 20-character columns
MAX_WHOLE_NUMBER = 100_000
MAX_DEPTH = 20
# C0 and C1 control characters (only tab and line feeds are allowed), unpaired surrogates (only
# reachable through escapes) and the non-characters U+FFFE and U+FFFF. NEL, U+2028 and U+2029 are
# refused too: YAML counts them as line breaks where editors do not, so every line number after one
# would point at the wrong line.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


class _DepthLimitedLoader(yaml.BaseLoader):
    """PyYAML's BaseLoader, refusing nesting deeper than MAX_DEPTH before it recurses that far."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"the file is nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bank file, where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class BankSet:
    """Everything read from a folder of banks, with every problem found on the way."""

    blueprints: dict[str, Blueprint] = field(default_factory=dict)
    items: dict[str, list[BankItem]] = field(default_factory=dict)
    ranges: dict[str, RangeList] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    blueprint_texts: dict[str, str] = field(default_factory=dict)  # each blueprint.yaml as written
    exported_at: dict[str, datetime] = field(default_factory=dict)  # from each exported.yaml

    @property
    def ok(self) -> bool:
        """Return whether nothing is wrong."""
        return not self.problems


class _Reader:
    """Walk a composed YAML node tree, keeping line numbers for messages."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def problem(self, node_or_line, message: str) -> None:
        """Record a problem at a node (or a 1-based line)."""
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.problems.append(Problem(self.path, line, message))

    def read(self, path: Path) -> str | None:
        """Return a file's text, or None with the problem recorded: too big, not UTF-8 text."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as err:
            self.problem(0, f"cannot be read: {err.strerror or err}")
            return None
        if len(data) > MAX_FILE_BYTES:
            self.problem(1, f"the file is larger than the {MAX_FILE_BYTES // 1024 // 1024} MB a "
                            "bank file may be; split it into several files")
            return None
        if b"\0" in data:
            self.problem(_line_at(data, data.index(b"\0")),
                         "the file holds binary content (a NUL byte), not YAML text")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            self.problem(_line_at(data, err.start), f"the file is not valid UTF-8 (byte "
                                                    f"0x{data[err.start]:02x}); save it as UTF-8")
            return None
        control = CONTROL.search(text)
        if control:
            self.problem(_line_at(text, control.start()), "the file holds a control character "
                         f"(U+{ord(control.group()):04X}); remove it")
            return None
        return text.removeprefix("\ufeff")

    def compose(self, text: str) -> yaml.Node | None:
        """Parse YAML text into nodes, recording a syntax error if there is one."""
        try:
            # BaseLoader resolves no types: every scalar is a string, so "1.10" and "no" survive.
            return yaml.compose(text, Loader=_DepthLimitedLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else 1
            self.problem(line, f"not valid YAML: {err.problem or err.context}")
        except yaml.YAMLError as err:  # the reader's errors carry a position, not a mark
            self.problem(_line_at(text, getattr(err, "position", 0)), f"not valid YAML: {err}")
        except RecursionError:
            self.problem(1, f"the file is nested more than {MAX_DEPTH} levels deep")
        return None

    def mapping(self, node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """Return a mapping node as {key: (key_node, value_node)}, reporting duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'name: value' lines")
            return None
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"a name in {what} must be a single word, not a list or "
                                       "mapping")
                continue
            key = key_node.value
            if key in result:
                self.problem(key_node, f"'{key}' appears twice in {what}")
            result[key] = (key_node, value_node)
        return result

    def text(self, node, what: str, allow_empty: bool = False,
             max_length: int = MAX_TEXT) -> str | None:
        """Return a scalar's text, reporting anything that is not a non-empty string in limits."""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be a single value, not a list or mapping")
            return None
        value = " ".join(node.value.split()) if "\n" in node.value else node.value.strip()
        if not value and not allow_empty:
            self.problem(node, f"{what} is empty")
            return None
        if len(value) > max_length:
            self.problem(node, f"{what} is {len(value)} characters long; at most {max_length} "
                               "are allowed")
            return None
        control = CONTROL.search(value)  # written as an escape such as "\0" or "\x07"
        if control:
            self.problem(node, f"{what} holds a control character (U+{ord(control.group()):04X})")
            return None
        return value

    def integer(self, node, what: str, minimum: int = 0,
                maximum: int = MAX_WHOLE_NUMBER) -> int | None:
        """Return a scalar as a whole number from minimum to maximum."""
        value = self.text(node, what)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()) or int(value) < minimum:
            self.problem(node, f"{what} must be a whole number of at least {minimum}, not {value!r}")
            return None
        if int(value) > maximum:
            self.problem(node, f"{what} must be a whole number from {minimum} to {maximum}, "
                               f"not {value[:20]}...")
            return None
        return int(value)

    def number(self, node, what: str, low: float, high: float) -> float | None:
        """Return a scalar as a number between low and high."""
        value = self.text(node, what)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            self.problem(node, f"{what} must be a number from {low:g} to {high:g}, not {value!r}")
            return None
        return number

    def sequence(self, node, what: str) -> list | None:
        """Return a sequence node's items."""
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return None
        return list(node.value)

    def require(self, fields: dict, names, node, what: str) -> bool:
        """Report each required field missing from a mapping; return whether all are there."""
        missing = [name for name in names if name not in fields]
        for name in missing:
            self.problem(node, f"{what} has no '{name}'")
        return not missing

    def reject_unknown(self, fields: dict, allowed, what: str) -> None:
        """Report fields that are not part of the format (usually a typo)."""
        for name, (key_node, _) in fields.items():
            if name not in allowed:
                self.problem(key_node, f"unknown field '{name}' in {what} "
                                       f"(expected one of: {', '.join(allowed)})")


def read_blueprint(path: Path, problems: list[Problem]) -> Blueprint | None:
    """Read and check one blueprint.yaml."""
    reader = _Reader(str(path), problems)
    text = reader.read(path)
    root = None if text is None else reader.compose(text)
    if root is None:
        if not problems or problems[-1].path != str(path):
            reader.problem(1, "the file is empty")
        return None
    fields = reader.mapping(root, "the blueprint")
    if fields is None:
        return None
    required = ("blueprint", "qualification", "unit", "title", "duration_minutes",
                "pass_mark_percent", "outcomes")
    optional = ("qualification_title", "minimum_live_per_criterion",
                "minimum_live_per_range_point", "minimum_decision_or_application_percent")
    reader.reject_unknown(fields, required + optional, "the blueprint")
    if not reader.require(fields, required, root, "the blueprint"):
        return None
    before = len(problems)
    code = reader.text(fields["blueprint"][1], "blueprint")
    qualification = reader.text(fields["qualification"][1], "qualification")
    unit = reader.text(fields["unit"][1], "unit")
    if code and qualification and unit and code != f"{qualification}/{unit}":
        reader.problem(fields["blueprint"][1],
                       f"blueprint '{code}' must be qualification/unit, i.e. '{qualification}/{unit}'")
    duration = reader.integer(fields["duration_minutes"][1], "duration_minutes", minimum=1)
    pass_mark = reader.number(fields["pass_mark_percent"][1], "pass_mark_percent", 0, 100)
    minimum = 0
    if "minimum_live_per_criterion" in fields:
        minimum = reader.integer(fields["minimum_live_per_criterion"][1],
                                 "minimum_live_per_criterion") or 0
    per_point = 0
    if "minimum_live_per_range_point" in fields:
        per_point = reader.integer(fields["minimum_live_per_range_point"][1],
                                   "minimum_live_per_range_point") or 0
    applied = 0.0
    if "minimum_decision_or_application_percent" in fields:
        applied = reader.number(fields["minimum_decision_or_application_percent"][1],
                                "minimum_decision_or_application_percent", 0, 100) or 0.0
    outcomes = _read_outcomes(reader, fields["outcomes"][1])
    if len(problems) > before or not outcomes:
        return None
    return Blueprint(
        code=code, qualification=qualification, unit=unit,
        title=reader.text(fields["title"][1], "title", max_length=MAX_TITLE),
        qualification_title=(reader.text(fields["qualification_title"][1], "qualification_title",
                                         max_length=MAX_TITLE)
                             if "qualification_title" in fields else ""),
        duration_minutes=duration, pass_mark_percent=pass_mark,
        minimum_live_per_criterion=minimum, minimum_live_per_range_point=per_point,
        minimum_decision_or_application_percent=applied, outcomes=tuple(outcomes),
    )


def _read_outcomes(reader: _Reader, node) -> list[OutcomeSpec]:
    """Read the blueprint's outcomes list."""
    entries = reader.sequence(node, "outcomes")
    if entries is None:
        return []
    if not entries:
        reader.problem(node, "outcomes is empty: a blueprint needs at least one outcome")
    outcomes: list[OutcomeSpec] = []
    seen_numbers: set[int] = set()
    seen_criteria: set[str] = set()
    for entry in entries:
        fields = reader.mapping(entry, "an outcome")
        if fields is None:
            continue
        reader.reject_unknown(fields, ("number", "title", "questions", "criteria"), "an outcome")
        if not reader.require(fields, ("number", "title", "questions", "criteria"), entry,
                              "the outcome"):
            continue
        number = reader.integer(fields["number"][1], "outcome number", minimum=1)
        title = reader.text(fields["title"][1], "outcome title", max_length=MAX_TITLE)
        questions = reader.integer(fields["questions"][1], "questions", minimum=1)
        if number in seen_numbers:
            reader.problem(fields["number"][1], f"outcome {number} appears twice")
        seen_numbers.add(number)
        criteria_fields = reader.mapping(fields["criteria"][1], "criteria")
        criteria: dict[str, str] = {}
        for code, (key_node, value_node) in (criteria_fields or {}).items():
            if len(code) > MAX_CODE or CONTROL.search(code):
                reader.problem(key_node, f"criterion code {code[:MAX_CODE]!r}... must be at most "
                                         f"{MAX_CODE} plain characters")
                continue
            if number is not None and not code.startswith(f"{number}."):
                reader.problem(key_node, f"criterion {code} does not belong to outcome {number} "
                                         f"(expected {number}.x)")
            if code in seen_criteria:
                reader.problem(key_node, f"criterion {code} appears twice")
            seen_criteria.add(code)
            criteria[code] = reader.text(value_node, f"criterion {code} title") or ""
        if criteria_fields is not None and not criteria:
            reader.problem(fields["criteria"][1], f"outcome {number} lists no criteria")
        if None not in (number, title, questions) and criteria:
            outcomes.append(OutcomeSpec(number, title, questions, criteria))
    return outcomes


def read_exported(path: Path, code: str, problems: list[Problem]) -> datetime | None:
    """Read the moment an exported bank's files matched the database."""
    reader = _Reader(str(path), problems)
    root = reader.compose(path.read_text(encoding="utf-8"))
    entries = reader.mapping(root, "exported.yaml") if root is not None else None
    if entries is None:
        return None
    reader.reject_unknown(entries, ("bank", "exported_at"), "exported.yaml")
    if not reader.require(entries, ("bank", "exported_at"), root, "exported.yaml"):
        return None
    bank = reader.text(entries["bank"][1], "bank")
    if bank is not None and bank != code:
        reader.problem(entries["bank"][1], f"bank '{bank}' is not this folder's bank ({code})")
    value = reader.text(entries["exported_at"][1], "exported_at")
    try:
        when = datetime.fromisoformat(value) if value else None
    except ValueError:
        when = None
    if value and (when is None or when.tzinfo is None):
        reader.problem(entries["exported_at"][1], f"exported_at must be a date and time with its "
                                                  f"time zone, like 2026-06-01T09:00:00+00:00, "
                                                  f"not {value!r}")
        return None
    return when


def read_item_file(path: Path, blueprints: dict[str, Blueprint], problems: list[Problem],
                   ranges: dict[str, RangeList] | None = None) -> list[BankItem]:
    """Read and check one file of items against the blueprints (and Range lists) it may use.

    A bank missing from ranges has had its range.yaml reported already: its items' range ids
    are then checked for shape only.
    """
    reader = _Reader(str(path), problems)
    text = reader.read(path)
    root = None if text is None else reader.compose(text)
    if root is None:
        if not problems or problems[-1].path != str(path):
            reader.problem(1, "the file is empty")
        return []
    fields = reader.mapping(root, "an item file")
    if fields is None:
        return []
    reader.reject_unknown(fields, ("bank", "items"), "an item file")
    if not reader.require(fields, ("bank", "items"), root, "the item file"):
        return []
    bank = reader.text(fields["bank"][1], "bank")
    blueprint = blueprints.get(bank or "")
    if bank and blueprint is None:
        known = ", ".join(sorted(blueprints)) or "none"
        reader.problem(fields["bank"][1], f"bank '{bank}' has no blueprint here (known: {known})")
        return []
    if blueprint is None:  # bank is not one value: reported, and its items cannot be checked
        return []
    entries = reader.sequence(fields["items"][1], "items")
    items = []
    range_list = (ranges or {}).get(blueprint.code)
    for entry in entries or []:
        item = _read_item(reader, entry, blueprint, range_list)
        if item is not None:
            items.append(item)
    return items


def _read_item(reader: _Reader, node, blueprint: Blueprint,
               range_list: RangeList | None) -> BankItem | None:
    """Read one item; return None (with problems recorded) if anything is wrong.

    The fields and every check on their values come from fields.ITEM_FIELDS, which the item
    writers' form uses too; this function only finds the values in the YAML and says where
    each problem is.
    """
    entries = reader.mapping(node, "an item")
    if entries is None:
        return None
    label = "the item"
    if "id" in entries and isinstance(entries["id"][1], yaml.ScalarNode):
        label = f"item {entries['id'][1].value}"
    reader.reject_unknown(entries, ITEM_FIELDS_REQUIRED + ITEM_FIELDS_OPTIONAL, label)
    status = entries.get("status", (None, None))[1]
    draft = isinstance(status, yaml.ScalarNode) and status.value.strip() == "draft"
    required = tuple(n for n in ITEM_FIELDS_REQUIRED if not (draft and n in DRAFT_MAY_OMIT))
    if not reader.require(entries, required, node, label):
        return None
    before = len(reader.problems)
    values: dict = {}
    where: dict = {}
    for item_field in ITEM_FIELDS:
        if item_field.name not in entries:
            continue
        value_node = entries[item_field.name][1]
        read = _SHAPE_READERS[item_field.kind.shape]
        found = read(reader, value_node, f"{label}: {item_field.name}", item_field)
        if found is None:
            continue
        value, parts = found
        values[item_field.name] = item_field.kind.normalise(value)
        where[item_field.name] = (value_node, parts)
    # Enemies are checked bank-wide once every file is read; Range points against range.yaml.
    context = fields.Context(blueprint, item_id=values.get("id"), range_list=range_list)
    for problem in fields.check(values, context, names=tuple(values)):
        value_node, parts = where[problem.field]
        at = parts.get(problem.part, value_node) if problem.part is not None else value_node
        reader.problem(at, problem.message if problem.field == "id"
                       else f"{label}: {problem.message}")
    if len(reader.problems) > before:
        return None
    criterion = values["criterion"]
    return BankItem(item_id=values["id"], bank=blueprint.code, criterion=criterion,
                    outcome=blueprint.outcome_of(criterion), status=values["status"],
                    content=fields.content_of(values), line=node.start_mark.line + 1,
                    path=reader.path)


def _read_scalar(reader: _Reader, node, what: str, item_field):
    """Return a single value and no parts, or None if the node is a list or mapping."""
    text = reader.text(node, what, allow_empty=True)
    return None if text is None else (text, {})


def _read_mapping(reader: _Reader, node, what: str, item_field):
    """Return a mapping of names to text, with each value's node by name (the options);
    None if any value is not plain text (its problem is recorded)."""
    entries = reader.mapping(node, what)
    if entries is None:
        return None
    label = what.rsplit(": ", 1)[0]
    values, parts = {}, {}
    for name, (_, value_node) in entries.items():
        text = reader.text(value_node, f"{label}: {item_field.kind.part_label.lower()} {name}",
                           allow_empty=True)
        if text is None:
            return None
        values[name] = text
        parts[name] = value_node
    return values, parts


def _read_list(reader: _Reader, node, what: str, item_field):
    """Return a list of non-empty texts, with each one's node by position (ids such as enemies)."""
    if isinstance(node, yaml.ScalarNode) and not node.value.strip():
        reader.problem(node, f"{what.rsplit(': ', 1)[0]}: "
                             f"{item_field.kind.empty_message(item_field.name)}")
        return None
    entries = reader.sequence(node, what)
    if entries is None:
        return None
    values, parts = [], {}
    for entry in entries:
        text = reader.text(entry, what, allow_empty=True)
        if text:
            parts[len(values)] = entry
            values.append(text)
    return values, parts


_SHAPE_READERS = {"scalar": _read_scalar, "text": _read_scalar, "mapping": _read_mapping,
                  "list": _read_list}


def read_banks(root: Path) -> BankSet:
    """Read every bank under root (a folder, a bank folder, or one file) and check them together."""
    root = Path(root)
    result = BankSet()
    if not root.exists():
        result.problems.append(Problem(str(root), 0, "no such file or folder"))
        return result
    blueprint_paths = _blueprint_paths(root)
    if not blueprint_paths:
        result.problems.append(Problem(str(root), 0, f"no {BLUEPRINT_FILE} found here or above"))
        return result
    from quiz.itembank.rangefile import read_range_file  # it builds on this module's reader
    item_paths: list[Path] = []
    for bp_path in blueprint_paths:
        blueprint = read_blueprint(bp_path, result.problems)
        if blueprint is None:
            continue
        if blueprint.code in result.blueprints:
            result.problems.append(Problem(str(bp_path), 1, f"blueprint {blueprint.code} is "
                                                             "defined twice"))
            continue
        result.blueprints[blueprint.code] = blueprint
        result.blueprint_texts[blueprint.code] = bp_path.read_text(encoding="utf-8")
        exported = bp_path.parent / EXPORTED_FILE
        if exported.is_file():
            when = read_exported(exported, blueprint.code, result.problems)
            if when is not None:
                result.exported_at[blueprint.code] = when
        result.items[blueprint.code] = []
        range_list = read_range_file(bp_path.parent / RANGE_FILE, blueprint, result.problems)
        if range_list is not None:
            result.ranges[blueprint.code] = range_list
        folder = bp_path.parent / "items"
        paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if root.is_file() and root.name != BLUEPRINT_FILE:
            paths = [root]
        item_paths.extend(paths)
    for path in item_paths:
        for item in read_item_file(path, result.blueprints, result.problems, result.ranges):
            result.items[item.bank].append(item)
    for code, items in result.items.items():
        _check_bank_as_a_whole(items, result.problems)
    result.problems.sort()
    return result


def _line_at(data, offset: int) -> int:
    """Return the 1-based line of an offset into text or bytes."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1


def _blueprint_paths(root: Path) -> list[Path]:
    """Find the blueprints that govern root: inside it, or above it for a file or items folder."""
    if root.is_dir():
        found = sorted(root.rglob(BLUEPRINT_FILE))
        if found:
            return found
    for parent in [root, *root.parents][:4]:
        candidate = parent / BLUEPRINT_FILE if parent.is_dir() else None
        if candidate is not None and candidate.is_file():
            return [candidate]
    return []


def _check_bank_as_a_whole(items: list[BankItem], problems: list[Problem]) -> None:
    """Check what no single item can: unique ids and enemies that exist."""
    first_seen: dict[str, BankItem] = {}
    for item in items:
        if item.item_id in first_seen:
            other = first_seen[item.item_id]
            problems.append(Problem(item.path, item.line, f"id {item.item_id} is already used at "
                                                          f"{other.path}:{other.line}"))
        else:
            first_seen[item.item_id] = item
    for item in items:
        for enemy in item.content.enemies or ():
            if enemy not in first_seen:
                problems.append(Problem(item.path, item.line, f"item {item.item_id} "
                                        + fields.unknown_reference("enemy", enemy)))
