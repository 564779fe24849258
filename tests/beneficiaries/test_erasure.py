"""Erasure at the person's request (issue 18, point 3): refused with the reason while a
case is open or the law requires keeping the record; granted, nothing that says who
the person was stays in any table or stored file, and the recaps count as before."""

import dataclasses
import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from pilar.activities import services as activities
from pilar.audit.models import AccessLog
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import Person, PpksStatus, SubjectRequest
from pilar.cases import services as cases
from pilar.cases.models import Attachment
from pilar.exports.models import Export, ExportStatus
from pilar.imports.models import Upload
from pilar.regions.models import Region
from pilar.reports.ppks import ppks_recap
from tests.cases.conftest import HAJIMENA, fresh, open_for, register
from tests.test_photos_keep_only_pixels import tagged_jpeg

pytestmark = pytest.mark.django_db

NAME, NIK, CARD, PHONE = "Ratna Kartikasari", "1801045507500001", "1801040101090001", "081377712345"
ADDRESS, PLACE = "Dusun Sukamaju RT 04 RW 02", "Tanjungkarang"
VALUES = [NAME, NIK, CARD, PHONE, ADDRESS, PLACE, "Kartikasari"]


@pytest.fixture(autouse=True)
def _empty_storage(settings: Any) -> None:
    """A storage of this test's files alone (the in-memory one lives for the session)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def ratna(people: Any, client_for: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> Person:
    """Ratna with everything a person can have: a household, a verified PPKS record, a
    correction, a case with a visit photo and a referral, a signed consent, an activity
    and a neighbour's notes that name her, searches, an export and an import file."""
    psm, tksk = people["psm_a"], people["tksk"]
    village = Region.objects.get(code=HAJIMENA)
    data = registry.PersonData(
        full_name=NAME,
        sex="P",
        village=village,
        nik=NIK,
        family_card=CARD,
        birth_place=PLACE,
        birth_date=datetime.date(1950, 7, 15),
        address=ADDRESS,
        phone=PHONE,
        notes="Tinggal sendiri, anaknya merantau",
    )
    person = registry.register_person(data, categories=["PPKS-08"], acting_user=psm)
    registry.update_person(
        person,
        dataclasses.replace(data, notes="Tinggal sendiri"),
        reason=f"KTP {NIK} ditunjukkan oleh {NAME}",
        acting_user=psm,
    )
    registry.change_status(person.ppks_records.get(), PpksStatus.VERIFIED, acting_user=tksk)
    case = open_for(person, psm, summary=f"{NAME} butuh atap")
    cases.record_visit(
        case,
        expected_version=fresh(case).version,
        happened_on=timezone.localdate(),
        place=ADDRESS,
        action_taken="Kunjungan rumah Ratna Kartikasari",
        photo=SimpleUploadedFile("rumah-ratna.jpg", tagged_jpeg(), "image/jpeg"),
        acting_user=psm,
    )
    cases.refer_case(
        case,
        expected_version=fresh(case).version,
        destination_kind="instansi",
        agency="dukcapil",
        destination_name="Disdukcapil Lampung Selatan",
        reason=f"{NAME} belum punya KTP-el",
        acting_user=psm,
    )
    client_for("psm_a").post(
        f"/ppks/orang/{person.pk}/persetujuan/",
        {
            "given_on": timezone.localdate().isoformat(),
            "method": "formulir",
            "covers": "Pemetaan dan rujukan",
            "form_photo": SimpleUploadedFile("formulir.jpg", tagged_jpeg(), "image/jpeg"),
        },
    )
    activities.record_activity(
        kind="bimbingan_sosial",
        title="Bimbingan lansia",
        held_on=timezone.localdate(),
        region=village,
        notes="Hadir antara lain ratna kartikasari dan Bu Darmi",
        acting_user=psm,
    )
    neighbour = register("Darmi", HAJIMENA, psm)
    registry.update_person(
        neighbour,
        registry.PersonData(
            full_name="Darmi", sex="P", village=village, birth_date=neighbour.birth_date, notes=f"Tetangga {NAME}"
        ),
        acting_user=psm,
    )
    operator = client_for("operator_regency")
    operator.post("/ppks/orang/", {"q": NAME}, follow=True)
    operator.post("/ppks/orang/", {"q": NIK}, follow=True)
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=True):
        operator.get("/ppks/orang/unduh.csv")
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            "/psks/impor/",
            {
                "kind": "people",
                "file": SimpleUploadedFile(
                    "ppks.csv",
                    f"nik,nama,jenis_kelamin,tanggal_lahir,kode_wilayah,kategori_ppks\n"
                    f"{NIK},{NAME},P,1950-07-15,{HAJIMENA},PPKS-08\n".encode(),
                    "text/csv",
                ),
            },
        )
    return Person.objects.get(pk=person.pk)


def close(person: Person, people: Any) -> None:
    for case in person.cases.all():
        cases.close_case(case, expected_version=fresh(case).version, outcome="teratasi", acting_user=people["psm_a"])


def erase(client: Any, person: Person, note: str = "Datang sendiri, minta datanya dihapus") -> Any:
    return client.post(f"/ppks/orang/{person.pk}/data-pribadi/hapus/", {"note": note, "confirm": "on"}, follow=True)


