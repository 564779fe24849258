"""The access log cannot be altered through the application's own connection."""

import pytest
from django.db import DatabaseError, connection, transaction

from pilar.accounts.models import User
from pilar.audit.access import record_access
from pilar.audit.models import AccessAction, AccessedRecord, AccessLog
from pilar.beneficiaries.models import Person
from tests.cases.conftest import HAJIMENA, register

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="append-only by trigger on PostgreSQL")


def rows() -> list[tuple[object, ...]]:
    return [*AccessLog.objects.order_by("pk").values_list(), *AccessedRecord.objects.order_by("pk").values_list()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE audit_accesslog SET username = 'someone else'", "append-only"),
        # The one change an erasure makes, a search replaced by the mark, never with another.
        ("UPDATE audit_accesslog SET query = '*dihapus*', username = 'x'", "append-only"),
        ("UPDATE audit_accesslog SET query = 'q=Ani', path = '/ppks/orang/?q=Ani'", "append-only"),
        ("DELETE FROM audit_accesslog", "append-only"),
        # The records of each entry hold it (a foreign key) before the trigger is asked.
        ("TRUNCATE audit_accesslog", "referenced in a foreign key"),
        ("TRUNCATE audit_accesslog CASCADE", "append-only"),
        ("UPDATE audit_accessedrecord SET region = ''", "append-only"),
        ("DELETE FROM audit_accessedrecord", "append-only"),
        ("TRUNCATE audit_accessedrecord", "append-only"),
    ],
)
def test_raw_sql_cannot_change_or_empty_the_access_log(people: dict[str, User], statement: str, refusal: str) -> None:
    person = register("Sumini", HAJIMENA)
    record_access(user=people["psm_a"], action=AccessAction.VIEW, model=Person, ids=[person.pk])
    before = rows()

    with transaction.atomic(), connection.cursor() as cursor:
        # The test's own transaction holds deferred foreign-key checks, which would
        # stop a TRUNCATE before the log's trigger is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
            cursor.execute(statement)

    assert len(before) == 2
    assert rows() == before


@pytest.mark.django_db
def test_the_orm_cannot_change_or_delete_an_entry_even_with_replica_role(people: dict[str, User]) -> None:
    entry = record_access(user=people["psm_a"], action=AccessAction.VIEW, model=Person, ids=[1])
    before = rows()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(record_count=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    with transaction.atomic(), connection.cursor() as cursor:
        # The import silences foreign-key triggers this way; the log's triggers still fire.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM audit_accesslog")

    assert rows() == before


@pytest.mark.django_db
def test_appending_still_works(people: dict[str, User]) -> None:
    record_access(user=people["tksk"], action=AccessAction.EXPORT, model=Person, ids=[], count=3)

    assert AccessLog.objects.values_list("username", "action", "record_count").get() == ("tksk", "export", 3)


@pytest.mark.django_db
def test_an_erasure_may_replace_a_search_by_the_mark_and_nothing_else(people: dict[str, User]) -> None:
    entry = record_access(
        user=people["operator_regency"],
        action=AccessAction.SEARCH,
        model=Person,
        ids=[],
        query="q=Ratna+Kartikasari",
        path="/ppks/orang/?q=Ratna+Kartikasari",
    )

    AccessLog.objects.filter(pk=entry.pk).update(query="q=*dihapus*", path="/ppks/orang/?q=*dihapus*")

    assert AccessLog.objects.values_list("username", "query", "path").get() == (
        "operator_regency",
        "q=*dihapus*",
        "/ppks/orang/?q=*dihapus*",
    )
