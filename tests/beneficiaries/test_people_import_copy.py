"""The people import's COPY path (CSV on PostgreSQL) against the row checker: its SQL
predicates agree with the Python rules they mirror, and a file full of awkward cells
gives the same report and the same people, households and records by either path."""

import datetime
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilar.beneficiaries.exchange import COLUMNS
from pilar.beneficiaries.models import Household, Person, PpksRecord
from pilar.beneficiaries.names import spelling_key
from pilar.core.identity import check_nik
from pilar.core.synthetic import person
from pilar.imports import people
from pilar.imports.people_copy import WHITESPACE, nik_birth_digits, nik_sql, spelling_key_sql
from tests.beneficiaries.test_people_import import good_rows
from tests.workforce.roster import csv_bytes

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
PRINTABLE = st.text(alphabet=[chr(code) for code in range(32, 127)], min_size=1, max_size=30)
OLD_SPELLINGS = st.lists(st.sampled_from(["oe", "dj", "tj", "sj", "nj", "ch", "OE", "Dj", "  ", "-", "'", ".", "a"]))


def test_whitespace_is_what_python_strips() -> None:
    assert "".join(character for character in map(chr, range(sys.maxunicode + 1)) if character.isspace()) == WHITESPACE


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PRINTABLE, OLD_SPELLINGS.map("".join)), min_size=1, max_size=40))
def test_the_sql_spelling_key_is_spelling_key_on_printable_ascii(names: list[str]) -> None:
    names = [name.strip(" ") for name in names if name.strip(" ")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {spelling_key_sql('name')} FROM unnest(%s::text[]) WITH ORDINALITY n (name, i) ORDER BY i", [names]
        )
        keys = [key for (key,) in cursor.fetchall()]
    assert keys == [spelling_key(name) for name in names]


def python_accepts(nik: str, sex: str, birth_date: datetime.date) -> bool:
    try:
        check_nik(nik, sex=sex, birth_date=birth_date)
    except ValidationError:
        return False
    return True


two_digits = st.integers(0, 99).map(lambda number: f"{number:02d}")
niks = st.builds(
    lambda place, day, month, year, serial: f"{place}{day}{month}{year}{serial}",
    st.sampled_from(["180104", "110101", "100101", "180004", "180100", "947105"]),
    st.one_of(two_digits, st.sampled_from(["28", "29", "30", "31", "68", "69", "70", "71", "40", "41", "00"])),
    st.one_of(two_digits, st.sampled_from(["01", "02", "12", "13"])),
    st.one_of(two_digits, st.sampled_from(["00", "04", "25", "26", "27", "96"])),
    st.sampled_from(["0001", "0000", "9999"]),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(niks, st.sampled_from(["L", "P"]), st.booleans(), st.dates()), min_size=1, max_size=50))
def test_the_sql_nik_check_accepts_exactly_what_check_nik_accepts(
    cases: list[tuple[str, str, bool, datetime.date]],
) -> None:
    rows = []
    for nik, sex, from_nik, other_date in cases:
        # Most cases take the birth date the NIK spells (when it is a date), so that
        # acceptance is common; the others take any date.
        birth_date = other_date
        if from_nik:
            day, month, year = int(nik[6:8]) % 40 or 1, int(nik[8:10]), int(nik[10:12])
            for century in (1900, 2000):
                try:
                    birth_date = datetime.date(century + year, month, day)
                except ValueError:
                    continue
        rows.append((nik, sex, birth_date))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {nik_sql('nik', 'birth_digits')} FROM unnest(%(niks)s::text[], %(digits)s::text[]) "
            "WITH ORDINALITY c (nik, birth_digits, i) ORDER BY i",
            {
                "niks": [nik for nik, _sex, _date in rows],
                "digits": [nik_birth_digits(birth_date, sex) for _nik, sex, birth_date in rows],
            },
        )
        accepted = [value for (value,) in cursor.fetchall()]
    assert accepted == [python_accepts(*row) for row in rows]


