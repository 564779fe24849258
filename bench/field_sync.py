"""Benchmark: the field download of one village and the sync of a full outbox (issue 17).

Makes, on a throwaway database, a village as the issue sizes it: 150 PPKS people
(synthetic NIKs and names, one or two PPKS types each, with conditions, address and
phone) and 20 open cases with three visits each, all recorded a day ago. Prints:
- the first field download of the village's PSM: JSON bytes, gzipped (goal: at most
  200 KB gzipped), and its time;
- an incremental download after 5 people were corrected and 2 visits recorded;
- the sync of an outbox of 200 items (100 registrations with PPKS types, 50 case
  visits, 50 activities) in batches of 25, as the phone sends it, against the same
  kind of items posted one request each; and the same outbox sent again (a replay
  writes nothing).

Run: `.venv/bin/python bench/field_sync.py` (SQLite), or with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilar` for PostgreSQL.
"""

import datetime
import gzip
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import throwaway_database  # noqa: E402
from pilar.accounts import services as accounts  # noqa: E402
from pilar.beneficiaries import services as registry  # noqa: E402
from pilar.beneficiaries.models import Person, PpksRecord  # noqa: E402
from pilar.beneficiaries.ppks import PPKS_TYPES  # noqa: E402
from pilar.cases import services as cases  # noqa: E402
from pilar.cases.models import Case, CaseEvent  # noqa: E402
from pilar.core.synthetic import person  # noqa: E402
from pilar.core.versions import version_of  # noqa: E402
from pilar.regions.loading import build_region  # noqa: E402
from pilar.regions.models import Region  # noqa: E402

VILLAGE = "18.01.04.2001"
PEOPLE, CASES, VISITS, BATCH = 150, 20, 3, 25
KB = 1024
CONDITIONS = "Tinggal sendiri di rumah semi permanen, penghasilan tidak tetap, butuh pendampingan rutin."
# What a PSM writes of a household, varied so that the download compresses as real notes do.
OBSERVED = [
    "tinggal sendiri",
    "rumah semi permanen",
    "atap bocor",
    "lantai tanah",
    "tidak punya BPJS",
    "penghasilan harian tidak tetap",
    "anak merantau ke Jakarta",
    "sakit menahun (hipertensi)",
    "kursi roda rusak",
    "belum punya KTP-el",
    "menumpang di rumah saudara",
    "makan dua kali sehari",
    "sumur bersama tetangga",
    "tidak bisa membaca",
    "pernah dirawat di puskesmas",
    "butuh alat bantu dengar",
]


def observed(number: int, words: int = 4) -> str:
    picked = [OBSERVED[(number * 7 + step * 5) % len(OBSERVED)] for step in range(words)]
    return f"{picked[0].capitalize()}, {', '.join(picked[1:])}; dicatat {number % 28 + 1} {number % 11 + 1} kali."


VISIT_TEXT = "Kunjungan rumah: kondisi kesehatan dicek, keluarga diajak bicara soal bantuan sembako dan BPJS."


def make_village() -> tuple[Any, list[Case]]:
    for code, name in [
        ("18", "Lampung"),
        ("18.01", "Kabupaten Lampung Selatan"),
        ("18.01.04", "Natar"),
        (VILLAGE, "Hajimena"),
    ]:
        build_region(code=code, name=name).save()
    village = Region.objects.get(code=VILLAGE)
    psm = accounts.create_user(
        username="psm", password="bench-field-2026", full_name="PSM", role="psm", region=village, acting_user=None
    )
    types = sorted(PPKS_TYPES)
    made = []
    for number in range(PEOPLE):
        someone = person(number, "18.01.04")
        categories = [types[number % len(types)]] + ([types[(number + 7) % len(types)]] if number % 3 == 0 else [])
        made.append(
            registry.register_person(
                registry.PersonData(
                    full_name=someone.name,
                    sex=someone.sex,
                    village=village,
                    nik=someone.nik,
                    birth_date=someone.birth_date,
                    birth_place="Natar",
                    address=f"Dusun {number % 6 + 1} RT {number % 12 + 1:02d} RW {number % 4 + 1:02d}",
                    phone=someone.phone,
                ),
                categories=categories,
                conditions=observed(number),
                acting_user=psm,
            )
        )
    opened = []
    for found in made[:CASES]:
        case = cases.open_case(
            person=found,
            summary=f"Perlu pendampingan: {observed(len(opened) + 3, 3)}",
            records=list(found.ppks_records.all()),
            opened_on=timezone.localdate() - datetime.timedelta(days=10),
            acting_user=psm,
        )
        for visit in range(VISITS):
            case = Case.objects.get(pk=case.pk)
            cases.record_visit(
                case,
                expected_version=case.version,
                happened_on=timezone.localdate() - datetime.timedelta(days=9 - visit),
                place="Rumah warga",
                action_taken=f"{VISIT_TEXT} {observed(len(opened) * VISITS + visit, 3)}",
                next_step="Kunjungan ulang minggu depan.",
                acting_user=psm,
            )
        opened.append(Case.objects.get(pk=case.pk))
    # Everything was recorded a day ago: the incremental download starts from there.
    before = timezone.now() - datetime.timedelta(days=1)
    Person.objects.update(updated_at=before)
    PpksRecord.objects.update(reported_at=before, status_changed_at=before)
    CaseEvent.objects.update(at=before)
    Case.objects.update(opened_at=before - datetime.timedelta(days=9))
    return psm, opened


