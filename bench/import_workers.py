"""Benchmark: importing a roster of 100,000 workers (`pilar import workers`).

The data generator makes 100,000 synthetic workers (pilar.core.synthetic): one active
TKSK in each of the first kecamatan of the country and active PSM spread over the
villages, as a CSV file. Prints, in one run on the configured database:
- the import (read, validate every row, write workers, engagements, events, history
  and TKSK assignments), in seconds and rows/s;
- a second import of the same file (nothing changes);
- the same rows written by a plain COPY into a bare table with the file's columns
  (PostgreSQL), or by a bare executemany (SQLite), and the ratio.

Run: `make bench` (SQLite) or `DATABASE_URL=postgres://... make bench`.
It works on its own throwaway database, never on the demo or production data.
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.common import throwaway_database  # noqa: E402
from pilar.core.synthetic import person  # noqa: E402
from pilar.imports.workers import COLUMNS, import_workers  # noqa: E402
from pilar.regions.loading import DEFAULT_SOURCE, load_regions  # noqa: E402
from pilar.regions.models import Region, RegionLevel  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
TKSK_ROWS = min(5_000, ROWS // 20)


def roster() -> list[list[str]]:
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code").values_list("code", flat=True))
    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code").values_list("code", flat=True))
    rows = []
    for number in range(ROWS):
        if number < TKSK_ROWS:
            kind, region = "TKSK", districts[number]
        else:
            kind, region = "PSM", villages[(number * 7) % len(villages)]
        someone = person(number, region[:8])
        rows.append(
            [
                kind,
                someone.nik,
                someone.name,
                someone.sex,
                someone.birth_date.isoformat(),
                region,
                "aktif",
                f"460/{number}/2025",
                "2025-03-01",
                someone.phone,
            ]
        )
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def baseline(rows: list[list[str]]) -> tuple[str, float]:
    column_list = ", ".join(f"{column} text" for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_roster ({column_list})")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY bench_roster ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            label = "COPY"
        else:
            marks = ", ".join("?" for _ in COLUMNS)
            cursor.executemany(f"INSERT INTO bench_roster VALUES ({marks})", rows)
            label = "bare executemany"
    return label, time.perf_counter() - start


def main() -> None:
    with throwaway_database():
        load_regions(DEFAULT_SOURCE)
        rows = roster()
        data = as_csv(rows)
        start = time.perf_counter()
        report = import_workers(data, "bench.csv")
        first = time.perf_counter() - start
        if not (report.written and report.created == ROWS):
            raise SystemExit(f"import failed: {report.errors[:3]}")
        start = time.perf_counter()
        again = import_workers(data, "bench.csv")
        second = time.perf_counter() - start
        assert again.unchanged == ROWS
        label, plain = baseline(rows)
        print(f"database: {connection.vendor}, {ROWS:,} workers ({TKSK_ROWS:,} TKSK)")
        print(f"import (read + validate + write): {first:6.2f} s  {ROWS / first:9,.0f} rows/s")
        print(f"same file again, no change:       {second:6.2f} s  {ROWS / second:9,.0f} rows/s")
        print(f"{label} of the same rows:      {plain:6.2f} s  {ROWS / plain:9,.0f} rows/s")
        print(f"ratio import / {label}: {plain / first:.3f} (1.000 = as fast as the bare write)")


if __name__ == "__main__":
    main()
