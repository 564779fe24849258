"""Benchmark: a province-sized PPKS people list written by the background export job.

Imports a synthetic population (bench/population.py) into a throwaway database, then
prints, in one run:
- the export job (`pilar.exports.services.build_export`) for a ministry user (the
  whole nation, NIKs masked) writing the people list as CSV: seconds and rows/s;
- the same rows written by the database alone: `COPY (SELECT ...) TO STDOUT` of the
  people, their village name and their PPKS types, into a file;
- the ratio of the two times (1.0 = the job is as fast as the bare COPY);
- the access log of that export (one AccessedRecord per person, UU PDP): the time
  `pilar.audit.access.record_access` takes for the export's ids, against one raw
  `INSERT ... SELECT` of the same rows, and its share of the job's time.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilar .venv/bin/python bench/export_people.py`
(`BENCH_PEOPLE=200000` for a shorter run). PostgreSQL only (the baseline is COPY).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402

from bench.common import throwaway_database  # noqa: E402
from bench.population import generate  # noqa: E402
from pilar.accounts import services as accounts  # noqa: E402
from pilar.accounts.roles import Role  # noqa: E402
from pilar.audit.access import record_access  # noqa: E402
from pilar.audit.models import AccessAction, AccessedRecord  # noqa: E402
from pilar.beneficiaries.models import Person  # noqa: E402
from pilar.exports import services  # noqa: E402
from pilar.exports.models import Export, ExportStatus  # noqa: E402
from pilar.imports.people import import_people  # noqa: E402
from pilar.regions.loading import DEFAULT_SOURCE, load_regions  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))

BASELINE = """
COPY (
    SELECT p.nik, p.family_card, p.full_name, p.sex, p.birth_place, p.birth_date, p.village_id, r.name,
           p.address,
           (SELECT string_agg(k.category, ';' ORDER BY k.id) FROM beneficiaries_ppksrecord k WHERE k.person_id = p.id),
           p.phone
    FROM beneficiaries_person p JOIN regions_region r ON r.code = p.village_id
    WHERE p.merged_into_id IS NULL
    ORDER BY p.village_id, p.search_name, p.id
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


RAW_ACCESS_LOG = """
INSERT INTO audit_accessedrecord (entry_id, record_type, record_id, region, at)
SELECT %s, 'beneficiaries.Person', p.id, p.village_id, now()
FROM beneficiaries_person p WHERE p.merged_into_id IS NULL
"""


def access_log_costs(user: object, entry_id: int) -> tuple[float, float, int]:
    """Seconds of record_access for every exported person's id, seconds of the same
    rows in one INSERT ... SELECT, and how many rows each wrote."""
    ids = list(Person.objects.current().values_list("pk", flat=True))
    start = time.perf_counter()
    record_access(user=user, action=AccessAction.EXPORT, model=Person, ids=ids, path="/bench/")
    logged = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RAW_ACCESS_LOG, [entry_id])
    raw = time.perf_counter() - start
    return logged, raw, len(ids)


def baseline(path: Path) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(BASELINE) as copy, path.open("wb") as target:
        for block in copy:
            target.write(block)
    return time.perf_counter() - start


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark compares with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL server.")
    with throwaway_database():
        load_regions(DEFAULT_SOURCE)
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "people.csv"
            generate(source, PEOPLE, seed=1)
            report = import_people(source.read_bytes(), source.name, acting_user=None, dry_run=False)
            if not (report.written and report.created == PEOPLE):
                raise SystemExit(f"import failed: {report.errors[:3]}")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            user = accounts.create_user(
                username="kemensos.bench",
                password="bench-password-2026",
                full_name="Bench",
                role=Role.PUSAT,
                region=None,
                acting_user=None,
            )
            export = Export.objects.create(kind="people", file_format="csv", requested_by=user)
            start = time.perf_counter()
            services.build_export.call(export.pk)
            job = time.perf_counter() - start
            export.refresh_from_db()
            if export.status != ExportStatus.READY or export.row_count != PEOPLE:
                raise SystemExit(f"export failed: {export.status}, {export.row_count} rows")
            size = export.file.size
            in_job = AccessedRecord.objects.filter(record_type="beneficiaries.Person").count()
            if in_job != PEOPLE:
                raise SystemExit(f"the export logged {in_job} people, not {PEOPLE}")
            first_entry = AccessedRecord.objects.values_list("entry_id", flat=True).first()
            logged, raw, logged_rows = access_log_costs(user, first_entry)
            export.file.delete(save=False)
            copy_path = Path(scratch) / "copy.csv"
            plain = baseline(copy_path)
            copy_rows = sum(1 for _line in copy_path.open(encoding="utf-8")) - 1
        print(f"database: {connection.vendor}; {PEOPLE:,} people, {report.records:,} PPKS records")
        print(f"export job (CSV, national, NIK masked): {job:7.2f} s {PEOPLE / job:10,.0f} rows/s, {size / 1e6:.0f} MB")
        print(f"COPY (SELECT ...) TO STDOUT:            {plain:7.2f} s {copy_rows / plain:10,.0f} rows/s")
        print(f"ratio COPY time / job time: {plain / job:.3f}")
        print(f"access log of the export ({logged_rows:,} people, one row each): {logged:6.2f} s")
        print(f"the same rows in one INSERT ... SELECT:              {raw:6.2f} s")
        print(f"ratio raw time / record_access time: {raw / logged:.3f}; share of the job's time: {logged / job:.1%}")


if __name__ == "__main__":
    main()
