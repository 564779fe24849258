"""Printed recaps keep every column: wide tables go landscape, and those wider than a
landscape page print in parts that repeat the region; titles are words, not keys, the
total line is "Jumlah", figures are written the Indonesian way, and the office's
letterhead heads the page."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pilar.activities.models import Letterhead
from pilar.beneficiaries.models import Person
from pilar.beneficiaries.ppks import PPKS_TYPES
from pilar.regions.models import Region
from pilar.workforce.kinds import InstitutionKind, WorkerKind, WorkerStatus
from pilar.workforce.models import Assignment, Engagement, Institution, Worker
from tests.cases.conftest import register

HAJIMENA, SIDOSARI, JATI_BARU = "18.01.04.2001", "18.01.04.2002", "18.01.05.2001"


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def landscape(content: bytes) -> list[bool]:
    return [page.mediabox.width > page.mediabox.height for page in PdfReader(io.BytesIO(content)).pages]


def add_workers(kind: str, village: str, count: int) -> None:
    region = Region.objects.get(code=village if kind == WorkerKind.PSM else village[:8])
    start = Worker.objects.count()
    for number in range(start, start + count):
        worker = Worker.objects.create(
            nik=f"180104{number:010d}",
            full_name=f"Pekerja {number}",
            sex="L",
            birth_date=datetime.date(1980, 1, 1),
            home_village_id=village,
        )
        engagement = Engagement.objects.create(
            worker=worker, kind=kind, region=region, status=WorkerStatus.ACTIVE, status_changed_at=timezone.now()
        )
        if kind == WorkerKind.TKSK:  # a TKSK counts while assigned
            year = timezone.localdate().year
            Assignment.objects.create(
                engagement=engagement,
                region=region,
                budget_year=year,
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 12, 31),
            )


WORKERS = {"PSM": 3, "TKSK": 1, "TAGANA": 2, "PEKSOS": 4, "PENYULUH": 5, "WPKS": 6, "KELUARGA_PIONER": 7}
INSTITUTIONS = {"LKS": 12, "LK3": 13, "WKSBM": 14, "DUNIA_USAHA": 1234}


@pytest.fixture
def pillars(regions: None) -> None:
    """Natar: workers of every kind in Hajimena and institutions of every kind in
    Sidosari (its one Karang Taruna); Tanjung Bintang: one PSM and its TKSK."""
    for kind, count in WORKERS.items():
        add_workers(kind, HAJIMENA, count)
    add_workers(WorkerKind.PSM, JATI_BARU, 1)
    add_workers(WorkerKind.TKSK, JATI_BARU, 1)
    Institution.objects.create(
        kind=InstitutionKind.KARANG_TARUNA, name="KT Sidosari", region_id=SIDOSARI, status="aktif"
    )
    Institution.objects.bulk_create(
        Institution(kind=kind, name=f"{kind} {index}", search_name="", region_id=SIDOSARI, status="aktif")
        for kind, count in INSTITUTIONS.items()
        for index in range(count)
    )


@pytest.mark.django_db
def test_the_pillar_recap_prints_every_kind_with_its_name_and_the_total(client_for, pillars) -> None:  # type: ignore[no-untyped-def]
    response = client_for("operator_regency").get("/rekap/pilar/unduh.pdf")

    [page] = pdf_pages(response.content)
    assert landscape(response.content) == [True]
    assert "PEMERINTAH KABUPATEN LAMPUNG SELATAN DINAS SOSIAL" in page
    assert "Rekap pilar: Kabupaten Lampung Selatan" in page
    assert (
        "Kode wilayah Wilayah PSM TKSK Tagana Pekerja Sosial Profesional Penyuluh Sosial WPKS Keluarga Pioner "
        "Karang Taruna LKS LK3 WKSBM Dunia Usaha"
    ) in page
    assert "18.01.04 Natar 3 1 2 4 5 6 7 1 12 13 14 1.234" in page
    assert "18.01.05 Tanjung Bintang 1 1 0 0 0 0 0 0 0 0 0 0" in page
    assert "18.01 Jumlah 4 2 2 4 5 6 7 1 12 13 14 1.234" in page
    assert "KELUARGA_PIONER" not in page
    assert "kode_wilayah" not in page


@pytest.mark.django_db
def test_the_ppks_recap_prints_all_26_types_in_two_landscape_parts(client_for, regions) -> None:  # type: ignore[no-untyped-def]
    for code in PPKS_TYPES:
        register(f"Orang {code}", HAJIMENA, category=code)
    for number in range(3):
        register(f"Orang Sidosari {number}", SIDOSARI, category="PPKS-26")
    Letterhead.objects.create(
        region_id="18.01", government="PEMERINTAH KABUPATEN LAMPUNG SELATAN", office="DINAS SOSIAL", phone="0727-322"
    )

    response = client_for("tksk").get("/rekap/ppks/unduh.pdf")

    text = " ".join(pdf_pages(response.content))
    assert set(landscape(response.content)) == {True}
    assert re.search(r"PEMERINTAH KABUPATEN LAMPUNG SELATAN DINAS SOSIAL ?Telepon 0727-322 Rekap PPKS: Natar", text)
    assert "Bagian 1 dari 2" in text
    assert "Bagian 2 dari 2" in text
    for ppks in PPKS_TYPES.values():
        assert ppks.name in text.replace("/ ", "/"), ppks.name  # a title may wrap after a slash
    first, second = "1 " * 13, "1 " * 12
    assert f"18.01.04.2001 Hajimena 26 {first}".strip() in text
    assert f"18.01.04.2002 Sidosari 3 {'0 ' * 13}".strip() in text
    assert f"18.01.04 Jumlah 29 {first}".strip() in text
    assert f"18.01.04.2001 Hajimena 26 {second}1" in text
    assert f"18.01.04.2002 Sidosari 3 {'0 ' * 12}3" in text
    assert f"18.01.04 Jumlah 29 {second}4" in text
    assert Person.objects.count() == 29


@pytest.mark.django_db
def test_coverage_and_the_case_recap_print_every_column_in_indonesian(client_for, pillars) -> None:  # type: ignore[no-untyped-def]
    client = client_for("operator_regency")

    coverage = " ".join(pdf_pages(client.get("/rekap/cakupan/unduh.pdf").content))
    cases = " ".join(pdf_pages(client.get("/rekap/kasus/unduh.pdf").content))
    without = client.get("/rekap/cakupan/unduh.pdf?list=psm")

    assert (
        "Kode wilayah Wilayah Desa Desa dengan PSM % PSM Kecamatan Kecamatan dengan TKSK % TKSK "
        "Desa dengan Karang Taruna % Karang Taruna"
    ) in coverage
    assert "18.01.04 Natar 2 1 50,0 1 1 100,0 1 50,0" in coverage
    assert "18.01.05 Tanjung Bintang 1 1 100,0 1 1 100,0 0 0,0" in coverage
    assert "18.01 Jumlah 3 2 66,7 2 2 100,0 1 33,3" in coverage
    assert "Kode wilayah Wilayah Terbuka Terlambat Ditutup Eskalasi Rujukan Median hari sampai ditutup" in cases
    assert "18.01 Jumlah 0 0 0 0 0" in cases
    assert landscape(without.content) == [False]
    assert re.search(r"Kode wilayah Wilayah 18\.01\.04\.2002 Sidosari", " ".join(pdf_pages(without.content)))


@pytest.mark.django_db
def test_the_national_recap_carries_the_ministry_letterhead_and_english_when_chosen(client_for, pillars) -> None:  # type: ignore[no-untyped-def]
    client = client_for("pusat")
    client.cookies["django_language"] = "en"

    page = " ".join(pdf_pages(client.get("/rekap/pilar/unduh.pdf").content))

    assert "REPUBLIK INDONESIA KEMENTERIAN SOSIAL" in page
    assert "Region code Region PSM TKSK" in page
    assert "18 Lampung 4 2 2 4 5 6 7 1 12 13 14 1,234" in page
    assert "Total 4 2 2 4 5 6 7 1 12 13 14 1,234" in page
