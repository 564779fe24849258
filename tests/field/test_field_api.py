"""The field API (issue 17): the field download holds the worker's area and nothing
more, incrementally; the outbox writes each item exactly once however often it is
sent; a stale edit is a conflict with the saved record; ids of another village are
404 and change nothing."""

import datetime
from typing import Any

import pytest

from pilar.accounts import services as accounts
from pilar.accounts.models import User
from pilar.activities.models import Activity, ActivityPhoto
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person, PpksRecord
from pilar.cases.models import Attachment, Case, CaseEvent, EventKind
from pilar.core.models import IdempotencyKey
from pilar.core.versions import version_of
from pilar.regions.models import Region
from tests.cases.conftest import HAJIMENA, SIDOSARI, open_for, register
from tests.field.conftest import data_url, item, jpeg, send

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


@pytest.fixture
def area(people: dict[str, User]) -> dict[str, Any]:
    """Two people and an open case in Hajimena (PSM A), one person in Sidosari (PSM B)."""
    sumini = register("Sumini", HAJIMENA, people["psm_a"])
    registry.register_person(
        registry.PersonData(full_name="Darto", sex="L", village=Region.objects.get(code=HAJIMENA), nik=""),
        acting_user=people["psm_a"],
    )
    warni = register("Warni", SIDOSARI, people["psm_b"])
    return {"sumini": sumini, "warni": warni, "case": open_for(sumini, people["psm_a"])}


def names(download: dict[str, Any]) -> list[str]:
    return sorted(person["full_name"] for person in download["people"])


def test_the_download_holds_the_workers_village_and_nothing_else(api_for: Any, area: dict[str, Any]) -> None:
    mine = api_for("psm_a").get("/api/v1/field/").json()
    sibling = api_for("psm_b").get("/api/v1/field/").json()
    kecamatan = api_for("tksk").get("/api/v1/field/").json()

    assert (names(mine), names(sibling), names(kecamatan)) == (
        ["Darto", "Sumini"],
        ["Warni"],
        ["Darto", "Sumini", "Warni"],
    )
    assert [case["id"] for case in mine["cases"]] == [area["case"].pk]
    assert sibling["cases"] == []
    assert sibling["keep"] == {"people": [area["warni"].pk], "cases": []}
    assert [village["code"] for village in mine["villages"]] == [HAJIMENA]
    assert mine["full"] is True
    sumini = next(person for person in mine["people"] if person["full_name"] == "Sumini")
    assert [record["category"] for record in sumini["ppks"]] == ["PPKS-08"]
    assert sumini["version"] == version_of(area["sumini"])


@pytest.mark.parametrize("name", ["operator_regency", "operator_province", "pusat", "admin", "no_role"])
def test_roles_that_do_not_work_in_the_field_get_no_download_and_write_nothing(
    api_for: Any, area: dict[str, Any], name: str
) -> None:
    client = api_for(name)
    before = Person.objects.count()

    download = client.get("/api/v1/field/")
    sent = send(client, item("person", {"full_name": "X", "sex": "L", "village": HAJIMENA}))

    assert (download.status_code, sent.status_code) == (403, 403)
    assert download.json() == {"detail": "Hanya PSM atau TKSK yang bekerja di lapangan."}
    assert Person.objects.count() == before


def test_an_incremental_download_sends_only_what_changed_and_drops_what_left(
    api_for: Any, people: dict[str, User], area: dict[str, Any], monkeypatch: Any
) -> None:
    client = api_for("psm_a")
    first = client.get("/api/v1/field/").json()
    monkeypatch.setattr("pilar.field.download.OVERLAP", datetime.timedelta(0))

    unchanged = client.get("/api/v1/field/", {"since": first["token"]}).json()
    registry.move_person(
        Person.objects.get(full_name="Darto"), Region.objects.get(code=SIDOSARI), acting_user=people["tksk"]
    )
    after_move = client.get("/api/v1/field/", {"since": unchanged["token"]}).json()

    assert (unchanged["full"], unchanged["people"], unchanged["cases"]) == (False, [], [])
    assert unchanged["keep"]["people"] == first["keep"]["people"]
    assert after_move["people"] == []
    assert after_move["keep"]["people"] == [area["sumini"].pk]


def test_a_changed_assignment_makes_the_next_download_whole_and_for_the_new_village_only(
    api_for: Any, people: dict[str, User], area: dict[str, Any]
) -> None:
    psm = people["psm_a"]
    client = api_for("psm_a")
    token = client.get("/api/v1/field/").json()["token"]
    assignment = psm.active_role_assignments()[0]
    accounts.revoke_role(assignment, acting_user=None, reason="Pindah tugas")
    accounts.grant_role(psm, role="psm", region=Region.objects.get(code=SIDOSARI), acting_user=None)
    psm.forget_cached_roles()

    moved = client.get("/api/v1/field/", {"since": token}).json()

    assert moved["full"] is True
    assert names(moved) == ["Warni"]
    assert moved["keep"] == {"people": [area["warni"].pk], "cases": []}


