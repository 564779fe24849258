"""Reads the first sheet of an untrusted workbook, in a process of its own.

Run by `pilar.imports.sheets` as a script, under memory and CPU limits, with the file
on standard input. It writes one JSON array per row on standard output (a date as
{"$d": "YYYY-MM-DD"}, a date and time as {"$dt": ISO}); a file python-calamine cannot
read ends with the reason on standard error and exit status 2. If calamine aborts the
process (it panics on some crafted files), only this process dies.

Deliberately free of Django and of Pilar: nothing here may reach the database.
"""

import datetime
import io
import json
import sys

from python_calamine import CalamineError, CalamineWorkbook

UNREADABLE = 2


def encode(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$d": value.isoformat()}
    return str(value)  # times and durations, as text


def main() -> int:
    data = sys.stdin.buffer.read()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as error:
        sys.stderr.write(str(error)[:500])
        return UNREADABLE
    out = sys.stdout
    out.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    for row in rows:
        out.write(json.dumps(row, default=encode, ensure_ascii=False))
        out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
