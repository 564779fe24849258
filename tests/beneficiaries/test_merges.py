"""Merging two records of one person carries everything, and can be undone.

The duplicate holds one of every reference to a person that the model registry has;
the test walks the registry (beneficiaries.merges.person_references), so a reference
added later without a fixture here fails it, and one the merge forgets to move fails
it too."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from pilar.accounts.models import User
from pilar.beneficiaries import merges
from pilar.beneficiaries.models import (
    Consent,
    DuplicateDecision,
    Merge,
    Move,
    Person,
    PersonTransfer,
    PpksRecord,
    PpksStatus,
    SubjectRequest,
)
from pilar.cases.models import Case
from pilar.regions.models import Region
from tests.cases.conftest import HAJIMENA, SIDOSARI, open_for, register

pytestmark = pytest.mark.django_db

# The references the fixture below gives the duplicate, and those that stay (STAYS).
COVERED = {
    ("beneficiaries.Person", "guardian"),
    ("beneficiaries.Person", "merged_into"),
    ("beneficiaries.Move", "person"),
    ("beneficiaries.PersonTransfer", "person"),
    ("beneficiaries.SubjectRequest", "person"),
    ("beneficiaries.Consent", "person"),
    ("cases.Case", "person"),
}


@pytest.fixture
def pair(people: dict[str, User]) -> dict[str, Any]:
    """Sumini twice in Hajimena: the survivor (NIK, PPKS-08) and a duplicate that holds
    one of every reference: PPKS-08 again and PPKS-24, an open case, a move, a transfer
    request, a data request, a consent, a ward, a person merged into it earlier, and a
    'not the same person' decision."""
    psm, operator = people["psm_a"], people["operator_regency"]
    survivor = register("Sumini", HAJIMENA, psm)
    Person.objects.filter(pk=survivor.pk).update(nik="1801045507500003", phone="")
    duplicate = register("Sumini", HAJIMENA, psm, category="PPKS-24")
    PpksRecord.objects.create(
        person=duplicate, category="PPKS-08", region_id=HAJIMENA, conditions="Tinggal sendiri", checklist=[1],
        reported_by=psm, reported_at=timezone.now(), status_changed_at=timezone.now(),
    )  # fmt: skip
    Person.objects.filter(pk=duplicate.pk).update(phone="081234567890", address="Dusun II")
    case = open_for(Person.objects.get(pk=duplicate.pk), psm)
    hajimena, sidosari = Region.objects.get(code=HAJIMENA), Region.objects.get(code=SIDOSARI)
    Move.objects.create(
        person=duplicate, from_village=sidosari, to_village=hajimena, acting_user=psm, at=timezone.now()
    )
    PersonTransfer.objects.create(
        person=duplicate, from_village=hajimena, to_village=sidosari, requested_by=people["psm_b"], reason="pindah"
    )
    SubjectRequest.objects.create(person=duplicate, kind="akses", requested_at=timezone.now(), recorded_by=operator)
    Consent.objects.create(
        person=duplicate, given_on=datetime.date(2026, 1, 5), taken_by=psm, method="lisan", covers="pendataan"
    )
    ward = register("Tono", HAJIMENA, psm, category="PPKS-02")
    Person.objects.filter(pk=ward.pk).update(guardian=duplicate)
    earlier = register("Sumini Dup", HAJIMENA, psm)
    Person.objects.filter(pk=earlier.pk).update(merged_into=duplicate)
    stranger = register("Sumirah", HAJIMENA, psm)
    DuplicateDecision.objects.create(
        first_id=min(duplicate.pk, stranger.pk), second_id=max(duplicate.pk, stranger.pk), at=timezone.now()
    )
    return {"survivor": survivor, "duplicate": duplicate, "case": case, "ward": ward, "earlier": earlier}


def pointing(person: Person) -> dict[tuple[str, str], list[int]]:
    """The ids of the rows of every moved reference that point at `person`."""
    return {
        (model._meta.label, name): sorted(model._default_manager.filter(**{name: person}).values_list("pk", flat=True))
        for model, name in merges.moved_references()
    }


def test_every_reference_to_a_person_is_either_moved_by_a_merge_or_kept_on_purpose() -> None:
    found = {(model._meta.label, name) for model, name in merges.person_references()}

    assert found == COVERED | set(merges.STAYS)


def test_a_merge_moves_every_reference_to_the_survivor_and_the_case_with_it(
    pair: dict[str, Any], client_for: Any, people: dict[str, User]
) -> None:
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    before = pointing(duplicate)

    merges.merge_people(survivor, duplicate, acting_user=people["tksk"])

    assert all(before[key] for key in before), "the fixture holds one of each"
    assert all(ids == [] for ids in pointing(duplicate).values())
    after = pointing(survivor)
    assert all(set(before[key]) <= set(after[key]) for key in before)
    assert Case.objects.get(pk=pair["case"].pk).person_id == survivor.pk
    page = client_for("psm_a").get(f"/kasus/?daftar=semua&orang={survivor.pk}").content.decode()
    assert f"/kasus/{pair['case'].pk}/" in page
    records = dict(PpksRecord.objects.filter(person=survivor).values_list("category", "status"))
    assert records == {"PPKS-08": PpksStatus.REPORTED, "PPKS-24": PpksStatus.REPORTED}
    kept = PpksRecord.objects.get(person=survivor, category="PPKS-08")
    assert (kept.conditions, kept.checklist) == ("Tinggal sendiri", [1])
    assert PpksRecord.objects.get(person=duplicate).status == PpksStatus.REJECTED  # counted once
    merged = Person.objects.get(pk=survivor.pk)
    assert (merged.phone, merged.address) == ("081234567890", "Dusun II")
    assert DuplicateDecision.objects.filter(first__full_name="Sumini", second__full_name="Sumirah").count() == 2


def test_an_undo_restores_both_people_as_they_were(pair: dict[str, Any], people: dict[str, User]) -> None:
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    before = (pointing(survivor), pointing(duplicate))
    fields = ("nik", "phone", "address", "household_id", "merged_into_id")
    people_before = [Person.objects.values(*fields).get(pk=person.pk) for person in (survivor, duplicate)]
    records_before = sorted(PpksRecord.objects.values_list("pk", "person_id", "status", "conditions", "checklist"))

    merge = merges.merge_people(survivor, duplicate, acting_user=people["tksk"])
    merges.undo_merge(merge, acting_user=people["tksk"])

    assert (pointing(survivor), pointing(duplicate)) == before
    assert [Person.objects.values(*fields).get(pk=person.pk) for person in (survivor, duplicate)] == people_before
    assert sorted(PpksRecord.objects.values_list("pk", "person_id", "status", "conditions", "checklist")) == (
        records_before
    )
    assert DuplicateDecision.objects.count() == 1
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undone_at is not None) == (people["tksk"], True)


@pytest.mark.parametrize(
    ("persona", "status", "undone"),
    [
        ("tksk", 302, True),  # who merged
        ("operator_regency", 302, True),  # their supervisor
        ("psm_a", 403, False),  # no verifier: refused with the reason
        ("psm_b", 404, False),  # the people are not hers to see
        ("operator_other_province", 404, False),
    ],
)
def test_who_may_undo_a_merge(
    pair: dict[str, Any], client_for: Any, people: dict[str, User], persona: str, status: int, undone: bool
) -> None:
    merge = merges.merge_people(pair["survivor"], pair["duplicate"], acting_user=people["tksk"])

    response = client_for(persona).post(f"/ppks/gabungan/{merge.pk}/batalkan/")

    assert response.status_code == status
    assert (Merge.objects.get(pk=merge.pk).undone_at is not None) == undone
    assert Case.objects.get(pk=pair["case"].pk).person_id == (pair["duplicate"] if undone else pair["survivor"]).pk


def test_the_survivor_s_page_offers_the_undo_to_who_may(pair: dict[str, Any], client_for: Any, people: Any) -> None:
    merges.merge_people(pair["survivor"], pair["duplicate"], acting_user=people["tksk"])

    mine = client_for("tksk").get(f"/ppks/orang/{pair['survivor'].pk}/").content.decode()
    psm = client_for("psm_a").get(f"/ppks/orang/{pair['survivor'].pk}/").content.decode()

    assert "Sumini, digabungkan pada" in mine
    assert "Batalkan penggabungan" in mine
    assert "Batalkan penggabungan" not in psm
