"""`pilar import people`: whole-file refusal with exact rows and columns, the corrected
file, re-import without change, --skip-invalid, the recap at every level, the upload job."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.beneficiaries.exchange import COLUMNS
from pilar.beneficiaries.models import Household, Person, PpksEvent, PpksRecord, PpksStatus, PpksSummary
from pilar.core.synthetic import person
from pilar.imports.models import Upload, UploadStatus
from tests.workforce.roster import csv_bytes, xlsx_bytes

NATAR = "18.01.04"
VILLAGES = ["18.01.04.2001", "18.01.04.2002", "18.01.05.2001", "18.02.01.2001"]


def row(number: int, village: str, types: str = "PPKS-24", *, card: str = "") -> list[str]:
    someone = person(number, village[:8])
    return [
        someone.nik,
        card,
        someone.name,
        someone.sex,
        "Natar",
        someone.birth_date.strftime("%d/%m/%Y"),
        village,
        "RT 001",
        types,
        someone.phone,
    ]


def good_rows() -> list[list[str]]:
    rows = [row(i, VILLAGES[i % 4], "PPKS-24" if i % 3 else "PPKS-09; Lanjut Usia Telantar") for i in range(12)]
    rows[0][1] = rows[1][1] = "1801040101260001"  # one household in 18.01.04.2001 ... (rows 0 and 4 share village)
    rows[1][1] = ""
    rows[4][1] = "1801040101260001"
    no_nik = row(99, "18.01.04.2001", "Anak Jalanan")
    no_nik[0] = ""
    no_nik[5] = "12/03/2014"  # a street child, as the type requires
    return [*rows, no_nik]


def run(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def state() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Person.history.count(),
        PpksRecord.objects.count(),
        PpksEvent.objects.count(),
        Household.objects.count(),
        PpksSummary.objects.count(),
    )


@pytest.mark.django_db
def test_bad_rows_refuse_the_whole_file_and_name_exactly_those_rows(lampung: object, tmp_path: Path) -> None:
    rows = good_rows()
    rows[2][0] = "1,80104E+15"  # Excel turned the NIK into a number: row 4
    rows[4][5] = "30/02/1990"  # row 6
    rows[6][6] = "18.01.04.9999"  # row 8
    rows[8][8] = "PPKS-24; PPKS-27"  # row 10
    path = write(tmp_path, "pemetaan.csv", csv_bytes(rows, COLUMNS))

    errors = io.StringIO()
    with pytest.raises(CommandError, match=r"Ditemukan 4 masalah; tidak ada yang diimpor\."):
        call_command("import", "people", path, stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue().splitlines() == [
        f"{path}:4 [nik]: Nomor ini tersimpan sebagai angka, sehingga Excel sudah mengubah digit terakhirnya. "
        "Format kolom sebagai Teks lalu ketik ulang nomornya.",
        f"{path}:6 [tanggal_lahir]: 30/02/1990 bukan tanggal: tulis YYYY-MM-DD, DD/MM/YYYY atau DD-MM-YYYY.",
        f"{path}:8 [kode_wilayah]: 18.01.04.9999 bukan kode wilayah dalam daftar resmi.",
        f"{path}:10 [kategori_ppks]: PPKS-27 bukan jenis PPKS: tulis kode PPKS-01 sampai PPKS-26 atau nama resminya.",
    ]
    assert state() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_numeric_nik_cell_in_a_workbook_is_refused(lampung: object, tmp_path: Path) -> None:
    rows: list[list[object]] = [list(value) for value in good_rows()[:2]]
    rows[1][0] = int(rows[1][0])  # type: ignore[arg-type]
    path = write(tmp_path, "pemetaan.xlsx", xlsx_bytes(rows, COLUMNS))

    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "people", path, stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue().startswith(f"{path}:3 [nik]: Nomor ini tersimpan sebagai angka")
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_corrected_file_imports_and_a_second_import_changes_nothing(lampung: object, tmp_path: Path) -> None:
    path = write(tmp_path, "pemetaan.csv", csv_bytes(good_rows(), COLUMNS, excel=True))

    out, _err = run("import", "people", path)
    first = state()
    again, _err = run("import", "people", path)

    assert out.strip() == "13 baris: 13 baru, 0 berubah, 0 tetap. 17 catatan PPKS baru."
    assert again.strip() == "13 baris: 0 baru, 0 berubah, 13 tetap. 0 catatan PPKS baru."
    assert state() == first
    assert first[:5] == (13, 13, 17, 0, 1)
    household = Household.objects.get()
    assert household.family_card == "1801040101260001"
    assert sorted(household.members.values_list("village_id", flat=True)) == ["18.01.04.2001", "18.01.04.2001"]
    no_nik = Person.objects.get(nik=None)
    assert no_nik.ppks_records.get().category == "PPKS-04"
    assert set(PpksRecord.objects.values_list("status", "source")) == {(PpksStatus.REPORTED, "impor")}


@pytest.mark.django_db
def test_history_row_of_an_imported_person_and_household_is_the_row_as_written(lampung: object, tmp_path: Path) -> None:
    path = write(tmp_path, "pemetaan.csv", csv_bytes(good_rows(), COLUMNS))
    run("import", "people", path)

    def as_written(row: object, fields: list[str]) -> dict[str, object]:
        return {field: getattr(row, field) for field in fields}

    person_fields = [
        field.attname for field in Person._meta.concrete_fields if field.name not in {"search_name", "updated_at"}
    ]
    for someone in Person.objects.all():
        (created,) = someone.history.all()
        assert as_written(created, person_fields) == as_written(someone, person_fields)
        assert (created.history_type, created.history_user_id, created.history_date) == ("+", None, someone.created_at)
        assert created.history_change_reason == "Diimpor dari pemetaan.csv"
    household = Household.objects.get()
    (created,) = household.history.all()
    household_fields = [field.attname for field in Household._meta.concrete_fields]
    assert as_written(created, household_fields) == as_written(household, household_fields)
    assert (created.history_type, created.history_date) == ("+", household.created_at)


@pytest.mark.django_db
def test_recap_counts_exactly_what_was_imported_at_every_level(lampung: object, tmp_path: Path) -> None:
    run("import", "people", write(tmp_path, "pemetaan.csv", csv_bytes(good_rows(), COLUMNS)))

    def recap(code: str) -> dict[str, object]:
        out, _err = run("recap", "ppks", "--region", code, "--format", "json")
        return json.loads(out)

    province, regency, district = recap("18"), recap("18.01"), recap(NATAR)

    assert province["total"] == 17
    assert {child["region"]: child["total"] for child in province["children"] if child["total"]} == {
        "18.01": 13,
        "18.02": 4,
    }
    assert regency["total"] == 13
    assert {child["region"]: child["total"] for child in regency["children"] if child["total"]} == {
        "18.01.04": 9,
        "18.01.05": 4,
    }
    assert district["name"] == "Natar"
    assert district["total"] == 9
    assert {code: n for code, n in district["counts"].items() if n} == {
        "PPKS-04": 1,
        "PPKS-08": 2,
        "PPKS-09": 2,
        "PPKS-24": 4,
    }
    assert list(district["counts"]) == [f"PPKS-{number:02d}" for number in range(1, 27)]
    assert {child["region"]: child["total"] for child in district["children"] if child["total"]} == {
        "18.01.04.2001": 5,
        "18.01.04.2002": 4,
    }


@pytest.mark.django_db
def test_skip_invalid_writes_the_valid_rows_and_reports_the_others(lampung: object, tmp_path: Path) -> None:
    rows = good_rows()
    rows[3][3] = "X"
    path = write(tmp_path, "pemetaan.csv", csv_bytes(rows, COLUMNS))

    out, err = run("import", "people", path, "--skip-invalid")

    assert out.strip() == "13 baris: 12 baru, 0 berubah, 0 tetap. 15 catatan PPKS baru."
    assert err.splitlines() == [
        f"{path}:5 [jenis_kelamin]: X bukan jenis kelamin: tulis L atau P.",
        "1 baris tidak valid dilewati.",
    ]
    assert Person.objects.count() == 12


@pytest.mark.django_db
def test_repeats_inside_the_file_name_the_row_they_repeat(lampung: object, tmp_path: Path) -> None:
    rows = good_rows()
    broken = list(rows[5])
    broken[3] = "X"  # invalid: its NIK does not count as seen
    again = list(rows[5])  # row 16 repeats row 8's NIK
    no_nik = list(rows[12])  # row 17 repeats row 15 (no NIK: name, birth date, village)
    elsewhere = row(50, "18.01.05.2001", card="1801040101260001")  # row 18: the card is in 18.01.04.2001 (row 3)
    rows = [broken, *rows, again, no_nik, elsewhere]
    path = write(tmp_path, "pemetaan.csv", csv_bytes(rows, COLUMNS))

    out, err = run("import", "people", path, "--skip-invalid")

    assert err.splitlines() == [
        f"{path}:2 [jenis_kelamin]: X bukan jenis kelamin: tulis L atau P.",
        f"{path}:16 [nik]: NIK yang sama ada di baris 8.",
        f"{path}:17 [nama]: Orang yang sama (nama, tanggal lahir, desa) ada di baris 15.",
        f"{path}:18 [no_kk]: Kartu keluarga 1801040101260001 ada di desa 18.01.04.2001 pada baris 3; "
        "satu keluarga tinggal di satu desa.",
        "4 baris tidak valid dilewati.",
    ]
    assert out.strip() == "17 baris: 13 baru, 0 berubah, 0 tetap. 17 catatan PPKS baru."


@pytest.mark.django_db
def test_changed_row_updates_the_person_and_a_new_village_is_a_move(lampung: object, tmp_path: Path) -> None:
    rows = good_rows()
    run("import", "people", write(tmp_path, "a.csv", csv_bytes(rows, COLUMNS)))
    rows[2][6] = "18.01.04.2002"  # was 18.01.05.2001
    rows[2][9] = ""  # an empty cell erases nothing

    out, _err = run("import", "people", write(tmp_path, "b.csv", csv_bytes(rows, COLUMNS)))

    moved = Person.objects.get(nik=rows[2][0])
    assert out.strip() == "13 baris: 0 baru, 1 berubah, 12 tetap. 0 catatan PPKS baru."
    assert moved.village_id == "18.01.04.2002"
    assert moved.phone == person(2, "18.01.05").phone
    assert moved.moves.get().from_village_id == "18.01.05.2001"
    assert set(moved.ppks_records.values_list("region_id", flat=True)) == {"18.01.04.2002"}
    assert moved.history.count() == 2


@pytest.mark.django_db
def test_upload_is_checked_and_imported_by_the_job(client_for: object, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = client_for("tksk")  # type: ignore[operator]
    data = csv_bytes([row(1, "18.01.04.2001"), row(2, "18.01.04.2002")], COLUMNS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("pemetaan.csv", data, "text/csv")}
        )
    upload = Upload.objects.get()
    checked = (upload.status, upload.progress_done, upload.progress_total, Person.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/psks/impor/{upload.pk}/impor/")
    upload.refresh_from_db()

    assert response.status_code == 302
    assert checked == (UploadStatus.CHECKED, 2, 2, 0)
    assert upload.status == UploadStatus.IMPORTED
    assert (upload.report["created"], upload.report["records"]) == (2, 2)
    assert Person.objects.filter(created_by__username="tksk").count() == 2


@pytest.mark.django_db
def test_upload_outside_the_uploaders_region_imports_nothing(
    client_for: object, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("psm_a")  # type: ignore[operator]
    data = csv_bytes([row(1, "18.01.04.2001"), row(2, "18.01.04.2002")], COLUMNS)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("pemetaan.csv", data, "text/csv")})
    upload = Upload.objects.get()

    assert upload.status == UploadStatus.REJECTED
    assert upload.report["errors"] == [
        {
            "row": 3,
            "column": "kode_wilayah",
            "message": "Desa/kelurahan 18.01.04.2002 berada di luar wilayah Anda.",
        }
    ]
    assert client.post(f"/psks/impor/{upload.pk}/impor/").status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_summaries_can_be_rebuilt_from_the_records(lampung: object, tmp_path: Path) -> None:
    run("import", "people", write(tmp_path, "pemetaan.csv", csv_bytes(good_rows(), COLUMNS)))
    before = sorted(PpksSummary.objects.values_list("district_id", "category", "reported", "total"))
    PpksSummary.objects.all().delete()

    out, _err = run("rebuild_ppks_summaries")

    assert out.strip() == f"{len(before)} baris ringkasan ditulis."
    assert sorted(PpksSummary.objects.values_list("district_id", "category", "reported", "total")) == before


@pytest.mark.django_db
def test_a_failing_job_marks_the_upload_refused_instead_of_running_for_ever(
    client_for, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("pilar.imports.tasks.run_import", broken)
    data = csv_bytes([row(1, "18.01.04.2001")], COLUMNS)

    with django_capture_on_commit_callbacks(execute=True):  # the job backend records the failure
        client_for("tksk").post(
            "/psks/impor/", {"kind": "people", "file": SimpleUploadedFile("pemetaan.csv", data, "text/csv")}
        )

    upload = Upload.objects.get()
    assert upload.status == UploadStatus.REJECTED
    assert upload.report["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "Pekerjaan berhenti karena galat tak terduga; tidak ada yang diimpor. Coba lagi nanti.",
        }
    ]
    assert Person.objects.count() == 0
