"""Mapping and verification through the pages and services: who may do what, what is
recorded, and that refused actions change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilar.accounts.models import User
from pilar.audit.models import AccessLog
from pilar.beneficiaries import merges, services
from pilar.beneficiaries.duplicates import probable_duplicates
from pilar.beneficiaries.models import DuplicateDecision, Merge, Person, PpksEvent, PpksRecord, PpksStatus, PpksSummary
from pilar.beneficiaries.names import spelling_key
from pilar.regions.models import Region
from pilar.reports.ppks import ppks_recap

HAJIMENA, SIDOSARI = "18.01.04.2001", "18.01.04.2002"


def register(name: str, village: str, *, nik: str = "", by: User | None = None, **extra: object) -> Person:
    return services.register_person(
        services.PersonData(
            full_name=name,
            sex=str(extra.pop("sex", "P")),
            village=Region.objects.get(code=village),
            nik=nik,
            birth_date=extra.pop("birth_date", datetime.date(1950, 7, 15)),  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        ),
        categories=["PPKS-08"],
        acting_user=by,
    )


@pytest.mark.django_db
def test_tksk_verifies_a_psm_record_and_the_sibling_psm_gets_404(client_for, people) -> None:  # type: ignore[no-untyped-def]
    person = register("Siti Aminah", HAJIMENA, nik="1801045507500003", by=people["psm_a"])
    record = person.ppks_records.get()
    psm_b, psm_a, tksk = client_for("psm_b"), client_for("psm_a"), client_for("tksk")

    assert psm_b.get(f"/ppks/orang/{person.pk}/").status_code == 404
    assert psm_b.post(f"/ppks/catatan/{record.pk}/status/", {"to_status": "terverifikasi"}).status_code == 404
    assert psm_b.get(f"/api/v1/ppks/{record.pk}/").status_code == 404
    refused = psm_a.post(f"/ppks/catatan/{record.pk}/status/", {"to_status": "terverifikasi"})
    assert refused.status_code == 403
    record.refresh_from_db()
    assert record.status == PpksStatus.REPORTED

    queue = tksk.get("/ppks/verifikasi/")
    assert "Siti Aminah" in queue.content.decode()
    response = tksk.post("/ppks/verifikasi/", {"record": [record.pk], "to_status": "terverifikasi"})

    record.refresh_from_db()
    assert response.status_code == 302
    assert record.status == PpksStatus.VERIFIED
    assert list(record.events.values_list("from_status", "to_status", "acting_user__username")) == [
        ("dilaporkan", "terverifikasi", "tksk")
    ]
    assert record.history.count() == 2
    assert PpksSummary.objects.get(district_id="18.01.04", category="PPKS-08").verified == 1


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_bulk_steps_are_all_or_nothing(people) -> None:  # type: ignore[no-untyped-def]
    first = register("Siti Aminah", HAJIMENA).ppks_records.get()
    second = register("Tuti Rahayu", SIDOSARI).ppks_records.get()
    services.change_status(second, PpksStatus.VERIFIED, acting_user=people["tksk"])

    with pytest.raises(ValidationError, match=r"Tuliskan alasan catatan ditolak\."):
        services.change_statuses([first], PpksStatus.REJECTED, acting_user=people["tksk"])
    with pytest.raises(ValidationError, match=r"Catatan yang terverifikasi tidak dapat menjadi terverifikasi\."):
        services.change_statuses([first, second], PpksStatus.VERIFIED, acting_user=people["tksk"])

    assert PpksRecord.objects.get(pk=first.pk).status == PpksStatus.REPORTED
    assert PpksEvent.objects.filter(record=first).count() == 0
    services.change_status(first, PpksStatus.REJECTED, reason="Sudah meninggal", acting_user=people["operator_regency"])
    assert ppks_recap(Region.objects.get(code="18.01.04")).total == 1


@pytest.mark.django_db
def test_the_ministry_reads_but_does_not_verify(people) -> None:  # type: ignore[no-untyped-def]
    record = register("Siti Aminah", HAJIMENA).ppks_records.get()

    with pytest.raises(PermissionDenied):
        services.change_status(record, PpksStatus.VERIFIED, acting_user=people["pusat"])
    with pytest.raises(PermissionDenied):
        services.change_status(record, PpksStatus.VERIFIED, acting_user=people["operator_other_province"])

    record.refresh_from_db()
    assert record.status == PpksStatus.REPORTED


@pytest.mark.django_db
def test_one_nik_is_one_person_and_the_form_shows_the_existing_one(client_for, people) -> None:  # type: ignore[no-untyped-def]
    existing = register("Siti Aminah", HAJIMENA, nik="1801045507500003")
    form = {
        "nik": "1801045507500003",
        "full_name": "Siti Aminah Binti Ahmad",
        "sex": "P",
        "birth_date": "1950-07-15",
        "village": HAJIMENA,
        "legal_basis": "tugas_publik",
    }

    response = client_for("psm_a").post("/ppks/orang/baru/", form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Orang dengan NIK ini sudah terdaftar: Siti Aminah (1801********0003)." in page
    assert f'href="/ppks/orang/{existing.pk}/"' in page
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_nik_masked_for_the_ministry_and_every_detail_view_logged(api_for, client_for, people) -> None:  # type: ignore[no-untyped-def]
    person = register("Siti Aminah", HAJIMENA, nik="1801045507500003")

    ministry = api_for("pusat").get(f"/api/v1/people/{person.pk}/").json()
    worker = api_for("psm_a").get(f"/api/v1/people/{person.pk}/").json()
    client_for("tksk").get(f"/ppks/orang/{person.pk}/")

    assert ministry["nik"] == "1801********0003"
    assert worker["nik"] == "1801045507500003"
    logged = AccessLog.objects.filter(record_type="beneficiaries.Person").order_by("pk")
    assert [(entry.username, entry.record_ids) for entry in logged] == [
        ("pusat", [person.pk]),
        ("psm_a", [person.pk]),
        ("tksk", [person.pk]),
    ]


@pytest.mark.django_db
def test_search_tolerates_old_spelling(people) -> None:  # type: ignore[no-untyped-def]
    register("Soekarno Djojodikoesoemo", HAJIMENA, sex="L")
    register("Tjipto Mangoenkoesoemo", SIDOSARI, sex="L")

    found = Person.objects.visible_to(people["tksk"])

    # Djojo is Jojo, and today also Joyo: every j of the key is a y.
    assert [p.full_name for p in found.search("sukarno joyo")] == ["Soekarno Djojodikoesoemo"]
    assert [p.full_name for p in found.search("Sukarno Jojo")] == ["Soekarno Djojodikoesoemo"]
    assert [p.full_name for p in found.search("cipto")] == ["Tjipto Mangoenkoesoemo"]
    assert spelling_key("  Tjoet  NJAK Dhien ") == "cut nyak dhien"
    assert list(Person.objects.visible_to(people["psm_a"]).search("cipto")) == []


@pytest.mark.django_db
def test_duplicates_are_proposed_merged_or_dismissed_for_good(people) -> None:  # type: ignore[no-untyped-def]
    tksk = people["tksk"]
    first = register("Siti Aminah", HAJIMENA, nik="1801045507500003", phone="0812")
    second = register("Siti Aminah.", HAJIMENA, address="RT 02")
    third = register("Sitti Aminah", HAJIMENA)
    other = register("Siti Aminah", SIDOSARI)

    pairs = {(c.first.pk, c.second.pk, c.reason) for c in probable_duplicates(Person.objects.all())}
    assert pairs == {
        (first.pk, second.pk, "similar_name"),
        (first.pk, third.pk, "similar_name"),
        (second.pk, third.pk, "similar_name"),
    }

    services.mark_not_duplicate(third, first, acting_user=tksk)
    services.mark_not_duplicate(third, second, acting_user=tksk)
    merge = merges.merge_people(first, second, acting_user=tksk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert probable_duplicates(Person.objects.all()) == []
    assert second.merged_into_id == first.pk
    assert first.address == "RT 02"
    assert list(merge.moved["combined_records"]) == [str(second.ppks_records.get().pk)]
    assert second.ppks_records.get().status == PpksStatus.REJECTED
    assert Merge.objects.count() == 1
    assert DuplicateDecision.objects.count() == 2
    assert ppks_recap(Region.objects.get(code="18.01.04")).counts["PPKS-08"] == 3
    assert other.pk not in {c.second.pk for c in probable_duplicates(Person.objects.all())}

    with pytest.raises(PermissionDenied):
        merges.merge_people(first, third, acting_user=people["psm_a"])


@pytest.mark.django_db
def test_a_move_is_one_recorded_action_and_the_records_follow(people) -> None:  # type: ignore[no-untyped-def]
    person = register("Siti Aminah", HAJIMENA, family_card="1801040101260001")
    jati_baru = Region.objects.get(code="18.01.05.2001")

    with pytest.raises(PermissionDenied):
        services.move_person(person, jati_baru, acting_user=people["tksk"])  # outside the TKSK's kecamatan
    services.move_person(person, jati_baru, reason="Ikut anak", acting_user=people["operator_regency"])

    person.refresh_from_db()
    assert person.village_id == "18.01.05.2001"
    assert person.household_id is None
    assert person.moves.get().reason == "Ikut anak"
    assert person.ppks_records.get().region_id == "18.01.05.2001"
    assert ppks_recap(Region.objects.get(code="18.01.04")).total == 0
    assert ppks_recap(Region.objects.get(code="18.01.05")).total == 1


@pytest.mark.django_db
def test_a_household_moves_with_its_members_in_one_action(client_for, people) -> None:  # type: ignore[no-untyped-def]
    head = register("Agus Santoso", HAJIMENA, sex="L", family_card="1801040101260001")
    child = register("Putri Santoso", HAJIMENA, family_card="1801040101260001")
    household = head.household

    refused = client_for("psm_b").post(f"/ppks/keluarga/{household.pk}/pindah/", {"village": SIDOSARI})
    moved = client_for("tksk").post(f"/ppks/keluarga/{household.pk}/pindah/", {"village": SIDOSARI})

    assert refused.status_code == 404
    assert moved.status_code == 302
    assert sorted(Person.objects.filter(household=household).values_list("pk", "village_id")) == [
        (head.pk, SIDOSARI),
        (child.pk, SIDOSARI),
    ]
    assert household.moves.get().from_village_id == HAJIMENA
    assert set(PpksRecord.objects.values_list("region_id", flat=True)) == {SIDOSARI}
    assert head.household_relation == "kepala"


@pytest.mark.django_db
def test_the_form_takes_a_guardian_by_nik_inside_the_area(client_for, people) -> None:  # type: ignore[no-untyped-def]
    grandmother = register("Tuti Rahayu", HAJIMENA, nik="1801045507500003")
    form = {
        "full_name": "Rizki Saputra",
        "sex": "L",
        "birth_date": "2019-03-02",
        "village": HAJIMENA,
        "legal_basis": "tugas_publik",
        "categories": ["PPKS-02"],
        "guardian_nik": "1801045507500003",
        "guardian_relation": "Nenek",
    }

    outsider = client_for("psm_b").post("/ppks/orang/baru/", {**form, "village": SIDOSARI})
    created = client_for("psm_a").post("/ppks/orang/baru/", form)

    assert "Tidak ada orang dengan NIK ini yang terdaftar di wilayah Anda." in outsider.content.decode()
    assert created.status_code == 302
    child = Person.objects.get(full_name="Rizki Saputra")
    assert (child.guardian, child.guardian_relation, child.nik) == (grandmother, "Nenek", None)
    assert child.ppks_records.get().category == "PPKS-02"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("psm_a", ["Siti Aminah"]),
        ("psm_b", ["Tuti Rahayu"]),
        ("tksk", ["Siti Aminah", "Tuti Rahayu"]),
        ("operator_regency", ["Siti Aminah", "Tuti Rahayu", "Yuni Lubis"]),
        ("operator_other_province", ["Wulan Siregar"]),
        ("pusat", ["Siti Aminah", "Tuti Rahayu", "Wulan Siregar", "Yuni Lubis"]),
        ("no_role", []),
    ],
)
def test_lists_pages_api_and_exports_show_only_the_area(persona, seen, api_for, client_for, people) -> None:  # type: ignore[no-untyped-def]
    register("Siti Aminah", HAJIMENA)
    register("Tuti Rahayu", SIDOSARI)
    register("Yuni Lubis", "18.01.05.2001")
    register("Wulan Siregar", "17.01.01.2001")

    api = api_for(persona).get("/api/v1/people/").json()
    records = api_for(persona).get("/api/v1/ppks/").json()
    page = client_for(persona).get("/ppks/orang/").content.decode()
    export = client_for(persona).get("/ppks/orang/unduh.csv").content.decode("utf-8-sig")

    assert sorted(row["full_name"] for row in api["results"]) == seen
    assert records["count"] == len(seen)
    assert [name for name in ("Siti Aminah", "Tuti Rahayu", "Wulan Siregar", "Yuni Lubis") if name in page] == seen
    assert sorted(line.split(",")[2] for line in export.splitlines()[1:]) == seen


@pytest.mark.django_db
def test_a_household_is_mapped_as_a_whole_and_verified(client_for, people) -> None:  # type: ignore[no-untyped-def]
    head = register("Agus Santoso", HAJIMENA, sex="L", family_card="1801040101260001")
    household = head.household

    refused = client_for("psm_b").post(f"/ppks/keluarga/{household.pk}/ppks/", {"category": "PPKS-25"})
    mapped = client_for("psm_a").post(f"/ppks/keluarga/{household.pk}/ppks/", {"category": "PPKS-25"})
    record = household.ppks_records.get()
    verified = client_for("tksk").post(f"/ppks/catatan/{record.pk}/status/", {"to_status": "terverifikasi"})

    assert (refused.status_code, mapped.status_code, verified.status_code) == (404, 302, 302)
    assert verified["Location"] == f"/ppks/keluarga/{household.pk}/"
    record.refresh_from_db()
    assert (record.category, record.status, record.region_id, record.person_id) == (
        "PPKS-25",
        PpksStatus.VERIFIED,
        HAJIMENA,
        None,
    )
    assert ppks_recap(Region.objects.get(code="18.01.04")).counts["PPKS-25"] == 1
