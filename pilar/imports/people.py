"""Importing people and their PPKS types (pemetaan sosial) from CSV or XLSX, at
provincial scale (millions of rows).

How a file goes in:
1. Every row's cells are checked: NIK structure and its agreement with sex and birth
   date, dates, the village code against the official list and the importer's
   region, the PPKS types. A CSV file on PostgreSQL goes by COPY into a raw table and
   is checked by the set (`people_copy`), with the row checker (`RowChecker`) as the
   judge of every value it cannot settle and the author of every message; otherwise
   (SQLite, XLSX, a CSV that COPY cannot read as csv does) each row goes through the
   row checker. Valid rows land in a temporary staging table; nothing of the
   registry is touched yet.
2. Set-based checks in the staging table and against what is registered: rows that
   repeat an earlier row of the file, a family card held by a household of another
   village, two rows that are one registered person.
3. Matching, still in SQL: people by NIK, rows without NIK by name (spelling key),
   birth date and village; then what is new, changed or unchanged.
4. If any row is invalid and `skip_invalid` is off, or on a dry run, stop: nothing was
   written. Otherwise one transaction writes, set-based: new people and their history,
   changed people (a change of village is recorded as a `Move` and their PPKS records
   follow), households per family card (people join the household of their card),
   new PPKS records (status dilaporkan, source impor), and the summaries of every
   kecamatan touched. People and households get their history rows; an imported
   PPKS record is its own record of creation (reported_by, reported_at, source
   impor) and its history rows start at its first change, which saves a million
   rows per million people. The foreign keys of the bulk inserts are checked by the
   set where the database role may (`RowTriggers`).

Re-importing a file changes nothing: people are keyed by NIK (or name, birth date and
village), a PPKS record by person and type, and an empty cell never erases a value.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import secrets
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.beneficiaries import policy, ppks
from pilar.beneficiaries.exchange import COLUMNS, REQUIRED
from pilar.beneficiaries.models import (
    Household,
    LegalBasis,
    Move,
    Person,
    PpksRecord,
    PpksStatus,
    RecordSource,
)
from pilar.beneficiaries.names import spelling_key
from pilar.beneficiaries.ppks import resolve
from pilar.beneficiaries.summaries import district_of, refresh_districts
from pilar.core.bulk import insert_rows
from pilar.core.identity import NIK_LENGTH, check_nik
from pilar.core.scoping import subtree_sql
from pilar.imports.base import DATE_FORMATS, ImportReport, RowError
from pilar.imports.people_copy import stage_by_copy
from pilar.imports.reading import TableError, read_raw
from pilar.regions.models import Region, RegionLevel

SEXES = {"l": "L", "p": "P", "laki-laki": "L", "perempuan": "P", "lk": "L", "pr": "P"}
STAGE_BATCH = 10_000
PHONE_CHARACTERS = set("0123456789+-() ")

# (name, SQL type) of the staging table; the checked row is a tuple in this order.
STAGED = [
    ("row_number", "integer"),
    ("nik", "varchar(16)"),
    ("family_card", "varchar(16)"),
    ("full_name", "varchar(150)"),
    ("search_name", "varchar(150)"),
    ("sex", "varchar(1)"),
    ("birth_place", "varchar(100)"),
    ("birth_date", "date"),
    ("village_id", "varchar(13)"),
    ("address", "varchar(250)"),
    ("phone", "varchar(20)"),
]
BYTEWISE = {"nik", "family_card", "search_name", "village_id"}

Progress = Callable[[int, int], None]


def _numeric_advice(column: str) -> RowError:
    return RowError(
        0,
        column,
        _(
            "The number was stored as a number, so Excel has already changed its last digits. "
            "Format the column as Text and type the numbers again."
        ),
    )


class RowChecker:
    """Checks the cells of one row at a time (repeats inside the file are found in the
    staging table afterwards, by `PeopleImport.find_repeats`)."""

    def __init__(self, headers: list[str], *, acting_user: Any) -> None:
        self.index = {name: headers.index(name) for name in COLUMNS if name in headers}
        self.width = len(headers)
        self.levels = dict(Region.objects.values_list("code", "level"))
        self.acting_user = acting_user
        self.allowed: dict[str, bool] = {}
        self.categories: dict[str, list[str] | str] = {}
        self.today = timezone.localdate()
        # Translated once: a million rows must not call gettext a million times.
        self.nik_format = _("A NIK is exactly 16 digits.")
        self.card_format = _("A family card number (No. KK) is exactly 16 digits.")
        self.required = _("This column must be filled in.")

    def _text(self, values: list[object], column: str) -> object:
        position = self.index.get(column)
        if position is None or position >= len(values):
            return ""
        value = values[position]
        return "" if value is None else value

    def _digits(self, value: object, column: str, length: int, message: str) -> tuple[str, RowError | None]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return "", _numeric_advice(column)
        text = str(value).replace(" ", "").lstrip("'")
        upper = text.upper()
        if "E+" in upper and upper.replace("E+", "").replace(",", "").replace(".", "").isdigit():
            return "", _numeric_advice(column)
        if text and (len(text) != length or not text.isdigit() or not text.isascii()):
            return "", RowError(0, column, message)
        return text, None

    def sex_of(self, value: object) -> str:
        """L or P, or '' for anything else."""
        return SEXES.get(str(value).strip().lower(), "")

    def date_of(self, value: object) -> datetime.date | str:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if not text:
            return self.required
        if len(text) == 10 and text[4] == "-":
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        elif len(text) == 10 and text[2] in "/-" and text[5] == text[2]:
            try:
                return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
            except ValueError:
                pass
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        return _("%(value)s is not a date: write YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY.") % {"value": text}

    def categories_of(self, text: str) -> list[str] | str:
        if text not in self.categories:
            codes: list[str] = []
            problem = ""
            for part in text.replace(",", ";").split(";"):
                if not part.strip():
                    continue
                code = resolve(part)
                if code is None:
                    problem = _(
                        "%(value)s is not a PPKS type: write a code from PPKS-01 to PPKS-26 or its official name."
                    ) % {"value": part.strip()}
                    break
                if code not in codes:
                    codes.append(code)
            if not problem and not codes:
                problem = _("This column must be filled in.")
            self.categories[text] = problem or codes
        return self.categories[text]

    def village_problem(self, code: str) -> str:
        """The problem with a village code, or ''."""
        level = self.levels.get(code)
        if level is None:
            return _("%(code)s is not a code of the official region list.") % {"code": code or _("(empty)")}
        if level != RegionLevel.VILLAGE:
            return _("%(code)s is a %(level)s; people are recorded in a village (desa/kelurahan).") % {
                "code": code,
                "level": RegionLevel(level).label.lower(),
            }
        if self.acting_user is not None:
            if code not in self.allowed:
                self.allowed[code] = policy.can_map(self.acting_user, code)
            if not self.allowed[code]:
                return _("Village %(code)s is outside your region.") % {"code": code}
        return ""

    def check(self, number: int, values: list[object]) -> tuple[tuple[Any, ...] | None, list[str], list[RowError]]:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        nik, problem = self._digits(self._text(values, "nik"), "nik", NIK_LENGTH, self.nik_format)
        if problem:
            fail("nik", problem.message)
        card, problem = self._digits(self._text(values, "no_kk"), "no_kk", 16, self.card_format)
        if problem:
            fail("no_kk", problem.message)
        name = str(self._text(values, "nama")).strip()
        if not name:
            fail("nama", self.required)
        elif len(name) > 150:
            fail("nama", _("At most %(count)s characters.") % {"count": 150})
        sex_text = str(self._text(values, "jenis_kelamin")).strip()
        sex = self.sex_of(sex_text)
        if not sex:
            fail("jenis_kelamin", _("%(value)s is not a sex: write L or P.") % {"value": sex_text or _("(empty)")})
        birth_place = str(self._text(values, "tempat_lahir")).strip()
        if len(birth_place) > 100:
            fail("tempat_lahir", _("At most %(count)s characters.") % {"count": 100})
        parsed = self.date_of(self._text(values, "tanggal_lahir"))
        birth_date: datetime.date | None = None
        if isinstance(parsed, str):
            fail("tanggal_lahir", parsed)
        elif parsed > self.today:
            fail("tanggal_lahir", _("The birth date is in the future."))
        else:
            birth_date = parsed
        village = str(self._text(values, "kode_wilayah")).strip()
        problem_text = self.village_problem(village)
        if problem_text:
            fail("kode_wilayah", problem_text)
        address = str(self._text(values, "alamat")).strip()
        if len(address) > 250:
            fail("alamat", _("At most %(count)s characters.") % {"count": 250})
        phone = str(self._text(values, "telepon")).strip()
        if len(phone) > 20 or not set(phone) <= PHONE_CHARACTERS:
            fail("telepon", _("%(value)s is not a phone number.") % {"value": phone})
        categories = self.categories_of(str(self._text(values, "kategori_ppks")).strip())
        if isinstance(categories, str):
            fail("kategori_ppks", categories)
        else:
            for category in categories:
                misfit = ppks.refusal(category, birth_date=birth_date, sex=sex, on=self.today)
                if misfit:
                    fail("kategori_ppks", misfit)
        if nik and not any(error.column == "nik" for error in errors):
            try:
                check_nik(nik, sex=sex or None, birth_date=birth_date)
            except ValidationError as error:
                fail("nik", " ".join(error.messages))
        if errors:
            return None, [], errors

        search_name = spelling_key(name)
        row = (number, nik or None, card, name, search_name, sex, birth_place, birth_date, village, address, phone)
        return row, categories, []  # type: ignore[return-value]


class Staging:
    """The temporary tables one import works in (dropped at the end)."""

    def __init__(self, cursor: CursorWrapper) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        token = secrets.token_hex(4)
        self.rows = f"import_people_{token}"
        self.types = f"import_types_{token}"
        self.households = f"import_households_{token}"

    def create(self) -> None:
        # Codes and keys compared byte by byte, as in the registry's tables.
        bytewise = ' COLLATE "C"' if self.postgres else ""
        columns = ", ".join(f"{name} {kind}{bytewise if name in BYTEWISE else ''}" for name, kind in STAGED)
        execute = self.cursor.execute
        if self.postgres:
            # Hash joins and sorts of a million rows in memory rather than in temporary
            # files, for this import (one at a time per job worker); reset by `drop`.
            execute("SET work_mem = '256MB'")
        execute(
            f"CREATE TEMP TABLE {self.rows} ({columns}, person_id bigint, "
            f"changed boolean NOT NULL DEFAULT FALSE, moved_from varchar(13){bytewise}, category_text text)"
        )
        execute(f"CREATE TEMP TABLE {self.types} (row_number integer, category varchar(7){bytewise}, record_id bigint)")
        execute(
            f"CREATE TEMP TABLE {self.households} (row_number integer, family_card varchar(16){bytewise}, "
            f"village_id varchar(13){bytewise}, address varchar(250))"
        )

    def drop(self) -> None:
        for table in (self.rows, self.types, self.households):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if self.postgres:
            self.cursor.execute("RESET work_mem")

    def add(self, rows: list[tuple[Any, ...]], types: list[tuple[int, str]]) -> None:
        if not self.postgres:  # SQLite's adapter for dates is deprecated: ISO text
            rows = [(*row[:7], row[7].isoformat(), *row[8:]) for row in rows]
        insert_rows(self.cursor, self.rows, [name for name, _kind in STAGED], rows)
        insert_rows(self.cursor, self.types, ["row_number", "category"], types)

    def remove(self, numbers: list[int]) -> None:
        """Take these rows (and their PPKS types) out of staging."""
        for start in range(0, len(numbers), 1000):
            chunk = numbers[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            self.cursor.execute(f"DELETE FROM {self.rows} WHERE row_number IN ({marks})", chunk)  # noqa: S608
            self.cursor.execute(f"DELETE FROM {self.types} WHERE row_number IN ({marks})", chunk)  # noqa: S608

    def index(self) -> None:
        self.cursor.execute(f"CREATE INDEX {self.rows}_row ON {self.rows} (row_number)")
        self.cursor.execute(f"CREATE INDEX {self.types}_row ON {self.types} (row_number)")
        if self.postgres:
            self.cursor.execute(f"ANALYZE {self.rows}")
            self.cursor.execute(f"ANALYZE {self.types}")

    def new_ids(
        self, source: str, into: str, model: type[Any], *, order: str, where: str = "TRUE", columns: str = "row_number"
    ) -> None:
        """Create `into` (id, `columns`...): the rows of `source` matching `where`, in
        `order`, each with a fresh primary key of `model` in that order. The table is
        written in id order, so that inserting from it needs no sort."""
        target = model._meta.db_table
        if self.postgres:
            # Sorted first, numbered after: nextval runs in the sorted order. The
            # sequence is looked up once (per row, the lookup costs more than nextval).
            self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [target])
            sequence = self.cursor.fetchone()[0]
            self.cursor.execute(
                f"CREATE TEMP TABLE {into} AS SELECT nextval(%s::regclass) AS id, sorted.* "  # noqa: S608
                f"FROM (SELECT {columns} FROM {source} WHERE {where} ORDER BY {order}) sorted",
                [sequence],
            )
        else:
            # SQLite: above both the largest id and the AUTOINCREMENT high-water mark; the
            # IMMEDIATE transaction holds the write lock, so nobody takes these meanwhile.
            self.cursor.execute(
                f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {target}), 0))",
                [target],
            )
            base = self.cursor.fetchone()[0]
            self.cursor.execute(
                f"CREATE TEMP TABLE {into} AS SELECT %s + row_number() OVER (ORDER BY {order}) AS id, {columns} "  # noqa: S608
                f"FROM {source} WHERE {where} ORDER BY {order}",
                [base],
            )
        self.cursor.execute(f"CREATE INDEX {into}_row ON {into} (row_number)")
        self.analyze(into)  # without statistics, joins on it are planned as nested loops

    def analyze(self, table: str) -> None:
        """After a large insert, so that PostgreSQL plans the next statements on real sizes."""
        if self.postgres:
            self.cursor.execute(f"ANALYZE {table}")


# (Joins on a household's family card also say `NOT (h.family_card = '')`: that is the
# condition of its unique index, which SQLite and PostgreSQL use only when the query
# states it.)


def _history(
    cursor: CursorWrapper,
    model: type[Any],
    ids_sql: str,
    *,
    when: datetime.datetime,
    user_id: int | None,
    reason: str,
    change: str,
) -> None:
    """Append simple-history rows for the rows of `model` whose id is in `ids_sql`."""
    insert, columns = _history_insert(model)
    cursor.execute(
        f"{insert} SELECT {', '.join('t.' + column for column in columns)}, %s, %s, %s, %s "  # noqa: S608
        f"FROM {model._meta.db_table} t WHERE t.id IN ({ids_sql})",
        [when, reason, change, user_id],
    )


def _history_insert(model: type[Any]) -> tuple[str, list[str]]:
    """The head of an INSERT into the history table of `model` (the columns it copies
    from the row, then date, reason, type and user), and the copied columns."""
    own = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    history = model.history.model
    columns = [field.column for field in history._meta.concrete_fields if field.column not in {"history_id", *own}]
    return f"INSERT INTO {history._meta.db_table} ({', '.join(columns + own)})", columns


def _insert_new(
    cursor: CursorWrapper,
    model: type[Any],
    source: str,
    values: dict[str, str],
    params: dict[str, Any],
    *,
    expected: int,
) -> None:
    """Insert the new rows of `model` from the table `source` and their history rows
    ('+', the import's time, user and reason), both from the same `values` (column:
    SQL expression over `source`, which may name `params`; columns left out are
    NULL). The history rows read `source` again rather than the table just written,
    which a million ids would have to be joined back to."""
    columns = ", ".join(values)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {', '.join(values.values())} FROM {source}",  # noqa: S608
        params,
    )
    _expect(cursor, expected, model.__name__)
    insert, history = _history_insert(model)
    cursor.execute(
        f"{insert} SELECT {', '.join(values.get(column, 'NULL') for column in history)}, "  # noqa: S608
        f"%(now)s, %(reason)s, '+', %(user)s FROM {source}",
        params,
    )


class RowTriggers:
    """Foreign keys of the bulk statements, checked by the set instead of row by row.

    PostgreSQL checks a foreign key with a trigger per inserted row, queued until
    commit: a million people with their households and PPKS records are 3.4 million
    such checks, a third of the import's time. The import can hold the same guarantee
    set-based: before writing it locks every row its new rows will point to (villages,
    households and people that already exist, the acting user) FOR KEY SHARE, as each
    trigger would, and fails if one is missing; the rows it points to that it creates
    itself exist by construction, and each insert's row count is compared with the
    plan. The bulk inserts then run with `session_replication_role = replica` (the
    means pg_restore uses), which needs a superuser or, on PostgreSQL 15+,
    `GRANT SET ON PARAMETER session_replication_role TO <role>`. Without that right
    the triggers run as usual: slower, the same result. Pilar defines no triggers of
    its own, so the setting silences only these checks, and only in `off()` blocks.
    """

    def __init__(self, staging: Staging) -> None:
        self.cursor = staging.cursor
        self.may_skip = False
        if staging.postgres:
            self.cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            self.may_skip = bool(self.cursor.fetchone()[0])

    @contextlib.contextmanager
    def off(self) -> Iterator[None]:
        if not self.may_skip:
            yield
            return
        self.cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            self.cursor.execute("SET LOCAL session_replication_role = origin")

    def lock(self, table: str, column: str, values_sql: str, params: list[Any] | None = None) -> None:
        """Lock the rows of `table` whose `column` is among the values of `values_sql`
        FOR KEY SHARE; IntegrityError if one of them does not exist."""
        if not self.may_skip:
            return
        self.cursor.execute(
            f"WITH wanted AS MATERIALIZED (SELECT DISTINCT v FROM ({values_sql}) w (v) WHERE v IS NOT NULL) "  # noqa: S608
            "SELECT (SELECT count(*) FROM wanted), "
            f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} IN (SELECT v FROM wanted) FOR KEY SHARE) l)",
            params or [],
        )
        wanted, locked = self.cursor.fetchone()
        if locked != wanted:
            raise IntegrityError(f"{table}: {wanted - locked} rows referred to by the import are missing")


def _expect(cursor: CursorWrapper, count: int, what: str) -> None:
    """The statement just run wrote `count` rows, as planned."""
    if cursor.rowcount != count:
        raise IntegrityError(f"{what}: {cursor.rowcount} rows written, {count} planned")


class PeopleImport:
    def __init__(self, report: ImportReport, *, acting_user: Any, skip_invalid: bool, progress: Progress | None):
        self.report = report
        self.acting_user = acting_user
        self.user_id = getattr(acting_user, "pk", None)
        self.skip_invalid = skip_invalid
        self.progress = progress or (lambda done, total: None)

    def stage(
        self, staging: Staging, checker: RowChecker, rows: Iterator[tuple[int, list[object]]], total: int
    ) -> None:
        """Check row by row in Python, staging the valid rows in batches."""
        batch: list[tuple[Any, ...]] = []
        types: list[tuple[int, str]] = []
        count = 0
        for number, values in rows:
            count += 1
            row, categories, errors = checker.check(number, values)
            if errors:
                self.report.errors.extend(errors)
            else:
                batch.append(row)  # type: ignore[arg-type]
                types.extend((number, category) for category in categories)
            if len(batch) >= STAGE_BATCH:
                staging.add(batch, types)
                batch, types = [], []
                self.progress(count, max(total, count))
        if batch:
            staging.add(batch, types)
        self.report.rows = count
        self.progress(count, count)

    def find_repeats(self, staging: Staging) -> None:
        """Rows that repeat an earlier valid row of the file: the same NIK, or without
        NIK the same name, birth date and village; then, among the rest, a family card
        already given in another village (a household lives in one village). Each is
        reported with the row it repeats and taken out of the staging table."""
        cursor, rows = staging.cursor, staging.rows
        repeated: list[int] = []
        for key, condition, column, message in (
            (["nik"], "nik IS NOT NULL", "nik", _("The same NIK is on row %(row)s.")),
            (
                ["search_name", "birth_date", "village_id"],
                "nik IS NULL",
                "nama",
                _("The same person (name, birth date, village) is on row %(row)s."),
            ),
        ):
            # Grouped first (a hash, no sort of the million rows), then joined back.
            same = " AND ".join(f"s.{part} = d.{part}" for part in key)
            cursor.execute(
                f"SELECT s.row_number, d.first FROM {rows} s JOIN (SELECT {', '.join(key)}, min(row_number) AS first "  # noqa: S608
                f"FROM {rows} WHERE {condition} GROUP BY {', '.join(key)} HAVING count(*) > 1) d ON {same} "
                f"WHERE s.{condition} AND s.row_number <> d.first"
            )
            for number, first in cursor.fetchall():
                repeated.append(number)
                self.report.errors.append(RowError(number, column, message % {"row": first}))
        staging.remove(repeated)
        cursor.execute(
            f"SELECT s.row_number, s.family_card, f.village_id, f.row_number FROM {rows} s "  # noqa: S608
            f"JOIN (SELECT family_card, min(row_number) AS first FROM {rows} WHERE family_card <> '' "
            "GROUP BY family_card HAVING min(village_id) <> max(village_id)) d ON d.family_card = s.family_card "
            f"JOIN {rows} f ON f.row_number = d.first WHERE s.village_id <> f.village_id"
        )
        message = _("Family card %(card)s is in village %(village)s on row %(row)s; a household lives in one village.")
        repeated = []
        for number, card, village, first in cursor.fetchall():
            repeated.append(number)
            self.report.errors.append(
                RowError(number, "no_kk", message % {"card": card, "village": village, "row": first})
            )
        staging.remove(repeated)

    def check_against_registry(self, staging: Staging) -> None:
        cursor, rows = staging.cursor, staging.rows
        person, household = Person._meta.db_table, Household._meta.db_table
        cursor.execute(
            f"SELECT s.row_number, s.family_card, h.village_id FROM {rows} s "  # noqa: S608
            f"JOIN {household} h ON NOT (h.family_card = '') AND h.family_card = s.family_card "
            "WHERE s.family_card <> '' AND h.village_id <> s.village_id"
        )
        bad = []
        for number, card, village in cursor.fetchall():
            bad.append(number)
            if self.may_map(village):
                message = _(
                    "Family card %(card)s belongs to a household in village %(village)s; record its move first."
                ) % {"card": card, "village": village}
            else:
                message = _(
                    "Family card %(card)s belongs to a household outside your region; "
                    "ask your Dinsos office to transfer the household."
                ) % {"card": card}
            self.report.errors.append(RowError(number, "no_kk", message))
        # Match people: by NIK, then by name, birth date and village (a row with a NIK
        # only matches a person without one).
        cursor.execute(
            f"UPDATE {rows} SET person_id = p.id FROM {person} p WHERE {rows}.nik = p.nik"  # noqa: S608
        )
        cursor.execute(
            f"UPDATE {rows} SET person_id = m.id FROM (SELECT s.row_number, min(p.id) AS id FROM {rows} s "  # noqa: S608
            f"JOIN {person} p ON p.village_id = s.village_id AND p.search_name = s.search_name "
            "AND p.birth_date = s.birth_date WHERE s.person_id IS NULL AND p.merged_into_id IS NULL "
            f"AND (s.nik IS NULL OR p.nik IS NULL) GROUP BY s.row_number) m WHERE {rows}.row_number = m.row_number"
        )
        bad += self.refuse_people_outside_scope(staging)
        cursor.execute(
            f"SELECT s.row_number, s.person_id FROM {rows} s WHERE s.person_id IN "  # noqa: S608
            f"(SELECT person_id FROM {rows} WHERE person_id IS NOT NULL GROUP BY person_id HAVING count(*) > 1) "
            "ORDER BY s.row_number"
        )
        shared: dict[int, list[int]] = {}
        for number, person_id in cursor.fetchall():
            shared.setdefault(person_id, []).append(number)
        for numbers in shared.values():
            for number in numbers[1:]:
                bad.append(number)
                self.report.errors.append(
                    RowError(
                        number,
                        "nama",
                        _("This row and row %(row)s are the same registered person.") % {"row": numbers[0]},
                    )
                )
        if self.skip_invalid:
            staging.remove(bad)

    def may_map(self, village: str) -> bool:
        return self.acting_user is None or policy.can_map(self.acting_user, village)

    def refuse_people_outside_scope(self, staging: Staging) -> list[int]:
        """Rows that matched a registered person whose village lies outside the
        importer's area: refused, and taken out of the match, so that an import can
        never rename, move or reveal someone the importer may not map. The message
        says nothing of that person (not their name, not their region)."""
        if self.acting_user is None:
            return []
        regions = policy.mapping_regions(self.acting_user)
        if None in regions:
            return []
        cursor, rows = staging.cursor, staging.rows
        inside, params = subtree_sql("p.village_id", [code for code in regions if code is not None])
        cursor.execute(
            f"SELECT s.row_number, s.nik = p.nik FROM {rows} s JOIN {Person._meta.db_table} p "  # noqa: S608
            f"ON p.id = s.person_id WHERE NOT {inside} ORDER BY s.row_number",
            params,
        )
        refused = cursor.fetchall()
        message = _(
            "This row matches a person registered outside your region, so it cannot be imported here. "
            "Ask your Dinsos office to transfer the person to your area."
        )
        numbers = []
        for number, by_nik in refused:
            numbers.append(number)
            self.report.errors.append(RowError(number, "nik" if by_nik else "nama", message))
        for start in range(0, len(numbers), 1000):
            chunk = numbers[start : start + 1000]
            cursor.execute(
                f"UPDATE {rows} SET person_id = NULL WHERE row_number IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
        return numbers

    def plan(self, staging: Staging) -> None:
        """Mark changed and moved people, drop PPKS types already recorded, count."""
        cursor, rows, person = staging.cursor, staging.rows, Person._meta.db_table
        staging.analyze(rows)  # the matching filled person_id: plan the joins on it
        record = PpksRecord._meta.db_table

        def differs(column: str) -> str:
            return f"({rows}.{column} <> '' AND p.{column} <> {rows}.{column})"

        cursor.execute(
            f"UPDATE {rows} SET changed = TRUE, moved_from = CASE WHEN p.village_id <> {rows}.village_id "  # noqa: S608
            f"THEN p.village_id END FROM {person} p WHERE {rows}.person_id = p.id AND ("
            f"p.full_name <> {rows}.full_name OR p.sex <> {rows}.sex "
            f"OR p.birth_date IS DISTINCT FROM {rows}.birth_date OR p.village_id <> {rows}.village_id "
            f"OR ({rows}.nik IS NOT NULL AND p.nik IS NULL) "
            f"OR ({rows}.family_card <> '' AND p.household_id IS NULL) OR "
            + " OR ".join(differs(column) for column in ("family_card", "birth_place", "address", "phone"))
            + ")"
        )
        cursor.execute(
            f"DELETE FROM {staging.types} WHERE EXISTS (SELECT 1 FROM {rows} s JOIN {record} r "  # noqa: S608
            f"ON r.person_id = s.person_id WHERE s.row_number = {staging.types}.row_number "
            f"AND r.category = {staging.types}.category)"
        )
        cursor.execute(
            f"SELECT count(*), count(person_id), sum(CASE WHEN changed THEN 1 ELSE 0 END) FROM {rows}"  # noqa: S608
        )
        staged, matched, changed = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {staging.types}")  # noqa: S608
        self.report.created = staged - matched
        self.report.updated = changed or 0
        self.report.unchanged = matched - (changed or 0)
        self.report.records = cursor.fetchone()[0]

    def write(self, staging: Staging) -> None:
        """Households first (people point to them), then new people, changed people,
        new PPKS records, and the summaries."""
        cursor, rows = staging.cursor, staging.rows
        now = timezone.now()
        person, household, record = Person._meta.db_table, Household._meta.db_table, PpksRecord._meta.db_table
        user = self.user_id
        reason = _("Imported from %(file)s") % {"file": self.report.filename[:60]}
        history = functools.partial(_history, cursor, when=now, user_id=user, reason=reason)

        cursor.execute(
            f"INSERT INTO {staging.households} (row_number, family_card, village_id, address) "  # noqa: S608
            f"SELECT min(row_number), family_card, min(village_id), min(address) FROM {rows} s WHERE family_card <> '' "
            f"AND NOT EXISTS (SELECT 1 FROM {household} h "
            "WHERE NOT (h.family_card = '') AND h.family_card = s.family_card) "
            "GROUP BY family_card"
        )
        new_households = cursor.rowcount
        staging.new_ids(
            staging.households,
            f"{staging.households}_new",
            Household,
            order="village_id, family_card",
            columns="row_number, family_card, village_id, address",
        )

        triggers = RowTriggers(staging)
        triggers.lock(Region._meta.db_table, "code", f"SELECT village_id FROM {rows}")  # noqa: S608
        triggers.lock(
            household,
            "id",
            f"SELECT h.id FROM {household} h JOIN {rows} s ON NOT (h.family_card = '') "  # noqa: S608
            "AND h.family_card = s.family_card WHERE s.person_id IS NULL AND s.family_card <> ''",
        )
        triggers.lock(
            person,
            "id",
            f"SELECT s.person_id FROM {rows} s JOIN {staging.types} t ON t.row_number = s.row_number "  # noqa: S608
            "WHERE s.person_id IS NOT NULL",
        )
        if user is not None:
            triggers.lock(get_user_model()._meta.db_table, "id", "SELECT %s::bigint", [user])

        with triggers.off():
            constants = {"now": now, "user": user, "reason": reason, "legal_basis": LegalBasis.PUBLIC_TASK.value}
            _insert_new(
                cursor,
                Household,
                f"{staging.households}_new",
                {column: column for column in ("id", "family_card", "village_id", "address")}
                | {"created_at": "%(now)s"},
                constants,
                expected=new_households,
            )
            staging.analyze(household)
            # New people, with the household of their family card, get ids in village
            # and name order, so that the indexes on (village, name) and on the
            # records' person grow at their right edge instead of at random places.
            staging.new_ids(
                f"{rows} s LEFT JOIN {household} h "
                "ON s.family_card <> '' AND NOT (h.family_card = '') AND h.family_card = s.family_card",
                f"{rows}_new",
                Person,
                where="s.person_id IS NULL",
                order="s.village_id, s.search_name",
                columns="s.row_number, s.nik, s.family_card, s.full_name, s.search_name, s.sex, s.birth_place, "
                "s.birth_date, s.village_id, s.address, s.phone, h.id AS household_id",
            )
            copied = (
                "id", "nik", "family_card", "full_name", "search_name", "sex", "birth_place", "birth_date",
                "village_id", "address", "phone", "household_id",
            )  # fmt: skip
            _insert_new(
                cursor,
                Person,
                f"{rows}_new",
                {column: column for column in copied}
                | {
                    column: "''"
                    for column in ("disability", "household_relation", "guardian_relation", "notes", "legal_hold")
                }
                | {
                    "legal_basis": "%(legal_basis)s",
                    "created_by_id": "%(user)s",
                    "created_at": "%(now)s",
                    "updated_at": "%(now)s",
                },
                constants,
                expected=self.report.created,
            )
            staging.analyze(person)

        # Changed people: a new village is a move, and their PPKS records follow.
        cursor.execute(
            f"INSERT INTO {Move._meta.db_table} (person_id, from_village_id, to_village_id, reason, "  # noqa: S608
            f"acting_user_id, at) SELECT person_id, moved_from, village_id, %s, %s, %s FROM {rows} "
            "WHERE moved_from IS NOT NULL",
            [reason, user, now],
        )
        cursor.execute(
            f"UPDATE {person} AS p SET full_name = s.full_name, search_name = s.search_name, sex = s.sex, "  # noqa: S608
            "birth_date = s.birth_date, village_id = s.village_id, nik = coalesce(p.nik, s.nik), "
            "family_card = CASE WHEN s.family_card <> '' THEN s.family_card ELSE p.family_card END, "
            "birth_place = CASE WHEN s.birth_place <> '' THEN s.birth_place ELSE p.birth_place END, "
            "address = CASE WHEN s.address <> '' THEN s.address ELSE p.address END, "
            "phone = CASE WHEN s.phone <> '' THEN s.phone ELSE p.phone END, "
            f"household_id = coalesce(p.household_id, (SELECT h.id FROM {household} h "
            "WHERE s.family_card <> '' AND NOT (h.family_card = '') AND h.family_card = s.family_card)), "
            "updated_at = %s "
            f"FROM {rows} s WHERE s.person_id = p.id AND s.changed",
            [now],
        )
        history(Person, f"SELECT s.person_id FROM {rows} s WHERE s.changed", change="~")  # noqa: S608
        moved_records = (
            f"SELECT r.id FROM {record} r JOIN {rows} s ON s.person_id = r.person_id "  # noqa: S608
            "WHERE s.moved_from IS NOT NULL"
        )
        cursor.execute(f"SELECT count(*) FROM {rows} WHERE moved_from IS NOT NULL")  # noqa: S608
        if cursor.fetchone()[0]:
            cursor.execute(
                f"UPDATE {record} SET region_id = (SELECT s.village_id FROM {rows} s "  # noqa: S608
                f"WHERE s.person_id = {record}.person_id) WHERE id IN ({moved_records})"
            )
            history(PpksRecord, moved_records, change="~")

        # New PPKS records. Their creation is the record itself (source impor,
        # reported_by, reported_at): like a record mapped through a form, it has no
        # event until its status changes, and history rows from its first change.
        with triggers.off():
            cursor.execute(
                f"INSERT INTO {record} (person_id, household_id, category, region_id, conditions, checklist, "  # noqa: S608
                "status, status_reason, source, reported_by_id, reported_at, status_changed_at) "
                "SELECT person_id, NULL, category, village_id, '', '[]', %s, '', %s, %s, %s, %s FROM ("
                f"SELECT n.id AS person_id, t.category, n.village_id FROM {staging.types} t "
                f"JOIN {rows}_new n ON n.row_number = t.row_number UNION ALL "
                f"SELECT s.person_id, t.category, s.village_id FROM {staging.types} t "
                f"JOIN {rows} s ON s.row_number = t.row_number WHERE s.person_id IS NOT NULL) new "
                "ORDER BY person_id, category",
                [PpksStatus.REPORTED.value, RecordSource.IMPORT.value, user, now, now],
            )
            _expect(cursor, self.report.records, "PPKS records")
        staging.analyze(record)  # the recount below groups them: planned on their real number
        cursor.execute(f"DROP TABLE {rows}_new")
        cursor.execute(f"DROP TABLE {staging.households}_new")
        # Recount where records were added or moved (nothing to recount otherwise).
        cursor.execute(
            f"SELECT DISTINCT s.village_id FROM {rows} s JOIN {staging.types} t ON t.row_number = s.row_number "  # noqa: S608
            f"UNION SELECT DISTINCT village_id FROM {rows} WHERE moved_from IS NOT NULL "
            f"UNION SELECT DISTINCT moved_from FROM {rows} WHERE moved_from IS NOT NULL"
        )
        refresh_districts({district_of(village) for (village,) in cursor.fetchall()})


def import_people(
    data: bytes,
    filename: str,
    *,
    acting_user: Any,
    dry_run: bool,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    report = ImportReport(kind="people", filename=filename, dry_run=dry_run)
    try:
        table = read_raw(data, filename)
    except TableError as error:
        report.errors.append(RowError(0, "", str(error)))
        return report
    missing = [column for column in REQUIRED if column not in table.headers]
    if missing:
        report.errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("Missing columns: %(columns)s. Download the template to see the expected columns.")
                % {"columns": ", ".join(missing)},
            )
        )
        return report
    importer = PeopleImport(report, acting_user=acting_user, skip_invalid=skip_invalid, progress=progress)
    with connection.cursor() as cursor:
        staging = Staging(cursor)
        staging.create()
        try:
            try:
                checker = RowChecker(table.headers, acting_user=acting_user)
                if not (
                    staging.postgres
                    and table.from_csv
                    and stage_by_copy(staging, checker, report, table, importer.progress)
                ):
                    importer.stage(staging, checker, table.rows, table.approximate_rows)
            except TableError as error:
                report.errors.append(RowError(0, "", str(error)))
                return report
            staging.index()
            importer.find_repeats(staging)
            try:
                with transaction.atomic():
                    importer.check_against_registry(staging)
                    report.errors.sort(key=lambda error: (error.row, error.column))
                    if report.errors and not skip_invalid:
                        return report
                    importer.plan(staging)
                    if dry_run:
                        return report
                    importer.write(staging)
                    report.written = True
            except IntegrityError:
                # The registry changed under the import (a village, household or person
                # it refers to went away): everything rolled back.
                report.errors.append(
                    RowError(0, "", _("The registry changed while importing; nothing was written. Try again."))
                )
                report.created = report.updated = report.unchanged = report.records = 0
                report.written = False
        finally:
            staging.drop()
    return report