def every_value_in_the_database() -> str:
    """Every row of every table, one line each with its table's name, lowercased."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            found += [f"{table}: {' '.join(str(value) for value in row)}" for row in cursor.fetchall()]
    return "\n".join(found).lower()


def rows_holding(values: list[str]) -> list[str]:
    return [row for row in every_value_in_the_database().splitlines() if any(v.lower() in row for v in values)]


def every_stored_file(folder: str = "") -> dict[str, bytes]:
    folders, files = default_storage.listdir(folder)
    stored = {}
    for name in files:
        path = f"{folder}/{name}" if folder else name
        with default_storage.open(path, "rb") as handle:
            stored[path] = handle.read()
    for name in folders:
        stored |= every_stored_file(f"{folder}/{name}" if folder else name)
    return stored


def test_the_setup_holds_her_everywhere(ratna: Person) -> None:
    """The test below would prove nothing if she were not there to begin with."""
    database = every_value_in_the_database()
    files = every_stored_file()

    assert all(value.lower() in database for value in VALUES)
    assert Export.objects.get().status == ExportStatus.READY
    assert Upload.objects.get().file
    assert Attachment.objects.count() == 1
    assert any(NIK.encode() in content for content in files.values())
    assert AccessLog.objects.filter(action="search", query__icontains="Kartikasari").count() == 1


def test_erasure_is_refused_while_her_case_is_open_and_while_the_law_keeps_her(
    client_for: Any, ratna: Person, people: Any
) -> None:
    operator = client_for("operator_regency")
    database = every_value_in_the_database()

    open_case = erase(operator, ratna)
    close(ratna, people)
    operator.post(f"/ppks/orang/{ratna.pk}/data-pribadi/wajib-simpan/", {"ground": "Perkara PN Kalianda 12/2026"})
    held = erase(operator, ratna)

    [case] = ratna.cases.all()
    assert f"Penghapusan ditolak: Kasus orang ini masih terbuka (#{case.pk}): tutup dulu." in open_case.content.decode()
    assert (
        "Penghapusan ditolak: Data ini wajib disimpan menurut hukum: Perkara PN Kalianda 12/2026"
        in held.content.decode()
    )
    assert list(SubjectRequest.objects.filter(kind="penghapusan").values_list("status", flat=True)) == [
        "ditolak",
        "ditolak",
    ]
    person = Person.objects.get(pk=ratna.pk)
    assert (person.full_name, person.nik, person.erased_at) == (NAME, NIK, None)
    assert all(value.lower() in database for value in VALUES)


@pytest.mark.parametrize("persona", ["psm_a", "tksk", "operator_other_province", "pusat"])
def test_only_the_operators_of_her_area_erase_her(client_for: Any, ratna: Person, people: Any, persona: str) -> None:
    close(ratna, people)

    answer = client_for(persona).post(
        f"/ppks/orang/{ratna.pk}/data-pribadi/hapus/", {"note": "Minta dihapus", "confirm": "on"}
    )

    assert answer.status_code in (403, 404)
    assert Person.objects.get(pk=ratna.pk).full_name == NAME
    assert not SubjectRequest.objects.filter(kind="penghapusan").exists()


def test_without_the_confirmation_nothing_is_erased(client_for: Any, ratna: Person, people: Any) -> None:
    close(ratna, people)

    answer = client_for("operator_regency").post(
        f"/ppks/orang/{ratna.pk}/data-pribadi/hapus/", {"note": "Minta dihapus"}, follow=True
    )

    assert "Centang kotak untuk menegaskan penghapusan." in answer.content.decode()
    assert Person.objects.get(pk=ratna.pk).full_name == NAME


def test_an_erased_person_is_nowhere_and_the_recaps_count_as_before(
    client_for: Any, ratna: Person, people: Any
) -> None:
    close(ratna, people)
    regency = Region.objects.get(code="18.01")
    before = ppks_recap(regency).counts
    searches = AccessLog.objects.count()
    operator = client_for("operator_regency")

    answer = erase(operator, ratna)

    page = answer.content.decode()
    assert answer.redirect_chain[-1][0] == "/ppks/permintaan-data/"
    assert "Orang ini dihapus: tidak ada lagi yang menunjukkan siapa dia; rekap tetap menghitungnya." in page
    assert f"(orang terhapus #{ratna.pk})" in page
    assert rows_holding(VALUES) == []
    files = every_stored_file()
    assert [path for path, content in files.items() if any(value.encode() in content for value in VALUES)] == []
    assert Attachment.objects.count() == 0
    assert not any(path.startswith(("lampiran", "persetujuan")) for path in files)
    assert Export.objects.get().status == ExportStatus.EXPIRED
    assert not Upload.objects.get().file
    assert ppks_recap(regency).counts == before
    assert AccessLog.objects.count() > searches  # kept, and the erasure's own page reads logged
    assert sorted(AccessLog.objects.filter(action="search").values_list("query", flat=True)) == [
        "q=*dihapus*",
        "q=1801********0001",
    ]
    assert Person.objects.get(full_name="Darmi").notes == "Tetangga *dihapus*"
    [granted] = SubjectRequest.objects.filter(kind="penghapusan")
    assert (granted.status, granted.decided_by.username, granted.legal_ground) == (
        "dipenuhi",
        "operator_regency",
        "UU 27/2022 pasal 8",
    )
    for persona in ("psm_a", "tksk", "operator_regency"):
        assert client_for(persona).get(f"/ppks/orang/{ratna.pk}/").status_code == 404
