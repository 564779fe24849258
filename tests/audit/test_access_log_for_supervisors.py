"""The access log for those who supervise (issue 18, point 6): a regency or province
operator sees who read or exported the people of their area, by person, by user and by
date; nobody else's; and an export logs every person it held."""

from typing import Any

import pytest

from pilar.audit.access import MAX_LOGGED_IDS, record_access
from pilar.audit.models import AccessAction, AccessedRecord, AccessLog
from pilar.beneficiaries.models import Person
from tests.cases.conftest import HAJIMENA, register

pytestmark = pytest.mark.django_db
BANDAR_SARI = "18.02.01.2001"  # another regency of the province


def listed(client: Any, query: str = "") -> list[tuple[str, str]]:
    response = client.get(f"/audit/akses/{query}")
    assert response.status_code == 200
    return [(entry.username, entry.path) for entry in response.context["page"].object_list]


def test_each_operator_sees_the_reads_of_the_people_of_their_area(client_for: Any, people: Any) -> None:
    sumini = register("Sumini", HAJIMENA, people["psm_a"])
    elsewhere = register("Warsini", BANDAR_SARI)
    client_for("psm_a").get(f"/ppks/orang/{sumini.pk}/")
    client_for("tksk").get(f"/ppks/orang/{sumini.pk}/")
    client_for("operator_province").get(f"/ppks/orang/{elsewhere.pk}/")

    regency = listed(client_for("operator_regency"))
    province = listed(client_for("operator_province"))
    other = listed(client_for("operator_other_province"))
    by_person = listed(client_for("operator_regency"), f"?orang={sumini.pk}&username=tksk")
    by_date = listed(client_for("operator_regency"), "?dari=2000-01-01&sampai=2000-12-31")
    refused = client_for("tksk").get("/audit/akses/")
    hidden = client_for("operator_regency").get(f"/audit/akses/?orang={elsewhere.pk}")

    sumini_page = f"/ppks/orang/{sumini.pk}/"
    assert set(regency) == {("psm_a", sumini_page), ("tksk", sumini_page)}
    assert set(province) == {*regency, ("operator_province", f"/ppks/orang/{elsewhere.pk}/")}
    assert other == []
    assert by_person == [("tksk", sumini_page)]
    assert by_date == []
    assert refused.status_code == 403
    assert hidden.status_code == 404


def test_an_export_logs_every_person_it_held_with_their_village(people: Any) -> None:
    register("Satu", HAJIMENA)
    village = Person.objects.get().village_id
    Person.objects.bulk_create(
        Person(full_name=f"Orang {number}", search_name=f"orang {number}", sex="P", village_id=village)
        for number in range(MAX_LOGGED_IDS + 99)
    )
    ids = list(Person.objects.values_list("pk", flat=True))

    entry = record_access(user=people["operator_regency"], action=AccessAction.EXPORT, model=Person, ids=iter(ids))

    assert (entry.record_count, len(entry.record_ids)) == (MAX_LOGGED_IDS + 100, MAX_LOGGED_IDS)
    assert sorted(entry.records.values_list("record_id", flat=True)) == sorted(ids)
    assert set(entry.records.values_list("region", flat=True)) == {HAJIMENA}
    assert AccessLog.objects.count() == 1
    assert AccessedRecord.objects.count() == MAX_LOGGED_IDS + 100


def test_a_background_export_logs_every_person_of_its_file(
    people: Any, client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    register("Satu", HAJIMENA)
    village = Person.objects.get().village_id
    Person.objects.bulk_create(
        Person(full_name=f"Orang {number}", search_name=f"orang {number}", sex="P", village_id=village)
        for number in range(1_199)
    )
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 1)

    with django_capture_on_commit_callbacks(execute=True):
        client_for("operator_regency").get("/ppks/orang/unduh.csv")

    entry = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert entry.record_count == 1_200
    assert sorted(entry.records.values_list("record_id", flat=True)) == sorted(
        Person.objects.values_list("pk", flat=True)
    )