def field_items(area: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        item(
            "person",
            {"full_name": "Painem", "sex": "P", "village": HAJIMENA, "categories": ["PPKS-01", "PPKS-08"]},
        ),
        item(
            "visit",
            {"case": area["case"].pk, "happened_on": TODAY, "text": "Kunjungan rumah", "photo": [data_url(jpeg())]},
        ),
        item(
            "activity",
            {
                "kind": "penyuluhan_sosial",
                "title": "Penyuluhan gizi lansia",
                "held_on": TODAY,
                "region": HAJIMENA,
                "men": 4,
                "women": 9,
                "photos": [data_url(jpeg()), data_url(jpeg(20, 20))],
            },
        ),
    ]


def counts() -> tuple[int, int, int, int, int, int]:
    visits = CaseEvent.objects.filter(kind=EventKind.VISIT).count()
    return (
        Person.objects.count(),
        PpksRecord.objects.count(),
        visits,
        Attachment.objects.count(),
        Activity.objects.count(),
        ActivityPhoto.objects.count(),
    )


def test_an_outbox_sent_twice_writes_everything_exactly_once(api_for: Any, area: dict[str, Any]) -> None:
    client = api_for("psm_a")
    items = field_items(area)
    before = counts()

    first = send(client, *items)
    replay = send(client, *items)  # the network dropped before the phone heard the answer

    assert first.status_code == replay.status_code == 200
    assert [result["status"] for result in first.json()["results"]] == [201, 201, 201]
    assert [result["replayed"] for result in replay.json()["results"]] == [True, True, True]
    assert [result["body"] for result in replay.json()["results"]] == [r["body"] for r in first.json()["results"]]
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 1, before[3] + 1, before[4] + 1, before[5] + 2)
    painem = Person.objects.get(full_name="Painem")
    assert sorted(painem.ppks_records.values_list("category", flat=True)) == ["PPKS-01", "PPKS-08"]
    visit = CaseEvent.objects.get(kind=EventKind.VISIT, case=area["case"])
    assert (visit.text, visit.attachment.content_type) == ("Kunjungan rumah", "image/jpeg")


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(api_for: Any, area: dict[str, Any]) -> None:
    client = api_for("psm_a")
    first = item("person", {"full_name": "Painem", "sex": "P", "village": HAJIMENA})
    send(client, first)

    other = send(client, {**first, "data": {**first["data"], "full_name": "Paijo"}}).json()["results"][0]

    assert other["status"] == 422
    assert list(Person.objects.filter(full_name__startswith="Pai").values_list("full_name", flat=True)) == ["Painem"]


def test_a_refused_item_says_every_problem_writes_nothing_and_keeps_its_key_for_the_correction(
    api_for: Any, area: dict[str, Any]
) -> None:
    client = api_for("psm_a")
    before = counts()
    wrong = item("person", {"full_name": "", "sex": "X", "village": HAJIMENA, "birth_date": "31-02-2020"})

    refused = send(client, wrong).json()["results"][0]
    corrected = send(client, {**wrong, "data": {"full_name": "Painem", "sex": "P", "village": HAJIMENA}})

    assert refused["status"] == 400
    assert sorted(refused["body"]["fields"]) == ["birth_date", "full_name", "sex"]
    assert refused["body"]["detail"][0] == "nama: Bidang ini harus diisi."
    assert corrected.json()["results"][0]["status"] == 201
    assert counts()[0] == before[0] + 1


def test_two_offline_edits_of_one_person_the_second_is_a_conflict_and_the_first_is_kept(
    api_for: Any, area: dict[str, Any]
) -> None:
    sumini = area["sumini"]
    version = version_of(sumini)
    psm = item("person_edit", {"id": sumini.pk, "version": version, "phone": "081234567890"})
    tksk = item("person_edit", {"id": sumini.pk, "version": version, "address": "Dusun II"})

    first = send(api_for("psm_a"), psm).json()["results"][0]
    second = send(api_for("tksk"), tksk).json()["results"][0]

    assert first["status"] == 200
    assert first["body"]["phone"] == "081234567890"
    assert second["status"] == 409
    assert second["body"]["current"]["phone"] == "081234567890"
    assert second["body"]["current"]["version"] == first["body"]["version"]
    saved = Person.objects.get(pk=sumini.pk)
    assert (saved.phone, saved.address) == ("081234567890", "")

    kept_mine = send(api_for("tksk"), {**tksk, "data": {**tksk["data"], "version": first["body"]["version"]}})

    assert kept_mine.json()["results"][0]["status"] == 200
    assert Person.objects.filter(pk=sumini.pk, phone="081234567890", address="Dusun II").exists()


