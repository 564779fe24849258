"""No lost updates: a change based on an old version of a case is refused with the
case as it is now (409 on the page and in the API), on SQLite and PostgreSQL; with
real separate PostgreSQL connections, two simultaneous changes make one."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pilar.accounts import services as accounts
from pilar.accounts.roles import Role
from pilar.cases import services
from pilar.cases.models import Case, CaseEvent
from pilar.regions.models import Region
from tests.cases.conftest import act, fresh, open_for
from tests.personas import PASSWORD


@pytest.fixture
def second_psm(people):  # type: ignore[no-untyped-def]
    """Another PSM of village A: two workers who may both act on the village's case."""
    return accounts.create_user(
        username="psm_a2",
        password=PASSWORD,
        full_name="Psm A Dua",
        role=Role.PSM,
        region=Region.objects.get(code="18.01.04.2001"),
        acting_user=None,
    )


@pytest.mark.django_db
def test_a_page_change_based_on_an_old_version_is_refused_and_shows_the_case_now(  # type: ignore[no-untyped-def]
    client_for, people, sumini, second_psm
) -> None:
    case = open_for(sumini, people["psm_a"])
    seen = case.version
    act(case, "take", second_psm)
    events = CaseEvent.objects.count()
    client = client_for("psm_a")

    response = client.post(f"/kasus/{case.pk}/catatan/", {"version": seen, "text": "Catatan saya yang panjang"})

    page = response.content.decode()
    assert response.status_code == 409
    assert (
        "Kasus ini telah diubah orang lain sementara itu (sekarang ditangani, dipegang tingkat desa/kelurahan). "
        "Perubahan Anda tidak disimpan: lihat keadaan kasus sekarang lalu coba lagi."
    ) in page
    assert "Catatan saya yang panjang</textarea>" in page
    assert f'<input type="hidden" name="version" value="{seen + 1}" id="id_version">' in page
    assert CaseEvent.objects.count() == events
    assert fresh(case).version == seen + 1

    act(case, "escalate", second_psm, "Naik ke kecamatan")
    escalated = client.post(f"/kasus/{case.pk}/catatan/", {"version": seen + 1, "text": "Catatan kedua"})
    assert escalated.status_code == 409
    assert "Catatan kedua</textarea>" in escalated.content.decode()
    assert CaseEvent.objects.count() == events + 1


@pytest.mark.django_db
def test_the_api_answers_409_with_the_current_case_and_one_of_two_escalations_wins(api_for, people, sumini) -> None:  # type: ignore[no-untyped-def]
    case = open_for(sumini, people["psm_a"])
    client = api_for("psm_a")
    url = f"/api/v1/cases/{case.pk}/transition/"

    first = client.post(url, {"version": case.version, "action": "escalate", "text": "Naik"}, format="json")
    second = client.post(url, {"version": case.version, "action": "escalate", "text": "Naik juga"}, format="json")

    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["current"]["version"] == 2
    assert second.json()["current"]["status"] == "dieskalasi"
    assert second.json()["current"]["level"] == 3
    assert fresh(case).events.filter(kind="eskalasi").count() == 1


def race(first_change, second_change) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Run `first_change` in a transaction held open until `second_change`, on another
    connection, is seen waiting for the case's row lock; then let both finish."""
    holding, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = first_change()
                holding.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    def second() -> None:
        try:
            results["second"] = second_change()
        except services.CaseConflict as conflict:
            results["second"] = conflict
        finally:
            connection.close()

    first_thread = threading.Thread(target=first)
    first_thread.start()
    assert holding.wait(timeout=60)
    second_thread = threading.Thread(target=second)
    second_thread.start()
    # Observed, not timed: the outcome is the same whichever way the threads run.
    with connection.cursor() as cursor:
        for _ in range(6000):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.01)
    release.set()
    first_thread.join()
    second_thread.join()
    return results


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between real connections: PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_escalations_on_postgresql_make_one(people, sumini, second_psm) -> None:  # type: ignore[no-untyped-def]
    needs_postgresql()
    case = open_for(sumini, people["psm_a"])

    def escalate(user, reason):  # type: ignore[no-untyped-def]
        return lambda: services.escalate_case(
            Case.objects.get(pk=case.pk), expected_version=1, reason=reason, acting_user=user
        )

    results = race(escalate(people["psm_a"], "Pertama"), escalate(second_psm, "Kedua"))

    assert isinstance(results["first"], Case)
    assert isinstance(results["second"], services.CaseConflict)
    case = fresh(case)
    assert (case.status, case.level, case.version) == ("dieskalasi", 3, 2)
    assert list(case.events.filter(kind="eskalasi").values_list("text", flat=True)) == ["Pertama"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_on_postgresql_one_succeeds_the_other_conflicts_and_nothing_is_lost(  # type: ignore[no-untyped-def]
    people, sumini, second_psm
) -> None:
    needs_postgresql()
    case = open_for(sumini, people["psm_a"])

    results = race(
        lambda: services.take_case(Case.objects.get(pk=case.pk), expected_version=1, acting_user=second_psm),
        lambda: services.record_visit(
            Case.objects.get(pk=case.pk),
            expected_version=1,
            happened_on=timezone.localdate(),
            action_taken="Kunjungan bersamaan",
            acting_user=people["psm_a"],
        ),
    )

    assert isinstance(results["first"], Case)
    conflict = results["second"]
    assert isinstance(conflict, services.CaseConflict)
    assert (conflict.current.version, conflict.current.status) == (2, "ditangani")
    assert list(fresh(case).events.values_list("kind", flat=True)) == ["dibuka", "ditangani"]
    # Nothing is lost: the visit, based again on the case as it is now, is kept.
    services.record_visit(
        conflict.current,
        expected_version=conflict.current.version,
        happened_on=timezone.localdate(),
        action_taken="Kunjungan bersamaan",
        acting_user=people["psm_a"],
    )
    case = fresh(case)
    assert (case.status, case.assigned_to, case.version) == ("ditangani", second_psm, 3)
    assert list(case.events.values_list("kind", flat=True)) == ["dibuka", "ditangani", "kunjungan"]
