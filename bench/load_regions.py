"""Benchmark: loading the official region list (91,599 areas).

Prints, in one run on the configured database:
- the full load through `load_regions` (validation included), in seconds and rows/s;
- a no-change reload (the daily case: a new source with nothing new);
- on PostgreSQL, the ratio to a plain COPY of the same rows into the same table;
  on SQLite, the ratio to a bare executemany of the same rows (SQLite has no COPY).

Run: `make bench` (SQLite) or `DATABASE_URL=postgres://... make bench`.
It works on its own throwaway database (created and dropped by Django's test runner
machinery), never on the demo or production data.
"""

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
from pilar.regions.loading import DEFAULT_SOURCE, INSERT_COLUMNS, load_regions, read_source, region_rows  # noqa: E402
from pilar.regions.models import Region  # noqa: E402


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Region._meta.db_table}")


def baseline() -> tuple[str, float]:
    """The same rows written by the fastest plain means of the database."""
    rows = region_rows(read_source(DEFAULT_SOURCE))
    table = Region._meta.db_table
    columns = ", ".join(INSERT_COLUMNS)
    clear()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            label = "COPY"
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            label = "bare executemany"
    return label, time.perf_counter() - start


def main() -> None:
    with throwaway_database():
        total = 91_599
        full = timed(lambda: load_regions(DEFAULT_SOURCE))
        again = timed(lambda: load_regions(DEFAULT_SOURCE))
        label, plain = baseline()
        print(f"database: {connection.vendor}")
        print(f"full load (validate + insert): {full:6.2f} s  {total / full:9,.0f} rows/s")
        print(f"reload, no change:             {again:6.2f} s")
        print(f"{label} of the same rows: {plain:6.2f} s  {total / plain:9,.0f} rows/s")
        print(f"ratio load_regions / {label}: {plain / full:.2f} (1.00 = as fast as the bare write)")


if __name__ == "__main__":
    main()
