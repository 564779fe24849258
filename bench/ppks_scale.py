"""Benchmark: the PPKS registry at 10,000,000 people (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilar_scale .venv/bin/python bench/ppks_scale.py

The database named in DATABASE_URL is a scratch database that this script fills and
keeps (it is created if missing; never point it at real data): all official regions,
then synthetic people imported through `pilar.imports.people` in parts of 1,000,000
(bench/population.py, `--part 0..9`) until BENCH_PEOPLE (default 10,000,000) people
are loaded. A second run finds them and only measures. Then, in one run, it prints
the p95 over BENCH_REPEAT (default 50) requests, in-process through Django's full
stack (middleware, session, scoping, access log, template), after 5 unmeasured ones:
- a province recap (`/api/v1/recap/ppks/?region=PROVINCE`, a different province each time);
- the national recap (`/api/v1/recap/ppks/`);
- a village's list page as that village's PSM (`/ppks/orang/`), and its size gzipped.
Goals of issue 4: 50 ms, 200 ms, 50 ms, 15 KB.
"""

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PILAR_DEBUG", "1")
os.environ.setdefault("PILAR_SECRET_KEY", "bench-only-not-secret")

import django
import psycopg
from django.conf import settings

database = settings.DATABASES["default"]
if database["ENGINE"] != "django.db.backends.postgresql":
    raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database.")
with psycopg.connect(
    host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"], dbname="postgres", autocommit=True
) as admin:
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]).fetchone():
        admin.execute(f'CREATE DATABASE "{database["NAME"]}"')

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench.population import generate  # noqa: E402
from pilar.accounts.models import RoleAssignment, User  # noqa: E402
from pilar.accounts.roles import Role  # noqa: E402
from pilar.beneficiaries.models import Person  # noqa: E402
from pilar.imports.people import import_people  # noqa: E402
from pilar.regions.models import Region, RegionLevel  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000000"))
PART = 1_000_000
REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))
WARM_UP = 5


def load() -> None:
    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        call_command("load_regions", verbosity=0)
    loaded = Person.objects.count()
    part = loaded // PART
    while loaded < PEOPLE:
        size = min(PART, PEOPLE - loaded)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / f"part{part}.csv"
            generate(path, size, seed=7, part=part)
            start = time.perf_counter()
            # A synthetic row may meet a person of an earlier part (no NIK, same name,
            # birth date and village); such rows are skipped and counted, not fatal.
            report = import_people(path.read_bytes(), path.name, acting_user=None, dry_run=False, skip_invalid=True)
            took = time.perf_counter() - start
        if not report.written:
            raise SystemExit(f"part {part} failed: {report.errors[:3]}")
        loaded = Person.objects.count()
        print(
            f"part {part}: {report.created:,} new people in {took:.1f} s ({len(report.errors)} rows skipped); "
            f"{loaded:,} loaded",
            flush=True,
        )
        part += 1


def user(name: str, role: str, region: str | None) -> User:
    account, _created = User.objects.get_or_create(username=name)
    RoleAssignment.objects.get_or_create(user=account, role=role, region_id=region)
    return account


def p95(client: Client, paths: list[str]) -> tuple[float, float, bytes]:
    """(p95 ms, median ms, last body) over REPEAT requests, after WARM_UP unmeasured ones."""
    for path in paths[:WARM_UP] * (WARM_UP // len(paths[:WARM_UP]) or 1):
        client.get(path)
    timings = []
    body = b""
    for index in range(REPEAT):
        path = paths[index % len(paths)]
        start = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content
    return statistics.quantiles(timings, n=20)[18] * 1000, statistics.median(timings) * 1000, body


def main() -> None:
    settings.ALLOWED_HOSTS.append("testserver")  # the in-process client's host name
    load()
    people = Person.objects.count()
    provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True))
    village = Person.objects.filter(village__code__startswith="18.01.04.").values_list("village_id", flat=True).first()
    national = Client()
    national.force_login(user("bench.pusat", Role.PUSAT, None))
    psm = Client()
    psm.force_login(user(f"bench.psm.{village}", Role.PSM, village))
    province_ms, province_median, _body = p95(national, [f"/api/v1/recap/ppks/?region={code}" for code in provinces])
    national_ms, national_median, _body = p95(national, ["/api/v1/recap/ppks/"])
    village_ms, village_median, page = p95(psm, ["/ppks/orang/"])
    in_village = Person.objects.filter(village_id=village).count()
    print(f"people loaded: {people:,} (PostgreSQL); {REPEAT} requests each, in-process through Django")
    print(f"province recap p95:  {province_ms:7.1f} ms  (median {province_median:.1f} ms; goal 50 ms)")
    print(f"national recap p95:  {national_ms:7.1f} ms  (median {national_median:.1f} ms; goal 200 ms)")
    print(
        f"village list p95:    {village_ms:7.1f} ms  (median {village_median:.1f} ms; goal 50 ms; "
        f"{village}, {in_village} people)"
    )
    zipped = len(gzip.compress(page)) / 1024
    print(f"village list page:   {len(page) / 1024:7.1f} KB, {zipped:.1f} KB gzipped (goal 15 KB)")


if __name__ == "__main__":
    main()
