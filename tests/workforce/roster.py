"""Roster files for the import tests, built from synthetic people."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import xlsxwriter

from pilar.core.synthetic import person
from pilar.imports.workers import COLUMNS as WORKER_COLUMNS


def worker_row(
    number: int,
    *,
    kind: str,
    region_code: str,
    status: str = "aktif",
    decree: tuple[str, str] = ("460/001/2025", "2025-03-01"),
) -> list[str]:
    district = ".".join(region_code.split(".")[:3])
    someone = person(number, district)
    decree_number, decree_date = decree if status == "aktif" else ("", "")
    return [
        kind,
        someone.nik,
        someone.name,
        someone.sex,
        someone.birth_date.isoformat(),
        region_code,
        status,
        decree_number,
        decree_date,
        someone.phone,
    ]


def csv_bytes(
    rows: Sequence[Sequence[object]], headers: Sequence[str] = WORKER_COLUMNS, *, excel: bool = False
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    writer.writerow(headers)
    writer.writerows(rows)
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]], headers: Sequence[str] = WORKER_COLUMNS) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, headers)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(index, column, value)
            else:
                sheet.write_string(index, column, str(value))
    workbook.close()
    return buffer.getvalue()
