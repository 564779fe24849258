"""Long lists are written by the job worker, for the requester alone, logged when
written and when downloaded, and deleted after the days they are kept."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilar.audit.models import AccessLog
from pilar.cases.models import Case
from pilar.exports.models import Export, ExportStatus
from tests.beneficiaries.test_mapping import HAJIMENA, SIDOSARI, register
from tests.cases.conftest import open_for

HEADER = (
    "nik,no_kk,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,kode_wilayah,nama_wilayah,alamat,kategori_ppks,telepon"
)


@pytest.fixture
def long_lists(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("pilar.exports.services.DIRECT_LIMIT", 1)


def export_as(client, url, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):  # the job runs when the request's transaction commits
        return client.get(url)


@pytest.mark.django_db
def test_a_long_people_list_is_written_by_a_job_for_its_requester_alone(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, django_capture_on_commit_callbacks
) -> None:
    register("Siti Aminah", HAJIMENA, nik="1801045507500003")
    register("Tuti Rahayu", SIDOSARI)
    tksk = client_for("tksk")

    started = export_as(tksk, "/ppks/orang/unduh.csv?category=PPKS-08", django_capture_on_commit_callbacks)
    export = Export.objects.get()
    page = tksk.get(started["Location"]).content.decode()
    download = tksk.get(f"/unduhan/{export.pk}/berkas/")

    assert started["Location"] == f"/unduhan/{export.pk}/"
    assert (export.kind, export.file_format, export.query, export.status, export.row_count) == (
        "people",
        "csv",
        "category=PPKS-08",
        ExportStatus.READY,
        2,
    )
    assert "Unduh berkas (2 baris)" in page
    assert b"".join(download.streaming_content).decode("utf-8-sig").splitlines() == [
        HEADER,
        "1801045507500003,,Siti Aminah,P,,1950-07-15,18.01.04.2001,Hajimena,,PPKS-08,",
        ",,Tuti Rahayu,P,,1950-07-15,18.01.04.2002,Sidosari,,PPKS-08,",
    ]
    assert list(
        AccessLog.objects.filter(action="export").order_by("pk").values_list("username", "record_count", "path")
    ) == [("tksk", 2, f"/unduhan/{export.pk}/"), ("tksk", 2, f"/unduhan/{export.pk}/berkas/")]
    for persona in ("psm_a", "operator_regency", "operator_other_province", "admin"):
        assert client_for(persona).get(f"/unduhan/{export.pk}/").status_code == 404
        assert client_for(persona).get(f"/unduhan/{export.pk}/berkas/").status_code == 404
    assert AccessLog.objects.filter(action="export").count() == 2


@pytest.mark.django_db
def test_the_job_writes_with_the_requester_s_area_and_nik_masking(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, django_capture_on_commit_callbacks
) -> None:
    register("Siti Aminah", HAJIMENA, nik="1801045507500003")
    register("Tuti Rahayu", SIDOSARI)
    register("Sri Wahyuni", "17.01.01.2001")

    export_as(client_for("pusat"), "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)
    export_as(client_for("operator_regency"), "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)

    national, regency = Export.objects.order_by("pk")
    national_rows = national.file.read().decode("utf-8-sig").splitlines()
    regency_rows = regency.file.read().decode("utf-8-sig").splitlines()
    assert [row.split(",")[:3] for row in national_rows[1:]] == [
        ["", "", "Sri Wahyuni"],
        ["1801********0003", "", "Siti Aminah"],
        ["", "", "Tuti Rahayu"],
    ]
    assert [row.split(",")[:3] for row in regency_rows[1:]] == [
        ["1801045507500003", "", "Siti Aminah"],
        ["", "", "Tuti Rahayu"],
    ]


@pytest.mark.django_db
def test_a_long_case_list_goes_to_a_job_and_a_workbook_too_long_is_refused(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    first = open_for(register("Siti Aminah", HAJIMENA), people["psm_a"])
    second = open_for(register("Tuti Rahayu", HAJIMENA), people["psm_a"])
    client = client_for("tksk")

    export_as(client, "/kasus/unduh.xlsx?daftar=semua", django_capture_on_commit_callbacks)
    monkeypatch.setattr("pilar.exports.services.XLSX_MAX_ROWS", 1)
    refused = client.get("/kasus/unduh.xlsx?daftar=semua")

    export = Export.objects.get()
    assert (export.kind, export.status, export.row_count) == ("cases", ExportStatus.READY, 2)
    assert export.file.name.endswith(".xlsx")
    assert refused.status_code == 302
    assert refused["Location"] == "/kasus/?daftar=semua"
    assert (
        "2 baris melebihi isi satu buku kerja; unduh CSV atau persempit daftar."
        in client.get(refused["Location"]).content.decode()
    )
    assert Export.objects.count() == 1
    assert sorted(Case.objects.values_list("pk", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_a_failed_job_says_so_and_an_old_file_is_deleted(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    register("Siti Aminah", HAJIMENA)
    register("Tuti Rahayu", SIDOSARI)
    client = client_for("tksk")
    export_as(client, "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)
    old = Export.objects.get()
    Export.objects.filter(pk=old.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))

    def broken(*args: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr("pilar.exports.services.write_file", broken)
    export_as(client, "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)  # the job backend records it
    failed = Export.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()

    assert failed.status == ExportStatus.FAILED
    assert "Pekerjaan berhenti karena galat tak terduga." in client.get(f"/unduhan/{failed.pk}/").content.decode()
    assert (old.status, old.file.name) == (ExportStatus.EXPIRED, "")  # the job purged it first
    assert client.get(f"/unduhan/{old.pk}/berkas/").status_code == 404
    assert AccessLog.objects.filter(action="export").count() == 1


@pytest.mark.django_db
def test_purge_exports_deletes_files_past_their_days(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, django_capture_on_commit_callbacks
) -> None:
    register("Siti Aminah", HAJIMENA)
    register("Tuti Rahayu", SIDOSARI)
    export_as(client_for("tksk"), "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)
    export = Export.objects.get()
    path = export.file.path
    Export.objects.filter(pk=export.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))

    call_command("purge_exports")

    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not Path(path).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["moved", "stripped"])
def test_a_stored_export_is_not_served_once_its_requesters_area_no_longer_covers_it(  # type: ignore[no-untyped-def]
    client_for, people, long_lists, django_capture_on_commit_callbacks, change
) -> None:
    from pilar.accounts import services as accounts
    from pilar.accounts.roles import Role
    from pilar.regions.models import Region

    register("Siti Aminah", HAJIMENA, nik="1801045507500003")
    register("Tuti Rahayu", HAJIMENA)
    psm = people["psm_a"]
    client = client_for("psm_a")
    started = export_as(client, "/ppks/orang/unduh.csv", django_capture_on_commit_callbacks)
    export = Export.objects.get()
    assert (export.status, export.area) == (ExportStatus.READY, ["18.01.04.2001"])
    assert client.get(f"/unduhan/{export.pk}/berkas/").status_code == 200
    path = Path(export.file.path)

    for assignment in psm.role_assignments.filter(is_active=True):
        accounts.revoke_role(assignment, acting_user=None, reason="pindah tugas")
    if change == "moved":
        accounts.grant_role(psm, role=Role.PSM, region=Region.objects.get(code=SIDOSARI), acting_user=None)
    psm.forget_cached_roles()
    ended = client.get(f"/unduhan/{export.pk}/berkas/")  # the role change ended that session
    refused = client_for("psm_a").get(f"/unduhan/{export.pk}/berkas/")
    export.refresh_from_db()

    assert started.status_code == 302
    assert ended["Location"].startswith("/akun/masuk/")
    assert refused.status_code == 404
    assert (export.status, export.file.name) == (ExportStatus.EXPIRED, "")
    assert not path.exists()