def test_ids_of_another_village_are_not_found_and_change_nothing(api_for: Any, area: dict[str, Any]) -> None:
    client = api_for("psm_b")  # Sidosari: the case and Sumini are Hajimena's
    sumini = area["sumini"]
    before, version = counts(), version_of(sumini)
    items = [
        item("visit", {"case": area["case"].pk, "happened_on": TODAY, "text": "x"}),
        item("person_edit", {"id": sumini.pk, "version": version, "phone": "0800"}),
        item("ppks", {"person": sumini.pk, "category": "PPKS-01"}),
        item("person", {"full_name": "Painem", "sex": "P", "village": HAJIMENA}),
        item("activity", {"kind": "penyuluhan_sosial", "title": "x", "held_on": TODAY, "region": HAJIMENA}),
    ]

    results = send(client, *items).json()["results"]

    # Records of the other village are not found; a village code is no secret: it is
    # refused beside its field.
    assert [result["status"] for result in results] == [404, 404, 404, 400, 400]
    assert results[0]["body"] == {"detail": ["Tidak ditemukan di wilayah Anda."]}
    assert results[3]["body"]["fields"] == {"village": ["Hajimena di luar wilayah Anda."]}
    assert results[4]["body"]["fields"] == {"region": ["Hajimena di luar wilayah Anda."]}
    assert counts() == before
    assert version_of(Person.objects.get(pk=sumini.pk)) == version
    assert IdempotencyKey.objects.count() == 0


def test_an_outbox_of_200_items_syncs_in_one_go(api_for: Any, area: dict[str, Any]) -> None:
    client = api_for("psm_a")
    items = [
        item("person", {"full_name": f"Warga {number}", "sex": "L", "village": HAJIMENA, "categories": ["PPKS-08"]})
        for number in range(100)
    ] + [
        item("activity", {"kind": "penyuluhan_sosial", "title": f"Kegiatan {n}", "held_on": TODAY, "region": HAJIMENA})
        for n in range(100)
    ]
    before = counts()

    first = send(client, *items[:100]).json()["results"]
    second = send(client, *items[100:]).json()["results"]
    too_many = send(client, *items[:101])

    assert {result["status"] for result in first + second} == {201}
    assert counts()[0] == before[0] + 100
    assert counts()[4] == before[4] + 100
    assert too_many.status_code == 400


def test_the_single_endpoints_write_once_per_key_with_files(api_for: Any, area: dict[str, Any]) -> None:
    client = api_for("psm_a")
    person = {"full_name": "Painem", "sex": "P", "village": HAJIMENA, "categories": ["PPKS-08"]}
    headers = {"Idempotency-Key": "6f1c1c52-7d37-4f0e-9d0e-1d2a1b3c4d5e"}

    created = client.post("/api/v1/people/", person, format="json", headers=headers)
    replayed = client.post("/api/v1/people/", person, format="json", headers=headers)
    report = client.post("/api/v1/ppks/", {"person": created.json()["id"], "category": "PPKS-01"}, format="json")
    photo = ("foto.jpg", jpeg(), "image/jpeg")
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = client.post(
        "/api/v1/activities/",
        {
            "kind": "penyuluhan_sosial",
            "title": "Penyuluhan",
            "held_on": TODAY,
            "region": HAJIMENA,
            "men": 1,
            "women": 2,
            "photos": [SimpleUploadedFile(*photo), SimpleUploadedFile(*photo)],
        },
        format="multipart",
    )
    case = Case.objects.get(pk=area["case"].pk)
    visit = client.post(
        f"/api/v1/cases/{case.pk}/events/",
        {"version": case.version, "kind": "kunjungan", "text": "Kunjungan", "photo": SimpleUploadedFile(*photo)},
        format="multipart",
    )

    assert (created.status_code, replayed.status_code, replayed["Idempotent-Replayed"]) == (201, 201, "true")
    assert Person.objects.filter(full_name="Painem").count() == 1
    assert report.status_code == 201
    assert [r["category"] for r in report.json()["ppks"]] == ["PPKS-01", "PPKS-08"]
    assert (activity.status_code, activity.json()["photos"]) == (201, 2)
    assert visit.status_code == 201, visit.json()
    assert CaseEvent.objects.get(pk=visit.json()["id"]).attachment.content_type == "image/jpeg"