def awkward_rows() -> list[list[str]]:
    """Rows each of which bends one rule, or nearly."""

    def good(number: int, village: str = "18.01.04.2001") -> list[str]:
        someone = person(number, village[:8])
        return [
            someone.nik,
            "",
            someone.name,
            someone.sex,
            "Natar",
            someone.birth_date.isoformat(),
            village,
            "RT 001",
            "PPKS-24",
            someone.phone,
        ]

    rows = [good(number, village) for number, village in enumerate(["18.01.04.2001", "18.01.04.2002"] * 4)]
    edits: list[tuple[int, int, str]] = [
        (0, 2, "  Soekarno  Djojo\t"),  # whitespace around and inside: stripped, key folded
        (1, 2, "Ñoman Sûtjipto"),  # not ASCII: the row checker computes the key
        (2, 2, "O'Neil-Tjandra."),
        (3, 3, " p "),
        (4, 5, "1/2/1990"),
        (5, 6, "\u00a018.01.04.2001\u3000"),
        (6, 8, "ppks-24; Lanjut Usia Telantar;; "),
        (7, 9, " 0812-(3456) 78 "),
    ]
    for index, column, value in edits:
        rows[index][column] = value
    rows[4][0] = ""  # no NIK, so the changed birth date stands
    bad = [good(number) for number in range(20, 44)]
    own = [row[0] for row in bad]
    for index, (column, value) in enumerate(
        [
            (0, "1801040101900000"),  # serial 0000
            (0, "0801040101900001"),  # province below 11
            (0, "18010401019000012"),  # 17 digits
            (0, "18010x0101900001"),
            (0, "1,80104E+15"),
            (0, "'" + own[5]),  # a leading apostrophe is Excel's text mark: accepted
            (0, " ".join([own[6][:4], own[6][4:8], own[6][8:12], own[6][12:]])),  # spaces inside: removed
            (1, "180104010190001"),  # family card of 15 digits
            (2, ""),
            (2, "x" * 151),
            (3, "X"),
            (4, "y" * 101),
            (5, "31/02/1990"),
            (5, "2999-01-01"),
            (5, "1990/01/02"),
            (6, "18.01.04"),  # a kecamatan
            (6, "18.01.04.9999"),
            (6, "32.01.01.2001"),
            (7, "z" * 251),
            (8, "PPKS-27"),
            (8, ""),
            (9, "0812 ext 5"),
            (9, "1" * 21),
            (3, "L" if bad[23][3] == "P" else "P"),  # the sex contradicts the NIK
        ]
    ):
        bad[index][column] = value
    empty = [""] * len(COLUMNS)
    repeat = list(rows[1])
    return [*rows, empty, *bad, ["  "] * len(COLUMNS), repeat]


def outcome(path: str) -> tuple[object, ...]:
    """Import the awkward file (--skip-invalid) by one path; what it reports and
    writes, then undone."""
    data = csv_bytes(awkward_rows(), COLUMNS)
    result: tuple[object, ...] = ()

    class Undo(Exception):
        pass

    original = people.stage_by_copy
    used: list[bool] = []

    def by_copy(*arguments: object) -> bool:
        used.append(path == "copy")
        return path == "copy" and original(*arguments)  # type: ignore[arg-type]

    people.stage_by_copy = by_copy  # type: ignore[assignment]
    try:
        with transaction.atomic():
            report = people.import_people(data, "awkward.csv", acting_user=None, dry_run=False, skip_invalid=True)
            result = (
                report.as_dict(),
                list(
                    Person.objects.order_by("nik", "full_name").values_list(
                        "nik",
                        "family_card",
                        "full_name",
                        "search_name",
                        "sex",
                        "birth_place",
                        "birth_date",
                        "village_id",
                        "address",
                        "phone",
                        "household__family_card",
                    )
                ),
                list(
                    PpksRecord.objects.order_by("person__full_name", "category").values_list(
                        "person__full_name", "category"
                    )
                ),
                Household.objects.count(),
            )
            raise Undo
    except Undo:
        pass
    finally:
        people.stage_by_copy = original
    assert used == [path == "copy"]
    return result


@pytest.mark.django_db
def test_an_awkward_file_gives_the_same_report_and_rows_by_either_path(lampung: object) -> None:
    by_copy = outcome("copy")
    row_by_row = outcome("rows")

    assert by_copy == row_by_row
    report = by_copy[0]
    assert isinstance(report, dict)
    assert (report["rows"], report["created"]) == (33, 10)  # rows 2-9, 16 and 17
    assert [(error["row"], error["column"]) for error in report["errors"]] == [
        (11, "nik"), (12, "nik"), (13, "nik"), (14, "nik"), (15, "nik"), (18, "no_kk"), (19, "nama"), (20, "nama"),
        (21, "jenis_kelamin"), (22, "tempat_lahir"), (23, "tanggal_lahir"), (24, "tanggal_lahir"),
        (25, "tanggal_lahir"), (26, "kode_wilayah"), (27, "kode_wilayah"), (28, "kode_wilayah"), (29, "alamat"),
        (30, "kategori_ppks"), (31, "kategori_ppks"), (32, "telepon"), (33, "telepon"), (34, "nik"), (36, "nik"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_file_copy_cannot_read_is_checked_row_by_row(lampung: object, monkeypatch: pytest.MonkeyPatch) -> None:
    results: list[bool] = []
    original = people.stage_by_copy

    def spy(*arguments: object) -> bool:
        results.append(original(*arguments))  # type: ignore[arg-type]
        return results[-1]

    monkeypatch.setattr(people, "stage_by_copy", spy)
    data = csv_bytes(good_rows(), COLUMNS) + b"1801040101900001,,Tiga Kolom\n"

    report = people.import_people(data, "pendek.csv", acting_user=None, dry_run=False, skip_invalid=True)

    assert results == [False]
    assert (report.rows, report.created, report.written) == (14, 13, True)
    assert [(error.row, error.column) for error in report.errors] == [
        (15, "jenis_kelamin"),
        (15, "kategori_ppks"),
        (15, "kode_wilayah"),
        (15, "tanggal_lahir"),
    ]