def download(client: Client, token: str = "") -> tuple[dict[str, Any], int, int, float]:
    started = time.perf_counter()
    response = client.get("/api/v1/field/", {"since": token} if token else {})
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content
    return response.json(), len(response.content), len(gzip.compress(response.content, 9)), seconds


def outbox_items(opened: list[Case], label: str) -> list[dict[str, Any]]:
    today = timezone.localdate().isoformat()
    types = sorted(PPKS_TYPES)
    items = []
    for number in range(100):
        data = {
            "full_name": f"Warga {label} {number}",
            "sex": "P" if number % 2 else "L",
            "village": VILLAGE,
            "address": f"Dusun {number % 6 + 1}",
            "categories": [types[number % len(types)]],
            "conditions": CONDITIONS,
        }
        items.append({"key": str(uuid.uuid4()), "kind": "person", "data": data})
    for number in range(50):
        data = {"case": opened[number % len(opened)].pk, "happened_on": today, "text": f"{VISIT_TEXT} ({label})"}
        items.append({"key": str(uuid.uuid4()), "kind": "visit", "data": data})
    for number in range(50):
        data = {
            "kind": "penyuluhan_sosial",
            "title": f"Penyuluhan {label} {number}",
            "held_on": today,
            "region": VILLAGE,
            "men": 5,
            "women": 8,
        }
        items.append({"key": str(uuid.uuid4()), "kind": "activity", "data": data})
    return items


def post(client: Client, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post("/api/v1/field/outbox/", json.dumps({"items": items}), content_type="application/json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert all(result["status"] in (200, 201) for result in results), results
    return results


def main() -> None:
    settings.ALLOWED_HOSTS.append("testserver")
    with throwaway_database():
        psm, opened = make_village()
        client = Client()
        client.force_login(psm)

        download(client)  # the first request of the process loads the URLs, translations...
        first, raw, packed, seconds = download(client)
        assert (len(first["people"]), len(first["cases"])) == (PEOPLE, CASES)
        print(f"village of {PEOPLE} PPKS people and {CASES} open cases ({CASES * VISITS} visits)")
        print(
            f"first (whole) download: {raw / KB:7.1f} KB JSON, {packed / KB:6.1f} KB gzipped"
            f" ({100 * packed / (200 * KB):.0f}% of the 200 KB goal), {seconds * 1000:.0f} ms"
        )
        for found in Person.objects.order_by("pk")[:5]:
            values = {name: getattr(found, name) for name in registry.PersonData.__dataclass_fields__}
            registry.update_person(
                found,
                registry.PersonData(**{**values, "phone": "081299990000"}),
                acting_user=psm,
                expected_version=version_of(found),
            )
        for case in opened[:2]:
            case = Case.objects.get(pk=case.pk)
            cases.record_visit(
                case,
                expected_version=case.version,
                happened_on=timezone.localdate(),
                action_taken=VISIT_TEXT,
                acting_user=psm,
            )
        later, raw, packed, seconds = download(client, first["token"])
        print(
            f"incremental download:   {raw / KB:7.1f} KB JSON, {packed / KB:6.1f} KB gzipped,"
            f" {len(later['people'])} people and {len(later['cases'])} cases, {seconds * 1000:.0f} ms"
        )

        batched = outbox_items(opened, "batch")
        started = time.perf_counter()
        for start in range(0, len(batched), BATCH):
            post(client, batched[start : start + BATCH])
        batch_seconds = time.perf_counter() - started

        single = outbox_items(opened, "single")
        started = time.perf_counter()
        for found in single:
            post(client, [found])
        single_seconds = time.perf_counter() - started

        counted = (Person.objects.count(), CaseEvent.objects.count())
        started = time.perf_counter()
        for start in range(0, len(batched), BATCH):
            replayed = post(client, batched[start : start + BATCH])
            assert all(result["replayed"] for result in replayed)
        replay_seconds = time.perf_counter() - started
        assert (Person.objects.count(), CaseEvent.objects.count()) == counted

        print(f"outbox of 200 items, {len(batched) // BATCH} requests of {BATCH}: {batch_seconds:6.2f} s")
        print(f"the same items, one request each:    {single_seconds:6.2f} s")
        print(f"ratio batched / one by one:          {batch_seconds / single_seconds:6.2f}")
        print(f"the outbox sent again (replayed):    {replay_seconds:6.2f} s, nothing written twice")


if __name__ == "__main__":
    main()
