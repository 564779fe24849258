"""Reading an untrusted workbook without risking the process that asked.

A workbook is a zip of XML files, and python-calamine trusts what they declare: a
sheet whose dimension claims a million rows by sixteen thousand columns makes it
allocate until it aborts the process, and a zip bomb unpacks to gigabytes. Both
would take the job worker down with every upload after them. So:

1. Before anything is unpacked, the zip's directory is checked: the total unpacked
   size, the compression ratio of every large member, and each sheet's declared
   dimension (read from the first bytes of the sheet), against the limits below.
2. The sheet is then read by `sheet_child`, a separate Python process with limits on
   its memory and CPU time and a wall-clock timeout. Whatever happens to it, this
   process gets either the rows or a `TableError` with a message for the user.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, damaged, unsafe, no header)."""


# Far above any roster or mapping file (a million rows of a dozen columns), far below
# what would exhaust the machine.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100  # a real sheet compresses 5 to 20 times; a bomb, thousands of times
RATIO_FROM_BYTES = 1024 * 1024  # small members may compress as they like
MAX_COLUMNS = 200
MAX_CELLS = 40_000_000
CHILD_MEMORY_BYTES = 4 * 1024 * 1024 * 1024
CHILD_CPU_SECONDS = 300
CHILD_WALL_SECONDS = 600
CHILD = Path(__file__).with_name("sheet_child.py")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_archive(data: bytes) -> None:
    """Refuse a zipped workbook whose directory promises more than a sheet should hold."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableError(_("The spreadsheet cannot be read: it is not a valid XLSX file.")) from None
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise TableError(_("The spreadsheet unpacks to more than 1 GB. Split it, or save it as CSV."))
    for member in members:
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise TableError(
                _("The spreadsheet is compressed far more than a real sheet can be; it was refused as unsafe.")
            )
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            with archive.open(member) as sheet:
                _check_dimension(sheet.read(64 * 1024))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_dimension(head: bytes) -> None:
    found = DIMENSION.search(head)
    if found is None:
        return
    first_column, first_row, last_column, last_row = found.groups()
    columns = _column_number(last_column or first_column) - _column_number(first_column) + 1
    rows = int(last_row or first_row) - int(first_row) + 1
    if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise TableError(
            _(
                "The sheet declares %(rows)s rows by %(columns)s columns, more than an import can hold. "
                "Delete the empty rows and columns (or copy the data to a new sheet) and upload it again."
            )
            % {"rows": f"{rows:,}".replace(",", "."), "columns": f"{columns:,}".replace(",", ".")}
        )


def _limit_child() -> None:  # pragma: no cover (runs in the child, before exec)
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _decode(value: dict[str, str]) -> Any:
    if "$dt" in value:
        return datetime.datetime.fromisoformat(value["$dt"])
    if "$d" in value:
        return datetime.date.fromisoformat(value["$d"])
    return value


def read_sheet(data: bytes, *, suffix: str) -> list[list[Any]]:
    """The first sheet's rows (values as python-calamine gives them), read in a child
    process; a `TableError` for a file that is unsafe, unreadable or kills the reader."""
    if suffix in {".xlsx", ".xlsm", ".ods"}:
        check_archive(data)
    try:
        finished = subprocess.run(  # noqa: S603 (our own script, no shell)
            [sys.executable, "-I", str(CHILD)],
            input=data,
            capture_output=True,
            timeout=CHILD_WALL_SECONDS,
            preexec_fn=_limit_child,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TableError(
            _("Reading the spreadsheet took too long; it was stopped. Save it as CSV and try again.")
        ) from None
    if finished.returncode == 2:
        reason = finished.stderr.decode("utf-8", errors="replace").strip()
        raise TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": reason})
    if finished.returncode != 0:
        raise TableError(
            _(
                "The spreadsheet could not be read safely (it is damaged, or holds more than it shows). "
                "Save it as CSV, or copy the data to a new workbook, and upload it again."
            )
        )
    # One row a line (JSON escapes the line feeds inside values).
    return [json.loads(line, object_hook=_decode) for line in finished.stdout.split(b"\n") if line]
