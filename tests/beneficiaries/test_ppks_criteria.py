"""Each PPKS type's criteria (Permensos 08/2012, kept as data beside the 26 types):
who it is for, by age and sex, refused with a message naming the ages on every path
that maps a person (page, API, the field outbox, the import); and the conditions a
worker ticks, stored with the record and shown to the TKSK who verifies it."""

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pilar.accounts.models import User
from pilar.beneficiaries.exchange import COLUMNS
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.beneficiaries.ppks import PPKS_TYPES, age_on, refusal
from tests.cases.conftest import HAJIMENA, register
from tests.field.conftest import item, send
from tests.workforce.roster import csv_bytes

pytestmark = pytest.mark.django_db

BORN_1940 = "1940-03-02"


def counts() -> tuple[int, int]:
    return Person.objects.count(), PpksRecord.objects.count()


def test_the_26_types_carry_their_ages_and_a_checklist() -> None:
    ages = {code: (ppks.min_age, ppks.max_age) for code, ppks in PPKS_TYPES.items()}

    assert ages["PPKS-01"] == (0, 5)  # balita
    assert ages["PPKS-02"] == (6, 17)
    assert all(ages[f"PPKS-0{number}"][1] == 17 for number in range(3, 8))  # anak: under 18
    assert ages["PPKS-08"] == (60, None)  # lanjut usia
    assert ages["PPKS-23"] == (18, 59)
    assert PPKS_TYPES["PPKS-23"].sex == "P"
    assert all(len(ppks.conditions) >= 2 for ppks in PPKS_TYPES.values())
    assert [condition.number for condition in PPKS_TYPES["PPKS-02"].conditions] == [1, 2, 3, 4]


def test_age_is_counted_in_whole_years_on_the_day() -> None:
    born = datetime.date(2021, 6, 10)

    assert age_on(born, datetime.date(2026, 6, 9)) == 4
    assert age_on(born, datetime.date(2026, 6, 10)) == 5
    assert refusal("PPKS-01", birth_date=born, sex="L", on=datetime.date(2027, 6, 9)) is None
    assert refusal("PPKS-01", birth_date=born, sex="L", on=datetime.date(2027, 6, 10)) == (
        "PPKS-01 Anak Balita Telantar untuk usia 0 sampai 5 tahun; orang ini berusia 6 tahun. "
        "Untuk usia ini: PPKS-02 Anak Telantar."
    )
    assert refusal("PPKS-08", birth_date=None, sex="L", on=datetime.date(2026, 1, 1)) is None  # no papers


