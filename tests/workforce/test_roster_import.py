"""The roster import: the Lampung acceptance figures, whole-file refusal, idempotence."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.regions.models import Region
from pilar.workforce.models import Engagement, EngagementEvent, Institution, Worker
from tests.workforce.roster import csv_bytes, worker_row, xlsx_bytes

INSTITUTION_HEADERS = ["jenis", "nama", "kode_wilayah", "nomor_registrasi", "akreditasi"]


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*arguments: str) -> str:
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*arguments, stdout=io.StringIO(), stderr=errors)
    return errors.getvalue()


def lampung_roster() -> tuple[list[list[str]], list[list[str]]]:
    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    districts = list(Region.objects.filter(level=3).order_by("code").values_list("code", flat=True))
    workers = [worker_row(i, kind="PSM", region_code=villages[i % len(villages)]) for i in range(3122)]
    workers += [worker_row(10_000 + i, kind="TKSK", region_code=districts[i]) for i in range(225)]
    institutions = [["KARANG_TARUNA", f"Karang Taruna {code}", code, "", "belum"] for code in villages[:228]] + [
        ["LKS", f"LKS Harapan {i}", districts[i % len(districts)], f"LKS/18/{i:04d}", "B"] for i in range(117)
    ]
    return workers, institutions


@pytest.mark.django_db
def test_lampung_roster_gives_the_official_counts_and_children_add_up(lampung: None, tmp_path: Path) -> None:
    workers, institutions = lampung_roster()
    (tmp_path / "pekerja.csv").write_bytes(csv_bytes(workers))
    (tmp_path / "lembaga.xlsx").write_bytes(xlsx_bytes(institutions, INSTITUTION_HEADERS))

    assert run("import", "workers", str(tmp_path / "pekerja.csv")) == ("3347 baris: 3347 baru, 0 berubah, 0 tetap.\n")
    assert run("import", "institutions", str(tmp_path / "lembaga.xlsx")) == "345 baris: 345 baru, 0 berubah, 0 tetap.\n"
    recap = json.loads(run("recap", "pillars", "--region", "18", "--format", "json"))

    assert recap["region"] == "18"
    assert recap["name"] == "Lampung"
    assert recap["counts"] == {
        "PSM": 3122,
        "TKSK": 225,
        "TAGANA": 0,
        "PEKSOS": 0,
        "PENYULUH": 0,
        "WPKS": 0,
        "KELUARGA_PIONER": 0,
        "KARANG_TARUNA": 228,
        "LKS": 117,
        "LK3": 0,
        "WKSBM": 0,
        "DUNIA_USAHA": 0,
    }
    assert len(recap["children"]) == 15
    for key, total in recap["counts"].items():
        assert sum(child["counts"][key] for child in recap["children"]) == total


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(lampung: None, tmp_path: Path) -> None:
    workers, _institutions = lampung_roster()
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes(workers[:300] + workers[-20:]))
    run("import", "workers", str(path))
    before = (Worker.history.count(), Engagement.history.count(), EngagementEvent.objects.count())

    assert run("import", "workers", str(path)) == "320 baris: 0 baru, 0 berubah, 320 tetap.\n"
    assert (Worker.history.count(), Engagement.history.count(), EngagementEvent.objects.count()) == before


@pytest.mark.django_db
def test_second_active_tksk_for_a_held_kecamatan_imports_nothing_and_names_the_holder(
    lampung: None, tmp_path: Path
) -> None:
    holder = worker_row(20_000, kind="TKSK", region_code="18.01.04")
    (tmp_path / "pertama.csv").write_bytes(csv_bytes([holder]))
    run("import", "workers", str(tmp_path / "pertama.csv"))
    rows = [worker_row(i, kind="PSM", region_code="18.01.04.2001") for i in range(50)]
    rows.append(worker_row(20_001, kind="TKSK", region_code="18.01.04"))
    (tmp_path / "kedua.csv").write_bytes(csv_bytes(rows))

    errors = run_failing("import", "workers", str(tmp_path / "kedua.csv"))

    assert errors.splitlines() == [
        f"{tmp_path / 'kedua.csv'}:52 [kode_wilayah]: Kecamatan 18.01.04 sudah memiliki TKSK aktif: {holder[2]}. "
        "Nonaktifkan dulu TKSK tersebut."
    ]
    assert Engagement.objects.count() == 1


@pytest.mark.django_db
def test_one_bad_row_among_thousands_imports_nothing_and_reports_that_row(lampung: None, tmp_path: Path) -> None:
    workers, _institutions = lampung_roster()
    workers[1999][4] = "31/02/1990"
    (tmp_path / "pekerja.csv").write_bytes(csv_bytes(workers))

    errors = run_failing("import", "workers", str(tmp_path / "pekerja.csv"))

    assert errors.splitlines() == [
        f"{tmp_path / 'pekerja.csv'}:2001 [tanggal_lahir]: 31/02/1990 bukan tanggal: tulis YYYY-MM-DD, DD/MM/YYYY "
        "atau DD-MM-YYYY."
    ]
    assert (Worker.objects.count(), Engagement.objects.count(), Institution.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_numeric_nik_cell_is_refused_with_advice_to_format_as_text(lampung: None, tmp_path: Path) -> None:
    row: list[object] = list(worker_row(1, kind="PSM", region_code="18.01.04.2001"))
    row[1] = float(row[1])  # type: ignore[arg-type]
    (tmp_path / "pekerja.xlsx").write_bytes(xlsx_bytes([row]))

    errors = run_failing("import", "workers", str(tmp_path / "pekerja.xlsx"))

    assert "[nik]: NIK tersimpan sebagai angka" in errors
    assert "Format kolom sebagai Teks" in errors
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_semicolon_csv_with_bom_as_excel_writes_it_is_read(lampung: None, tmp_path: Path) -> None:
    row = worker_row(1, kind="PSM", region_code="18.01.04.2001", status="calon")
    (tmp_path / "excel.csv").write_bytes(csv_bytes([row], excel=True))

    assert run("import", "workers", str(tmp_path / "excel.csv"), "--dry-run") == (
        "Uji coba, tidak ada yang ditulis. 1 baris: 1 baru, 0 berubah, 0 tetap.\n"
    )
    assert Worker.objects.count() == 0
    assert run("import", "workers", str(tmp_path / "excel.csv")) == "1 baris: 1 baru, 0 berubah, 0 tetap.\n"
    assert Engagement.objects.get().status == "calon"


@pytest.mark.django_db
def test_illegal_move_and_psm_rules_are_row_errors(lampung: None, tmp_path: Path) -> None:
    active = worker_row(1, kind="PSM", region_code="18.01.04.2001")
    (tmp_path / "a.csv").write_bytes(csv_bytes([active]))
    run("import", "workers", str(tmp_path / "a.csv"))
    back_to_candidate = [*active[:6], "calon", "", "", active[9]]
    young = worker_row(2, kind="PSM", region_code="18.01.04.2001", decree=("1/2025", "1983-01-01"))
    (tmp_path / "b.csv").write_bytes(csv_bytes([back_to_candidate, young]))

    errors = run_failing("import", "workers", str(tmp_path / "b.csv"))

    assert errors.splitlines()[0].endswith("[status]: Pekerja tidak dapat berpindah dari Aktif ke Calon.")
    assert "[tanggal_sk]: PSM harus berusia minimal 18 tahun pada tanggal SK" in errors.splitlines()[1]
    assert Engagement.objects.get().status == "aktif"
