"""What every import shares: the report, the row errors, and the cell parsers.

The contract of every import: all rows are validated before anything is written; a
single invalid row means nothing is written; importing the same file twice changes
nothing the second time. Messages name the row (as the spreadsheet numbers it) and
the column, in the user's language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from pilar.core.identity import NIK_LENGTH
from pilar.imports.reading import Cell, SourceRow, Table, TableError, read_table
from pilar.regions.models import Region

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
# Rows per query when looking up what a file refers to (under every database's parameter limit).
QUERY_CHUNK = 2000


class CellError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # 0 for a problem with the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    records: int = 0  # PPKS records created (people import)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "records": self.records,
            "errors": [error.as_dict() for error in self.errors],
            "dry_run": self.dry_run,
            "written": self.written,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ImportReport:
        errors = [RowError(**error) for error in data.get("errors", [])]  # type: ignore[attr-defined]
        fields = {key: value for key, value in data.items() if key != "errors"}
        return cls(errors=errors, **fields)  # type: ignore[arg-type]


def check_headers(table: Table, required: Sequence[str], report: ImportReport) -> bool:
    missing = [column for column in required if column not in table.headers]
    if missing:
        report.errors.append(
            RowError(
                row=1,
                column=", ".join(missing),
                message=_("Missing columns: %(columns)s. Download the template to see the expected columns.")
                % {"columns": ", ".join(missing)},
            )
        )
        return False
    return True


def read_or_report(data: bytes, filename: str, report: ImportReport):  # type: ignore[no-untyped-def]
    try:
        return read_table(data, filename)
    except TableError as error:
        report.errors.append(RowError(row=0, column="", message=str(error)))
        return None


def required_text(row: SourceRow, column: str, *, max_length: int) -> str:
    text = row.get(column).text
    if not text:
        raise CellError(column, _("This column must be filled in."))
    return optional_text(row, column, max_length=max_length)


def optional_text(row: SourceRow, column: str, *, max_length: int) -> str:
    text = row.get(column).text
    if len(text) > max_length:
        raise CellError(column, _("At most %(count)s characters.") % {"count": max_length})
    return text


def nik_cell(row: SourceRow, column: str = "nik", *, required: bool = True) -> str:
    cell: Cell = row.get(column)
    if cell.is_number:
        raise CellError(
            column,
            _(
                "The NIK was stored as a number, so Excel has already changed its last digits. "
                "Format the column as Text and type the NIK again."
            ),
        )
    text = cell.text.replace(" ", "").lstrip("'")
    if not text:
        if required:
            raise CellError(column, _("This column must be filled in."))
        return ""
    if len(text) != NIK_LENGTH or not text.isdigit():
        raise CellError(column, _("A NIK is exactly 16 digits."))
    return text


def date_cell(row: SourceRow, column: str, *, required: bool) -> datetime.date | None:
    cell = row.get(column)
    if cell.date is not None:
        return cell.date
    if not cell.text:
        if required:
            raise CellError(column, _("This column must be filled in."))
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cell.text, date_format).date()
        except ValueError:
            continue
    raise CellError(
        column, _("%(value)s is not a date: write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY.") % {"value": cell.text}
    )


def choice_cell(row: SourceRow, column: str, choices: Sequence[str], *, default: str | None = None) -> str:
    text = row.get(column).text
    if not text and default is not None:
        return default
    by_lower = {choice.lower(): choice for choice in choices}
    if text.lower() not in by_lower:
        raise CellError(
            column,
            _("%(value)s is not one of: %(choices)s.") % {"value": text or _("(empty)"), "choices": ", ".join(choices)},
        )
    return by_lower[text.lower()]


def integer_cell(row: SourceRow, column: str) -> int | None:
    text = row.get(column).text
    if not text:
        return None
    if not text.isdigit():
        raise CellError(column, _("%(value)s is not a whole number.") % {"value": text})
    return int(text)


def messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def chunks(items: list[Any], size: int = QUERY_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetch_regions(codes: set[str]) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for chunk in chunks(sorted(codes)):
        regions.update({region.code: region for region in Region.objects.filter(code__in=chunk)})
    return regions


def parse_cells(row: SourceRow, parsers: dict[str, Callable[[], Any]]) -> tuple[dict[str, Any] | None, list[RowError]]:
    """Run each column parser; the values by name, or every cell error of the row."""
    values: dict[str, Any] = {}
    errors = []
    for name, parse in parsers.items():
        try:
            values[name] = parse()
        except CellError as error:
            errors.append(RowError(row=row.number, column=error.column, message=error.message))
    return (None, errors) if errors else (values, [])


class Importer(Protocol):
    def validate(self) -> None: ...

    def count_planned(self) -> None:
        """Fill the report's created/updated/unchanged counts without writing."""

    def write(self) -> None:
        """Write everything in one transaction and fill the report's counts."""


def run_import_pipeline(
    *,
    kind: str,
    data: bytes,
    filename: str,
    required: Sequence[str],
    parse_row: Callable[[SourceRow], tuple[Any | None, list[RowError]]],
    make_importer: Callable[[list[Any], ImportReport], Importer],
    dry_run: bool,
) -> ImportReport:
    """Read, parse every row, validate the whole file, then write it or not at all."""
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    table = read_or_report(data, filename, report)
    if table is None or not check_headers(table, required, report):
        return report
    report.rows = len(table.rows)
    rows = []
    for source_row in table.rows:
        row, errors = parse_row(source_row)
        report.errors.extend(errors)
        if row is not None:
            rows.append(row)
    importer = make_importer(rows, report)
    importer.validate()
    if report.errors:
        report.errors.sort(key=lambda error: (error.row, error.column))
        return report
    if dry_run:
        importer.count_planned()
        return report
    try:
        importer.write()
    except IntegrityError:
        # A concurrent change broke a database rule after validation: the
        # transaction rolled back, so nothing of the file was written.
        report.errors.append(
            RowError(
                row=0, column="", message=_("The registry changed while importing; nothing was written. Try again.")
            )
        )
        report.created = report.updated = report.unchanged = 0
        return report
    report.written = True
    return report
