"""Read a CSV of candidates to book onto a sitting: every row checked, every problem reported."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

REQUIRED = ("candidate_number", "full_name")
OPTIONAL = ("username", "extra_time_percent", "rest_break_minutes", "large_text", "high_contrast")
MAX_REST_BREAK_MINUTES = 120
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")
USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,80}$")
MAX_ROWS = 2000


@dataclass(frozen=True)
class RosterRow:
    """One candidate from the CSV; None means the column was absent or left blank."""

    line: int
    candidate_number: str
    full_name: str
    username: str | None = None
    extra_time_percent: int | None = None
    large_text: bool | None = None
    high_contrast: bool | None = None
    rest_break_minutes: int | None = None


def parse_roster(text: str) -> tuple[list[RosterRow], list[str]]:
    """Return the rows and a list of problems ("row 3: ..."); any problem means use none."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel adds a byte-order mark
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [f"line 1: the header must include {', '.join(REQUIRED)} "
                    f"(missing: {', '.join(missing)}); optional: {', '.join(OPTIONAL)}"]
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if unknown:
        return [], [f"line 1: unknown column(s) {', '.join(unknown)}; "
                    f"expected {', '.join(REQUIRED + OPTIONAL)}"]
    reader.fieldnames = header
    rows: list[RosterRow] = []
    problems: list[str] = []
    seen_numbers: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(f"line {line}: more than {MAX_ROWS} rows; split the file")
            break
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if not any(values.values()):
            continue  # blank line
        row, row_problems = _row(line, values)
        if row is not None and row.candidate_number in seen_numbers:
            row_problems.append(f"line {line}: candidate number {row.candidate_number} is "
                                f"already on line {seen_numbers[row.candidate_number]}")
        problems.extend(row_problems)
        if row is not None and not row_problems:
            seen_numbers[row.candidate_number] = line
            rows.append(row)
    if not rows and not problems:
        problems.append("the file has a header but no candidates")
    return rows, problems


def _row(line: int, values: dict[str, str]) -> tuple[RosterRow | None, list[str]]:
    problems = []
    number = values.get("candidate_number", "")
    name = values.get("full_name", "")
    if not NUMBER.match(number):
        problems.append(f"line {line}: candidate_number {number!r} must be 1-20 letters, digits "
                        "or '-'")
    if not name or len(name) > 200:
        problems.append(f"line {line}: full_name must be given (at most 200 characters)")
    username = values.get("username") or None
    if username is not None and not USERNAME.match(username):
        problems.append(f"line {line}: username {username!r} may hold only letters, digits, "
                        "'.', '_' and '-'")
    extra = values.get("extra_time_percent", "")
    extra_value = None
    if extra:
        if not extra.isdigit() or not 0 <= int(extra) <= 100:
            problems.append(f"line {line}: extra_time_percent {extra!r} must be a whole number "
                            "from 0 to 100")
        else:
            extra_value = int(extra)
    rest = values.get("rest_break_minutes", "")
    rest_value = None
    if rest:
        if not rest.isdigit() or not 0 <= int(rest) <= MAX_REST_BREAK_MINUTES:
            problems.append(f"line {line}: rest_break_minutes {rest!r} must be a whole number of "
                            f"minutes from 0 to {MAX_REST_BREAK_MINUTES}")
        else:
            rest_value = int(rest)
    flags = {}
    for column in ("large_text", "high_contrast"):
        raw = values.get(column, "").lower()
        if column not in values or raw == "":
            flags[column] = None
        elif raw in YES:
            flags[column] = True
        elif raw in NO:
            flags[column] = False
        else:
            problems.append(f"line {line}: {column} {values[column]!r} must be yes or no")
    if problems:
        return None, problems
    return RosterRow(line, number, name, username, extra_value, flags["large_text"],
                     flags["high_contrast"], rest_value), []
