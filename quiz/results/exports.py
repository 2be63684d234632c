"""Downloads of results: a registry of formats, each streaming rows so memory stays flat."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from decimal import Decimal
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import xlsxwriter

from quiz.itembank.domain import Blueprint
from quiz.results.service import ResponseRow, ResultRow


def result_header(blueprint: Blueprint) -> list[str]:
    """Return the column names of a results download, one pair per learning outcome."""
    header = ["candidate_number", "candidate_name", "centre", "sitting", "started_at",
              "submitted_at", "status", "raw_marks", "max_marks", "percent", "result"]
    for outcome in blueprint.outcomes:
        header += [f"outcome_{outcome.number}_marks", f"outcome_{outcome.number}_max"]
    return header


def result_values(row: ResultRow, blueprint: Blueprint) -> list:
    """Return one result as a list of cell values matching result_header."""
    verdict = {True: "pass", False: "fail", None: ""}[row.passed]
    if row.status == "voided":
        verdict = "voided"
    values = [row.candidate_number, row.candidate_name, row.centre, row.sitting,
              _iso(row.started_at), _iso(row.submitted_at), row.status, row.raw, row.maximum,
              row.percent, verdict]
    for outcome in blueprint.outcomes:
        tally = row.by_outcome.get(str(outcome.number), {})
        values += [tally.get("marks"), tally.get("out_of")]
    return values


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


RESPONSE_HEADER = ["attempt_id", "candidate_number", "sitting_id", "position", "item_id",
                   "item_version", "outcome", "criterion", "option_chosen", "key", "correct"]


def response_values(row: ResponseRow) -> list:
    """Return one response as cell values matching RESPONSE_HEADER."""
    return [row.attempt_id, row.candidate_number, row.sitting_id, row.position, row.item_id,
            row.item_version, row.outcome, row.criterion, row.chosen or "", row.key,
            int(row.correct)]


# OWASP "CSV injection": spreadsheets run a cell that starts with one of these as a formula
# (the full-width forms too, in some locales). Candidates, centres and sittings are named by
# people outside the results office, so no text they typed may reach a download live.
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def is_formula_like(value) -> bool:
    """Return whether a spreadsheet would read this cell as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTERS)


def neutralise(value):
    """Return a CSV cell no spreadsheet runs: formula-like text gets a leading quote."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


def stream_csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield a CSV file a line at a time, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(v) for v in header])
    for values in rows:
        writer.writerow([neutralise(v) for v in values])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(path: str, sheet: str, header: list[str], rows: Iterable[list]) -> int:
    """Write an Excel workbook row by row (constant memory); return the number of rows.

    Text is always written as text: XlsxWriter would otherwise turn "=..." into a formula and
    "http://..." into a link. Formula-like text also carries Excel's own quote prefix, so it
    stays text when someone edits the cell, and it looks exactly as typed."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    worksheet = workbook.add_worksheet(sheet[:31])
    for column, name in enumerate(header):
        worksheet.write_string(0, column, name, bold)
    worksheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            _write_cell(worksheet, count, column, value, quoted)
    workbook.close()
    return count


def _write_cell(worksheet, row: int, column: int, value, quoted) -> None:
    """Write one cell as a number, a blank or plain text, never as a formula or a link."""
    if value is None or value == "":
        worksheet.write_blank(row, column, None)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, (int, float, Decimal)):
        worksheet.write_number(row, column, value)
    else:
        text = str(value)
        worksheet.write_string(row, column, text, quoted if is_formula_like(text) else None)


def stream_file(path: str, chunk: int = 64_000) -> Iterator[bytes]:
    """Yield a file's bytes, then delete it."""
    try:
        with open(path, "rb") as handle:
            while data := handle.read(chunk):
                yield data
    finally:
        os.unlink(path)


@dataclass(frozen=True)
class ExportFormat:
    """A download format: its file extension, media type and how rows become bytes."""

    extension: str
    mimetype: str
    render: Callable[[str, list[str], Iterable[list]], Iterator]


def _csv(_title: str, header: list[str], rows: Iterable[list]) -> Iterator[str]:
    return stream_csv(header, rows)


def _xlsx(title: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    write_xlsx(path, title, header, rows)
    return stream_file(path)


FORMATS = {
    "csv": ExportFormat("csv", "text/csv", _csv),
    "xlsx": ExportFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         _xlsx),
}


@dataclass(frozen=True)
class Download:
    """A download ready to send: its file name, media type and body."""

    filename: str
    mimetype: str
    body: Iterator


KINDS = ("csv", "xlsx", "responses")


def build(kind: str, name: str, blueprint: Blueprint, results: Iterable,
          responses: Iterable) -> Download:
    """Return a results download (csv, xlsx) or the response-level CSV, streamed."""
    if kind == "responses":
        rows = (response_values(r) for r in responses)
        return Download(f"{name}-responses.csv", "text/csv", stream_csv(RESPONSE_HEADER, rows))
    if kind not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(KINDS)}, not {kind!r}")
    export = FORMATS[kind]
    rows = (result_values(r, blueprint) for r in results)
    body = export.render("Results", result_header(blueprint), rows)
    return Download(f"{name}-results.{export.extension}", export.mimetype, body)
