"""A NIK or family card of another area tells the asker nothing of the record.

Registering the NIK of a person (or worker) registered in another province answers
that it is registered elsewhere: not the name, not the region. The attempt is logged
with the record it hit; the asker may ask for a transfer, which only an office above
both areas decides. Inside the asker's area the existing record is shown, as before.
"""

from typing import Any

import pytest

from pilar.accounts.models import User
from pilar.audit.models import AccessAction, AccessLog
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Move, Person, PersonTransfer
from pilar.core.models import TransferStatus
from pilar.core.synthetic import person as synthetic
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind
from pilar.workforce.models import Engagement, WorkerTransfer

pytestmark = pytest.mark.django_db
OUTSIDE_PERSON = "Orang dengan NIK ini terdaftar di luar wilayah Anda."
OUTSIDE_WORKER = "Pekerja dengan NIK ini terdaftar di luar wilayah Anda."


def bengkulu_person() -> Person:
    someone = synthetic(3, "17.01.01")
    return registry.register_person(
        registry.PersonData(
            full_name="Rahasia Bengkulu", sex=someone.sex, nik=someone.nik, birth_date=someone.birth_date,
            family_card="1701010101260077", village=Region.objects.get(code="17.01.01.2001"),
        ),
        categories=["PPKS-09"],
        acting_user=None,
    )  # fmt: skip


def new_person_form(person: Person, **extra: str) -> dict[str, str]:
    return {
        "nik": person.nik or "", "full_name": "Orang Baru", "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "", "village": "18.01.04.2001",
        "legal_basis": "tugas_publik", **extra,
    }  # fmt: skip


def test_a_psm_learns_nothing_of_a_bengkulu_person_and_the_attempt_is_logged(
    client_for: Any, people: dict[str, User]
) -> None:
    other = bengkulu_person()
    before = Person.objects.count()

    response = client_for("psm_a").post("/ppks/orang/baru/", new_person_form(other))
    page = response.content.decode()

    assert response.status_code == 200
    assert OUTSIDE_PERSON in page
    for secret in ("Rahasia Bengkulu", "17.01", "Air Sulau", "Kedurang", "Bengkulu"):
        assert secret not in page
    assert 'action="/ppks/pindah/minta/"' in page
    assert Person.objects.count() == before
    assert list(AccessLog.objects.filter(username="psm_a").values_list("action", "record_type", "record_ids")) == [
        (AccessAction.SEARCH, "beneficiaries.Person", [other.pk])
    ]


def test_inside_the_area_the_existing_person_is_named(client_for: Any, people: dict[str, User]) -> None:
    someone = synthetic(4, "18.01.04")
    existing = registry.register_person(
        registry.PersonData(full_name="Warga Sidosari", sex=someone.sex, nik=someone.nik,
                            birth_date=someone.birth_date, village=Region.objects.get(code="18.01.04.2002")),
        acting_user=None,
    )  # fmt: skip

    outsider = client_for("psm_a").post("/ppks/orang/baru/", new_person_form(existing)).content.decode()
    tksk = client_for("tksk").post("/ppks/orang/baru/", new_person_form(existing)).content.decode()

    assert OUTSIDE_PERSON in outsider
    assert "Warga Sidosari" not in outsider
    assert f"/ppks/orang/{existing.pk}/" in tksk
    assert "Warga Sidosari" in tksk


def test_a_family_card_of_another_province_is_a_field_error_that_names_nothing(
    client_for: Any, people: dict[str, User]
) -> None:
    other = bengkulu_person()
    form = new_person_form(other, nik="", family_card="1701010101260077")

    response = client_for("psm_a").post("/ppks/orang/baru/", form)

    assert response.status_code == 200
    assert response.context["form"].errors["family_card"] == [
        "Nomor KK ini terdaftar di luar wilayah Anda. Mintalah Dinas Sosial memindahkan keluarga tersebut "
        "terlebih dahulu, atau kosongkan nomornya."
    ]
    assert "17.01" not in response.content.decode()
    assert AccessLog.objects.filter(username="psm_a", record_type="beneficiaries.Household").count() == 1


def test_a_transfer_is_decided_only_above_both_areas_and_moves_the_person(
    client_for: Any, people: dict[str, User]
) -> None:
    other = bengkulu_person()
    psm = client_for("psm_a")

    psm.post("/ppks/pindah/minta/", {"nik": other.nik, "village": "18.01.04.2001", "reason": "Tinggal di sini"})
    transfer = PersonTransfer.objects.get()
    mine = psm.get("/ppks/pindah/").content.decode()
    regency = client_for("operator_regency").post(f"/ppks/pindah/{transfer.pk}/putuskan/", {"decision": "approve"})
    province = client_for("operator_other_province").post(
        f"/ppks/pindah/{transfer.pk}/putuskan/", {"decision": "approve"}
    )
    unchanged = (Person.objects.get(pk=other.pk).village_id, PersonTransfer.objects.get().status)
    approved = client_for("admin").post(f"/ppks/pindah/{transfer.pk}/putuskan/", {"decision": "approve"})

    assert (transfer.status, transfer.from_village_id, transfer.to_village_id) == (
        TransferStatus.WAITING, "17.01.01.2001", "18.01.04.2001",
    )  # fmt: skip
    assert "Rahasia Bengkulu" not in mine
    assert other.nik[:4] + "********" + other.nik[12:] in mine
    assert (regency.status_code, province.status_code) == (404, 403)
    assert unchanged == ("17.01.01.2001", TransferStatus.WAITING)
    assert approved.status_code == 302
    assert Person.objects.get(pk=other.pk).village_id == "18.01.04.2001"
    assert Move.objects.get(person=other).acting_user == people["admin"]
    assert PersonTransfer.objects.get().status == TransferStatus.APPROVED
    assert psm.get(f"/ppks/orang/{other.pk}/").status_code == 200


def test_an_operator_learns_nothing_of_a_bengkulu_worker_and_may_ask_for_them(
    client_for: Any, people: dict[str, User]
) -> None:
    someone = synthetic(9, "17.01.01")
    engagement = workforce.register_worker(
        nik=someone.nik, full_name="Pekerja Rahasia", sex=someone.sex, birth_date=someone.birth_date,
        home_village=Region.objects.get(code="17.01.01.2001"), kind=WorkerKind.PSM,
        region=Region.objects.get(code="17.01.01.2001"), acting_user=None,
    )  # fmt: skip
    operator = client_for("operator_regency")
    form = {
        "nik": someone.nik, "full_name": "Nama Lain", "sex": someone.sex, "birth_date": someone.birth_date.isoformat(),
        "kind": WorkerKind.TKSK, "region": "18.01.04",
    }  # fmt: skip

    page = operator.post("/psks/pekerja/baru/", form).content.decode()
    operator.post(
        "/psks/pindah/minta/", {"nik": someone.nik, "kind": WorkerKind.TKSK, "region": "18.01.04", "reason": "Pindah"}
    )
    approved = client_for("admin").post(
        f"/psks/pindah/{WorkerTransfer.objects.get().pk}/putuskan/", {"decision": "approve"}
    )

    assert OUTSIDE_WORKER in page
    assert "Pekerja Rahasia" not in page
    assert "17.01" not in page
    assert AccessLog.objects.filter(username="operator_regency", record_type="workforce.Worker").count() == 1
    assert approved.status_code == 302
    assert Engagement.objects.filter(worker=engagement.worker, kind=WorkerKind.TKSK).get().region_id == "18.01.04"
