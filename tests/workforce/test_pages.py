"""Pages, exports and uploads of the registry, as each persona sees them."""

import io

import pytest
from python_calamine import CalamineWorkbook

from pilar.accounts.models import User
from pilar.audit.models import AccessLog
from pilar.regions.models import Region
from pilar.workforce import institutions, services
from pilar.workforce.kinds import WorkerStatus
from pilar.workforce.models import Engagement, Worker
from tests.workforce.roster import csv_bytes, worker_row
from tests.workforce.test_lifecycle import basic_training, register_psm


@pytest.mark.django_db
def test_psm_of_one_village_gets_404_for_a_worker_of_another(client_for) -> None:  # type: ignore[no-untyped-def]
    neighbour = register_psm(1, "18.01.04.2002")

    response = client_for("psm_a").get(f"/psks/pekerja/{neighbour.worker_id}/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_regency_operator_sees_coverage_and_quota_of_their_regency_only(client_for) -> None:  # type: ignore[no-untyped-def]
    register_psm(1)
    services.set_quota(region=Region.objects.get(code="18.01"), year=2025, kind="PSM", target=77, acting_user=None)
    services.set_quota(region=Region.objects.get(code="18.02"), year=2025, kind="PSM", target=40, acting_user=None)
    client = client_for("operator_regency")

    coverage = client.get("/rekap/cakupan/")
    province = client.get("/rekap/cakupan/?region=18")

    assert coverage.status_code == 200
    assert coverage.context["coverage"].total.region == "18.01"
    assert coverage.context["coverage"].total.villages == 3
    assert province.status_code == 404
    lines = client.get("/psks/kuota/").context["lines"]
    assert [(line.quota.region_id, line.quota.target, line.actual) for line in lines] == [("18.01", 77, 0)]


@pytest.mark.django_db
def test_coverage_and_the_areas_without_a_psm_export_for_the_viewer_s_region(client_for) -> None:  # type: ignore[no-untyped-def]
    Engagement.objects.filter(pk=register_psm(1).pk).update(status=WorkerStatus.ACTIVE)
    client = client_for("operator_regency")

    recap = client.get("/rekap/cakupan/unduh.csv").content.decode("utf-8-sig").splitlines()
    without = client.get("/rekap/cakupan/unduh.csv?list=psm").content.decode("utf-8-sig").splitlines()
    pdf = client.get("/rekap/cakupan/unduh.pdf")
    outside = client_for("tksk").get("/rekap/cakupan/unduh.csv?region=18.01")

    assert recap == [
        "kode_wilayah,nama_wilayah,desa,desa_dengan_psm,persen_psm,kecamatan,kecamatan_dengan_tksk,persen_tksk,"
        "desa_dengan_karang_taruna,persen_karang_taruna",
        "18.01.04,Natar,2,1,50.0,1,0,0.0,0,0.0",
        "18.01.05,Tanjung Bintang,1,0,0.0,1,0,0.0,0,0.0",
        "18.01,Total,3,1,33.3,2,0,0.0,0,0.0",
    ]
    assert without == ["kode_wilayah,nama_wilayah", "18.01.04.2002,Sidosari", "18.01.05.2001,Jati Baru"]
    assert pdf["Content-Type"] == "application/pdf"
    assert outside.status_code == 404
    assert AccessLog.objects.filter(user__username="operator_regency", action="export").count() == 3


@pytest.mark.django_db
def test_export_holds_only_visible_rows_writes_nik_as_text_and_neutralises_formulas(client_for) -> None:  # type: ignore[no-untyped-def]
    mine = register_psm(1)
    register_psm(2, "18.02.01.2001")
    Worker.objects.filter(pk=mine.worker_id).update(full_name='=HYPERLINK("http://x")', phone="+628123")
    institutions.register_institution(
        kind="LKS", name="@SUM(A1)", region=Region.objects.get(code="18.01.04.2001"), acting_user=None
    )
    client = client_for("operator_regency")

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/psks/pekerja/unduh.xlsx").content))
    rows = workbook.get_sheet_by_index(0).to_python()
    csv_text = client.get("/psks/lembaga/unduh.csv").content.decode("utf-8-sig")

    assert len(rows) == 2
    assert rows[1][1] == mine.worker.nik
    assert isinstance(rows[1][1], str)
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][10] == "'+628123"
    assert csv_text.splitlines()[1].startswith("LKS,'@SUM(A1),18.01.04.2001")
    assert list(
        AccessLog.objects.filter(action="export").order_by("pk").values_list("record_type", "record_count")
    ) == [
        ("workforce.Worker", 1),
        ("workforce.Institution", 1),
    ]


@pytest.mark.django_db
def test_psm_sees_a_masked_nik_and_the_operator_the_full_one(client_for) -> None:  # type: ignore[no-untyped-def]
    mine = register_psm(1)
    nik = mine.worker.nik

    as_psm = client_for("psm_a").get(f"/psks/pekerja/{mine.worker_id}/").content.decode()
    as_operator = client_for("operator_regency").get(f"/psks/pekerja/{mine.worker_id}/").content.decode()

    assert nik not in as_psm
    assert f"{nik[:4]}********{nik[12:]}" in as_psm
    assert nik in as_operator
    assert AccessLog.objects.filter(record_type="workforce.Worker", record_ids=[mine.worker_id]).count() == 2


