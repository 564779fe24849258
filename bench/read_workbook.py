"""What reading an untrusted workbook in a limited child process costs.

Writes a people workbook of ROWS synthetic rows (the mapping file's columns), then
reads its first sheet twice in one run: with python-calamine in this process (what
Pilar did before, and what a crafted file could abort), and through
`pilar.imports.sheets.read_sheet` (the archive checks, then the child process and the
JSON rows it sends back). Prints both times and their ratio.

    .venv/bin/python bench/read_workbook.py [ROWS]
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from pilar.beneficiaries.exchange import COLUMNS  # noqa: E402
from pilar.core.synthetic import person  # noqa: E402
from pilar.imports.sheets import read_sheet  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def workbook(rows: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    for number in range(1, rows + 1):
        someone = person(number, "18.01.04")
        sheet.write_row(
            number,
            0,
            [someone.nik, "", someone.name, someone.sex, "Natar", someone.birth_date.isoformat(), "18.01.04.2001",
             "RT 001", "PPKS-09", someone.phone],
        )  # fmt: skip
    book.close()
    return buffer.getvalue()


def main() -> None:
    data = workbook(ROWS)
    started = time.perf_counter()
    direct = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    in_process = time.perf_counter() - started
    started = time.perf_counter()
    isolated = read_sheet(data, suffix=".xlsx")
    child = time.perf_counter() - started
    assert len(isolated) == len(direct) == ROWS + 1
    print(f"workbook: {ROWS:,} rows, {len(data) / 1e6:.1f} MB")
    print(f"calamine in this process:     {in_process:6.2f} s")
    print(f"checks + limited child (JSON): {child:6.2f} s")
    print(f"ratio (in-process / isolated): {in_process / child:.2f}")


if __name__ == "__main__":
    main()
