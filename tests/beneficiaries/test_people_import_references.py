"""The people import's foreign keys on PostgreSQL: checked by the set (referenced rows
locked FOR KEY SHARE, row counts compared with the plan) when the database role may
turn the per-row triggers off, by the triggers otherwise; the same rows either way,
and a missing reference writes nothing."""

from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from pilar.beneficiaries.exchange import COLUMNS
from pilar.imports import people
from pilar.imports.people import RowTriggers, Staging, import_people
from tests.beneficiaries.test_people_import import good_rows, state
from tests.workforce.roster import csv_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's per-row triggers"),
]


@pytest.fixture
def superuser_may_skip() -> None:
    """The tests connect as a superuser, which may set session_replication_role."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        assert cursor.fetchone()[0] is True


@pytest.mark.parametrize("may_skip", [True, False], ids=["set-based", "per-row triggers"])
def test_both_ways_write_the_same_rows(
    lampung: object, superuser_may_skip: None, monkeypatch: pytest.MonkeyPatch, may_skip: bool
) -> None:
    original = RowTriggers.__init__

    def init(self: RowTriggers, staging: Staging) -> None:
        original(self, staging)
        self.may_skip = may_skip

    monkeypatch.setattr(RowTriggers, "__init__", init)
    data = csv_bytes(good_rows(), COLUMNS)

    report = import_people(data, "pemetaan.csv", acting_user=None, dry_run=False)

    assert (report.written, report.created, report.records) == (True, 13, 17)
    assert state() == (13, 13, 17, 0, 1, 10)
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


def test_a_missing_referenced_row_is_refused(lampung: object, superuser_may_skip: None) -> None:
    with connection.cursor() as cursor:
        staging = Staging(cursor)
        triggers = RowTriggers(staging)
        triggers.lock("regions_region", "code", "SELECT '18.01.04.2001' UNION ALL SELECT '18.01.04.2001'")
        with pytest.raises(IntegrityError, match="regions_region: 1 rows referred to by the import are missing"):
            triggers.lock("regions_region", "code", "SELECT '18.01.04.2001' UNION ALL SELECT '18.01.04.9999'")


def test_a_reference_lost_while_writing_rolls_the_whole_file_back(
    lampung: object, superuser_may_skip: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def expect(cursor: object, count: int, what: str) -> None:
        if what == "PPKS records":
            raise IntegrityError("PPKS records: 16 rows written, 17 planned")

    monkeypatch.setattr(people, "_expect", expect)

    report = import_people(csv_bytes(good_rows(), COLUMNS), "pemetaan.csv", acting_user=None, dry_run=False)

    assert report.written is False
    assert [error.message for error in report.errors] == [
        "Data registri berubah selama impor; tidak ada yang ditulis. Coba lagi."
    ]
    assert state() == (0, 0, 0, 0, 0, 0)
