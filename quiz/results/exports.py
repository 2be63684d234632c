"""Downloads of results: a registry of formats, each streaming rows so memory stays flat."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import xlsxwriter

from quiz.itembank.domain import Blueprint
from quiz.results import words
from quiz.results.service import ResponseRow, ResultRow


def result_header(blueprint: Blueprint) -> list[str]:
    """Return the column names of a results download, one pair per learning outcome."""
    header = ["candidate_number", "candidate_name", "centre", "sitting", "started_at",
              "submitted_at", "status", "raw_marks", "max_marks", "percent", "result",
              "void_reason"]
    for outcome in blueprint.outcomes:
        header += [f"outcome_{outcome.number}_marks", f"outcome_{outcome.number}_max"]
    return header


def result_values(row: ResultRow, blueprint: Blueprint) -> list:
    """Return one result as a list of cell values matching result_header."""
    values = [row.candidate_number, row.candidate_name, row.centre, row.sitting,
              _iso(row.started_at), _iso(row.submitted_at), row.status, row.raw, row.maximum,
              row.percent, words.verdict(row.passed, row.status), row.void_reason or ""]
    for outcome in blueprint.outcomes:
        tally = row.by_outcome.get(str(outcome.number), {})
        values += [tally.get("marks"), tally.get("out_of")]
    return values


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


RESPONSE_HEADER = ["attempt_id", "candidate_number", "sitting_id", "status", "scored", "position",
                   "item_id", "item_version", "outcome", "criterion", "option_chosen", "key",
                   "correct"]


def response_values(row: ResponseRow) -> list:
    """Return one response as cell values matching RESPONSE_HEADER; "correct" is blank if unscored."""
    return [row.attempt_id, row.candidate_number, row.sitting_id, row.status, int(row.scored),
            row.position, row.item_id, row.item_version, row.outcome, row.criterion,
            row.chosen or "", row.key, "" if row.correct is None else int(row.correct)]


def stream_csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Yield a CSV file a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(path: str, sheet: str, header: list[str], rows: Iterable[list]) -> int:
    """Write an Excel workbook row by row (constant memory); return the number of rows."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    worksheet = workbook.add_worksheet(sheet[:31])
    worksheet.write_row(0, 0, header, bold)
    worksheet.freeze_panes(1, 0)
    count = 0
    for count, values in enumerate(rows, start=1):
        worksheet.write_row(count, 0, ["" if v is None else v for v in values])
    workbook.close()
    return count


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
