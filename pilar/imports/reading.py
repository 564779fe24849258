"""Reading an uploaded table (CSV or XLSX) into rows of text cells.

CSV comes comma-separated, or semicolon-separated with a byte-order mark as Excel
writes it in the Indonesian locale; the delimiter is read off the header line.
XLSX (and XLS/ODS) is read with python-calamine, in a child process with limits
(`pilar.imports.sheets`). Each cell keeps whether the source
held it as a number, because a NIK that Excel stored as a number has already lost
its last digits and must be refused, not repaired.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from pilar.imports.sheets import TableError, read_sheet

__all__ = ["TableError", "read_raw", "read_table"]

SPREADSHEET_SUFFIXES = {".xlsx", ".xls", ".xlsm", ".ods"}
SUPPORTED_SUFFIXES = {".csv", *SPREADSHEET_SUFFIXES}


@dataclass(frozen=True)
class Cell:
    text: str
    is_number: bool = False
    date: datetime.date | None = None


EMPTY = Cell("")


@dataclass(frozen=True)
class SourceRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict[str, Cell]

    def get(self, column: str) -> Cell:
        return self.cells.get(column, EMPTY)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[SourceRow]


def normalise_header(header: object) -> str:
    return str(header).strip().lower().replace(" ", "_")


def read_table(data: bytes, filename: str) -> Table:
    """The whole table as `Cell`s (files of up to some thousands of rows)."""
    raw = read_raw(data, filename)
    to_cell = _csv_cell if raw.from_csv else _spreadsheet_cell
    rows = []
    for number, values in raw.rows:
        cells = {header: to_cell(value) for header, value in zip(raw.headers, values, strict=False)}
        if any(cell.text for cell in cells.values()):
            rows.append(SourceRow(number=number, cells=cells))
    return Table(headers=raw.headers, rows=rows)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" in an Indonesian Windows is Windows-1252.
        return data.decode("cp1252", errors="replace")


def _looks_numeric(text: str) -> bool:
    """Excel writes a number it has reformatted as 1,80104E+15 or 1.80104E+15."""
    upper = text.upper()
    return "E+" in upper and upper.replace("E+", "").replace(",", "").replace(".", "").isdigit()


def _csv_cell(value: object) -> Cell:
    text = str(value).strip()
    return Cell(text, is_number=_looks_numeric(text))


def _spreadsheet_cell(value: object) -> Cell:
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return Cell(str(value), is_number=True)
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else str(value)
        return Cell(text, is_number=True)
    if isinstance(value, datetime.datetime):
        return Cell(value.date().isoformat(), date=value.date())
    if isinstance(value, datetime.date):
        return Cell(value.isoformat(), date=value)
    return Cell(str(value).strip())


@dataclass
class RawTable:
    """A table read lazily, for files too large to hold as `Cell` objects (a million
    rows): values are the source's own, str from CSV, str/int/float/date from a
    spreadsheet; `rows` yields (row number as the spreadsheet numbers it, values)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[object]]]
    approximate_rows: int
    from_csv: bool
    text: str = ""  # a CSV file's decoded text (the COPY path reads it whole)
    delimiter: str = ","


def read_raw(data: bytes, filename: str) -> RawTable:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise TableError(_("Upload a CSV or XLSX file (this one is %(suffix)s).") % {"suffix": suffix or "?"})
    if suffix == ".csv":
        text = _decode(data)
        first_line = first_line_of(text)
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            headers = [normalise_header(header) for header in next(reader)]
        except StopIteration:
            raise TableError(_("The file is empty.")) from None
        except csv.Error as error:
            raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
        return RawTable(
            headers, _csv_rows(reader), max(text.count("\n") - 1, 0), from_csv=True, text=text, delimiter=delimiter
        )
    values = read_sheet(data, suffix=suffix)  # in a child process with limits: the file is untrusted
    if not values:
        raise TableError(_("The file is empty."))
    headers = [normalise_header(header) for header in values[0]]
    return RawTable(headers, _sheet_rows(values), len(values) - 1, from_csv=False)


def first_line_of(text: str) -> str:
    """The first line of `text`, without copying the rest of a file of a hundred
    megabytes (as `text.split("\\n", 1)` would)."""
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[object]]]:
    number = 1
    try:
        for values in reader:
            number += 1
            if any(value.strip() for value in values):
                yield number, values  # type: ignore[misc]
    except csv.Error as error:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _sheet_rows(values: list[list[Any]]) -> Iterator[tuple[int, list[object]]]:
    for number, row in enumerate(values[1:], start=2):
        if any(value not in (None, "") for value in row):
            yield number, row
