"""Spreadsheets: CSV and XLSX with one row per item and the columns named in the README.

The header row names the columns, in any order and any case (`Option A` is `option_a`):
`stem`, `option_a` ... `option_d` and `key` are required; `id`, `outcome`, `criterion`,
`rationale`, `difficulty`, `tags` and `range` (both `;`-separated), `form` and `status` are
optional.
A cell that starts with = + - or @ is written with a leading apostrophe, so a spreadsheet shows
it as text instead of running it as a formula; reading takes the apostrophe off again.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from quiz.itembank.domain import OPTION_LETTERS, Blueprint
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Sample, Skipped, register
from quiz.itembank.formats.safety import decode_text, open_zip
from quiz.itembank.formats.text import plain

COLUMNS = ("id", "outcome", "criterion", "stem", "option_a", "option_b", "option_c", "option_d",
           "key", "rationale", "difficulty", "tags", "range", "form", "status")
REQUIRED = ("stem", "option_a", "option_b", "option_c", "option_d", "key")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 20_000


def _column(name: str) -> str:
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def _guard(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in FORMULA_START else value


def _read_rows(rows: Iterable[list[str]], what: str) -> ReadResult:
    """Read rows (the first is the header) into items and skipped rows."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise FormatError(f"{what} is empty")
    names = [_column(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        found = ", ".join(n for n in names if n) or "none"
        raise FormatError(f"{what}'s header row has no {', '.join(missing)} column(s) "
                          f"(columns found: {found}); see the README for the columns")
    result = ReadResult()
    unknown = [h for h, n in zip(header, names) if n and n not in COLUMNS]
    if unknown:
        result.notes.append(f"column(s) {', '.join(map(str, unknown))} are not ones we read; "
                            "ignored")
    seen = False
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise FormatError(f"{what} has more than {MAX_ROWS} rows")
        cells = {n: _unguard(str(v if v is not None else "").strip())
                 for n, v in zip(names, row) if n in COLUMNS}
        if not any(cells.values()):
            continue
        seen = True
        read = _row(cells, number)
        (result.skipped if isinstance(read, Skipped) else result.items).append(read)
    if not seen:
        raise FormatError(f"{what} has a header row but no items")
    return result


def _row(cells: dict[str, str], number: int) -> ExchangeItem | Skipped:
    ref = cells.get("id") or f"row {number}"
    label = f"row {number}" + (f" ({cells['id']})" if cells.get("id") else "")
    key = cells.get("key", "").upper()
    if key not in OPTION_LETTERS:
        return Skipped(label, f"key {cells.get('key')!r} must be one of A, B, C, D")
    empty = [c for c in REQUIRED if not cells.get(c)]
    if empty:
        return Skipped(label, f"{', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty")
    outcome = None
    if cells.get("outcome"):
        text = cells["outcome"].removesuffix(".0")
        if not text.isdigit():
            return Skipped(label, f"outcome {cells['outcome']!r} must be a whole number")
        outcome = int(text)
    difficulty = cells.get("difficulty", "").lower()
    if difficulty and difficulty not in ("easy", "medium", "hard"):
        return Skipped(label, f"difficulty {cells['difficulty']!r} must be easy, medium or hard")
    return ExchangeItem(
        ref=ref, stem=plain(cells["stem"]).text,
        options={letter: plain(cells[f"option_{letter.lower()}"]).text for letter in OPTION_LETTERS},
        key=key, rationale=plain(cells.get("rationale", "")).text, difficulty=difficulty,
        criterion=cells.get("criterion", "").upper().removeprefix("AC").strip(), outcome=outcome,
        tags=tuple(t.strip() for t in cells.get("tags", "").split(";") if t.strip()),
        range=tuple(r.strip() for r in cells.get("range", "").split(";") if r.strip()),
        form=cells.get("form", "").strip().lower(), status=cells.get("status", ""))


class Csv:
    """Comma-separated values, UTF-8, one row per item."""

    name = "csv"
    title = "CSV (one row per item)"
    family = "table"
    extension = ".csv"
    mimetype = "text/csv"
    can_read = True
    can_write = True
    every_status = False

    def recognises(self, sample: Sample) -> bool:
        """Return whether the first line is a header with the required columns."""
        if sample.kind != "text":
            return False
        first = sample.head.lstrip("\ufeff").splitlines()[0] if sample.head.strip() else ""
        try:
            names = {_column(c) for c in next(csv.reader([first], _dialect(first)))}
        except (csv.Error, StopIteration):
            return False
        return set(REQUIRED) <= names

    def read(self, data: bytes) -> ReadResult:
        """Read rows into items; commas, semicolons or tabs may separate the cells."""
        text = decode_text(data, "the CSV file")
        first = text.splitlines()[0] if text.strip() else ""
        try:
            return _read_rows(csv.reader(io.StringIO(text, newline=""), _dialect(first)),
                              "the CSV file")
        except csv.Error as err:
            raise FormatError(f"the CSV file cannot be read: {err}") from None

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list=None) -> bytes:
        """Return the items as CSV in UTF-8 with a byte order mark, so Excel reads it as UTF-8."""
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for item in items:
            writer.writerow([_guard(v) for v in (
                item.ref, str(item.outcome or ""), item.criterion, item.stem,
                *[item.options[letter] for letter in OPTION_LETTERS], item.key, item.rationale,
                item.difficulty, "; ".join(item.tags), "; ".join(item.range), item.form,
                item.status)])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def _dialect(first_line: str):
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get)

    class Dialect(csv.excel):
        pass
    Dialect.delimiter = delimiter
    return Dialect


class Xlsx:
    """An Excel workbook: the first sheet, with the same columns as CSV."""

    name = "xlsx"
    title = "Excel workbook (.xlsx, first sheet, same columns as CSV)"
    family = "table"
    extension = ".xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    can_read = True
    can_write = False
    every_status = False

    def recognises(self, sample: Sample) -> bool:
        """Return whether the zip is an Excel workbook."""
        return sample.kind == "zip" and "xl/workbook.xml" in sample.members

    def read(self, data: bytes) -> ReadResult:
        """Read the first sheet's rows into items (the zip is checked before openpyxl opens it)."""
        from openpyxl import load_workbook
        open_zip(data)  # sizes, names and ratios, before anything is unpacked
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many kinds for a damaged workbook
            raise FormatError(f"the workbook cannot be opened ({type(err).__name__}: {err})") from None
        try:
            sheet = book.worksheets[0]
            rows = ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
            return _read_rows(rows, f"the sheet {sheet.title!r}")
        finally:
            book.close()

    def write(self, items, blueprint, range_list=None):  # pragma: no cover - can_write is False
        raise FormatError("Excel export is not offered; export CSV")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


register(Csv())
register(Xlsx())
