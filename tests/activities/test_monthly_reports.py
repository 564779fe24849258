"""Monthly reports written from the month's records: the figures, the PDF, the
workbook and the command agree with the data; the supervisor approves or returns."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from pilar.accounts.models import User
from pilar.activities import services
from pilar.activities.models import MonthlyReport
from pilar.beneficiaries import services as registry
from pilar.beneficiaries.models import PpksRecord
from pilar.cases import services as cases
from pilar.regions.models import Region
from pilar.workforce import services as workforce
from pilar.workforce.kinds import WorkerKind, WorkerStatus
from pilar.workforce.models import Engagement
from tests.cases.conftest import act, fresh, open_for, register
from tests.personas import sign_in


def active_worker(kind: str, region: str, account: User, nik: str, name: str) -> Engagement:
    engagement = workforce.register_worker(
        nik=nik,
        full_name=name,
        sex="L",
        birth_date=datetime.date(1980, 7, 15),
        home_village=Region.objects.get(code=region if len(region) == 13 else "18.01.04.2001"),
        kind=kind,
        region=Region.objects.get(code=region),
        acting_user=None,
    )
    appointed = timezone.make_aware(datetime.datetime(2026, 1, 15))  # trained and confirmed in January
    Engagement.objects.filter(pk=engagement.pk).update(status=WorkerStatus.ACTIVE, status_changed_at=appointed)
    workforce.update_worker(engagement.worker, account=account, acting_user=None)
    return Engagement.objects.select_related("worker").get(pk=engagement.pk)


@pytest.fixture
def tksk_worker(people):  # type: ignore[no-untyped-def]
    return active_worker(WorkerKind.TKSK, "18.01.04", people["tksk"], "1801041507800002", "Rahmat Hidayat")


@pytest.fixture
def psm_worker(people):  # type: ignore[no-untyped-def]
    return active_worker(WorkerKind.PSM, "18.01.04.2001", people["psm_a"], "1801041507800003", "Siti Aminah")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_tksk_monthly_pdf_counts_the_months_records_and_the_regency_approves_it(  # type: ignore[no-untyped-def]
    client_for, people, tksk_worker, psm_worker
) -> None:
    tksk, psm = people["tksk"], people["psm_a"]
    month = services.first_of_month(timezone.localdate())
    # This month: the PSM maps three people; the TKSK verifies two, rejects one, opens
    # a case, visits, refers and escalates it, and organises an activity.
    mapped = [register(name, "18.01.04.2001", psm) for name in ("Satu", "Dua", "Tiga")]
    records = [person.ppks_records.get() for person in mapped]
    registry.change_statuses(records[:2], "terverifikasi", acting_user=tksk)
    registry.change_status(records[2], "ditolak", reason="Tidak memenuhi kriteria", acting_user=tksk)
    case = open_for(mapped[0], tksk)
    cases.record_visit(
        fresh(case),
        expected_version=fresh(case).version,
        happened_on=timezone.localdate(),
        action_taken="Asesmen",
        acting_user=tksk,
    )
    cases.refer_case(
        fresh(case),
        expected_version=fresh(case).version,
        destination_kind="instansi",
        agency="dukcapil",
        reason="NIK",
        acting_user=tksk,
    )
    act(case, "escalate", tksk, "Butuh kabupaten")
    services.record_activity(
        kind="rapat_koordinasi",
        title="Rapat PSM Natar",
        held_on=timezone.localdate(),
        region=Region.objects.get(code="18.01.04"),
        organisers=[tksk_worker.worker],
        men=8,
        women=11,
        acting_user=tksk,
    )
    url = f"/laporan/{tksk_worker.pk}/{month:%Y-%m}/"
    client = client_for("tksk")

    submitted = client.post(url, {"narrative": "Koordinasi berjalan baik.", "submit": "1"})
    report = MonthlyReport.objects.get()
    expected = {
        "ppks_mapped": 0,
        "ppks_verified": 2,
        "ppks_rejected": 1,
        "cases_opened": 1,
        "cases_handled": 1,
        "visits": 1,
        "referrals": 1,
        "escalations": 1,
        "cases_closed": 0,
        "activities": 1,
        "participants_men": 8,
        "participants_women": 11,
        "participants": 19,
        "activities_by_kind": {"rapat_koordinasi": 1},
    }
    assert submitted.status_code == 302
    assert (report.status, report.figures) == ("diajukan", expected)
    assert PpksRecord.objects.filter(reported_by=psm).count() == 3

    assert client_for("psm_a").post(f"{url}tinjau/", {"decision": "approve"}).status_code == 404
    assert client_for("tksk").post(f"{url}tinjau/", {"decision": "approve"}).status_code == 403
    approved = client_for("operator_regency").post(f"{url}tinjau/", {"decision": "approve"})
    report.refresh_from_db()
    assert approved.status_code == 302
    assert (report.status, report.reviewed_by) == ("disetujui", people["operator_regency"])

    # Records made after the approval change nothing in the approved report.
    register("Empat", "18.01.04.2001", psm).ppks_records.update(status="dilaporkan")
    pdf = client.get(f"{url}unduh.pdf")
    text = pdf_text(pdf.content)
    assert pdf["Content-Type"] == "application/pdf"
    for line in (
        "PEMERINTAH KABUPATEN LAMPUNG SELATAN",
        "DINAS SOSIAL",
        "Catatan PPKS yang diverifikasi 2",
        "Catatan PPKS yang ditolak 1",
        "Kasus yang dibuka 1",
        "Kunjungan pendampingan 1",
        "Rujukan yang dikirim 1",
        "Kasus yang dieskalasi 1",
        "Kegiatan yang diselenggarakan 1",
        "Jumlah peserta 19",
        "Rapat koordinasi 1",
        "Koordinasi berjalan baik.",
        "Rahmat Hidayat",
    ):
        assert line in text, line
    out = io.StringIO()
    call_command(
        "report",
        "monthly",
        "--worker",
        str(tksk_worker.worker_id),
        "--month",
        f"{month:%Y-%m}",
        "--format",
        "json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["figures"] == {
        key: value for key, value in expected.items() if key != "activities_by_kind"
    }
    assert json.loads(out.getvalue())["status"] == "disetujui"
    assert client.get(f"{url}unduh.xlsx").status_code == 200


@pytest.mark.django_db
def test_a_psm_report_is_returned_with_a_comment_and_resubmitted(client_for, people, psm_worker) -> None:  # type: ignore[no-untyped-def]
    month = services.first_of_month(timezone.localdate())
    url = f"/laporan/{psm_worker.pk}/{month:%Y-%m}/"
    psm, tksk = client_for("psm_a"), client_for("tksk")
    psm.post(url, {"narrative": "Bulan ini sepi.", "submit": "1"})

    refused = tksk.post(f"{url}tinjau/", {"decision": "return", "comment": ""})
    returned = tksk.post(f"{url}tinjau/", {"decision": "return", "comment": "Lengkapi kegiatan posyandu lansia."})
    report = MonthlyReport.objects.get()
    page = psm.get(url).content.decode()
    assert (refused.status_code, returned.status_code) == (302, 302)
    assert (report.status, report.review_comment) == ("dikembalikan", "Lengkapi kegiatan posyandu lansia.")
    assert "Lengkapi kegiatan posyandu lansia." in page
    assert client_for("psm_b").get(url).status_code == 404
    assert client_for("tksk").post(url, {"narrative": "Bukan milik saya", "submit": "1"}).status_code == 403

    psm.post(url, {"narrative": "Bulan ini sepi. Posyandu lansia 2 kali.", "submit": "1"})
    report.refresh_from_db()
    assert (report.status, report.narrative) == ("diajukan", "Bulan ini sepi. Posyandu lansia 2 kali.")
    assert list(report.events.values_list("from_status", "to_status", "acting_user__username", "comment")) == [
        ("draf", "diajukan", "psm_a", ""),
        ("diajukan", "dikembalikan", "tksk", "Lengkapi kegiatan posyandu lansia."),
        ("dikembalikan", "diajukan", "psm_a", ""),
    ]


@pytest.mark.django_db
def test_the_supervisor_downloads_every_worker_s_report_state_of_a_month(client_for, people, psm_worker) -> None:  # type: ignore[no-untyped-def]
    october = datetime.date(2026, 10, 1)
    active_worker(WorkerKind.PSM, "18.01.04.2002", people["psm_b"], "1801041507800004", "Bambang")
    services.submit_report(psm_worker, october, narrative="Terlambat", acting_user=people["psm_a"])
    MonthlyReport.objects.filter(engagement=psm_worker).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 9, 10))
    )

    lines = client_for("tksk").get("/laporan/unduh.csv?bulan=2026-10").content.decode("utf-8-sig").splitlines()
    refused = client_for("psm_a").get("/laporan/unduh.csv?bulan=2026-10")

    assert lines == [
        "bulan,nama_pekerja,peran,kode_wilayah,nama_wilayah,status,diajukan,terlambat",
        "2026-10,Siti Aminah,PSM,18.01.04.2001,Hajimena,Diajukan,2026-11-09,ya",
        "2026-10,Bambang,PSM,18.01.04.2002,Sidosari,Belum dimulai,,ya",
    ]
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_supervisor_sees_missing_and_late_reports(people, psm_worker) -> None:  # type: ignore[no-untyped-def]
    october = datetime.date(2026, 10, 1)
    other = active_worker(WorkerKind.PSM, "18.01.04.2002", people["psm_b"], "1801041507800004", "Bambang")

    before_due = services.missing_and_late(people["tksk"], october, today=datetime.date(2026, 11, 5))
    services.submit_report(psm_worker, october, narrative="Terlambat", acting_user=people["psm_a"])
    MonthlyReport.objects.filter(engagement=psm_worker).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 9, 10))
    )
    after_due = services.missing_and_late(people["tksk"], october, today=datetime.date(2026, 11, 10))

    # Before the due date, every report not yet submitted is listed, not yet overdue.
    assert before_due == {"expected": 2, "missing": [psm_worker, other], "overdue": False, "late": []}
    assert (after_due["expected"], after_due["missing"], after_due["overdue"]) == (2, [other], True)
    assert [report.engagement for report in after_due["late"]] == [psm_worker]
    assert services.missing_and_late(people["psm_a"], october, today=datetime.date(2026, 11, 10)) == {
        "expected": 0,
        "missing": [],
        "overdue": True,
        "late": [],
    }


@pytest.mark.django_db
def test_the_missing_list_counts_every_worker_who_owes_the_month(people) -> None:  # type: ignore[no-untyped-def]
    """A kecamatan of 24 active PSM, one of whom submitted: 23 of 24 are missing; a PSM
    appointed after the month owes nothing for it."""
    october = datetime.date(2026, 10, 1)
    workers = [
        active_worker(WorkerKind.PSM, "18.01.04.2001", None, f"180104150780{number + 10:04d}", f"PSM {number:02d}")
        for number in range(24)
    ]
    newcomer = active_worker(WorkerKind.PSM, "18.01.04.2002", None, "1801041507809999", "PSM Baru")
    Engagement.objects.filter(pk=newcomer.pk).update(
        status_changed_at=timezone.make_aware(datetime.datetime(2026, 11, 2))
    )
    services.submit_report(workers[0], october, narrative="Laporan", acting_user=None)

    gaps = services.missing_and_late(people["tksk"], october, today=datetime.date(2026, 11, 3))
    page = Client()
    sign_in(page, people["tksk"])
    html = page.get("/laporan/?bulan=2026-10").content.decode()

    assert (gaps["expected"], len(gaps["missing"]), gaps["overdue"]) == (24, 23, False)
    assert newcomer not in gaps["missing"]
    assert "Belum masuk: 23 dari 24 petugas" in html
    missing = html[html.index('id="missing"') :].split("<h3")[0]
    assert missing.count("<li>") == 23
    assert "PSM 01 · PSM (Pekerja Sosial Masyarakat) · Hajimena" in missing
    assert "PSM 00 ·" not in missing