def test_an_import_row_of_a_man_born_in_1940_as_a_neglected_toddler_is_refused_naming_the_ages(
    people: dict[str, User], tmp_path: Path
) -> None:
    row = ["", "", "Sutrisno", "L", "Natar", "02/03/1940", HAJIMENA, "RT 001", "PPKS-01", ""]
    path = tmp_path / "pemetaan.csv"
    path.write_bytes(csv_bytes([row], COLUMNS))
    errors = io.StringIO()

    with pytest.raises(CommandError, match=r"Ditemukan 1 masalah; tidak ada yang diimpor\."):
        call_command("import", "people", str(path), stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue().splitlines() == [
        f"{path}:2 [kategori_ppks]: PPKS-01 Anak Balita Telantar untuk usia 0 sampai 5 tahun; "
        f"orang ini berusia {age_on(datetime.date(1940, 3, 2), datetime.date.today())} tahun."
    ]
    assert counts() == (0, 0)


def test_the_person_form_refuses_a_type_the_person_is_too_old_for_beside_the_types(client_for: Any) -> None:
    form = {
        "full_name": "Sutrisno",
        "sex": "L",
        "birth_date": BORN_1940,
        "village": HAJIMENA,
        "legal_basis": "tugas_publik",
        "categories": ["PPKS-01", "PPKS-08"],
    }

    response = client_for("psm_a").post("/ppks/orang/baru/", form)

    assert response.status_code == 200
    assert response.context["form"].errors["categories"] == [
        "PPKS-01 Anak Balita Telantar untuk usia 0 sampai 5 tahun; orang ini berusia "
        f"{age_on(datetime.date(1940, 3, 2), datetime.date.today())} tahun."
    ]
    assert counts() == (0, 0)


def test_a_type_for_women_only_is_refused_for_a_man(client_for: Any) -> None:
    sutrisno = register("Sutrisno", HAJIMENA, category="PPKS-08")
    Person.objects.filter(pk=sutrisno.pk).update(sex="L")

    response = client_for("psm_a").post(f"/ppks/orang/{sutrisno.pk}/ppks/", {"category": "PPKS-23"}, follow=True)

    assert "PPKS-23 Perempuan Rawan Sosial Ekonomi hanya untuk perempuan." in response.content.decode()
    assert list(sutrisno.ppks_records.values_list("category", flat=True)) == ["PPKS-08"]


def test_the_api_and_the_field_outbox_refuse_it_alike_and_write_nothing(api_for: Any, people: dict[str, User]) -> None:
    painem = register("Painem", HAJIMENA, people["psm_a"])  # born 1950, Lanjut Usia Telantar
    client = api_for("psm_a")
    before = counts()

    single = client.post("/api/v1/ppks/", {"person": painem.pk, "category": "PPKS-04"}, format="json")
    queued = send(
        client,
        item("person", {"full_name": "Darto", "sex": "L", "village": HAJIMENA, "birth_date": BORN_1940,
                        "categories": ["PPKS-02"]}),
    ).json()["results"][0]  # fmt: skip

    expected_single = (
        "PPKS-04 Anak Jalanan untuk usia 5 sampai 17 tahun; orang ini berusia 76 tahun. "
        "Untuk usia ini: PPKS-11 Gelandangan."
    )
    assert single.status_code == 400
    assert expected_single in str(single.json())
    assert queued["status"] == 400
    assert sorted(queued["body"]["fields"]) == ["categories"]
    assert "PPKS-02 Anak Telantar untuk usia 6 sampai 17 tahun" in queued["body"]["detail"][0]
    assert counts() == before


def test_the_ticked_conditions_are_kept_with_the_record_and_shown_to_the_verifier(
    client_for: Any, people: dict[str, User]
) -> None:
    form = {
        "full_name": "Painem",
        "sex": "P",
        "birth_date": "1950-07-15",
        "village": HAJIMENA,
        "legal_basis": "tugas_publik",
        "categories": ["PPKS-08"],
        # Boxes of a type left unchosen (hidden on the page) are not kept.
        "checklist": ["PPKS-08:1", "PPKS-08:3", "PPKS-24:1"],
    }

    client_for("psm_a").post("/ppks/orang/baru/", form)
    record = PpksRecord.objects.get(person__full_name="Painem")
    queue = client_for("tksk").get("/ppks/verifikasi/").content.decode()
    english = client_for("tksk")
    english.post("/bahasa/", {"language": "en", "next": "/"})
    queue_en = english.get("/ppks/verifikasi/").content.decode()

    assert (record.category, record.checklist) == ("PPKS-08", [1, 3])
    assert "Tidak mempunyai atau ditinggalkan keluarga yang mengurusnya" in queue
    assert "Tidak mampu bekerja atau tidak berpenghasilan tetap" in queue
    assert "Kebutuhan dasar (makan, pakaian, tempat tinggal, kesehatan) tidak terpenuhi" not in queue
    assert "Unable to work or without a steady income" in queue_en


def test_a_condition_the_type_does_not_have_is_refused(client_for: Any) -> None:
    painem = register("Painem", HAJIMENA, category="PPKS-24")

    response = client_for("psm_a").post(
        f"/ppks/orang/{painem.pk}/ppks/", {"category": "PPKS-08", "checklist": ["PPKS-08:9"]}
    )

    assert response.status_code == 302
    assert list(painem.ppks_records.values_list("category", flat=True)) == ["PPKS-24"]