@pytest.mark.django_db
def test_upload_previews_then_imports_on_confirmation(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("operator_regency")
    good = io.BytesIO(csv_bytes([worker_row(1, kind="PSM", region_code="18.01.04.2001")]))
    good.name = "pekerja.csv"

    preview = client.post("/psks/impor/", {"kind": "workers", "file": good}, follow=True)
    assert "1 baru" in preview.content.decode()
    assert Engagement.objects.count() == 0
    upload = preview.context["upload"]
    confirmed = client.post(f"/psks/impor/{upload.pk}/impor/", follow=True)

    assert "Diimpor: 1 baru, 0 berubah." in confirmed.content.decode()
    assert Engagement.objects.get().status == "aktif"


@pytest.mark.django_db
def test_upload_outside_the_operators_region_is_refused_with_a_workbook_of_problems(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("operator_regency")
    outside = io.BytesIO(csv_bytes([worker_row(1, kind="PSM", region_code="18.02.01.2001")]))
    outside.name = "pekerja.csv"

    preview = client.post("/psks/impor/", {"kind": "workers", "file": outside}, follow=True)
    upload = preview.context["upload"]
    refused = client.post(f"/psks/impor/{upload.pk}/impor/", follow=True)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"/psks/impor/{upload.pk}/galat.xlsx").content))

    assert "Berkas ini tidak dapat diimpor (lagi)." in refused.content.decode()
    assert workbook.get_sheet_by_index(0).to_python()[1] == [
        2.0,
        "kode_wilayah",
        "18.02.01.2001 berada di luar wilayah Anda.",
    ]
    assert Engagement.objects.count() == 0


@pytest.mark.django_db
def test_bimtek_and_quotas_export_for_the_viewer_s_region(client_for) -> None:  # type: ignore[no-untyped-def]
    operator = User.objects.get(username="operator_regency")
    candidates = [register_psm(number) for number in range(2)]
    training = basic_training(operator)
    services.add_participants(training, candidates, acting_user=operator)
    services.record_completion(training, completed_ids={candidates[0].pk}, acting_user=operator)
    Engagement.objects.filter(pk=candidates[0].pk).update(status=WorkerStatus.ACTIVE)
    services.set_quota(region=Region.objects.get(code="18.01"), year=2025, kind="PSM", target=4, acting_user=None)
    services.set_quota(region=Region.objects.get(code="18.02"), year=2025, kind="PSM", target=40, acting_user=None)
    client = client_for("operator_regency")

    bimtek = client.get("/psks/bimtek/unduh.csv").content.decode("utf-8-sig").splitlines()
    quotas = client.get("/psks/kuota/unduh.csv").content.decode("utf-8-sig").splitlines()
    sibling = client_for("operator_other_province").get("/psks/bimtek/unduh.csv").content.decode("utf-8-sig")

    assert bimtek == [
        "mulai,selesai,jenis,judul,kode_penyelenggara,penyelenggara,tempat,peserta,selesai_mengikuti",
        "2025-05-05,2025-05-07,Bimtek dasar,Bimtek Dasar PSM 2025,18.01,Kabupaten Lampung Selatan,Kalianda,2,1",
    ]
    assert quotas == [
        "tahun,kode_wilayah,nama_wilayah,jenis,target,aktif,kekurangan,persen",
        "2025,18.01,Kabupaten Lampung Selatan,PSM,4,1,3,25.0",
    ]
    assert sibling.splitlines() == [
        "mulai,selesai,jenis,judul,kode_penyelenggara,penyelenggara,tempat,peserta,selesai_mengikuti"
    ]


@pytest.mark.django_db
def test_the_administrator_exports_the_access_log_and_the_export_is_logged(client_for) -> None:  # type: ignore[no-untyped-def]
    client_for("operator_regency").get("/psks/pekerja/unduh.csv")
    admin = client_for("admin")

    lines = admin.get("/audit/akses/unduh.csv?username=operator_regency").content.decode("utf-8-sig").splitlines()
    # The province's operator reads the log of its people and cases: a worker list is neither.
    province = client_for("operator_province").get("/audit/akses/unduh.csv").content.decode("utf-8-sig").splitlines()
    refused = client_for("tksk").get("/audit/akses/unduh.csv")

    assert lines[0] == "waktu,pengguna,peran,tindakan,jenis_data,jumlah,id_data,pencarian,alamat"
    assert [line.split(",")[1:6] for line in lines[1:]] == [
        ["operator_regency", "dinsos_kabkota@18.01", "export", "workforce.Worker", "0"]
    ]
    assert province == [lines[0]]
    assert refused.status_code == 403
    assert AccessLog.objects.filter(username="admin", action="export", record_type="audit.AccessLog").count() == 1
