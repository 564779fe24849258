"""The people import's path for CSV on PostgreSQL: the file goes by COPY, as it is,
into a raw table, and its cells are checked by the set.

The row checker (`pilar.imports.people.RowChecker`) stays the judge of every rule and
the author of every message. The set-based checks here only accept rows in their
plain form and send every other row to the row checker, so they must never accept a
row the row checker would refuse (refusing one it would accept only costs time):

- the distinct values of the sex, birth date, village and PPKS type columns (tens of
  thousands at most in a million rows) are judged by the row checker's own methods,
  and the results joined back; each distinct birth date carries the age
  `ppks.age_on` gives, which each type's ages and sex (`ppks.refusal`) are compared to;
- text cells are stripped of exactly the characters Python's `str.strip` removes;
- for each distinct birth date, `check_nik` itself says which digits 7-12 a NIK must
  have for a man and for a woman born that day (`nik_birth_digits`);
- the rest of the NIK's structure, the family card, the lengths and the phone's
  characters are SQL predicates that mirror `pilar.core.identity.parse_nik` and the
  row checker;
- the spelling key of a printable-ASCII name is computed as `spelling_key` computes
  it (the tests compare the two on generated names); other names go to the checker.

A file COPY does not read as the csv module does (rows of another width, a stray
quote, mixed line ends, bytes that are not text) is left whole to the row-by-row path.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import psycopg
from django.core.exceptions import ValidationError
from django.db import DataError, transaction

from pilar.beneficiaries.names import OLD_TO_NEW
from pilar.beneficiaries.ppks import PPKS_TYPES, age_on
from pilar.core.bulk import insert_rows
from pilar.core.identity import Sex, check_nik
from pilar.imports.reading import RawTable, first_line_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from pilar.imports.base import ImportReport
    from pilar.imports.people import RowChecker, Staging

# The characters Python's str.isspace() accepts, which str.strip() removes.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
CHECKED_BATCH = 10_000


def folded_name_sql(name: str) -> str:
    """SQL for the first steps of `spelling_key` on a printable-ASCII `name` without
    surrounding spaces: lower case (under the C collation lower() changes A-Z only,
    as str.lower() does on ASCII), single spaces, new spelling."""
    key = f'lower({name} COLLATE "C")'
    key = f"(CASE WHEN strpos({key}, '  ') > 0 THEN regexp_replace({key}, ' +', ' ', 'g') ELSE {key} END)"
    for old, new in OLD_TO_NEW:
        key = f"replace({key}, '{old}', '{new}')"
    return key


def key_of_folded_sql(folded: str) -> str:
    """SQL for the last step of `spelling_key`: anything but letters becomes a space."""
    return (
        f"(CASE WHEN {folded} !~ '[^a-z ]' AND {folded} <> '' THEN {folded} "
        f"ELSE btrim(regexp_replace(regexp_replace({folded}, '[^a-z ]+', ' ', 'g'), ' +', ' ', 'g'), ' ') END)"
    )


def spelling_key_sql(name: str) -> str:
    """SQL for `spelling_key` of a printable-ASCII `name` without surrounding spaces
    (in one expression; the import computes the two steps in two query levels, so
    that the folded name is computed once)."""
    return key_of_folded_sql(folded_name_sql(name))


def digits_sql(value: str, length: int) -> str:
    """SQL: `value` is exactly `length` ASCII digits."""
    return f"(length({value}) = {length} AND ltrim({value}, '0123456789') = '')"


def nik_birth_digits(birth_date: datetime.date, sex: str) -> str | None:
    """Digits 7 to 12 of the NIK of a person of this sex born on this date: the day
    (plus 40 for a woman), month and year, as `check_nik` accepts them; None when no
    NIK can agree (a 29 February that `parse_nik` would read in a common year)."""
    digits = f"{birth_date.day + (40 if sex == Sex.FEMALE else 0):02d}{birth_date:%m%y}"
    try:  # the other digits of this NIK are valid, so check_nik judges only these
        check_nik(f"110101{digits}0001", sex=sex, birth_date=birth_date)
    except ValidationError:
        return None
    return digits


def nik_sql(nik: str, birth_digits: str) -> str:
    """SQL: `nik` passes `check_nik` for a person whose `nik_birth_digits` are
    `birth_digits` (NULL: none can)."""
    return (
        f"(CASE WHEN {digits_sql(nik, 16)} THEN "
        f"substr({nik}, 1, 2) COLLATE \"C\" >= '11' AND substr({nik}, 3, 2) <> '00' "
        f"AND substr({nik}, 5, 2) <> '00' AND substr({nik}, 13, 4) <> '0000' "
        f"AND substr({nik}, 7, 6) = coalesce({birth_digits}, '') "
        "ELSE FALSE END)"
    )


class CopyStage:
    def __init__(self, staging: Staging, checker: RowChecker, report: ImportReport, table: RawTable) -> None:
        self.staging = staging
        self.cursor = staging.cursor
        self.checker = checker
        self.report = report
        self.table = table
        self.raw = f"{staging.rows}_raw"
        self.width = len(table.headers)

    def cell(self, column: str) -> str:
        """SQL for the raw text of `column` ('' when the file has no such column)."""
        position = self.checker.index.get(column)
        return "''" if position is None else f"coalesce(c{position}, '')"

    def stripped(self, column: str) -> str:
        return f"btrim({self.cell(column)}, %(whitespace)s)"

    def load(self) -> bool:
        """COPY the file into the raw table; False if COPY cannot read it as the csv module would."""
        columns = ", ".join(f"c{position} text" for position in range(self.width))
        self.cursor.execute(f"CREATE TEMP TABLE {self.raw} (number bigserial, {columns})")
        names = ", ".join(f"c{position}" for position in range(self.width))
        text = self.table.text
        if '"' in first_line_of(text):  # a quoted header may span lines: COPY skips one line
            return False
        end = len(text)  # trailing line ends left out (COPY reads an empty line as a row)
        while end and text[end - 1] in "\r\n":
            end -= 1
        delimiter = {";": ";", ",": ","}[self.table.delimiter]
        try:
            with (
                transaction.atomic(),
                self.cursor.cursor.copy(
                    f"COPY {self.raw} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER '{delimiter}')"
                ) as copy,
            ):
                # Encoded a megabyte at a time: no second copy of the whole file.
                for start in range(0, end, 1 << 20):
                    copy.write(text[start : min(start + (1 << 20), end)].encode())
        except (DataError, psycopg.DataError):
            return False
        return True

    def judge_distinct_values(self) -> None:
        """The row checker's verdict on each distinct sex, birth date, village and PPKS
        type cell, as tables of the values it accepts."""
        checker, cursor = self.checker, self.cursor
        today = checker.today

        def distinct(column: str) -> list[str]:
            cursor.execute(f"SELECT DISTINCT {self.cell(column)} FROM {self.raw}")  # noqa: S608
            return [value for (value,) in cursor.fetchall()]

        sexes = [(raw, checker.sex_of(raw)) for raw in distinct("jenis_kelamin") if checker.sex_of(raw)]
        dates: list[tuple[str, datetime.date, str | None, str | None, int]] = []
        for raw in distinct("tanggal_lahir"):
            parsed = checker.date_of(raw)
            if isinstance(parsed, datetime.date) and parsed <= today:
                dates.append(
                    (
                        raw,
                        parsed,
                        nik_birth_digits(parsed, Sex.MALE),
                        nik_birth_digits(parsed, Sex.FEMALE),
                        age_on(parsed, today),  # as ppks.refusal counts it
                    )
                )
        villages = [(raw, raw.strip()) for raw in distinct("kode_wilayah") if not checker.village_problem(raw.strip())]
        categories: list[tuple[str, str]] = []
        for raw in distinct("kategori_ppks"):
            codes = checker.categories_of(raw.strip())
            if not isinstance(codes, str):
                categories.extend((raw, code) for code in codes)
        for name, kinds, values in (
            ("sexes", ["varchar(1)"], sexes),
            ("dates", ["date", "varchar(6)", "varchar(6)", "integer"], dates),
            ("villages", ["varchar(13)"], villages),
            ("categories", ["varchar(7)"], categories),
        ):
            columns = ["raw", "value", "nik_male", "nik_female", "age"][: len(kinds) + 1]
            listed = ", ".join(f"{column} {kind}" for column, kind in zip(columns, ["text", *kinds], strict=True))
            cursor.execute(f"CREATE TEMP TABLE {self.raw}_{name} ({listed})")
            insert_rows(cursor, f"{self.raw}_{name}", columns, values)
            cursor.execute(f"ANALYZE {self.raw}_{name}")
        # Who each PPKS type is for (ppks.refusal): the ages, and the sex where it is set.
        cursor.execute(f"CREATE TEMP TABLE {self.raw}_bounds (code varchar(7), low integer, high integer, sex text)")
        bounds = [
            (ppks.code, -1 if ppks.min_age is None else ppks.min_age, 1000 if ppks.max_age is None else ppks.max_age,
             ppks.sex)
            for ppks in PPKS_TYPES.values()
        ]  # fmt: skip
        insert_rows(cursor, f"{self.raw}_bounds", ["code", "low", "high", "sex"], bounds)

    def stage_plain_rows(self) -> None:
        """Rows every cell of which passes: straight into staging, with their types.
        Each query level computes its values once per row (OFFSET 0 keeps PostgreSQL
        from merging it into the next, which would compute each expression again
        wherever it is used): cells stripped and joined, then the rows that pass with
        their folded name, then the spelling key."""
        raw, rows = self.raw, self.staging.rows
        self.cursor.execute(
            f"INSERT INTO {rows} (row_number, nik, family_card, full_name, search_name, sex, birth_place, "  # noqa: S608
            "birth_date, village_id, address, phone, category_text) "
            f"SELECT number + 1, nullif(nik, ''), card, name, {key_of_folded_sql('folded')}, sex, birth_place, "
            "birth_date, village, address, phone, categories FROM ("
            f"SELECT *, {folded_name_sql('name')} AS folded FROM ("
            f"SELECT r.number, {self.cell('nik')} AS nik, {self.cell('no_kk')} AS card, "
            f"{self.stripped('nama')} AS name, sx.value AS sex, {self.stripped('tempat_lahir')} AS birth_place, "
            f"dt.value AS birth_date, CASE WHEN sx.value = '{Sex.FEMALE}' THEN dt.nik_female ELSE dt.nik_male END "
            f"AS nik_digits, vl.value AS village, {self.stripped('alamat')} AS address, "
            f"{self.stripped('telepon')} AS phone, {self.cell('kategori_ppks')} AS categories "
            f"FROM {raw} r JOIN {raw}_sexes sx ON sx.raw = {self.cell('jenis_kelamin')} "
            f"JOIN {raw}_dates dt ON dt.raw = {self.cell('tanggal_lahir')} "
            f"JOIN {raw}_villages vl ON vl.raw = {self.cell('kode_wilayah')} "
            f"WHERE EXISTS (SELECT 1 FROM {raw}_categories ct WHERE ct.raw = {self.cell('kategori_ppks')}) "
            # A type the person is too young or too old for, or of the other sex for: the row checker says why.
            f"AND NOT EXISTS (SELECT 1 FROM {raw}_categories ct JOIN {raw}_bounds b ON b.code = ct.value "
            f"WHERE ct.raw = {self.cell('kategori_ppks')} "
            "AND ((b.sex <> '' AND b.sex <> sx.value) OR dt.age NOT BETWEEN b.low AND b.high)) "
            "OFFSET 0) cells "
            f"WHERE (nik = '' OR {nik_sql('nik', 'nik_digits')}) AND (card = '' OR {digits_sql('card', 16)}) "
            "AND name ~ '^[ -~]+$' AND length(name) <= 150 AND length(birth_place) <= 100 "
            "AND length(address) <= 250 AND length(phone) <= 20 AND ltrim(phone, '0123456789+() -') = '' "
            "OFFSET 0) accepted",
            {"whitespace": WHITESPACE},
        )
        self.cursor.execute(
            f"INSERT INTO {self.staging.types} (row_number, category) SELECT s.row_number, ct.value "  # noqa: S608
            f"FROM {rows} s JOIN {raw}_categories ct ON ct.raw = s.category_text"
        )

    def check_other_rows(self) -> None:
        """The rest, row by row through the row checker (which writes the messages);
        rows of empty cells are skipped, as the csv path skips them."""
        raw, rows = self.raw, self.staging.rows
        empty = " AND ".join(f"btrim(coalesce(c{position}, ''), %(whitespace)s) = ''" for position in range(self.width))
        self.cursor.execute(f"SELECT count(*) FROM {raw} WHERE NOT ({empty})", {"whitespace": WHITESPACE})  # noqa: S608
        self.report.rows = self.cursor.fetchone()[0]
        cells = ", ".join(f"c{position}" for position in range(self.width))
        self.cursor.execute(f"ANALYZE {rows}")
        self.cursor.execute(
            f"CREATE TEMP TABLE {raw}_others AS SELECT r.number + 1 AS row_number, {cells} FROM {raw} r "  # noqa: S608
            f"WHERE NOT ({empty}) AND NOT EXISTS (SELECT 1 FROM {rows} s WHERE s.row_number = r.number + 1)",
            {"whitespace": WHITESPACE},
        )
        self.cursor.execute(f"CREATE INDEX ON {raw}_others (row_number)")
        self.cursor.execute(f"SELECT coalesce(max(row_number), 0) FROM {raw}_others")  # noqa: S608
        last = self.cursor.fetchone()[0]
        for first in range(0, last + 1, CHECKED_BATCH):
            self.cursor.execute(
                f"SELECT row_number, {cells} FROM {raw}_others WHERE row_number BETWEEN %s AND %s "  # noqa: S608
                "ORDER BY row_number",
                [first, first + CHECKED_BATCH - 1],
            )
            batch: list[tuple[Any, ...]] = []
            types: list[tuple[int, str]] = []
            for number, *values in self.cursor.fetchall():
                row, categories, errors = self.checker.check(
                    number, ["" if value is None else value for value in values]
                )
                if errors:
                    self.report.errors.extend(errors)
                    continue
                batch.append(row)  # type: ignore[arg-type]
                types.extend((number, category) for category in categories)
            if batch:
                self.staging.add(batch, types)

    def drop(self) -> None:
        for suffix in ("", "_sexes", "_dates", "_villages", "_categories", "_others"):
            self.cursor.execute(f"DROP TABLE IF EXISTS {self.raw}{suffix}")


def stage_by_copy(
    staging: Staging, checker: RowChecker, report: ImportReport, table: RawTable, progress: Callable[[int, int], None]
) -> bool:
    """Stage a CSV file through COPY and set-based checks; False (nothing staged) if
    COPY cannot read the file as the csv module does."""
    stage = CopyStage(staging, checker, report, table)
    try:
        if not stage.load():
            return False
        progress(0, table.approximate_rows)
        stage.judge_distinct_values()
        stage.stage_plain_rows()
        stage.check_other_rows()
        progress(report.rows, report.rows)
        return True
    finally:
        stage.drop()
