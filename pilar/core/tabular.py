"""Writing tables for people to open in Excel or LibreOffice: CSV and XLSX.

Every cell goes through `safe_cell`: text that begins with = + - @, a tab or a
carriage return would be run as a formula by a spreadsheet, so it is prefixed with a
quote (OWASP "CSV injection"). Text is written as text, so a NIK or a family-card
number keeps all 16 digits.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Value = str | int | float | datetime.date | None

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_FORMATS = tuple(CONTENT_TYPES)


def safe_cell(value: Value) -> Value:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it in the right encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Value]], *, sheet_name: str = "Data") -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, list(headers), bold)
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
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def table_response(
    export_format: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]
) -> HttpResponse:
    content = write_xlsx(headers, rows) if export_format == "xlsx" else write_csv(headers, rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
