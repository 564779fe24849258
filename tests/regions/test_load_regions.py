import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pilar.regions.loading import DEFAULT_SOURCE, load_regions
from pilar.regions.models import Region, RegionKind

pytestmark = pytest.mark.django_db


def run_load(source: Path) -> str:
    out = StringIO()
    call_command("load_regions", "--source", str(source), stdout=out)
    return out.getvalue()


@pytest.fixture
def small_source(tmp_path: Path) -> Path:
    """A four-file source with two provinces and a handful of areas below them."""
    files = {
        "provinces.csv": "code,name\n18,Lampung\n17,Bengkulu\n",
        "regencies.csv": "code,province_code,name\n18.01,18,Kabupaten Lampung Selatan\n18.71,18,Kota Bandar Lampung\n"
        "17.01,17,Kabupaten Bengkulu Selatan\n",
        "districts.csv": "code,regency_code,name\n18.01.04,18.01,Natar\n17.01.01,17.01,Kedurang\n",
        "villages.csv": "code,district_code,name\n18.01.04.2001,18.01.04,Hajimena\n"
        "18.01.04.1002,18.01.04,Kelurahan Contoh\n17.01.01.2001,17.01.01,Air Sulau\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def snapshot() -> list[tuple[str, str, str | None, bool]]:
    return list(Region.objects.order_by("code").values_list("code", "name", "parent_id", "is_active"))


def test_small_source_loads_every_area_with_its_kind_and_parent(small_source: Path) -> None:
    output = run_load(small_source)

    assert output.splitlines()[0] == (
        "Wilayah diperbarui: 10 baru, 0 berganti nama, 0 berpindah induk, 0 dinonaktifkan, 0 diaktifkan kembali."
    )
    assert snapshot() == [
        ("17", "Bengkulu", None, True),
        ("17.01", "Kabupaten Bengkulu Selatan", "17", True),
        ("17.01.01", "Kedurang", "17.01", True),
        ("17.01.01.2001", "Air Sulau", "17.01.01", True),
        ("18", "Lampung", None, True),
        ("18.01", "Kabupaten Lampung Selatan", "18", True),
        ("18.01.04", "Natar", "18.01", True),
        ("18.01.04.1002", "Kelurahan Contoh", "18.01.04", True),
        ("18.01.04.2001", "Hajimena", "18.01.04", True),
        ("18.71", "Kota Bandar Lampung", "18", True),
    ]
    kinds = dict(Region.objects.values_list("code", "kind"))
    assert kinds["18.01"] == RegionKind.REGENCY
    assert kinds["18.71"] == RegionKind.CITY
    assert kinds["18.01.04.2001"] == RegionKind.VILLAGE
    assert kinds["18.01.04.1002"] == RegionKind.URBAN_VILLAGE


def test_second_run_changes_nothing_and_says_so(small_source: Path) -> None:
    run_load(small_source)
    before = snapshot()

    output = run_load(small_source)

    assert output.splitlines()[0] == "Tidak ada perubahan: data wilayah sudah sesuai dengan sumber."
    assert snapshot() == before


def test_renamed_area_is_updated_and_missing_code_is_deactivated_not_deleted(small_source: Path) -> None:
    run_load(small_source)
    villages = small_source / "villages.csv"
    villages.write_text(
        "code,district_code,name\n18.01.04.2001,18.01.04,Hajimena Baru\n17.01.01.2001,17.01.01,Air Sulau\n",
        encoding="utf-8",
    )

    report = load_regions(small_source)

    assert (report.created, report.renamed, report.deactivated) == (0, 1, 1)
    assert Region.objects.get(code="18.01.04.2001").name == "Hajimena Baru"
    assert Region.objects.get(code="18.01.04.2001").search_name == "hajimena baru"
    assert Region.objects.get(code="18.01.04.1002").is_active is False
    assert Region.objects.count() == 10


def test_code_that_returns_is_reactivated(small_source: Path) -> None:
    run_load(small_source)
    Region.objects.filter(code="17.01.01.2001").update(is_active=False)

    report = load_regions(small_source)

    assert report.reactivated == 1
    assert Region.objects.get(code="17.01.01.2001").is_active is True


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "villages.csv",
            "code,district_code,name\n18.01.04.2001,18.01.04,Hajimena\n18.01.04.20X1,18.01.04,Rusak\n",
            "villages.csv:3",
        ),
        (
            "villages.csv",
            "code,district_code,name\n18.01.04.2001,18.01.04,Hajimena\n18.01.09.2001,18.01.09,Yatim\n",
            "villages.csv:3",
        ),
        (
            "villages.csv",
            "code,district_code,name\n18.01.04.2001,18.01.04,Hajimena\n18.01.04.2001,18.01.04,Kembar\n",
            "villages.csv:3",
        ),
        ("districts.csv", "kode,regency_code,name\n18.01.04,18.01,Natar\n", "districts.csv:1"),
        ("regencies.csv", "code,province_code,name\n18.01,17,Kabupaten Salah Induk\n", "regencies.csv:2"),
        ("provinces.csv", "code,name\n18,Lampung,extra\n", "provinces.csv:2"),
    ],
    ids=["bad-code", "unknown-parent", "duplicate-code", "wrong-column", "parent-mismatch", "extra-column"],
)
def test_malformed_source_names_file_and_line_and_changes_nothing(
    small_source: Path, filename: str, content: str, message: str
) -> None:
    run_load(small_source)
    before = snapshot()
    (small_source / filename).write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run_load(small_source)

    assert message in str(raised.value)
    assert snapshot() == before


def test_malformed_source_on_empty_database_writes_nothing(small_source: Path) -> None:
    (small_source / "villages.csv").write_text("code,district_code,name\n99.99.99.2001,99.99.99,X\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"villages.csv:2"):
        run_load(small_source)

    assert Region.objects.count() == 0


def test_missing_file_is_reported(small_source: Path, tmp_path: Path) -> None:
    (small_source / "districts.csv").unlink()

    with pytest.raises(CommandError, match=r"districts.csv"):
        run_load(small_source)

    assert Region.objects.count() == 0


@pytest.mark.slow
def test_shipped_source_gives_exactly_the_official_counts_codes_and_names(tmp_path: Path) -> None:
    source = tmp_path / "wilayah"
    shutil.copytree(DEFAULT_SOURCE, source)

    report = load_regions(source)

    assert report.total_active_by_level == {1: 38, 2: 514, 3: 7285, 4: 83762}
    expected: dict[str, str] = {}
    for filename in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        with (source / filename).open(encoding="utf-8") as handle:
            expected.update((row["code"], row["name"]) for row in csv.DictReader(handle))
    assert dict(Region.objects.values_list("code", "name")) == expected
    assert Region.objects.get(code="18").name == "Lampung"
    assert Region.objects.get(code="18.01").name == "Kabupaten Lampung Selatan"

    second = load_regions(source)

    assert second.changed is False
