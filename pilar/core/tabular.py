"""Writing tables for people to open in Excel or LibreOffice: CSV and XLSX.

Every cell Pilar writes, here and in every other workbook or CSV (the monthly report,
the recap command), goes through `safe_cell`: text whose first visible character is
= + - @ (or their full-width forms, which spreadsheets fold to them), or that begins
with a tab, a carriage return or a line feed, would be run as a formula by a
spreadsheet, so it is prefixed with a quote (OWASP "CSV injection"); leading spaces do
not hide it. Text is written as text, so a NIK or a family-card number keeps all 16
digits.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.db.models import Model
from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
# What a spreadsheet skips before it decides that a cell is a formula.
LEADING_BLANKS = " \t\r\n\u00a0\u3000\ufeff"
Value = str | int | float | datetime.date | None

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_FORMATS = tuple(CONTENT_TYPES)


def safe_cell(value: Value) -> Value:
    """`value`, with a quote in front when a spreadsheet would take it for a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS):
        return "'" + value
    visible = value.lstrip(LEADING_BLANKS)[:1]
    if visible and unicodedata.normalize("NFKC", visible).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


# The most rows one worksheet holds, below its header row.
XLSX_MAX_ROWS = 1_048_575


@dataclass
class Table:
    """A list ready to be written: its file name (without extension), columns, rows
    (possibly a generator), how many rows it has, and the model whose records it holds
    (for the access log)."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]
    count: int
    model: type[Model]
    # The column that holds each row's record id, for the access log (None: not logged).
    ids_column: int | None = None
    # The people whose identity the rows show, noted by the rows as they are written
    # (`saw`), for the access log: every one of them (UU PDP: who exported whom), as
    # 8-byte integers (a million people take 8 MB).
    people: array[int] = field(default_factory=lambda: array("q"))
    people_count: int = 0

    def saw(self, person_id: int | None) -> None:
        if person_id is None:
            return
        self.people_count += 1
        self.people.append(person_id)


def _csv_to(stream: IO[str], headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> int:
    stream.write("\ufeff")  # a byte-order mark, so Excel opens it as UTF-8
    writer = csv.writer(stream)
    writer.writerow(safe_row(headers))
    written = 0
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
        written += 1
    return written


def _xlsx_to(target: str | IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Value]], sheet_name: str) -> int:
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, safe_row(headers), bold)
    written = 0
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_index, column, str(safe_cell(value)), text)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_index, column, value, date_format)
            else:
                sheet.write_number(row_index, column, value)
        written = row_index
    sheet.freeze_panes(1, 0)
    workbook.close()
    return written


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it in the right encoding."""
    buffer = io.StringIO()
    _csv_to(buffer, headers, rows)
    return buffer.getvalue().encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Value]], *, sheet_name: str = "Data") -> bytes:
    buffer = io.BytesIO()
    _xlsx_to(buffer, headers, rows, sheet_name)
    return buffer.getvalue()


def write_file(export_format: str, path: Path, headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> int:
    """Write a table to a file on disk, row by row (a large export never sits in
    memory whole); returns the number of rows written."""
    if export_format == "xlsx":
        return _xlsx_to(str(path), headers, rows, "Data")
    with path.open("w", encoding="utf-8", newline="") as stream:
        return _csv_to(stream, headers, rows)


def table_response(
    export_format: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]
) -> HttpResponse:
    content = write_xlsx(headers, rows) if export_format == "xlsx" else write_csv(headers, rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
