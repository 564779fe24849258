"""An import never reaches a record outside the importer's area.

Each file below matches registered people, workers or institutions of a sibling
village, kecamatan, regency or province (by NIK, registration number or family card)
while naming the importer's own region: every such row is refused with a message that
says nothing of the other record, and every column and history row of the registry
is the same afterwards. CSV files take the COPY path on PostgreSQL; XLSX files take
the row checker on both databases.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.accounts.models import User
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.exchange import COLUMNS as PEOPLE_COLUMNS
from pilar.beneficiaries.models import Person
from pilar.core.synthetic import person as synthetic
from pilar.imports.institutions import COLUMNS as INSTITUTION_COLUMNS
from pilar.imports.models import Upload, UploadStatus
from pilar.imports.people import import_people
from pilar.imports.registry import run_import
from pilar.imports.workers import COLUMNS as WORKER_COLUMNS
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.institutions import register_institution
from pilar.workforce.kinds import InstitutionKind, WorkerKind
from pilar.workforce.models import Worker
from tests.personas import PLACES
from tests.workforce.roster import csv_bytes, xlsx_bytes

# (importer, the place one step outside their area, their own village)
PEOPLE_CASES = [
    ("psm_a", "village_b", "18.01.04.2001"),
    ("tksk", "sibling_district", "18.01.04.2001"),
    ("operator_regency", "sibling_regency", "18.01.04.2001"),
    ("operator_province", "other_province", "18.01.04.2001"),
]
OUTSIDE_PERSON = (
    "Baris ini cocok dengan orang yang terdaftar di luar wilayah Anda, sehingga tidak dapat diimpor di sini. "
    "Mintalah Dinas Sosial memindahkan orang tersebut ke wilayah Anda."
)
OUTSIDE_WORKER = (
    "NIK ini milik pekerja yang terdaftar di luar wilayah Anda, sehingga baris ini tidak dapat diimpor di sini. "
    "Mintalah Dinas Sosial yang membawahi kedua wilayah memindahkan pekerja tersebut."
)
OUTSIDE_INSTITUTION = (
    "Nomor registrasi ini milik lembaga yang terdaftar di luar wilayah Anda, sehingga baris ini tidak dapat "
    "diimpor di sini."
)
REGISTRY_APPS = ("beneficiaries", "workforce", "activities", "cases")


def registry_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every column of every row of the registries and their history tables."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for label in REGISTRY_APPS
        for model in apps.get_app_config(label).get_models()
    }


def outsider(place: str) -> Person:
    """A registered PPKS person of `place`, with NIK and family card."""
    code = PLACES[place]
    someone = synthetic(7, code[:8])
    return registry.register_person(
        registry.PersonData(
            full_name="Orang Luar",
            sex=someone.sex,
            nik=someone.nik,
            family_card=code.replace(".", "")[:6] + "0101260099",
            village=Region.objects.get(code=code),
            birth_date=someone.birth_date,
            birth_place="Kota Asal",
            address="Alamat asal",
        ),
        categories=["PPKS-09"],
        acting_user=None,
    )


def people_row(nik: str, village: str, *, card: str = "", name: str = "Nama Baru") -> list[str]:
    someone = Person.objects.filter(nik=nik).first()
    sex = someone.sex if someone else "P"
    birth = someone.birth_date if someone else datetime.date(1970, 1, 1)
    return [nik, card, name, sex, "Hajimena", birth.strftime("%d/%m/%Y"), village, "Alamat baru", "PPKS-08", ""]


def encode(rows: list[list[str]], columns: list[str], form: str) -> tuple[bytes, str]:
    if form == "csv":
        return csv_bytes(rows, columns), "berkas.csv"
    return xlsx_bytes(rows, columns), "berkas.xlsx"


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(("importer", "place", "own_village"), PEOPLE_CASES)
def test_people_import_refuses_a_person_of_another_area_and_changes_nothing(
    people: dict[str, User], importer: str, place: str, own_village: str, form: str
) -> None:
    other = outsider(place)
    before = registry_snapshot()
    data, name = encode([people_row(other.nik, own_village)], PEOPLE_COLUMNS, form)

    for dry_run in (True, False):
        report = import_people(data, name, acting_user=people[importer], dry_run=dry_run)
        assert [error.as_dict() for error in report.errors] == [{"row": 2, "column": "nik", "message": OUTSIDE_PERSON}]
        assert not report.written
    report = import_people(data, name, acting_user=people[importer], dry_run=False, skip_invalid=True)

    assert [error.row for error in report.errors] == [2]
    assert (report.created, report.updated, report.records) == (0, 0, 0)
    assert registry_snapshot() == before
    assert "Orang Luar" not in str([error.message for error in report.errors])


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_skipping_invalid_rows_writes_the_own_rows_and_leaves_every_outsider_untouched(
    people: dict[str, User], form: str
) -> None:
    others = [outsider(place) for place in ("village_b", "sibling_district", "sibling_regency", "other_province")]
    outside_ids = [other.pk for other in others]

    def outside_state() -> tuple[Any, ...]:
        return (
            list(Person.objects.filter(pk__in=outside_ids).order_by("pk").values_list()),
            list(Person.history.filter(id__in=outside_ids).order_by("history_id").values_list()),
            list(apps.get_model("beneficiaries", "PpksRecord").objects.filter(person_id__in=outside_ids).values_list()),
            list(apps.get_model("beneficiaries", "Move").objects.values_list()),
        )

    before = outside_state()
    own = synthetic(3, "18.01.04")
    rows = [people_row(other.nik, "18.01.04.2001") for other in others]
    rows.append(
        [own.nik, "", own.name, own.sex, "", own.birth_date.strftime("%d/%m/%Y"), "18.01.04.2001", "", "PPKS-08", ""]
    )
    data, name = encode(rows, PEOPLE_COLUMNS, form)

    report = import_people(data, name, acting_user=people["psm_a"], dry_run=False, skip_invalid=True)

    assert [(error.row, error.message) for error in report.errors] == [(row, OUTSIDE_PERSON) for row in (2, 3, 4, 5)]
    assert (report.created, report.updated, report.records, report.written) == (1, 0, 1, True)
    assert outside_state() == before
    assert Person.objects.get(nik=own.nik).village_id == "18.01.04.2001"


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_family_card_of_another_province_is_refused_without_naming_its_village(
    people: dict[str, User], form: str
) -> None:
    other = outsider("other_province")
    before = registry_snapshot()
    own = synthetic(4, "18.01.04")
    row = [own.nik, other.family_card, own.name, own.sex, "", own.birth_date.strftime("%d/%m/%Y"), "18.01.04.2001"]
    data, name = encode([[*row, "", "PPKS-08", ""]], PEOPLE_COLUMNS, form)

    report = import_people(data, name, acting_user=people["psm_a"], dry_run=False)

    assert [error.as_dict() for error in report.errors] == [
        {
            "row": 2,
            "column": "no_kk",
            "message": f"Nomor KK {other.family_card} milik keluarga yang terdaftar di luar wilayah Anda; "
            "mintalah Dinas Sosial memindahkan keluarga tersebut.",
        }
    ]
    assert registry_snapshot() == before


def outside_worker(place: str) -> Worker:
    code = PLACES[place]
    someone = synthetic(11, code[:8])
    engagement = workforce.register_worker(
        nik=someone.nik,
        full_name="Pekerja Luar",
        sex=someone.sex,
        birth_date=someone.birth_date,
        home_village=Region.objects.get(code=code),
        kind=WorkerKind.PSM,
        region=Region.objects.get(code=code),
        acting_user=None,
        phone="081200000001",
    )
    return engagement.worker


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("importer", "place"),
    [
        ("operator_regency", "sibling_regency"),
        ("operator_regency", "other_province"),
        ("operator_province", "other_province"),
    ],
)
def test_workers_import_refuses_a_worker_of_another_area_and_changes_nothing(
    people: dict[str, User], importer: str, place: str, form: str
) -> None:
    worker = outside_worker(place)
    before = registry_snapshot()
    rows = [
        [kind, worker.nik, "Nama Lain", worker.sex, worker.birth_date.isoformat(), region, "calon", "", "", "0899"]
        for kind, region in ((WorkerKind.PSM, "18.01.04.2001"), (WorkerKind.TKSK, "18.01.04"))
    ]
    data, name = encode(rows, WORKER_COLUMNS, form)

    for dry_run in (True, False):
        report = run_import("workers", data, name, acting_user=people[importer], dry_run=dry_run)
        assert [error.as_dict() for error in report.errors] == [
            {"row": 2, "column": "nik", "message": OUTSIDE_WORKER},
            {"row": 3, "column": "nik", "message": OUTSIDE_WORKER},
        ]
    assert registry_snapshot() == before


@pytest.mark.django_db
def test_workers_import_still_updates_a_worker_of_the_importers_own_area(people: dict[str, User]) -> None:
    worker = outside_worker("village_a")
    row = [WorkerKind.PSM, worker.nik, "Nama Baru", worker.sex, worker.birth_date.isoformat(), "18.01.04.2001"]

    report = run_import(
        "workers",
        csv_bytes([[*row, "calon", "", "", ""]]),
        "roster.csv",
        acting_user=people["operator_regency"],
        dry_run=False,
    )

    assert report.errors == []
    assert Worker.objects.get(pk=worker.pk).full_name == "Nama Baru"


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("importer", "place"), [("operator_regency", "sibling_regency"), ("operator_province", "other_province")]
)
def test_institutions_import_refuses_an_institution_of_another_area_and_changes_nothing(
    people: dict[str, User], importer: str, place: str, form: str
) -> None:
    register_institution(
        kind=InstitutionKind.LKS,
        name="LKS Luar",
        region=Region.objects.get(code=PLACES[place][:8]),
        acting_user=None,
        registration_number="LKS/LUAR/001",
        phone="0700",
    )
    before = registry_snapshot()
    rows = [
        [InstitutionKind.LKS, "LKS Diganti", "18.01.04", "LKS/LUAR/001", "A", "Ketua Baru", "9", "0899", "Jl. Baru"]
    ]
    data, name = encode(rows, INSTITUTION_COLUMNS, form)

    for dry_run in (True, False):
        report = run_import("institutions", data, name, acting_user=people[importer], dry_run=dry_run)
        assert [error.as_dict() for error in report.errors] == [
            {"row": 2, "column": "nomor_registrasi", "message": OUTSIDE_INSTITUTION}
        ]
    assert registry_snapshot() == before


@pytest.mark.django_db
def test_the_hajimena_psm_replaying_a_bengkulu_nik_is_refused_on_the_upload_page_and_by_the_command(
    people: dict[str, User], client_for: Any, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    other = outsider("other_province")
    before = registry_snapshot()
    data = csv_bytes([people_row(other.nik, "18.01.04.2001")], PEOPLE_COLUMNS)
    client = client_for("psm_a")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("satu.csv", data, "text/csv")})
    upload = Upload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/psks/impor/{upload.pk}/impor/")
    upload.refresh_from_db()
    path = tmp_path / "satu.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="1 masalah"):
        call_command("import", "people", str(path), "--as", "psm_a", stdout=io.StringIO(), stderr=io.StringIO())

    assert upload.status == UploadStatus.REJECTED
    assert upload.report["errors"] == [{"row": 2, "column": "nik", "message": OUTSIDE_PERSON}]
    assert registry_snapshot() == before
    assert client.get(f"/ppks/orang/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_import_command_refuses_an_unknown_or_inactive_user(people: dict[str, User], tmp_path: Path) -> None:
    path = tmp_path / "satu.csv"
    path.write_bytes(csv_bytes([], PEOPLE_COLUMNS))
    User.objects.filter(username="psm_b").update(is_active=False)

    for username in ("nobody", "psm_b"):
        with pytest.raises(CommandError, match=f"Tidak ada pengguna aktif {username}."):
            call_command("import", "people", str(path), "--as", username, stdout=io.StringIO())
