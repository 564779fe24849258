"""Retention (issue 18, point 5): PILAR_RETENTION_YEARS after a person's last activity,
with every record finished and no open case or legal obligation, the registry proposes
them to the Dinsos operators of their area, who anonymise them in bulk."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person, PpksRecord, PpksStatus, SubjectRequest
from pilar.cases import services as cases
from pilar.cases.models import Case
from pilar.regions.models import Region
from pilar.reports.ppks import ppks_recap
from tests.cases.conftest import HAJIMENA, SIDOSARI, fresh, open_for, register

pytestmark = pytest.mark.django_db

SIX_YEARS_AGO = timezone.now() - datetime.timedelta(days=6 * 365)
A_YEAR_AGO = timezone.now() - datetime.timedelta(days=365)


def finished(name: str, village: str, people: Any, *, when: datetime.datetime = SIX_YEARS_AGO) -> Person:
    """A person whose one PPKS record is done, last touched `when`."""
    person = register(name, village, people["psm_a"] if village == HAJIMENA else people["psm_b"])
    record = person.ppks_records.get()
    for status in (PpksStatus.VERIFIED, PpksStatus.HANDLED, PpksStatus.DONE):
        record = registry.change_status(record, status, acting_user=people["tksk"])
    age(person, when)
    return person


def age(person: Person, when: datetime.datetime) -> None:
    Person.objects.filter(pk=person.pk).update(updated_at=when)
    PpksRecord.objects.filter(person=person).update(status_changed_at=when)
    Case.objects.filter(person=person).exclude(closed_at=None).update(closed_at=when)


@pytest.fixture
def area(people: Any) -> dict[str, Person]:
    made = {
        "done": finished("Sarinah", HAJIMENA, people),
        "sibling_village": finished("Tukiyem", SIDOSARI, people),
        "recent": finished("Warsini", HAJIMENA, people, when=A_YEAR_AGO),
        "unfinished": register("Painem", HAJIMENA, people["psm_a"]),
        "held": finished("Juminten", HAJIMENA, people),
        "open_case": finished("Suwarni", HAJIMENA, people),
        "closed_case": finished("Legiyem", HAJIMENA, people),
    }
    age(made["unfinished"], SIX_YEARS_AGO)
    Person.objects.filter(pk=made["held"].pk).update(legal_hold="Perkara PN Kalianda 3/2020")
    open_for(Person.objects.get(pk=made["open_case"].pk), people["psm_a"])
    age(made["open_case"], SIX_YEARS_AGO)
    closed = open_for(Person.objects.get(pk=made["closed_case"].pk), people["psm_a"])
    cases.close_case(closed, expected_version=fresh(closed).version, outcome="teratasi", acting_user=people["psm_a"])
    age(made["closed_case"], SIX_YEARS_AGO)
    return made


def proposed(client: Any) -> list[str]:
    return [person.full_name for person in client.get("/ppks/retensi/").context["page"].object_list]


def test_the_operators_see_exactly_the_people_past_retention_of_their_area(client_for: Any, area: Any) -> None:
    assert proposed(client_for("operator_regency")) == ["Sarinah", "Tukiyem", "Legiyem"]
    assert proposed(client_for("operator_province")) == ["Sarinah", "Tukiyem", "Legiyem"]
    assert proposed(client_for("operator_other_province")) == []
    for persona in ("psm_a", "tksk"):
        assert client_for(persona).get("/ppks/retensi/").status_code == 403


def test_confirmed_in_bulk_they_are_anonymised_and_the_recap_counts_them(client_for: Any, area: Any) -> None:
    regency = Region.objects.get(code="18.01")
    before = ppks_recap(regency).counts
    ticked = [area[name].pk for name in ("done", "closed_case", "recent", "held")]

    answer = client_for("operator_regency").post("/ppks/retensi/", {"person": ticked, "confirm": "1"}, follow=True)

    assert "2 orang dianonimkan." in answer.content.decode()
    erased = set(Person.objects.exclude(erased_at=None).values_list("pk", flat=True))
    assert erased == {area["done"].pk, area["closed_case"].pk}
    assert Person.objects.get(pk=area["recent"].pk).full_name == "Warsini"
    assert Person.objects.get(pk=area["held"].pk).full_name == "Juminten"
    assert ppks_recap(regency).counts == before
    assert set(SubjectRequest.objects.values_list("person_id", "kind", "status", "legal_ground")) == {
        (area["done"].pk, "penghapusan", "dipenuhi", "UU 27/2022 pasal 43"),
        (area["closed_case"].pk, "penghapusan", "dipenuhi", "UU 27/2022 pasal 43"),
    }
    assert proposed(client_for("operator_regency")) == ["Tukiyem"]


def test_without_the_confirmation_or_outside_the_area_nothing_is_anonymised(client_for: Any, area: Any) -> None:
    ids = [area["done"].pk, area["sibling_village"].pk]

    unconfirmed = client_for("operator_regency").post("/ppks/retensi/", {"person": ids}, follow=True)
    outsider = client_for("operator_other_province").post("/ppks/retensi/", {"person": ids, "confirm": "1"})
    worker = client_for("tksk").post("/ppks/retensi/", {"person": ids, "confirm": "1"})

    assert "Centang kotak untuk menegaskan anonimisasi." in unconfirmed.content.decode()
    assert outsider.status_code == 302
    assert worker.status_code == 403
    assert not Person.objects.exclude(erased_at=None).exists()
    assert not SubjectRequest.objects.exists()


def test_the_period_is_a_setting(client_for: Any, area: Any, settings: Any) -> None:
    settings.PILAR_RETENTION_YEARS = 7

    assert proposed(client_for("operator_regency")) == []
